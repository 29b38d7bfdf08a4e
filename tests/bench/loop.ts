// npm run bench:loop — the closed loop: floor events posted at a steady pace, latency of
// (a) event -> progress message at every client and (b) event -> the recomputed schedule/ETA message.
// Two runs on one server (its own process, embedded database): one client with 100 progress reports
// 50 ms apart, then 100 clients with 200 reports at 10/s. BENCH_CLIENTS, BENCH_EVENTS, BENCH_RATE
// run one load of your own instead.
import { randomUUID } from 'node:crypto';
import { summary } from './percentiles.ts';
import { plannedOrders, spawnSystem } from '../support/spawn-system.ts';

interface LoopLoad {
  clients: number;
  events: number;
  rate: number;
}
type Target = { order: string; seq: number; left: number };

interface Sent {
  id: string;
  index: number;
  at: number;
}

const custom = process.env.BENCH_CLIENTS || process.env.BENCH_EVENTS || process.env.BENCH_RATE;
const loads: LoopLoad[] = custom
  ? [{ clients: Number(process.env.BENCH_CLIENTS ?? 100), events: Number(process.env.BENCH_EVENTS ?? 200), rate: Number(process.env.BENCH_RATE ?? 10) }]
  : [
      { clients: 1, events: 100, rate: 20 },
      { clients: 100, events: 200, rate: 10 },
    ];

async function runLoop(load: LoopLoad, targets: Target[]): Promise<void> {
  const sentById = new Map<string, Sent>();
  const sent: Sent[] = [];
  const progressLatency: number[] = [];
  const etaLatency: number[] = [];
  let etaCursor = 0; // every event before this index already has its recomputed-ETA latency
  let received = 0;

  const controllers: AbortController[] = [];
  const clients = Array.from({ length: load.clients }, (_, clientIndex) => {
    const controller = new AbortController();
    controllers.push(controller);
    return (async () => {
      const response = await fetch(`${system.url}/api/v1/stream?topics=progress,schedule,eta`, { headers, signal: controller.signal });
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for await (const chunk of response.body!) {
          const now = performance.now();
          buffer += decoder.decode(chunk, { stream: true });
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const dataLine = block.split('\n').find((l) => l.startsWith('data: '));
            if (!dataLine) continue;
            const message = JSON.parse(dataLine.slice(6)) as { topic: string; cause: string | null };
            const cause = message.cause ? sentById.get(message.cause) : undefined;
            if (message.topic === 'progress' && cause) {
              progressLatency.push(now - cause.at);
              received++;
            } else if ((message.topic === 'schedule' || message.topic === 'eta') && cause && clientIndex === 0) {
              // Reschedules coalesce: one run answers every event sent up to its cause.
              for (; etaCursor <= cause.index; etaCursor++) etaLatency.push(now - sent[etaCursor]!.at);
            }
          }
        }
      } catch (error) {
        if ((error as Error).name !== 'AbortError') throw error;
      }
    })();
  });
  await new Promise((r) => setTimeout(r, 1000));

  const started = performance.now();
  const rejected: string[] = [];
  const postLatency: number[] = [];
  for (let i = 0; i < load.events; i++) {
    const due = started + (i * 1000) / load.rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const target = targets[i % targets.length]!;
    if (target.left <= 0) continue;
    target.left--;
    const event: Sent = { id: randomUUID(), index: sent.length, at: performance.now() };
    sent.push(event);
    sentById.set(event.id, event);
    void fetch(`${system.url}/api/v1/events`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ id: event.id, type: 'operation.progress', order: target.order, seq: target.seq, quantityGood: 1 }),
    }).then(async (r) => {
      postLatency.push(performance.now() - event.at);
      if (r.status !== 201) rejected.push(`${r.status} ${await r.text()}`);
    });
  }
  const deadline = performance.now() + 15_000;
  while ((received < sent.length * load.clients || etaCursor < sent.length) && performance.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
  }
  for (const c of controllers) c.abort();
  await Promise.allSettled(clients);

  const a = summary(progressLatency);
  const b = summary(etaLatency);
  console.log(`bench:loop  ${load.clients} stream client${load.clients === 1 ? '' : 's'}, ${sent.length} progress events at ${load.rate}/s on the demo factory`);
  console.log(`(a) event -> progress message at every client  n=${a.n}  p50 ${a.p50} ms  p95 ${a.p95} ms  p99 ${a.p99} ms  max ${a.max} ms   (target p99 < 50 ms)`);
  console.log(`(b) event -> recomputed ETA message            n=${b.n}  p50 ${b.p50} ms  p95 ${b.p95} ms  p99 ${b.p99} ms  max ${b.max} ms   (target p95 < 1000 ms)`);
  const c = summary(postLatency);
  console.log(`    POST /events answered                        n=${c.n}  p50 ${c.p50} ms  p95 ${c.p95} ms  p99 ${c.p99} ms  max ${c.max} ms`);
  console.log(`messages expected ${sent.length * load.clients}, received ${received}; rejected events ${rejected.length}${rejected.length ? ': ' + rejected[0] : ''}`);
}

const system = await spawnSystem({ TAKT_LOG_RESCHEDULE: '' });
const headers = { authorization: `Bearer ${system.adminToken}` };
try {
  // Wait for the first plan, then pick operations to report on: the first open step of each order.
  const orders = await plannedOrders(system);
  const targets = orders.filter((o) => o.currentSeq !== null).map((o) => ({ order: o.code, seq: o.currentSeq!, left: o.quantity - 1 }));
  for (const load of loads) {
    await runLoop(load, targets);
    await new Promise((r) => setTimeout(r, 2000)); // the last run's re-plans settle
  }
} finally {
  await system.stop();
}
