import { setSession, currentSession } from "./session";

/** How this deployment signs people in: the local stack's embedded identity provider (demo users), or
 * the Cognito hosted UI with ThaiD (authorisation code with PKCE) in production. */
export interface AuthConfig {
  mode: "local" | "cognito";
  authority?: string;
  client_id?: string;
  push?: string; // the WebSocket API (wss://... in production)
}

let refreshTimer: ReturnType<typeof setTimeout> | undefined;

export async function loadConfig(): Promise<AuthConfig> {
  const answer = await fetch("/config.json", { cache: "no-store" });
  return answer.ok ? ((await answer.json()) as AuthConfig) : { mode: "local" };
}

interface Tokens {
  id_token: string;
  refresh_token: string | null;
  expires_in: number;
}

/** Local sign-in against the embedded identity provider (served by `eoffice dev` only). */
export async function signInLocal(username: string, password: string): Promise<void> {
  const answer = await fetch("/local/sign-in", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  if (!answer.ok) throw new Error(answer.status === 401 ? "bad-credentials" : `HTTP ${answer.status}`);
  keep(username, (await answer.json()) as Tokens);
}

function keep(username: string, tokens: Tokens): void {
  const expiresAt = Date.now() + tokens.expires_in * 1000;
  setSession({ idToken: tokens.id_token, refreshToken: tokens.refresh_token, expiresAt, username });
  clearTimeout(refreshTimer);
  // Refreshed a minute before it ends, while the page is open.
  refreshTimer = setTimeout(() => void refresh(), Math.max(5_000, tokens.expires_in * 1000 - 60_000));
}

async function refresh(): Promise<void> {
  const session = currentSession();
  if (!session?.refreshToken) return;
  const answer = await fetch("/local/refresh", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ refresh_token: session.refreshToken }),
  });
  if (!answer.ok) {
    setSession(null);
    return;
  }
  const tokens = (await answer.json()) as Tokens;
  keep(session.username, { ...tokens, refresh_token: tokens.refresh_token ?? session.refreshToken });
}

/** Production: the Cognito hosted UI (ThaiD federated), authorisation code with PKCE, tokens in memory. */
export async function signInWithCognito(config: AuthConfig): Promise<void> {
  const { UserManager, InMemoryWebStorage, WebStorageStateStore } = await import("oidc-client-ts");
  const manager = new UserManager({
    authority: config.authority ?? "",
    client_id: config.client_id ?? "",
    redirect_uri: `${location.origin}/`,
    response_type: "code",
    scope: "openid profile",
    userStore: new WebStorageStateStore({ store: new InMemoryWebStorage() }),
  });
  if (new URLSearchParams(location.search).has("code")) {
    const user = await manager.signinRedirectCallback();
    history.replaceState(null, "", "/");
    keep(user.profile.preferred_username ?? user.profile.sub, {
      id_token: user.id_token ?? "",
      refresh_token: user.refresh_token ?? null,
      expires_in: user.expires_in ?? 3600,
    });
    return;
  }
  await manager.signinRedirect();
}

export function signOut(): void {
  clearTimeout(refreshTimer);
  setSession(null);
}
