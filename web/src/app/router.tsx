import { createRootRoute, createRoute, createRouter, lazyRouteComponent } from "@tanstack/react-router";
import { Inbox } from "../screens/Inbox";
import { SignIn } from "../screens/SignIn";
import { Layout } from "./Layout";

// The first screens (sign-in, the inbox) are in the first load; every other screen is its own chunk,
// fetched when first opened.
const DocumentPage = lazyRouteComponent(() => import("../screens/DocumentPage"), "DocumentPage");
const NewLetter = lazyRouteComponent(() => import("../screens/NewLetter"), "NewLetter");
const Registers = lazyRouteComponent(() => import("../screens/Registers"), "Registers");
const RegisterIncoming = lazyRouteComponent(() => import("../screens/RegisterIncoming"), "RegisterIncoming");
const IncomingQueue = lazyRouteComponent(() => import("../screens/IncomingQueue"), "IncomingQueue");

const root = createRootRoute({ component: Layout });
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
  routeTree: root.addChildren([inbox, signIn, documentPage, newLetter, registers, registerIncoming, incomingQueue]),
});

declare module "@tanstack/react-router" {
  interface Register {
    router: typeof router;
  }
}
