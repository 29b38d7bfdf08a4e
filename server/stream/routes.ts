import type { ServerResponse } from 'node:http';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { Hono } from 'hono';
import { streamTopics, type StreamReset, type StreamTopic } from '../contract/stream.ts';
import { ALL_ROLES, allow } from '../auth/middleware.ts';
import { ApiError } from '../contract/errors.ts';
import { HEARTBEAT_FRAME, sseFrame } from './sse-frame.ts';
import { SseConnection } from './sse-connection.ts';
import type { FrameBatch, StreamFilter, StreamHub } from './hub.ts';

const REPLAY_PAGE = 2_000;
/** Beyond this many missed messages a client reloads its snapshot rather than replaying them. */
const MAX_REPLAY = 20_000;
/** Live messages held for one client while its replay is read; past it, it is dropped and resumes. */
const MAX_HELD = 20_000;

function parseTopics(value: string | undefined): Set<StreamTopic> | null {
  if (!value) return null;
  const topics = new Set<StreamTopic>();
  for (const t of value.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (!(streamTopics as readonly string[]).includes(t)) {
      throw new ApiError(400, 'validation_failed', `topics: unknown topic '${t}' (known: ${streamTopics.join(', ')})`, 'topics');
    }
    topics.add(t as StreamTopic);
  }
  return topics;
}

function parseLastEventId(value: string | undefined): number | null {
  if (value === undefined || value === '') return null;
  if (!/^\d{1,15}$/.test(value)) throw new ApiError(400, 'validation_failed', 'Last-Event-ID must be a message id', 'Last-Event-ID');
  return Number(value);
}

const resetFrame = (reset: StreamReset) => `event: reset\ndata: ${JSON.stringify(reset)}\n\n`;

/**
 * What a resuming client missed, (lastEventId, from], read from the database in pages so a TV that
 * was off overnight gets everything in order; past the cap it is told to reload its snapshot.
 */
async function replayMissed(hub: StreamHub, connection: SseConnection, filter: StreamFilter, lastEventId: number, from: number): Promise<void> {
  if (lastEventId < (await hub.prunedThrough(filter.plantId))) {
    // What it missed is no longer kept: replaying the rest would hide the hole.
    connection.write(resetFrame({ reason: 'history pruned', resumeFrom: from }));
    return;
  }
  let after = lastEventId;
  let sent = 0;
  for (;;) {
    const page = await hub.replay(filter, after, from, REPLAY_PAGE);
    if (connection.closed) return;
    if (page.length) await connection.writeAndDrain(page.map(sseFrame).join(''));
    sent += page.length;
    if (page.length < REPLAY_PAGE) return;
    after = page[page.length - 1]!.id;
    if (sent >= MAX_REPLAY) {
      connection.write(resetFrame({ reason: 'gap too large', resumeFrom: from }));
      return;
    }
  }
}

/**
 * GET /api/v1/stream: Server-Sent Events. Subscribes to the hub first and captures its position,
 * then replays (Last-Event-ID, position] from the database, then goes live: no gap, no duplicate.
 */
export function streamRoutes(options: { hub: StreamHub; heartbeatMs?: number }) {
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const { hub } = options;
  const open = new Set<SseConnection>();
  // One timer for every open stream: each gets a heartbeat when it has been quiet for a beat.
  const beat = setInterval(() => {
    const now = performance.now();
    for (const connection of open) connection.heartbeat(now, heartbeatMs, HEARTBEAT_FRAME);
  }, Math.max(50, heartbeatMs / 3));
  beat.unref();

  return new Hono().get('/', allow(...ALL_ROLES), (c) => {
    const topics = parseTopics(c.req.query('topics'));
    const lastEventId = parseLastEventId(c.req.header('last-event-id') ?? c.req.query('lastEventId'));
    const filter = { plantId: c.get('plant').id, topics };
    const res = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
    if (!res) throw new Error('the event stream is served by the Node HTTP server only');

    const connection = new SseConnection(res);
    // Live batches wait here while the replay is read, then follow it: no gap, no duplicate.
    let held: FrameBatch[] | null = [];
    let heldCount = 0;
    const { from, unsubscribe } = hub.subscribe(
      filter,
      (batch) => {
        if (!held) return connection.write(batch.text);
        held.push(batch);
        heldCount += batch.messages.length;
        // A client whose replay cannot keep up with the floor is dropped; it resumes by id.
        if (heldCount > MAX_HELD) connection.drop();
      },
      () => connection.end(),
      lastEventId ?? 0,
    );
    open.add(connection);
    connection.onClose(() => {
      unsubscribe();
      open.delete(connection);
    });

    void (async () => {
      connection.write(`retry: 2000\n: connected at ${from}\n\n`);
      if (lastEventId !== null && lastEventId < from) await replayMissed(hub, connection, filter, lastEventId, from);
      const waiting = held ?? [];
      held = null;
      if (waiting.length) connection.write(waiting.map((b) => b.text).join(''));
    })().catch((error: unknown) => {
      // The database went away mid-replay: the client reconnects and resumes from where it got to.
      console.error('[stream] replay failed:', error instanceof Error ? error.message : error);
      connection.end();
    });
    return RESPONSE_ALREADY_SENT;
  });
}

export { parseTopics };
