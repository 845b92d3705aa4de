import { useSyncExternalStore } from "react";
import { currentSession, subscribe, type Session } from "./session";

export function useSession(): Session | null {
  return useSyncExternalStore(subscribe, currentSession);
}
