import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StreamMessage } from '../../server/contract/stream.ts';
import { createOrder, seedSmallFactory } from '../support/factory.ts';
import { expectError } from '../support/errors.ts';
import { StreamReader } from '../support/sse.ts';
import { errorOf } from '../support/http.ts';
import { useTestSystem } from '../support/system.ts';

let displayToken: string;
const open: StreamReader[] = [];

const t = useTestSystem({
  heartbeatMs: 200,
  seed: async (api) => {
    await seedSmallFactory(api);
    await createOrder(api, 'S-1', { quantity: 100 });
    displayToken = (await api('POST', '/api/v1/auth/tokens', { name: 'tv', role: 'display' })).body.token;
  },
});

function connect(query = '', headers: Record<string, string> = {}) {
  const reader = new StreamReader(`${t.url}/api/v1/stream${query}`, { authorization: `Bearer ${t.adminToken}`, ...headers });
  open.push(reader);
  return reader;
}

/** Waits until the server has sent the `connected` comment: the subscription is live from then on. */
async function connected(reader: StreamReader) {
  await until(() => reader.frames.some((f) => f.comment?.startsWith('connected at')), 'connected comment');
}

async function until(check: () => boolean, what: string, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.close()));
});

describe('GET /stream', () => {
  it('answers text/event-stream with no-cache headers and a retry hint', async () => {
    const reader = connect();
    await connected(reader);
    expect(reader.status).toBe(200);
    const controller = new AbortController();
    const response = await fetch(`${t.url}/api/v1/stream`, { headers: { authorization: `Bearer ${t.adminToken}` }, signal: controller.signal });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('cache-control')).toContain('no-cache');
    const first = await response.body!.getReader().read();
    controller.abort();
    expect(new TextDecoder().decode(first.value)).toMatch(/^retry: \d+\n: connected at \d+\n\n/);
  });

  it('messages carry id, topic, plant, cause, emittedAt and data, and match the SSE id and event', async () => {
    const reader = connect('?topics=progress,order');
    await connected(reader);
    const before = Date.now();
    const id = randomUUID();
    expect((await t.api('POST', '/api/v1/events', { id, type: 'operation.progress', order: 'S-1', seq: 1, quantityGood: 5 })).status).toBe(201);
    const message = await reader.waitFor((m) => m.cause === id);
    expect(StreamMessage.safeParse(message).success).toBe(true);
    expect(message).toMatchObject({ topic: 'progress', plant: 'TEST', cause: id, data: { order: 'S-1', seq: 1, quantityGood: 5, quantity: 100, status: 'running' } });
    expect(Number.isInteger(message.id)).toBe(true);
    expect(Date.parse(message.emittedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(message.emittedAt)).toBeLessThanOrEqual(Date.now() + 1000);
    const frame = reader.frames.find((f) => f.data?.includes(id));
    expect(frame).toMatchObject({ id: String(message.id), event: 'progress' });

    await createOrder(t.api, 'S-2');
    const created = await reader.waitFor((m) => m.topic === 'order' && m.data.order === 'S-2');
    expect(created.cause).toBe('S-2');
    expect(created.id).toBeGreaterThan(message.id);
  });

  it('?topics=andon gets andon messages and no progress', async () => {
    const andonOnly = connect('?topics=andon');
    const progressOnly = connect('?topics=progress');
    await connected(andonOnly);
    await connected(progressOnly);
    const eventId = randomUUID();
    expect((await t.api('POST', '/api/v1/events', { id: eventId, type: 'operation.progress', order: 'S-1', seq: 1, quantityGood: 1 })).status).toBe(201);
    const andonId = randomUUID();
    expect((await t.api('POST', '/api/v1/andon', { id: andonId, workCenter: 'WELD', reason: 'other' })).status).toBe(201);
    // The andon was published after the progress: once it arrives, the progress would have too.
    const andon = await andonOnly.waitFor((m) => m.cause === andonId);
    expect(andon.data).toMatchObject({ type: 'andon.raised', andon: { id: andonId, state: 'raised' } });
    await progressOnly.waitFor((m) => m.cause === eventId);
    expect(andonOnly.messages.map((m) => m.topic)).toEqual(andonOnly.messages.map(() => 'andon'));
    expect(andonOnly.messages.some((m) => m.cause === eventId)).toBe(false);
    await new Promise((r) => setTimeout(r, 100));
    expect(progressOnly.messages.every((m) => m.topic === 'progress')).toBe(true);
    expect(progressOnly.messages.some((m) => m.cause === andonId)).toBe(false);
  });

  it('400 naming topics for an unknown topic', async () => {
    const r = await t.api('GET', '/api/v1/stream?topics=progress,weather');
    expectError(r, 400, 'validation_failed', 'topics');
    expect(errorOf(r).message).toContain("'weather'");
  });

  it('400 for a Last-Event-ID that is not a message id', async () => {
    expectError(await t.api('GET', '/api/v1/stream', undefined, { headers: { 'last-event-id': 'abc' } }), 400, 'validation_failed', 'Last-Event-ID');
  });

  it('a notification whose predecessors this server never heard makes it read them from the table: nothing is skipped', async () => {
    const reader = connect('?topics=progress,order');
    await connected(reader);
    // Committed without a notification, as while the hub's LISTEN connection was away.
    const data = { type: 'order.created', order: 'MISSED', product: 'P1', quantity: 1, dueAt: new Date().toISOString() };
    const [missed] = await t.sql<{ id: string }[]>`
      insert into stream_message (plant_id, topic, cause_id, data) values (${t.plantId}, 'order', 'missed-notification', ${t.sql.json(data)}) returning id`;
    const id = randomUUID();
    expect((await t.api('POST', '/api/v1/events', { id, type: 'operation.progress', order: 'S-1', seq: 1, quantityGood: 1 })).status).toBe(201);
    const progress = await reader.waitFor((m) => m.cause === id);
    const ids = reader.messages.map((m) => m.id);
    expect(ids).toContain(Number(missed!.id));
    expect(ids.indexOf(Number(missed!.id))).toBeLessThan(ids.indexOf(progress.id));
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
  });

  it('a heartbeat comment arrives while nothing happens', async () => {
    const reader = connect('?topics=notification');
    await until(() => reader.frames.some((f) => f.comment === 'heartbeat'), 'heartbeat', 3000);
    await until(() => reader.frames.filter((f) => f.comment === 'heartbeat').length >= 2, 'second heartbeat', 3000);
    expect(reader.messages).toEqual([]);
  });

  it('401 without a token; a display token works through ?access_token=', async () => {
    const denied = await fetch(`${t.url}/api/v1/stream`);
    expect(denied.status).toBe(401);
    expect(await denied.json()).toMatchObject({ error: { code: 'unauthorized' } });
    const reader = new StreamReader(`${t.url}/api/v1/stream?topics=progress&access_token=${displayToken}`, {});
    open.push(reader);
    await connected(reader);
    const id = randomUUID();
    await t.api('POST', '/api/v1/events', { id, type: 'operation.progress', order: 'S-1', seq: 1, quantityGood: 1 });
    expect((await reader.waitFor((m) => m.cause === id)).topic).toBe('progress');
  });

  it('closes cleanly when the client aborts: subscribers go back down and a new connection works', async () => {
    const errors = vi.spyOn(console, 'error');
    try {
      await until(() => t.system.streamSubscribers() === 0, 'no subscribers left from earlier tests');
      const readers = [connect(), connect('?topics=progress'), connect('?topics=andon,eta')];
      await Promise.all(readers.map(connected));
      expect(t.system.streamSubscribers()).toBe(3);

      // Abort while waiting for messages, and one right after a message went out.
      await readers[0]!.close();
      await readers[1]!.close();
      await t.api('POST', '/api/v1/events', { id: randomUUID(), type: 'operation.progress', order: 'S-1', seq: 1, quantityGood: 1 });
      await readers[2]!.close();
      await until(() => t.system.streamSubscribers() === 0, 'subscribers to drop to 0');

      const again = connect('?topics=progress');
      await connected(again);
      expect(t.system.streamSubscribers()).toBe(1);
      const id = randomUUID();
      await t.api('POST', '/api/v1/events', { id, type: 'operation.progress', order: 'S-1', seq: 1, quantityGood: 1 });
      await again.waitFor((m) => m.cause === id);
      await again.close();
      await until(() => t.system.streamSubscribers() === 0, 'the last subscriber to go');
      expect(errors).not.toHaveBeenCalled();
    } finally {
      errors.mockRestore();
    }
  });
});
