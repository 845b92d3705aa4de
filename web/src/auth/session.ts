// Tokens live in memory only (never localStorage or sessionStorage: a script injected into the page
// could read them there); a reload asks the person to sign in again, or the identity provider's
// session signs them in silently in production.

export interface Session {
  idToken: string;
  refreshToken: string | null;
  expiresAt: number; // ms since the epoch
  username: string;
}

let session: Session | null = null;
const listeners = new Set<() => void>();

export function currentToken(): string | null {
  return session?.idToken ?? null;
}

export function currentSession(): Session | null {
  return session;
}

export function setSession(next: Session | null): void {
  session = next;
  for (const listener of listeners) listener();
}

export function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
