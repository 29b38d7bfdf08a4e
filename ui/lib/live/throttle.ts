/** Calls `fn` at most once per `ms`: leading edge plus one trailing call for a burst. */
export class Throttle {
  #timer: ReturnType<typeof setTimeout> | null = null;
  #last = 0;
  readonly ms: number;
  readonly fn: () => Promise<void>;
  constructor(ms: number, fn: () => Promise<void>) {
    this.ms = ms;
    this.fn = fn;
  }
  request(): void {
    if (this.#timer) return;
    const wait = Math.max(0, this.#last + this.ms - Date.now());
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#last = Date.now();
      void this.fn();
    }, wait);
  }
  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
