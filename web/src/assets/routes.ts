import { createRoute, lazyRouteComponent } from "@tanstack/react-router";
import { root } from "../app/root";

const Assets = lazyRouteComponent(() => import("./Assets"), "Assets");
const AddAsset = lazyRouteComponent(() => import("./AddAsset"), "AddAsset");
const ImportAssets = lazyRouteComponent(() => import("./ImportAssets"), "ImportAssets");
const AssetPage = lazyRouteComponent(() => import("./AssetPage"), "AssetPage");
const Depreciation = lazyRouteComponent(() => import("./Depreciation"), "Depreciation");
const Stocktake = lazyRouteComponent(() => import("./Stocktake"), "Stocktake");
const AssetSettings = lazyRouteComponent(() => import("./AssetSettings"), "AssetSettings");

export const assetRoutes = [
  createRoute({ getParentRoute: () => root, path: "/assets", component: Assets }),
  createRoute({ getParentRoute: () => root, path: "/assets/new", component: AddAsset }),
  createRoute({ getParentRoute: () => root, path: "/assets/import", component: ImportAssets }),
  createRoute({ getParentRoute: () => root, path: "/assets/depreciation", component: Depreciation }),
  createRoute({ getParentRoute: () => root, path: "/assets/stocktake", component: Stocktake }),
  createRoute({ getParentRoute: () => root, path: "/assets/settings", component: AssetSettings }),
  createRoute({ getParentRoute: () => root, path: "/assets/$assetId", component: AssetPage }),
] as const;
