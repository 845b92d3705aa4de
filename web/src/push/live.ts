// The live inbox (docs/rules.md, "Push"): one WebSocket per signed-in tab, authenticated with the same
// token as the API (offered as a subprotocol beside "eoffice.v1": a browser cannot set Authorization on a
// WebSocket). A message says only that something changed; the inbox is then read again over HTTP, where
// every read is checked. While the socket is open nothing polls; while it is not, the inbox polls at most
// every five minutes and only while the tab is visible (the query's own interval).

export type LiveState = "connecting" | "open" | "closed";

export interface LiveOptions {
  url: string;
  token: () => string | null;
  onChange: (message: unknown) => void;
  onState: (state: LiveState) => void;
}

const PING_MS = 5 * 60 * 1000; // API Gateway closes a connection idle for 10 minutes
const MAX_BACKOFF_MS = 60_000;

/** Connects, keeps the connection alive, reconnects with backoff; returns a function that stops it. */
export function connectLive({ url, token, onChange, onState }: LiveOptions): () => void {
  let socket: WebSocket | null = null;
  let stopped = false;
  let attempt = 0;
  let ping: ReturnType<typeof setInterval> | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;

  function open(): void {
    const current = token();
    if (stopped || !current) return;
    onState("connecting");
    socket = new WebSocket(url, ["eoffice.v1", current]);
    socket.addEventListener("open", () => {
      attempt = 0;
      onState("open");
      ping = setInterval(() => socket?.send(JSON.stringify({ action: "ping" })), PING_MS);
    });
    socket.addEventListener("message", (event: MessageEvent<string>) => {
      try {
        onChange(JSON.parse(event.data) as unknown);
      } catch {
        onChange(null); // not ours to read: still a sign that something changed
      }
    });
    socket.addEventListener("close", () => {
      clearInterval(ping);
      onState("closed");
      if (stopped) return;
      attempt += 1;
      const wait = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(attempt, 6)) * (0.5 + Math.random() / 2);
      retry = setTimeout(open, wait); // jittered, so a restart does not bring every tab back at once
    });
  }

  open();
  return () => {
    stopped = true;
    clearInterval(ping);
    clearTimeout(retry);
    socket?.close();
  };
}
