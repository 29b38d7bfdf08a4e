import { ApiError } from '$lib/api/api-error.ts';

/**
 * What a TV page fetches before it can show a board. A TV has no one to press "retry", so a failed
 * load tries again by itself; the retry button on screen only makes it sooner.
 */
export class RetryingLoad<T> {
  value = $state.raw<T | null>(null);
  error = $state<ApiError | null>(null);

  #fetch: () => Promise<T>;
  #retryMs: number;
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(fetch: () => Promise<T>, options: { retryMs?: number } = {}) {
    this.#fetch = fetch;
    this.#retryMs = options.retryMs ?? 10_000;
  }

  async load(): Promise<void> {
    // A press on "retry" while a retry is pending must not end up as two loops.
    this.stop();
    try {
      this.value = await this.#fetch();
      this.error = null;
    } catch (error) {
      this.error = ApiError.from(error);
      this.#timer = setTimeout(() => void this.load(), this.#retryMs);
    }
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
