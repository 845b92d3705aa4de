import { createRoute, lazyRouteComponent } from "@tanstack/react-router";
import { root } from "../app/root";
import { withWords } from "../i18n";

const Assets = lazyRouteComponent(() => withWords("assets", () => import("./Assets")), "Assets");
const AddAsset = lazyRouteComponent(() => withWords("assets", () => import("./AddAsset")), "AddAsset");
const ImportAssets = lazyRouteComponent(() => withWords("assets", () => import("./ImportAssets")), "ImportAssets");
const AssetPage = lazyRouteComponent(() => withWords("assets", () => import("./AssetPage")), "AssetPage");
const Depreciation = lazyRouteComponent(() => withWords("assets", () => import("./Depreciation")), "Depreciation");
const Stocktake = lazyRouteComponent(() => withWords("assets", () => import("./Stocktake")), "Stocktake");
const AssetSettings = lazyRouteComponent(() => withWords("assets", () => import("./AssetSettings")), "AssetSettings");

export const assetRoutes = [
  createRoute({ getParentRoute: () => root, path: "/assets", component: Assets }),
  createRoute({ getParentRoute: () => root, path: "/assets/new", component: AddAsset }),
  createRoute({ getParentRoute: () => root, path: "/assets/import", component: ImportAssets }),
  createRoute({ getParentRoute: () => root, path: "/assets/depreciation", component: Depreciation }),
  createRoute({ getParentRoute: () => root, path: "/assets/stocktake", component: Stocktake }),
  createRoute({ getParentRoute: () => root, path: "/assets/settings", component: AssetSettings }),
  createRoute({ getParentRoute: () => root, path: "/assets/$assetId", component: AssetPage }),
] as const;
