import { Hono } from 'hono';
import { stream } from 'hono/streaming';
import { streamTopics, type StreamMessage, type StreamReset, type StreamTopic } from '../contract/stream.ts';
import { ALL_ROLES, allow } from '../auth/middleware.ts';
import { ApiError } from '../contract/errors.ts';
import { HEARTBEAT_FRAME, sseFrame } from './sse-frame.ts';
import type { StreamHub } from './hub.ts';

const MAX_QUEUE = 20_000;
const REPLAY_PAGE = 2_000;
/** Beyond this many missed messages a client reloads its snapshot rather than replaying them. */
const MAX_REPLAY = 20_000;

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

/**
 * GET /api/v1/stream: Server-Sent Events. Subscribes to the hub first and captures its position,
 * then replays (Last-Event-ID, position] from the database, then goes live: no gap, no duplicate.
 */
export function streamRoutes(options: { hub: StreamHub; heartbeatMs?: number }) {
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  return new Hono().get('/', allow(...ALL_ROLES), (c) => {
    const topics = parseTopics(c.req.query('topics'));
    const lastEventId = parseLastEventId(c.req.header('last-event-id') ?? c.req.query('lastEventId'));
    const filter = { plantId: c.get('plant').id, topics };
    c.header('content-type', 'text/event-stream; charset=utf-8');
    c.header('cache-control', 'no-cache, no-transform');
    c.header('x-accel-buffering', 'no');
    c.header('connection', 'keep-alive');

    return stream(c, async (out) => {
      const queue: StreamMessage[] = [];
      let wake: (() => void) | null = null;
      let overflow = false;
      let closed = false;
      const { from, unsubscribe } = options.hub.subscribe(
        filter,
        (m) => {
          // A client that resumes on a server whose hub is a few ids behind it has those already.
          if (lastEventId !== null && m.id <= lastEventId) return;
          if (queue.length >= MAX_QUEUE) overflow = true;
          else queue.push(m);
          wake?.();
        },
        () => {
          closed = true;
          wake?.();
        },
      );
      out.onAbort(() => wake?.());
      try {
        await out.write(`retry: 2000\n: connected at ${from}\n\n`);
        if (lastEventId !== null && lastEventId < from && lastEventId < (await options.hub.prunedThrough(filter.plantId))) {
          // What it missed is no longer kept: replaying the rest would hide the hole.
          await out.write(`event: reset\ndata: ${JSON.stringify({ reason: 'history pruned', resumeFrom: from } satisfies StreamReset)}\n\n`);
        } else if (lastEventId !== null && lastEventId < from) {
          // Forward in pages so a TV that was off overnight gets everything in order. Past the cap it
          // is told to reload its snapshot instead of being fed a day of history.
          let after = lastEventId;
          let sent = 0;
          for (;;) {
            const page = await options.hub.replay(filter, after, from, REPLAY_PAGE);
            for (const m of page) {
              if (out.aborted) return;
              await out.write(sseFrame(m));
            }
            sent += page.length;
            if (page.length < REPLAY_PAGE) break;
            after = page[page.length - 1]!.id;
            if (sent >= MAX_REPLAY) {
              await out.write(`event: reset\ndata: ${JSON.stringify({ reason: 'gap too large', resumeFrom: from } satisfies StreamReset)}\n\n`);
              break;
            }
          }
        }
        while (!out.aborted && !overflow && !closed) {
          if (queue.length === 0) {
            const woke = await new Promise<boolean>((resolve) => {
              const timer = setTimeout(() => resolve(false), heartbeatMs);
              wake = () => {
                clearTimeout(timer);
                resolve(true);
              };
            });
            wake = null;
            if (!woke && !out.aborted) await out.write(HEARTBEAT_FRAME);
            continue;
          }
          // One write per batch keeps syscalls down when a burst arrives.
          const batch = queue.splice(0, queue.length);
          await out.write(batch.map(sseFrame).join(''));
        }
      } finally {
        // A client too slow to keep up is dropped; it reconnects and resumes from the database.
        unsubscribe();
      }
    });
  });
}

export { parseTopics };
