import { createRoute, lazyRouteComponent } from "@tanstack/react-router";
import { root } from "../app/root";

const Admin = lazyRouteComponent(() => import("./Admin"), "Admin");
const Users = lazyRouteComponent(() => import("./Users"), "Users");
const Delegations = lazyRouteComponent(() => import("./Delegations"), "Delegations");
const RouteTemplates = lazyRouteComponent(() => import("./RouteTemplates"), "RouteTemplates");
const Letterhead = lazyRouteComponent(() => import("./Letterhead"), "LetterheadScreen");
const Books = lazyRouteComponent(() => import("./Books"), "Books");
const SigningKeys = lazyRouteComponent(() => import("./SigningKeys"), "SigningKeys");
const MySettings = lazyRouteComponent(() => import("./MySettings"), "MySettings");

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
