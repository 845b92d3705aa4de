import { createRootRoute, createRoute, createRouter } from "@tanstack/react-router";
import { DocumentPage } from "../screens/DocumentPage";
import { Inbox } from "../screens/Inbox";
import { SignIn } from "../screens/SignIn";
import { Layout } from "./Layout";

const root = createRootRoute({ component: Layout });
const inbox = createRoute({ getParentRoute: () => root, path: "/", component: Inbox });
const signIn = createRoute({ getParentRoute: () => root, path: "/sign-in", component: SignIn });
const documentPage = createRoute({ getParentRoute: () => root, path: "/documents/$documentId", component: DocumentPage });

export const router = createRouter({ routeTree: root.addChildren([inbox, signIn, documentPage]) });

declare module "@tanstack/react-router" {
  interface Register {
    router: typeof router;
  }
}
