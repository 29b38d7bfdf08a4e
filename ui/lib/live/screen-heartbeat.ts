import type { ScreenHeartbeatBody, ScreenHeartbeatView, ScreenKind } from '$contract/screens.ts';
import type { MessageObserver } from './live-connection.svelte.ts';
import { SyncLatency } from './sync-latency.ts';

export const HEARTBEAT_INTERVAL_MS = 30_000;

export interface ScreenHeartbeatOptions {
  connection: { observe: (fn: MessageObserver) => () => void };
  screen: string;
  kind: ScreenKind;
  post: (body: ScreenHeartbeatBody) => Promise<ScreenHeartbeatView>;
  intervalMs?: number;
  /** This device's clock (tests pass their own). */
  now?: () => number;
}

/**
 * Reports the screen's sync latency to the server: once at start (which also gives the first clock
 * offset) and then every 30 s. A beat that fails is not retried: its samples are gone, and the
 * screen's silence shows in the figures as an old last heartbeat.
 */
export class ScreenHeartbeat {
  readonly latency = new SyncLatency();
  readonly #options: ScreenHeartbeatOptions;
  #now: () => number;
  #inFlight = false;

  constructor(options: ScreenHeartbeatOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** Starts observing and beating; returns the stop. */
  start(): () => void {
    const stopObserving = this.#options.connection.observe((message, receivedAt, openedAt) => this.latency.record(message.emittedAt, receivedAt, openedAt));
    void this.beat();
    const timer = setInterval(() => void this.beat(), this.#options.intervalMs ?? HEARTBEAT_INTERVAL_MS);
    return () => {
      clearInterval(timer);
      stopObserving();
    };
  }

  async beat(): Promise<void> {
    // A beat still waiting for its answer (a slow network) keeps the samples for the next one.
    if (this.#inFlight) return;
    this.#inFlight = true;
    const body = { screen: this.#options.screen, kind: this.#options.kind, ...this.latency.take() };
    const sentAt = this.#now();
    try {
      const answer = await this.#options.post(body);
      this.latency.sync(sentAt, Date.parse(answer.serverTime), this.#now());
    } catch {
      // Offline or signed out: the connection's own state says so on screen.
    } finally {
      this.#inFlight = false;
    }
  }
}
