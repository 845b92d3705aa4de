// The booking screens' reads, shared: the agency's rooms, vehicles and drivers; a resource's week.
import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import type { components } from "../api/schema";
import { thaiSorted } from "../format/thai";

export type Resource = components["schemas"]["ResourceView"];
export type Booking = components["schemas"]["BookingView"];
export type Availability = components["schemas"]["Availability"];
export type Trip = components["schemas"]["TripView"];
export type Kind = "room" | "vehicle" | "driver";

export function useResources() {
  return useQuery({
    queryKey: ["resources"],
    queryFn: async () => unwrap(await api.GET("/v1/resources")).items,
    staleTime: 60_000,
  });
}

/** The resources of a kind, in Thai dictionary order of their names. */
export function ofKind(resources: readonly Resource[] | undefined, kind: Kind | "bookable"): Resource[] {
  const chosen = (resources ?? []).filter((r) => (kind === "bookable" ? r.kind !== "driver" : r.kind === kind));
  return thaiSorted(chosen, (r) => r.name);
}

export function availabilityKey(resourceId: string, firstDay: string, days: number) {
  return ["availability", resourceId, firstDay, days] as const;
}

export async function readAvailability(resource: Resource, firstDay: string, days: number): Promise<Availability> {
  return unwrap(
    await api.GET("/v1/resources/{resource_id}/availability", {
      params: {
        path: { resource_id: resource.id },
        query: { first_day: firstDay, days, owner: resource.owner },
      },
    }),
  );
}

export function useUsers(enabled = true) {
  return useQuery({
    queryKey: ["users"],
    queryFn: async () => unwrap(await api.GET("/v1/users")).users,
    staleTime: 5 * 60_000,
    enabled,
  });
}

/** The other agencies on the platform (to share a room or vehicle with, or to name the one sharing it). */
export function useAgencies(enabled = true) {
  return useQuery({
    queryKey: ["agencies"],
    queryFn: async () => unwrap(await api.GET("/v1/exchange/agencies")).items,
    staleTime: 10 * 60_000,
    enabled,
  });
}
