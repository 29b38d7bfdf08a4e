import { createSubscriber } from 'svelte/reactivity';

/**
 * A ticking `now` that runs only while something on screen reads it: one interval for all timers of
 * a page (andon elapsed, data age, header clock) instead of one per component.
 */
export class Clock {
  #subscribe: () => void;

  constructor(intervalMs: number) {
    this.#subscribe = createSubscriber((update) => {
      const id = setInterval(update, intervalMs);
      return () => clearInterval(id);
    });
  }

  get now(): number {
    this.#subscribe();
    return Date.now();
  }
}

export const secondClock = new Clock(1000);
