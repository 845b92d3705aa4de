import { createContext, useContext } from "react";
import type { LiveState } from "./live";

export const LiveContext = createContext<LiveState>("closed");

export function useLiveState(): LiveState {
  return useContext(LiveContext);
}
