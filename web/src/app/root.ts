import { createRootRoute } from "@tanstack/react-router";
import { Layout } from "./Layout";

/** The one root every screen hangs from; each area's routes file (src/<area>/routes.ts) adds its own. */
export const root = createRootRoute({ component: Layout });
