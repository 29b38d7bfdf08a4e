import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { StreamMessage } from '../../server/contract/stream.ts';
import { LiveConnection } from '../../ui/lib/live/live-connection.svelte.ts';
import { message, useFakeServer, type FakeServer } from './fake-server.ts';
import { andonView, progressData } from './views.ts';

const progress = (id: number, order = 'O1') =>
  message(id, 'progress', progressData(order, 1, 'A', { status: 'running', type: 'operation.progress', quantityGood: id, quantityScrap: 0, quantity: 50, at: '2026-03-02T08:00:00Z' }));

const fake = useFakeServer();
let server: FakeServer;
let delays: number[];
let live: LiveConnection;

beforeEach(() => {
  server = fake.server;
  delays = [];
  // Back-off attempts are recorded; the wait itself is kept short so the test does not sit out seconds.
  live = new LiveConnection({ retryDelay: (attempt) => (delays.push(attempt), 5) });
});

function collect(topic: 'progress' | 'andon' | 'eta'): StreamMessage[] {
  const got: StreamMessage[] = [];
  server.stops.push(live.listen(topic, (m) => got.push(m)));
  return got;
}

describe('LiveConnection', () => {
  it('opens one stream for the listeners of one tick and hands each topic its messages', async () => {
    const progressGot = collect('progress');
    const andonGot = collect('andon');
    await vi.waitFor(() => expect(live.state).toBe('open'));
    expect(server.streams).toHaveLength(1);
    expect(server.stream.topics).toEqual(['progress', 'andon']);
    expect(server.stream.lastEventId).toBeNull();

    const raised = message(2, 'andon', { type: 'andon.raised', andon: andonView('a1', 'A') });
    server.stream.send(progress(1));
    server.stream.send(raised);
    await vi.waitFor(() => expect(andonGot).toHaveLength(1));
    expect(progressGot.map((m) => m.id)).toEqual([1]);
    expect(andonGot[0]).toEqual(raised);
    expect(live.lastEventId).toBe(2);
    expect(live.lastMessageAt).not.toBeNull();
  });

  it('drops malformed frames, frames whose event and topic disagree, and ids it already has', async () => {
    const got = collect('progress');
    await vi.waitFor(() => expect(live.state).toBe('open'));
    server.stream.write('id: 1\nevent: progress\ndata: {not json\n\n');
    server.stream.write(`id: 2\nevent: progress\ndata: ${JSON.stringify(message(2, 'andon', {}))}\n\n`);
    server.stream.write(`id: 3\nevent: progress\ndata: ${JSON.stringify({ id: 3, topic: 'progress' })}\n\n`);
    server.stream.send(progress(5));
    server.stream.send(progress(4)); // older than what was applied: a replay overlap
    server.stream.send(progress(5));
    server.stream.send(progress(6));
    await vi.waitFor(() => expect(got.map((m) => m.id)).toEqual([5, 6]));
    expect(live.rejected).toBe(3);
  });

  it('keeps other listeners fed when one throws', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    server.stops.push(
      live.listen('progress', () => {
        throw new Error('broken widget');
      }),
    );
    const got = collect('progress');
    await vi.waitFor(() => expect(live.state).toBe('open'));
    server.stream.send(progress(1));
    await vi.waitFor(() => expect(got).toHaveLength(1));
    expect(console.error).toHaveBeenCalledOnce();
  });

  it('counts heartbeats as signs of life without dispatching anything', async () => {
    const got = collect('progress');
    await vi.waitFor(() => expect(live.state).toBe('open'));
    const opened = live.lastSignalAt!;
    await new Promise((r) => setTimeout(r, 5));
    server.stream.heartbeat();
    await vi.waitFor(() => expect(live.lastSignalAt).toBeGreaterThan(opened));
    expect(got).toHaveLength(0);
    expect(live.lastMessageAt).toBeNull();
  });

  it('reconnects after the server ends the stream, resuming after the last id, then asks for a resync', async () => {
    const got = collect('progress');
    let resyncs = 0;
    server.stops.push(live.onResync(() => resyncs++));
    await vi.waitFor(() => expect(live.state).toBe('open'));
    server.stream.send(progress(7));
    await vi.waitFor(() => expect(got).toHaveLength(1));
    expect(resyncs).toBe(0); // the first open is not a resync

    server.stream.end();
    await vi.waitFor(() => expect(server.streams).toHaveLength(2));
    expect(server.stream.lastEventId).toBe(7);
    await vi.waitFor(() => expect(live.state).toBe('open'));
    expect(live.reconnects).toBe(1);
    // Snapshots are re-fetched a moment after the replay had its chance to arrive.
    await vi.waitFor(() => expect(resyncs).toBe(1));

    server.stream.send(progress(8));
    await vi.waitFor(() => expect(got.map((m) => m.id)).toEqual([7, 8]));
  });

  it('backs off with a growing attempt count while the server refuses, and starts over once it answers', async () => {
    collect('progress');
    server.streamStatuses.push(503, 503, 503);
    await vi.waitFor(() => expect(live.state).toBe('open'));
    expect(server.streams).toHaveLength(4);
    expect(delays).toEqual([0, 1, 2]);

    server.stream.end();
    await vi.waitFor(() => expect(server.streams).toHaveLength(5));
    expect(delays).toEqual([0, 1, 2, 0]);
  });

  it('closes the stream with the last listener and does not come back', async () => {
    const stop = live.listen('progress', () => {});
    await vi.waitFor(() => expect(live.state).toBe('open'));
    const stream = server.stream;
    stop();
    await vi.waitFor(() => expect(stream.aborted).toBe(true));
    expect(live.state).toBe('idle');
    await new Promise((r) => setTimeout(r, 30));
    expect(server.streams).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it('reopens with the new set of topics when a listener for another topic joins, resuming where it was', async () => {
    collect('progress');
    await vi.waitFor(() => expect(live.state).toBe('open'));
    server.stream.send(progress(3));
    await vi.waitFor(() => expect(live.lastEventId).toBe(3));
    const first = server.stream;

    collect('eta');
    await vi.waitFor(() => expect(server.streams).toHaveLength(2));
    expect(first.aborted).toBe(true);
    expect(server.stream.topics).toEqual(['progress', 'eta']);
    expect(server.stream.lastEventId).toBe(3);
    expect(delays).toEqual([]); // a deliberate reopen is not a failure
  });

  it("on the server's reset frame (a gap too large to replay) asks for a resync and continues after the server's position", async () => {
    const got = collect('progress');
    let resyncs = 0;
    server.stops.push(live.onResync(() => resyncs++));
    await vi.waitFor(() => expect(live.state).toBe('open'));
    server.stream.send(progress(1));
    server.stream.write(`event: reset\ndata: ${JSON.stringify({ reason: 'gap too large', resumeFrom: 90 })}\n\n`);
    await vi.waitFor(() => expect(resyncs).toBe(1));
    expect(live.lastEventId).toBe(90);
    server.stream.send(progress(91));
    await vi.waitFor(() => expect(got.map((m) => m.id)).toEqual([1, 91]));
    expect(live.rejected).toBe(0);
    expect(live.lastEventId).toBe(91);
  });
});
