import { useQuery } from "@tanstack/react-query";
import { useSession } from "../auth/useSession";
import { writeThaiDigits } from "../i18n";
import { api, unwrap } from "./client";
import type { components } from "./schema";

export type Me = components["schemas"]["Me"];
export type Role = "saraban" | "staff" | "head" | "director" | "admin" | "records";

/** Who is signed in (GET /v1/me): asked once per person and kept in the query cache for the page's life. */
export function useMe() {
  const session = useSession();
  return useQuery({
    queryKey: ["me", session?.username ?? ""],
    queryFn: async () => {
      const me = unwrap(await api.GET("/v1/me"));
      writeThaiDigits(me.agency.thai_numerals); // before anything renders with it
      return me;
    },
    enabled: session !== null,
    staleTime: Infinity,
    gcTime: Infinity,
  });
}

export function hasRole(me: Me | undefined, ...roles: Role[]): boolean {
  return me !== undefined && roles.some((role) => me.roles.includes(role));
}

const CLEARANCE = ["normal", "confidential", "secret", "top_secret"] as const;
export type Secrecy = (typeof CLEARANCE)[number];

/** The secrecy levels a person may mark on a letter: up to their clearance, never ลับที่สุด (its content
 * is not kept by an e-saraban system; the API refuses it). */
export function markableSecrecy(clearance: string): Secrecy[] {
  const cap = Math.max(0, CLEARANCE.indexOf(clearance as Secrecy));
  return CLEARANCE.filter((level, index) => index <= cap && level !== "top_secret");
}
