/**
 * Floor screens (TV board, station terminal) cannot type passwords: their URL carries `?token=`.
 * The token is kept per screen kind so a reload (or a TV's nightly power cycle) keeps working; the
 * screen then drops it from the address bar so it does not end up in screenshots.
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
  }
  current = fromUrl ?? localStorage.getItem(storageKey(kind));
  return current;
}

export function forgetScreenToken(kind: ScreenKind): void {
  localStorage.removeItem(storageKey(kind));
  current = null;
}
