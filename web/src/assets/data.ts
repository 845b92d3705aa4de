// The asset screens' reads from the API, shared by the screens (one cache key each).
import { useQuery } from "@tanstack/react-query";
import { api, ApiError, unwrap } from "../api/client";
import { hasRole, useMe } from "../api/me";
import type { components } from "../api/schema";

export type Asset = components["schemas"]["AssetView"];
type SettingsBody = components["schemas"]["AssetSettings"];
/** The settings with every field (the API fills its defaults in; the schema marks them optional). */
export type Settings = Required<SettingsBody>;
export type User = components["schemas"]["UserSummary"];

export function useAssets() {
  return useQuery({ queryKey: ["assets"], queryFn: async () => unwrap(await api.GET("/v1/assets")).items });
}

export function useAsset(assetId: string) {
  return useQuery({
    queryKey: ["asset", assetId],
    queryFn: async () => unwrap(await api.GET("/v1/assets/{asset_id}", { params: { path: { asset_id: assetId } } })),
  });
}

/** The agency's asset settings; null while the agency has none yet (the API answers 409). */
export function useSettings() {
  return useQuery({
    queryKey: ["asset-settings"],
    queryFn: async (): Promise<Settings | null> => {
      try {
        return full(unwrap(await api.GET("/v1/assets/settings")));
      } catch (failure) {
        if (failure instanceof ApiError && failure.status === 409) return null;
        throw failure;
      }
    },
  });
}

export function full(body: SettingsBody): Settings {
  const { number_format, classes, supply_officers, holidays, residual_baht } = body;
  return { number_format, residual_baht, classes: classes ?? [], supply_officers: supply_officers ?? [], holidays: holidays ?? [] };
}

export function useUsers() {
  return useQuery({ queryKey: ["users"], queryFn: async () => unwrap(await api.GET("/v1/users")).users, staleTime: 300_000 });
}

/** Whether the signed-in person keeps the register (POST /v1/assets, transfers, imports, status but
 * disposal): the agency admin, or a supply officer named in the settings. The API decides; this only
 * hides what it would refuse. */
export function useMayKeep(): boolean {
  const me = useMe();
  const settings = useSettings();
  return hasRole(me.data, "admin") || (!!me.data && !!settings.data?.supply_officers.includes(me.data.user_id));
}

/** The units named in the directory (ids), for the unit fields and filters. */
export function unitsOf(users: readonly User[] | undefined, extra: readonly string[] = []): string[] {
  const all = new Set<string>(extra.filter(Boolean));
  for (const user of users ?? []) for (const unit of user.units) all.add(unit);
  return [...all].sort();
}
