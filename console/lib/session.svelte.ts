import type { Me } from '$contract/auth.ts';
import { ApiError } from '$lib/api/api-error.ts';
import { api } from '$lib/api/endpoints.ts';
import { useCookieSession } from '$lib/auth/credentials.ts';

/** The console's signed-in user. The session itself is the HttpOnly cookie; this only mirrors who it is. */
class ConsoleSession {
  me = $state<Me | null>(null);
  checked = $state(false);

  /** Resolves to the user, or null when the cookie is missing or expired. */
  async check(): Promise<Me | null> {
    useCookieSession();
    try {
      this.me = await api.me();
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 401) throw error;
      this.me = null;
    } finally {
      this.checked = true;
    }
    return this.me;
  }

  async signIn(username: string, password: string): Promise<void> {
    useCookieSession();
    await api.login(username, password);
    this.me = await api.me();
    this.checked = true;
  }

  async signOut(): Promise<void> {
    try {
      await api.logout();
    } finally {
      this.me = null;
    }
  }
}

export const session = new ConsoleSession();
