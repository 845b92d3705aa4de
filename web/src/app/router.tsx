import { createRoute, createRouter, lazyRouteComponent } from "@tanstack/react-router";
import { adminRoutes } from "../admin/routes";
import { archiveRoutes } from "../archive/routes";
import { assetRoutes } from "../assets/routes";
import { bookingRoutes } from "../booking/routes";
import { meetingRoutes } from "../meetings/routes";
import { Inbox } from "../screens/Inbox";
import { SignIn } from "../screens/SignIn";
import { root } from "./root";

// The first screens (sign-in, the inbox) are in the first load; every other screen is its own chunk,
// fetched when first opened. The letters' screens are listed here; each later area (booking, meetings,
// archive, assets, agency admin) lists its own in src/<area>/routes.ts.
const DocumentPage = lazyRouteComponent(() => import("../screens/DocumentPage"), "DocumentPage");
const NewLetter = lazyRouteComponent(() => import("../screens/NewLetter"), "NewLetter");
const Registers = lazyRouteComponent(() => import("../screens/Registers"), "Registers");
const RegisterIncoming = lazyRouteComponent(() => import("../screens/RegisterIncoming"), "RegisterIncoming");
const IncomingQueue = lazyRouteComponent(() => import("../screens/IncomingQueue"), "IncomingQueue");

const inbox = createRoute({ getParentRoute: () => root, path: "/", component: Inbox });
const signIn = createRoute({ getParentRoute: () => root, path: "/sign-in", component: SignIn });
const documentPage = createRoute({ getParentRoute: () => root, path: "/documents/$documentId", component: DocumentPage });
const newLetter = createRoute({
  getParentRoute: () => root,
  path: "/letters/new",
  component: NewLetter,
  validateSearch: (search: Record<string, unknown>): { document?: string } =>
    typeof search.document === "string" && search.document ? { document: search.document } : {},
});

const registers = createRoute({ getParentRoute: () => root, path: "/registers", component: Registers });
const registerIncoming = createRoute({ getParentRoute: () => root, path: "/registers/incoming/new", component: RegisterIncoming });
const incomingQueue = createRoute({ getParentRoute: () => root, path: "/exchange/incoming", component: IncomingQueue });

export const router = createRouter({
  routeTree: root.addChildren([
    inbox,
    signIn,
    documentPage,
    newLetter,
    registers,
    registerIncoming,
    incomingQueue,
    ...bookingRoutes,
    ...meetingRoutes,
    ...archiveRoutes,
    ...assetRoutes,
    ...adminRoutes,
  ]),
});

declare module "@tanstack/react-router" {
  interface Register {
    router: typeof router;
  }
}
