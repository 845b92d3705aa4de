import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { loadConfig } from "../auth/signIn";
import { currentToken } from "../auth/session";
import { useSession } from "../auth/useSession";
import { connectLive, type LiveState } from "./live";

/** The tab's live connection while someone is signed in: each message refreshes what it names. */
export function useLive(): LiveState {
  const session = useSession();
  const queries = useQueryClient();
  const [state, setState] = useState<LiveState>("closed");
  const signedIn = session !== null;
  useEffect(() => {
    if (!signedIn) return;
    let stop: (() => void) | undefined;
    let cancelled = false;
    void loadConfig().then((config) => {
      if (cancelled || !config.push) return;
      stop = connectLive({
        url: config.push,
        token: currentToken,
        onState: setState,
        onChange: (message) => {
          const type = typeof message === "object" && message !== null ? (message as { type?: unknown }).type : null;
          if (type === "notification") void queries.invalidateQueries({ queryKey: ["notifications"] });
          void queries.invalidateQueries({ queryKey: ["inbox"] });
        },
      });
    });
    return () => {
      cancelled = true;
      stop?.();
    };
  }, [signedIn, queries]);
  return state;
}
