/**
 * Floor screens (TV board, station terminal) cannot type passwords: their URL carries `?token=`.
 * The token is kept per screen kind so a reload (or a TV's nightly power cycle) keeps working, and is
 * then dropped from the address bar so it does not end up in screenshots or shoulder-surfing.
 * The console never stores a token: it uses the HttpOnly session cookie from /auth/login.
 */
export type ScreenKind = 'board' | 'station';

const storageKey = (kind: ScreenKind) => `takt.token.${kind}`;

let current: string | null = null;

/** The bearer token for API calls, or null to rely on the session cookie. */
export function currentToken(): string | null {
  return current;
}

export function useCookieSession(): void {
  current = null;
}

/** Reads `?token=` (and remembers it) or falls back to the remembered one; returns what is in use. */
export function adoptScreenToken(kind: ScreenKind, url: URL): string | null {
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    localStorage.setItem(storageKey(kind), fromUrl);
    const clean = new URL(url);
    clean.searchParams.delete('token');
    history.replaceState(history.state, '', clean);
  }
  current = fromUrl ?? localStorage.getItem(storageKey(kind));
  return current;
}

export function forgetScreenToken(kind: ScreenKind): void {
  localStorage.removeItem(storageKey(kind));
  current = null;
}
