import { createRoute, lazyRouteComponent } from "@tanstack/react-router";
import { root } from "../app/root";
import { withWords } from "../i18n";

const Archive = lazyRouteComponent(() => withWords("archive", () => import("./Archive")), "Archive");
const Destruction = lazyRouteComponent(() => withWords("archive", () => import("./Destruction")), "Destruction");
const DestructionList = lazyRouteComponent(() => withWords("archive", () => import("./DestructionList")), "DestructionList");
const Loans = lazyRouteComponent(() => withWords("archive", () => import("./Loans")), "Loans");
const Legacy = lazyRouteComponent(() => withWords("archive", () => import("./Legacy")), "Legacy");
const LegacyBookView = lazyRouteComponent(() => withWords("archive", () => import("./LegacyBookView")), "LegacyBookView");
const Transfers = lazyRouteComponent(() => withWords("archive", () => import("./Transfers")), "Transfers");

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
  createRoute({ getParentRoute: () => root, path: "/archive/legacy", component: Legacy }),
  createRoute({
    getParentRoute: () => root,
    path: "/archive/legacy/$bookId",
    component: LegacyBookView,
    validateSearch: (search: Record<string, unknown>): { year?: number } => {
      const year = Number(search.year);
      return Number.isInteger(year) && year >= 2400 && year <= 2800 ? { year } : {};
    },
  }),
] as const;
