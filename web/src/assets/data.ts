// The asset screens' reads from the API, shared by the screens (one cache key each).
import { useQuery } from "@tanstack/react-query";
import { useCallback, useMemo } from "react";
import { api, ApiError, unwrap } from "../api/client";
import { hasRole, useMe } from "../api/me";
import type { components } from "../api/schema";
import { unitName, type UnitLine } from "./logic";

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

type Directory = components["schemas"]["UserList"];
const NO_UNITS: UnitLine[] = [];

/** GET /v1/users (any signed-in person of the agency may read it): its users and its units, read once
 * for both under a key of the asset screens' own (other areas keep only the users under ["users"]). */
function useDirectory<T>(select: (directory: Directory) => T) {
  return useQuery({
    queryKey: ["asset-directory"],
    queryFn: async () => unwrap(await api.GET("/v1/users")),
    staleTime: 300_000,
    select,
  });
}

const usersOf = (directory: Directory) => directory.users;
const unitsOfDirectory = (directory: Directory) => directory.units ?? NO_UNITS;

/** The agency's active users, in Thai dictionary order of their names. */
export function useUsers() {
  return useDirectory(usersOf);
}

/** The agency's units (id, Thai name, code). */
export function useUnits() {
  return useDirectory(unitsOfDirectory);
}

/** A unit id as a person reads it: the unit's Thai name (the id while the directory is being read, or
 * when it has no such unit), "—" for none. */
export function useUnitName(): (id: string | null | undefined) => string {
  const units = useUnits();
  const byId = useMemo(() => new Map((units.data ?? NO_UNITS).map((u) => [u.id, u])), [units.data]);
  return useCallback((id: string | null | undefined) => unitName(byId, id), [byId]);
}

/** Whether the signed-in person keeps the register (POST /v1/assets, transfers, imports, status but
 * disposal): the agency admin, or a supply officer named in the settings. The API decides; this only
 * hides what it would refuse. */
export function useMayKeep(): boolean {
  const me = useMe();
  const settings = useSettings();
  return hasRole(me.data, "admin") || (!!me.data && !!settings.data?.supply_officers.includes(me.data.user_id));
}

/** The unit ids the directory's users belong to (offered too where the agency's units are not set). */
export function userUnitIds(users: readonly User[] | undefined): string[] {
  return [...new Set((users ?? []).flatMap((u) => u.units))];
}
