import { createRoute, lazyRouteComponent } from "@tanstack/react-router";
import { root } from "../app/root";

const Archive = lazyRouteComponent(() => import("./Archive"), "Archive");
const Destruction = lazyRouteComponent(() => import("./Destruction"), "Destruction");
const DestructionList = lazyRouteComponent(() => import("./DestructionList"), "DestructionList");
const Loans = lazyRouteComponent(() => import("./Loans"), "Loans");
const Transfers = lazyRouteComponent(() => import("./Transfers"), "Transfers");

export const archiveRoutes = [
  createRoute({ getParentRoute: () => root, path: "/archive", component: Archive }),
  createRoute({ getParentRoute: () => root, path: "/archive/destruction", component: Destruction }),
  createRoute({ getParentRoute: () => root, path: "/archive/destruction/$year", component: DestructionList }),
  createRoute({
    getParentRoute: () => root,
    path: "/archive/loans",
    component: Loans,
    validateSearch: (search: Record<string, unknown>): { document?: string } =>
      typeof search.document === "string" && search.document ? { document: search.document } : {},
  }),
  createRoute({ getParentRoute: () => root, path: "/archive/transfers", component: Transfers }),
] as const;
