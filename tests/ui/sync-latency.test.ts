import { describe, expect, it, vi } from 'vitest';
import type { ScreenHeartbeatBody } from '../../server/contract/screens.ts';
import type { StreamMessage } from '../../server/contract/stream.ts';
import { LiveConnection, type MessageObserver } from '../../ui/lib/live/live-connection.svelte.ts';
import { ScreenHeartbeat } from '../../ui/lib/live/screen-heartbeat.ts';
import { SyncLatency } from '../../ui/lib/live/sync-latency.ts';
import { message, useFakeServer } from './fake-server.ts';
import { progressData } from './views.ts';

const T0 = Date.parse('2026-03-02T08:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

describe('SyncLatency', () => {
  it('corrects a skewed clock by the round trip and reports nearest-rank p50 / p95', () => {
    const latency = new SyncLatency();
    // This device runs 5 s fast: it receives at server time + latency + 5000.
    const skew = 5000;
    const opened = T0 - 60_000 + skew;
    const waits = [20, 40, 30, 10, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150, 160, 170, 180, 190, 1000];
    waits.forEach((wait, i) => latency.record(iso(T0 + i * 1000), T0 + i * 1000 + wait + skew, opened));
    // Sent at device 100_000, answered at device 100_040; the server read its clock in the middle.
    latency.sync(T0 + 100_000, T0 + 100_020 - skew, T0 + 100_040);
    // A slower round trip's offset (off by 30 ms) loses to the quicker one's.
    latency.sync(T0 + 200_000, T0 + 200_130 - skew, T0 + 200_200);
    expect(latency.offsetMs).toBe(-skew);
    expect(latency.take()).toEqual({ samples: 20, latencyP50Ms: 100, latencyP95Ms: 190, newestMessageAt: iso(T0 + 19_000) });
    // Taken: the next beat starts empty but still knows the newest message held.
    expect(latency.take()).toEqual({ samples: 0, latencyP50Ms: null, latencyP95Ms: null, newestMessageAt: iso(T0 + 19_000) });
  });

  it('leaves out messages committed before their stream opened (a replay after a reconnect)', () => {
    const latency = new SyncLatency();
    const opened = T0 + 10_000;
    latency.record(iso(T0), opened + 5, opened); // waited 10 s for the screen to come back
    latency.record(iso(T0 + 11_000), T0 + 11_025, opened);
    expect(latency.take()).toEqual({ samples: 1, latencyP50Ms: 25, latencyP95Ms: 25, newestMessageAt: iso(T0 + 11_000) });
  });

  it('never reports a negative latency when the offset estimate overshoots', () => {
    const latency = new SyncLatency();
    latency.record(iso(T0), T0 + 3, T0 - 1000);
    latency.sync(T0, T0 - 10 + 50, T0 + 100); // says this clock is 10 ms fast: 3 - 10 < 0
    expect(latency.take()).toMatchObject({ samples: 1, latencyP50Ms: 0, latencyP95Ms: 0 });
  });
});

describe('ScreenHeartbeat', () => {
  it('beats at once and every interval with the samples in between, and learns the offset from each answer', async () => {
    vi.useFakeTimers({ now: T0 });
    try {
      let observer: MessageObserver | null = null;
      const connection = { observe: (fn: MessageObserver) => ((observer = fn), () => (observer = null)) };
      const sent: ScreenHeartbeatBody[] = [];
      // The server's clock is 2 s behind this device's; answers come back at once.
      const post = async (body: ScreenHeartbeatBody) => (sent.push(body), { serverTime: iso(Date.now() - 2000) });
      const beat = new ScreenHeartbeat({ connection, screen: 'board/L1', kind: 'board', post, intervalMs: 30_000 });
      const stop = beat.start();
      await vi.advanceTimersByTimeAsync(0);
      expect(sent).toEqual([{ screen: 'board/L1', kind: 'board', samples: 0, latencyP50Ms: null, latencyP95Ms: null, newestMessageAt: null }]);
      expect(beat.latency.offsetMs).toBe(-2000);

      const progress = message(1, 'progress', progressData('O1', 1, 'A')) as StreamMessage;
      // Committed at server time T0 + 8000, applied here at device time T0 + 10_045: 45 ms.
      observer!({ ...progress, emittedAt: iso(T0 + 8000) }, T0 + 10_045, T0);
      await vi.advanceTimersByTimeAsync(30_000);
      expect(sent[1]).toEqual({ screen: 'board/L1', kind: 'board', samples: 1, latencyP50Ms: 45, latencyP95Ms: 45, newestMessageAt: iso(T0 + 8000) });
      stop();
      expect(observer).toBeNull();
      await vi.advanceTimersByTimeAsync(60_000);
      expect(sent).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps the samples for the next beat while one is still unanswered', async () => {
    const connection = { observe: () => () => {} };
    const sent: ScreenHeartbeatBody[] = [];
    let answer: (() => void) | null = null;
    const post = (body: ScreenHeartbeatBody) => (sent.push(body), new Promise<{ serverTime: string }>((resolve) => (answer = () => resolve({ serverTime: iso(Date.now()) }))));
    const beat = new ScreenHeartbeat({ connection, screen: 's', kind: 'console', post });
    const first = beat.beat();
    beat.latency.record(iso(T0), T0 + 10, T0 - 1);
    await beat.beat(); // skipped: the first is in flight
    expect(sent).toHaveLength(1);
    answer!();
    await first;
    void beat.beat();
    expect(sent[1]).toMatchObject({ samples: 1 });
  });
});

describe('LiveConnection.observe', () => {
  const fake = useFakeServer();

  it('sees each applied message with when it was applied and when its stream opened, and opens no stream itself', async () => {
    const live = new LiveConnection({ retryDelay: () => 5 });
    const seen: [number, number, number][] = [];
    const stopObserving = live.observe((m, receivedAt, openedAt) => seen.push([m.id, receivedAt, openedAt]));
    await Promise.resolve();
    expect(fake.server.streams).toHaveLength(0);
    const before = Date.now();
    fake.server.stops.push(live.listen('progress', () => {}));
    await vi.waitFor(() => expect(live.state).toBe('open'));
    fake.server.stream.send(message(1, 'progress', progressData('O1', 1, 'A')));
    await vi.waitFor(() => expect(seen).toHaveLength(1));
    const [id, receivedAt, openedAt] = seen[0]!;
    expect(id).toBe(1);
    expect(openedAt).toBeGreaterThanOrEqual(before);
    expect(receivedAt).toBeGreaterThanOrEqual(openedAt);
    stopObserving();
    fake.server.stream.send(message(2, 'progress', progressData('O1', 1, 'A')));
    await vi.waitFor(() => expect(live.lastEventId).toBe(2));
    expect(seen).toHaveLength(1);
  });
});
