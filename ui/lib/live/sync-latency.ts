import type { ScreenHeartbeatBody } from '$contract/screens.ts';

/** Samples kept between two beats; a burst beyond it is represented by its first part. */
const MAX_SAMPLES = 5000;
/** Round trips remembered for the clock offset: the shortest one's offset is the best estimate. */
const CLOCK_PROBES = 8;

interface Probe {
  roundTripMs: number;
  offsetMs: number;
}

/** Nearest-rank percentile of ascending values. */
function percentile(sorted: number[], q: number): number {
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
}

/**
 * How far behind the stream this screen is: for every live message, the time from its commit
 * (`emittedAt`, the server's clock) to the moment this screen had applied it (this device's clock).
 *
 * A TV's clock can be minutes off. The offset to the server's is measured as NTP does, on each
 * heartbeat's round trip: serverTime - (sent + received) / 2, wrong by at most half the difference
 * between the two directions' delays; of the last few round trips the shortest one's offset is used,
 * as its bound is tightest. Samples are kept raw and corrected when they are reported, so the first
 * messages (before any round trip) are corrected too.
 *
 * Messages replayed on a reconnect were committed before the stream opened: how long they waited
 * says how long the screen was away, not how fast the stream is, so they are left out (their commit
 * instant still counts for the newest message held).
 */
export class SyncLatency {
  #received: number[] = [];
  #emitted: number[] = [];
  #opened: number[] = [];
  #newestEmitted: number | null = null;
  #probes: Probe[] = [];

  /** Server time minus this device's time, in ms; 0 until the first round trip. */
  get offsetMs(): number {
    let best: Probe | null = null;
    for (const p of this.#probes) if (!best || p.roundTripMs < best.roundTripMs) best = p;
    return best?.offsetMs ?? 0;
  }

  record(emittedAt: string, receivedAt: number, openedAt: number): void {
    const emitted = Date.parse(emittedAt);
    if (!Number.isFinite(emitted)) return;
    if (this.#newestEmitted === null || emitted > this.#newestEmitted) this.#newestEmitted = emitted;
    if (this.#received.length >= MAX_SAMPLES) return;
    this.#received.push(receivedAt);
    this.#emitted.push(emitted);
    this.#opened.push(openedAt);
  }

  /** One round trip to the server: sent and received on this device's clock, serverTime on the server's. */
  sync(sentAt: number, serverTime: number, receivedAt: number): void {
    const roundTripMs = receivedAt - sentAt;
    if (!(roundTripMs >= 0) || !Number.isFinite(serverTime)) return;
    this.#probes = [...this.#probes, { roundTripMs, offsetMs: serverTime - (sentAt + receivedAt) / 2 }].slice(-CLOCK_PROBES);
  }

  /** The samples since the last call, corrected to the server's clock, as a heartbeat reports them. */
  take(): Omit<ScreenHeartbeatBody, 'screen' | 'kind'> {
    const offset = this.offsetMs;
    const latencies: number[] = [];
    for (let i = 0; i < this.#received.length; i++) {
      const emitted = this.#emitted[i]!;
      if (emitted < this.#opened[i]! + offset) continue;
      latencies.push(Math.min(3_600_000, Math.max(0, this.#received[i]! + offset - emitted)));
    }
    this.#received = [];
    this.#emitted = [];
    this.#opened = [];
    latencies.sort((a, b) => a - b);
    const newestMessageAt = this.#newestEmitted === null ? null : new Date(this.#newestEmitted).toISOString();
    if (latencies.length === 0) return { samples: 0, latencyP50Ms: null, latencyP95Ms: null, newestMessageAt };
    return { samples: latencies.length, latencyP50Ms: percentile(latencies, 0.5), latencyP95Ms: percentile(latencies, 0.95), newestMessageAt };
  }
}
