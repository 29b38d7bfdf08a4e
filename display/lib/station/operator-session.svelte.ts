import type { OperatorIdentity } from '$contract/operators.ts';
import { ApiError } from '$lib/api/api-error.ts';
import { api } from '$lib/api/endpoints.ts';

const STORAGE_KEY = 'takt.station.operator';
export const DEFAULT_IDLE_MINUTES = 10;

interface Stored {
  identity: OperatorIdentity;
  lastActivity: number;
}

/** Whether a remembered identity is still valid: it expires `idleMs` after the last touch. */
export function isExpired(lastActivity: number, now: number, idleMs: number): boolean {
  return now - lastActivity >= idleMs;
}

/**
 * Who is working at this terminal. The operator identifies with a PIN or a badge scan; the identity
 * goes with every press (`operator`) and is dropped after `idleMinutes` without a touch, so the next
 * person cannot report under the previous name. A reload within the timeout keeps the operator.
 */
export class OperatorSession {
  identity = $state<OperatorIdentity | null>(null);
  busy = $state(false);
  error = $state<ApiError | null>(null);

  #idleMs: number;
  #lastActivity = 0;
  #timer: ReturnType<typeof setInterval> | null = null;

  constructor(options: { idleMinutes?: number } = {}) {
    this.#idleMs = (options.idleMinutes ?? DEFAULT_IDLE_MINUTES) * 60_000;
    try {
      const stored = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as Stored | null;
      if (stored && !isExpired(stored.lastActivity, Date.now(), this.#idleMs)) {
        this.identity = stored.identity;
        this.#lastActivity = stored.lastActivity;
      }
    } catch {
      localStorage.removeItem(STORAGE_KEY);
    }
  }

  async identify(credential: { pin: string } | { badge: string }): Promise<boolean> {
    this.busy = true;
    this.error = null;
    try {
      this.identity = await api.identifyOperator(credential);
      this.touch();
      return true;
    } catch (error) {
      this.error = ApiError.from(error);
      return false;
    } finally {
      this.busy = false;
    }
  }

  /** Any touch or key press at the terminal. Stored at most every few seconds. */
  touch(): void {
    if (!this.identity) return;
    const now = Date.now();
    if (now - this.#lastActivity < 5000) return;
    this.#lastActivity = now;
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ identity: this.identity, lastActivity: now } satisfies Stored));
  }

  logout(): void {
    this.identity = null;
    this.error = null;
    localStorage.removeItem(STORAGE_KEY);
  }

  /** Watches activity and the idle timeout; returns the stop function. */
  start(): () => void {
    const onActivity = () => this.touch();
    window.addEventListener('pointerdown', onActivity, { passive: true });
    window.addEventListener('keydown', onActivity);
    this.#timer = setInterval(() => {
      if (this.identity && isExpired(this.#lastActivity, Date.now(), this.#idleMs)) this.logout();
    }, 5000);
    return () => {
      window.removeEventListener('pointerdown', onActivity);
      window.removeEventListener('keydown', onActivity);
      if (this.#timer) clearInterval(this.#timer);
    };
  }
}
