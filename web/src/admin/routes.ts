import { createRoute, lazyRouteComponent } from "@tanstack/react-router";
import { root } from "../app/root";
import { withWords } from "../i18n";

const Admin = lazyRouteComponent(() => withWords("admin", () => import("./Admin")), "Admin");
const Users = lazyRouteComponent(() => withWords("admin", () => import("./Users")), "Users");
const Delegations = lazyRouteComponent(() => withWords("admin", () => import("./Delegations")), "Delegations");
const RouteTemplates = lazyRouteComponent(() => withWords("admin", () => import("./RouteTemplates")), "RouteTemplates");
const Letterhead = lazyRouteComponent(() => withWords("admin", () => import("./Letterhead")), "LetterheadScreen");
const Books = lazyRouteComponent(() => withWords("admin", () => import("./Books")), "Books");
const SigningKeys = lazyRouteComponent(() => withWords("admin", () => import("./SigningKeys")), "SigningKeys");
const MySettings = lazyRouteComponent(() => withWords("admin", () => import("./MySettings")), "MySettings");

// The agency administrator's screens under /admin; /admin/me is every person's own settings.
export const adminRoutes = [
  createRoute({ getParentRoute: () => root, path: "/admin", component: Admin }),
  createRoute({ getParentRoute: () => root, path: "/admin/users", component: Users }),
  createRoute({ getParentRoute: () => root, path: "/admin/delegations", component: Delegations }),
  createRoute({ getParentRoute: () => root, path: "/admin/route-templates", component: RouteTemplates }),
  createRoute({ getParentRoute: () => root, path: "/admin/letterhead", component: Letterhead }),
  createRoute({ getParentRoute: () => root, path: "/admin/registers", component: Books }),
  createRoute({ getParentRoute: () => root, path: "/admin/signing-keys", component: SigningKeys }),
  createRoute({ getParentRoute: () => root, path: "/admin/me", component: MySettings }),
] as const;
