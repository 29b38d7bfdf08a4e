import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { Aedes } from 'aedes';
import mqtt, { type MqttClient } from 'mqtt';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrder, seedSmallFactory } from '../support/factory.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';

const TOPIC = 'takt/+/+/counter';
let broker: Aedes;
let server: Server;
let t: TestSystem;
let sql: postgres.Sql;
let machine: MqttClient;

beforeAll(async () => {
  broker = await Aedes.createBroker();
  server = createServer(broker.handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  // Messages published before the subscription would be lost (clean session): wait for it.
  const subscribed = new Promise<void>((resolve) => broker.on('subscribe', (subs) => subs.some((s) => s.topic === TOPIC) && resolve()));
  t = await startTestSystem({ config: { mqttUrl: `mqtt://127.0.0.1:${port}`, mqttTopic: TOPIC } });
  sql = postgres(t.databaseUrl, { max: 2, onnotice: () => {} });
  await subscribed;
  await seedSmallFactory(t.api);
  machine = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`);
});

afterAll(async () => {
  await machine?.endAsync();
  await sql?.end();
  await t?.stop();
  await new Promise<void>((resolve) => broker.close(() => resolve()));
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const handled = () => Object.values(t.system.machineCounters()!).reduce((a, b) => a + b, 0);

/** Publishes with QoS 1 and waits until the subscriber has recorded every message. */
async function publish(topic: string, ...payloads: string[]) {
  const target = handled() + payloads.length;
  for (const p of payloads) await machine.publishAsync(topic, p, { qos: 1 });
  const deadline = Date.now() + 10_000;
  while (handled() < target) {
    if (Date.now() > deadline) throw new Error(`only ${handled()} of ${target} counter messages handled`);
    await new Promise((r) => setTimeout(r, 20));
  }
  await t.system.machineCountersIdle();
}

async function cut(order: string) {
  const r = await t.api('GET', `/api/v1/orders/${order}`);
  return r.body.operations.find((o: { seq: number }) => o.seq === 1) as { status: string; quantityGood: number; quantityScrap: number };
}

const progressEvents = async (order: string) =>
  (await sql<{ n: number }[]>`select count(*)::int as n from event_log where type = 'operation.progress' and subject = ${`${order}/1`}`)[0]!.n;

describe('machine counters over MQTT', () => {
  it('counts 10, a duplicate 10 and 25 as 25 good in two progress events; a replay changes nothing', async () => {
    await createOrder(t.api, 'MQ-1', { quantity: 40 });
    const started = await t.api('POST', '/api/v1/events', { id: randomUUID(), type: 'operation.started', order: 'MQ-1', seq: 1, machine: 1 });
    expect(started.status).toBe(201);

    await publish('takt/TEST/CUT-1/counter', JSON.stringify({ count: 10 }), JSON.stringify({ count: 10 }), '25');
    expect(await cut('MQ-1')).toMatchObject({ status: 'running', quantityGood: 25, quantityScrap: 0 });
    expect(await progressEvents('MQ-1')).toBe(2);
    expect(t.system.machineCounters()).toMatchObject({ progress: 2, duplicate: 1 });
    const [event] = await sql<{ actor: string; payload: { quantityGood: number; machine: number } }[]>`
      select actor, payload from event_log where type = 'operation.progress' and subject = 'MQ-1/1' order by id desc limit 1`;
    expect(event).toMatchObject({ actor: 'mqtt CUT-1', payload: { quantityGood: 15, machine: 1 } });

    await publish('takt/TEST/CUT-1/counter', JSON.stringify({ count: 10 }), JSON.stringify({ count: 10 }), '25');
    expect(await cut('MQ-1')).toMatchObject({ quantityGood: 25, quantityScrap: 0 });
    expect(await progressEvents('MQ-1')).toBe(2);
    expect(t.system.machineCounters()).toMatchObject({ progress: 2, duplicate: 4 });
  });

  it('takes scrap from its own counter', async () => {
    await publish('takt/TEST/CUT-1/counter', JSON.stringify({ count: 27, scrap: 3 }));
    expect(await cut('MQ-1')).toMatchObject({ quantityGood: 27, quantityScrap: 3 });
    // The same good count without scrap keeps the scrap counter: the same message again.
    await publish('takt/TEST/CUT-1/counter', '27');
    expect(t.system.machineCounters()).toMatchObject({ progress: 3, duplicate: 5 });
    expect(await cut('MQ-1')).toMatchObject({ quantityGood: 27, quantityScrap: 3 });
  });

  it('counts a malformed payload and ignores it', async () => {
    const before = await sql<{ n: number }[]>`select count(*)::int as n from event_log`;
    await publish('takt/TEST/CUT-1/counter', 'twelve', '{"count": -1}', '{"count": 3.5}', '', '{"count": 30, "at": "yesterday"}');
    expect(t.system.machineCounters()!.malformed).toBe(5);
    expect(await sql<{ n: number }[]>`select count(*)::int as n from event_log`).toEqual(before);
    expect(await cut('MQ-1')).toMatchObject({ quantityGood: 27, quantityScrap: 3 });
    // Still subscribed and counting after them.
    await publish('takt/TEST/CUT-1/counter', '29');
    expect(await cut('MQ-1')).toMatchObject({ quantityGood: 29, quantityScrap: 3 });
  });

  it('records a counter of an idle machine as unmatched, and keeps its baseline', async () => {
    await publish('takt/TEST/WELD-2/counter', JSON.stringify({ count: 7 }));
    expect(t.system.machineCounters()!.unmatched).toBe(1);
    const rows = await sql<{ actor: string; subject: string; payload: Record<string, unknown> }[]>`
      select actor, subject, payload from event_log where type = 'machine.counter_unmatched'`;
    expect(rows).toEqual([
      { actor: 'mqtt WELD-2', subject: 'WELD-2', payload: { topic: 'takt/TEST/WELD-2/counter', count: 7, scrap: 0, reason: 'no_running_operation', good: 7, order: null, seq: null } },
    ]);
    // Its duplicate is recognised too.
    await publish('takt/TEST/WELD-2/counter', '7');
    expect(t.system.machineCounters()).toMatchObject({ unmatched: 1, duplicate: 6 });
    const [baseline] = await sql`select last_count::int, epoch from machine_counter where work_center_code = 'WELD' and machine = 2`;
    expect(baseline).toEqual({ last_count: 7, epoch: 0 });
  });

  it('counts nothing for an unknown machine', async () => {
    await publish('takt/TEST/NOPE-1/counter', '5', '6');
    await publish('takt/OTHER/CUT-1/counter', '5');
    expect(t.system.machineCounters()!.unknown_machine).toBe(3);
  });

  it('starts a new baseline when the counter goes backwards, and takes no more than the order quantity', async () => {
    // Machine reset: 29 -> 3 counts nothing, 5 counts 2.
    await publish('takt/TEST/CUT-1/counter', JSON.stringify({ count: 3, scrap: 0 }), JSON.stringify({ count: 5, scrap: 0 }));
    expect(await cut('MQ-1')).toMatchObject({ quantityGood: 31, quantityScrap: 3 });
    expect(t.system.machineCounters()).toMatchObject({ reset: 1 });
    // A genuine 10 after the reset is new, though a 10 was counted before it.
    await publish('takt/TEST/CUT-1/counter', JSON.stringify({ count: 10, scrap: 0 }));
    expect(await cut('MQ-1')).toMatchObject({ quantityGood: 36, quantityScrap: 3 });
    // 40 - 36 - 3 = 1 unit of room: 1 counted, 4 kept as unmatched over the quantity.
    await publish('takt/TEST/CUT-1/counter', JSON.stringify({ count: 15, scrap: 0 }));
    expect(await cut('MQ-1')).toMatchObject({ quantityGood: 37, quantityScrap: 3 });
    const [over] = await sql<{ payload: Record<string, unknown> }[]>`
      select payload from event_log where type = 'machine.counter_unmatched' and subject = 'CUT-1'`;
    expect(over!.payload).toMatchObject({ reason: 'over_quantity', good: 4, scrap: 0, order: 'MQ-1', seq: 1 });
  });

  it('ignores a late message counted before the baseline, without calling it a reset', async () => {
    const resets = t.system.machineCounters()!.reset;
    await publish('takt/TEST/CUT-1/counter', JSON.stringify({ count: 12, scrap: 0, at: new Date(Date.now() - 3_600_000).toISOString() }));
    expect(t.system.machineCounters()).toMatchObject({ stale: 1, reset: resets });
    expect(await cut('MQ-1')).toMatchObject({ quantityGood: 37, quantityScrap: 3 });
  });

  it('reconnects when the broker comes back, and counts on', async () => {
    const port = (server.address() as { port: number }).port;
    await machine.endAsync();
    await new Promise<void>((resolve) => broker.close(() => resolve()));
    await new Promise<void>((resolve) => server.close(() => resolve()));
    broker = await Aedes.createBroker();
    const subscribed = new Promise<void>((resolve) => broker.on('subscribe', (subs) => subs.some((s) => s.topic === TOPIC) && resolve()));
    server = createServer(broker.handle);
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    await subscribed;
    machine = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`);
    await publish('takt/TEST/WELD-2/counter', '9');
    const [baseline] = await sql`select last_count::int from machine_counter where work_center_code = 'WELD' and machine = 2`;
    expect(baseline).toEqual({ last_count: 9 });
    expect(t.system.machineCounters()!.unmatched).toBe(2);
  });

  it('--mqtt starts an embedded broker the server subscribes to', async () => {
    const demo = await startTestSystem({ join: t, role: 'server', config: { mqttEmbeddedPort: 0 } });
    try {
      expect(demo.system.mqttUrl).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+$/);
      const client = await mqtt.connectAsync(demo.system.mqttUrl!);
      try {
        const deadline = Date.now() + 10_000;
        // Until its subscription is in place a clean-session publish reaches no one: send again.
        while (demo.system.machineCounters()!.unmatched === 0) {
          if (Date.now() > deadline) throw new Error('the embedded broker never delivered');
          await client.publishAsync('takt/TEST/WELD-1/counter', '4', { qos: 1 });
          await new Promise((r) => setTimeout(r, 100));
          await demo.system.machineCountersIdle();
        }
      } finally {
        await client.endAsync();
      }
      const [baseline] = await sql`select last_count::int from machine_counter where work_center_code = 'WELD' and machine = 1`;
      expect(baseline).toEqual({ last_count: 4 });
    } finally {
      await demo.stop();
    }
  });
});

describe('machine counters: late, redelivered and future messages', () => {
  const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
  const counter = (count: number, at?: string) => JSON.stringify(at ? { count, scrap: 0, at } : { count, scrap: 0 });

  async function pressOrder(code: string, quantity: number) {
    const r = await t.api('POST', '/api/v1/orders', { code, product: 'P2', quantity, dueAt: new Date(Date.now() + 48 * 3_600_000).toISOString(), priority: 1, customer: 'ACME' });
    expect(r.status).toBe(201);
  }
  async function press(type: 'operation.started' | 'operation.completed', order: string, machineNo: number, at: string) {
    const r = await t.api('POST', '/api/v1/events', { id: randomUUID(), type, order, seq: 1, machine: machineNo, at });
    expect(r.status).toBe(201);
  }

  beforeAll(async () => {
    expect((await t.api('PUT', '/api/v1/work-centers/PRESS', { name: 'Pressing', line: 'L1', machines: 4, calendar: 'ALWAYS' })).status).toBe(200);
    expect((await t.api('PUT', '/api/v1/products/P2', { name: 'Pressed part', routing: [{ seq: 1, workCenter: 'PRESS', setupMinutes: 0, runMinutesPerUnit: 1 }] })).status).toBe(200);
  });

  it('does not count a message from before a reset again when it is redelivered after the reset', async () => {
    await pressOrder('MQ-4', 500);
    await press('operation.started', 'MQ-4', 1, ago(10));
    const before = t.system.machineCounters()!;
    await publish('takt/TEST/PRESS-1/counter', counter(100, ago(9)));
    await publish('takt/TEST/PRESS-1/counter', counter(0, ago(8)));
    await publish('takt/TEST/PRESS-1/counter', counter(100, ago(9)));
    expect(await cut('MQ-4')).toMatchObject({ quantityGood: 100, quantityScrap: 0 });
    const after = t.system.machineCounters()!;
    expect([after.progress - before.progress, after.reset - before.reset, after.stale - before.stale]).toEqual([1, 1, 1]);
    // A message dated at the baseline, going up, is stale as well.
    await publish('takt/TEST/PRESS-1/counter', counter(7, ago(9)));
    expect(await cut('MQ-4')).toMatchObject({ quantityGood: 100 });
    // After the reset the machine counts on from 0.
    await publish('takt/TEST/PRESS-1/counter', counter(30, ago(7)));
    expect(await cut('MQ-4')).toMatchObject({ quantityGood: 130 });
  });

  it('reads a late message a little behind as stale, not as a reset, and a drop to near zero or a boot as a reset', async () => {
    await publish('takt/TEST/PRESS-2/counter', counter(1000));
    await pressOrder('MQ-5', 500);
    await press('operation.started', 'MQ-5', 2, new Date().toISOString());
    const before = t.system.machineCounters()!;
    await publish('takt/TEST/PRESS-2/counter', counter(1010), counter(1030), counter(1020), counter(1040));
    expect(await cut('MQ-5')).toMatchObject({ quantityGood: 40 });
    const after = t.system.machineCounters()!;
    expect([after.stale - before.stale, after.reset - before.reset]).toEqual([1, 0]);
    const [baseline] = await sql`select last_count::int, epoch from machine_counter where work_center_code = 'PRESS' and machine = 2`;
    expect(baseline).toEqual({ last_count: 1040, epoch: 0 });
    // 90 is below 10 % of 1040: the counter restarted; 100 then counts 10.
    await publish('takt/TEST/PRESS-2/counter', counter(90), counter(100));
    expect(await cut('MQ-5')).toMatchObject({ quantityGood: 50 });
    // The machine says it restarted: 60 after 100 is a reset though it is not near zero; 65 counts 5.
    await publish('takt/TEST/PRESS-2/counter', JSON.stringify({ count: 60, scrap: 0, boot: true }), counter(65));
    expect(await cut('MQ-5')).toMatchObject({ quantityGood: 55 });
    expect(t.system.machineCounters()!.reset - before.reset).toBe(2);
  });

  it('refuses a counter dated in the future and keeps counting from the real baseline', async () => {
    await pressOrder('MQ-6', 500);
    await press('operation.started', 'MQ-6', 3, ago(1));
    const rejected = t.system.machineCounters()!.rejected;
    await publish('takt/TEST/PRESS-3/counter', counter(5000, '2099-01-01T00:00:00Z'));
    expect(t.system.machineCounters()!.rejected).toBe(rejected + 1);
    const rows = await sql`select last_count::int from machine_counter where work_center_code = 'PRESS' and machine = 3`;
    expect(rows).toEqual([]);
    await publish('takt/TEST/PRESS-3/counter', counter(12));
    expect(await cut('MQ-6')).toMatchObject({ quantityGood: 12 });
    // A clock a little ahead (within the floor's skew) is taken, but the baseline is dated no later than now.
    await publish('takt/TEST/PRESS-3/counter', counter(15, new Date(Date.now() + 120_000).toISOString()));
    expect(await cut('MQ-6')).toMatchObject({ quantityGood: 15 });
    const [baseline] = await sql<{ last_count: number; ahead: boolean }[]>`
      select last_count::int, counted_at > now() as ahead from machine_counter where work_center_code = 'PRESS' and machine = 3`;
    expect(baseline).toEqual({ last_count: 15, ahead: false });
  });

  it('books a late count on the operation that was running when the machine counted', async () => {
    await pressOrder('MQ-7A', 100);
    await pressOrder('MQ-7B', 100);
    await press('operation.started', 'MQ-7A', 4, ago(10));
    await publish('takt/TEST/PRESS-4/counter', counter(20, ago(9)));
    await press('operation.completed', 'MQ-7A', 4, ago(5));
    await press('operation.started', 'MQ-7B', 4, ago(4));
    // Counted at -6 min, on MQ-7A, delivered after the changeover: not MQ-7B's parts.
    await publish('takt/TEST/PRESS-4/counter', counter(30, ago(6)));
    await publish('takt/TEST/PRESS-4/counter', counter(45, ago(1)));
    expect(await cut('MQ-7A')).toMatchObject({ status: 'completed', quantityGood: 20 });
    expect(await cut('MQ-7B')).toMatchObject({ status: 'running', quantityGood: 15 });
    const rows = await sql<{ payload: Record<string, unknown> }[]>`
      select payload from event_log where type = 'machine.counter_unmatched' and subject = 'PRESS-4'`;
    expect(rows.map((r) => r.payload)).toEqual([{ topic: 'takt/TEST/PRESS-4/counter', count: 30, scrap: 0, reason: 'operation_completed', good: 10, order: 'MQ-7A', seq: 1 }]);
    // Paused since: what it counted before the pause is still MQ-7B's, what it counted after is not.
    const r = await t.api('POST', '/api/v1/events', { id: randomUUID(), type: 'operation.paused', order: 'MQ-7B', seq: 1, at: ago(0.5) });
    expect(r.status).toBe(201);
    await publish('takt/TEST/PRESS-4/counter', counter(50, ago(0.75)), counter(52));
    expect(await cut('MQ-7B')).toMatchObject({ status: 'paused', quantityGood: 20 });
    const [last] = await sql<{ payload: Record<string, unknown> }[]>`
      select payload from event_log where type = 'machine.counter_unmatched' and subject = 'PRESS-4' order by id desc limit 1`;
    expect(last!.payload).toMatchObject({ reason: 'no_running_operation', good: 2, order: 'MQ-7B' });
  });

  it('holds up only the machine waiting on a lock, and keeps at most 20 of its messages waiting', async () => {
    const before = t.system.machineCounters()!;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = sql.begin(async (tx) => {
      await tx`select 1 from machine_counter where work_center_code = 'PRESS' and machine = 3 for update`;
      locked();
      await held;
    });
    await isLocked;
    try {
      // PRESS-3 at 15: 21 waits on the lock, 22..45 queue behind it, of which 22..25 are dropped.
      for (let count = 21; count <= 45; count++) await machine.publishAsync('takt/TEST/PRESS-3/counter', counter(count), { qos: 1 });
      // Not publish(): it waits for every queue, PRESS-3's too.
      await machine.publishAsync('takt/TEST/PRESS-1/counter', counter(35, ago(0)), { qos: 1 });
      const deadline = Date.now() + 3_000;
      while ((await cut('MQ-4')).quantityGood !== 135) {
        if (Date.now() > deadline) throw new Error('PRESS-1 waited behind PRESS-3');
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(await cut('MQ-6')).toMatchObject({ quantityGood: 15 });
      expect(t.system.machineCounters()!.superseded - before.superseded).toBe(4);
    } finally {
      release();
      await holder;
    }
    await t.system.machineCountersIdle();
    expect(await cut('MQ-6')).toMatchObject({ quantityGood: 45 });
    const after = t.system.machineCounters()!;
    expect([after.progress - before.progress, after.superseded - before.superseded]).toEqual([22, 4]);
  });
});
