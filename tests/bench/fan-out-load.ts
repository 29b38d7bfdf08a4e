import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { printCostliestStatements } from './pg-statements.ts';
import { summary } from './percentiles.ts';
import { plannedOrders, spawnSystem } from '../support/spawn-system.ts';

const TOPICS = 'progress,andon,schedule,eta';
// Linux reports CPU time in clock ticks; 100 per second on every common kernel configuration.
const CLOCK_TICKS = 100;

interface ProcessSample {
  at: number;
  cpuSeconds: number;
  rssMiB: number;
}

/** CPU time (user + system) and resident memory of one process, from /proc. */
function sampleProcess(pid: number): ProcessSample {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces; the fields after it are counted from its ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return { at: performance.now(), cpuSeconds: (utime + stime) / CLOCK_TICKS, rssMiB: rssKiB / 1024 };
}

const cpuPercent = (a: ProcessSample, b: ProcessSample) => Math.round(((b.cpuSeconds - a.cpuSeconds) / ((b.at - a.at) / 1000)) * 1000) / 10;
const mib = (x: number) => Math.round(x * 10) / 10;

type ReaderReport =
  | { type: 'progress'; connected: number; exactCount: number; otherCount: number }
  | ReaderResult;
interface ReaderResult {
  type: 'done';
  connected: number;
  exactCount: number;
  otherCount: number;
  received: Map<string, number[]>;
}

const wallNow = () => performance.timeOrigin + performance.now();

type FloorState = 'pending' | 'running' | 'paused';

export interface FanOutLoad {
  /** Board streams held open. */
  clients: number;
  /** Floor events posted per second. */
  rate: number;
  seconds: number;
  /** Memory is judged from the end of this warm-up on (bench:soak); 0 for none. */
  warmupSeconds?: number;
  /** Events sent in these first seconds are timed apart (cold code on both sides); none is exempt from loss. */
  settleSeconds?: number;
  /** Threads holding the streams (the clients' parsing must not be what is measured). */
  readers?: number;
  /** Printed beside the figures. */
  name: string;
  targets: string;
}

/**
 * One run on a fresh server: the streams connect, the floor posts at a steady rate, and the figures
 * are printed. Every message caused by an accepted event must reach every board.
 */
export async function runFanOutLoad(load: FanOutLoad): Promise<void> {
  const { clients: CLIENTS, rate: RATE, seconds: SECONDS } = load;
  const READERS = load.readers ?? Math.max(2, Math.ceil(CLIENTS / 250));
  const system = await spawnSystem({ TAKT_LOG_RESCHEDULE: '' });
  const pid = system.child.pid!;
  const headers = { authorization: `Bearer ${system.adminToken}` };
  const post = (path: string, body: unknown) =>
    fetch(`${system.url}/api/v1${path}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });

  try {
    const orders = await plannedOrders(system);
    const workCenters = ((await (await fetch(`${system.url}/api/v1/work-centers`, { headers })).json()) as { code: string }[]).map((w) => w.code);
    // One operation per order; its floor state is tracked here so every event is a legal transition.
    const targets = orders
      .filter((o) => o.currentSeq !== null)
      .map((o) => ({ order: o.code, seq: o.currentSeq!, left: o.quantity - 1, state: 'pending', busy: false }));

    // Messages a board must get are those caused by an accepted event (progress, andon). Schedule and
    // ETA messages coalesce by design, so they are counted but not held to an exact number.
    // The boards live in reader threads; this thread only posts and keeps the send times.
    const sentByCause = new Map<string, number[]>();
    const readers = Array.from({ length: READERS }, (_, i) => {
      const clients = Math.floor(CLIENTS / READERS) + (i < CLIENTS % READERS ? 1 : 0);
      const worker = new Worker(new URL('./board-streams.ts', import.meta.url), {
        workerData: { url: system.url, token: system.adminToken, topics: TOPICS, clients, exactTopics: ['progress', 'andon'] },
      });
      const state = { worker, connected: 0, exactCount: 0, otherCount: 0 };
      worker.on('message', (m: ReaderReport) => {
        if (m.type === 'progress') Object.assign(state, { connected: m.connected, exactCount: m.exactCount, otherCount: m.otherCount });
      });
      worker.on('error', (e) => console.error('[reader]', e));
      return state;
    });
    const totals = () => readers.reduce((sum, r) => ({ connected: sum.connected + r.connected, exact: sum.exact + r.exactCount }), { connected: 0, exact: 0 });
    const connectDeadline = performance.now() + 30_000;
    while (totals().connected < CLIENTS && performance.now() < connectDeadline) await new Promise((r) => setTimeout(r, 100));
    if (totals().connected < CLIENTS) throw new Error(`only ${totals().connected} of ${CLIENTS} streams connected`);
    await new Promise((r) => setTimeout(r, 1000));

    const samples: ProcessSample[] = [sampleProcess(pid)];
    const heap: number[] = [];
    const threadHeaps = new Map<string, number[]>();
    const sampleHeap = () =>
      void fetch(`${system.url}/api/v1/health`, { headers: { authorization: `Bearer ${system.adminToken}` } })
        .then((r) => r.json() as Promise<{ memory?: { heapUsedMiB: number; threads: { name: string; heapUsedMiB: number }[] } }>)
        .then(
          (h) => {
            if (!h.memory) return;
            heap.push(h.memory.heapUsedMiB);
            for (const t of h.memory.threads) threadHeaps.set(t.name, [...(threadHeaps.get(t.name) ?? []), t.heapUsedMiB]);
          },
          () => {},
        );
    sampleHeap();
    const sampler = setInterval(() => {
      samples.push(sampleProcess(pid));
      sampleHeap();
    }, 5000);

    const accepted = { progress: 0, andon: 0 };
    const rejected: string[] = [];
    const postLatency: number[] = [];
    const warmupPostLatency: number[] = [];
    const inFlight = new Set<Promise<void>>();
    const openAndon: string[] = [];
    const total = SECONDS * RATE;
    const started = performance.now();
    // The first seconds of load find code not yet compiled on both sides: they are timed apart.
    const measuredFrom = wallNow() + (load.settleSeconds ?? 0) * 1000;

    const send = (path: string, body: object, causeId: string, kind: 'progress' | 'andon', onAccepted?: () => void, onDone?: () => void) => {
      const at = wallNow();
      // An andon's raise and resolve share its id as cause: keep every send time.
      const times = sentByCause.get(causeId) ?? [];
      times.push(at);
      sentByCause.set(causeId, times);
      const p = post(path, body)
        .then(async (r) => {
          (at < measuredFrom ? warmupPostLatency : postLatency).push(wallNow() - at);
          if (r.status === 201 || r.status === 200) {
            accepted[kind]++;
            onAccepted?.();
          } else {
            rejected.push(`${r.status} ${await r.text()}`);
          }
        })
        .catch((e: unknown) => {
          rejected.push(String(e));
        })
        .finally(() => {
          onDone?.();
          inFlight.delete(p);
        });
      inFlight.add(p);
    };

    let cursor = 0;
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));

      // Twice a second an andon: raised on a work center, resolved a few seconds later.
      if (i % RATE === Math.floor(RATE / 4) || (i % RATE === Math.floor((3 * RATE) / 4) && openAndon.length > 2)) {
        if (openAndon.length > 2) {
          const id = openAndon.shift()!;
          send(`/andon/${id}/resolve`, {}, id, 'andon');
        } else {
          const id = randomUUID();
          send('/andon', { id, workCenter: workCenters[i % workCenters.length]!, reason: 'other', note: 'bench' }, id, 'andon', () => openAndon.push(id));
        }
        continue;
      }

      // A floor event on the next operation not waiting for an answer: start, progress or pause.
      let target = targets[cursor++ % targets.length]!;
      for (let tries = 0; target.busy && tries < targets.length; tries++) target = targets[cursor++ % targets.length]!;
      if (target.busy) continue;
      let type: string;
      let next: FloorState;
      if (target.state !== 'running') [type, next] = ['operation.started', 'running'];
      else if (target.left > 0 && (i % 5 !== 0)) [type, next] = ['operation.progress', 'running'];
      else [type, next] = ['operation.paused', 'paused'];
      const id = randomUUID();
      const body = { id, type, order: target.order, seq: target.seq, ...(type === 'operation.progress' ? { quantityGood: 1 } : {}) };
      target.busy = true;
      const chosen = target;
      send('/events', body, id, 'progress', () => {
        chosen.state = next;
        if (type === 'operation.progress') chosen.left--;
      }, () => (chosen.busy = false));
    }
    while (inFlight.size) await Promise.all([...inFlight]);
    const sendSeconds = (performance.now() - started) / 1000;
    const expected = (accepted.progress + accepted.andon) * CLIENTS;
    const drainDeadline = performance.now() + 15_000;
    while (totals().exact < expected && performance.now() < drainDeadline) await new Promise((r) => setTimeout(r, 100));
    clearInterval(sampler);
    samples.push(sampleProcess(pid));

    const results = await Promise.all(
      readers.map(
        (r) =>
          new Promise<ReaderResult>((resolve) => {
            r.worker.on('message', (m: ReaderReport) => {
              if (m.type === 'done') resolve(m);
            });
            r.worker.postMessage({ type: 'stop' });
          }),
      ),
    );
    // Latency of a receipt: from the latest send of its cause before it (raise, then resolve).
    const latency: number[] = [];
    const warmupLatency: number[] = [];
    let exactReceived = 0;
    let otherReceived = 0;
    for (const result of results) {
      exactReceived += result.exactCount;
      otherReceived += result.otherCount;
      for (const [cause, times] of result.received) {
        const sends = sentByCause.get(cause);
        if (!sends) continue;
        for (const t of times) {
          const sentAt = sends.filter((s) => s <= t).at(-1) ?? sends[0]!;
          (sentAt < measuredFrom ? warmupLatency : latency).push(t - sentAt);
        }
      }
    }

    const l = summary(latency);
    const p = summary(postLatency);
    const first = samples[0]!;
    const last = samples[samples.length - 1]!;
    const early = samples.slice(0, 3);
    const late = samples.slice(-3);
    const rss = samples.map((s) => s.rssMiB);
    console.log(`${load.name}  ${CLIENTS} board streams (topics ${TOPICS}), ${accepted.progress + accepted.andon} events in ${sendSeconds.toFixed(1)} s (${accepted.progress} floor, ${accepted.andon} andon), demo factory; targets: ${load.targets}`);
    console.log(`event -> message at every board  n=${l.n}  p50 ${l.p50} ms  p95 ${l.p95} ms  p99 ${l.p99} ms  max ${l.max} ms`);
    if (load.settleSeconds) {
      const wl = summary(warmupLatency);
      const wp = summary(warmupPostLatency);
      console.log(`first ${load.settleSeconds} s of load (not in the figures above)  event -> board p99 ${wl.p99} ms, max ${wl.max} ms; POST p99 ${wp.p99} ms, max ${wp.max} ms`);
    }
    console.log(`messages lost                    ${expected - exactReceived} (expected ${expected}, received ${exactReceived}); schedule/eta messages received ${otherReceived}`);
    console.log(`POST answered                    n=${p.n}  p50 ${p.p50} ms  p95 ${p.p95} ms  p99 ${p.p99} ms  max ${p.max} ms; rejected ${rejected.length}${rejected.length ? ': ' + rejected[0] : ''}`);
    console.log(`server (node, pid ${pid})        CPU ${cpuPercent(early[0]!, early[early.length - 1]!)} % in the first 10 s, ${cpuPercent(late[0]!, late[late.length - 1]!)} % in the last 10 s, ${cpuPercent(first, last)} % overall (100 % = one core)`);
    // Long runs print one sample a minute.
    const every = SECONDS > 300 ? 12 : 1;
    const thin = (xs: number[]) => xs.filter((_, i) => i % every === 0 || i === xs.length - 1).map((x) => Math.round(x)).join(' ');
    console.log(`                                 RSS ${mib(first.rssMiB)} MiB at start, ${mib(last.rssMiB)} MiB at end, max ${mib(Math.max(...rss))} MiB (every ${every * 5} s: ${thin(rss)})`);
    console.log(`                                 V8 heap used (MiB, every ${every * 5} s): ${thin(heap)}`);
    for (const [name, xs] of threadHeaps) console.log(`                                 ${name} thread heap (MiB, every ${every * 5} s): ${thin(xs)}`);
    const warmup = load.warmupSeconds ?? 0;
    if (warmup > 0) {
      // Judged on the samples after the warm-up: the first one against the largest and the last.
      const after = samples.filter((x) => x.at - samples[0]!.at >= warmup * 1000);
      const base = after[0]!.rssMiB;
      const peak = Math.max(...after.map((x) => x.rssMiB));
      const growth = (x: number) => `${x >= base ? '+' : ''}${Math.round(((x - base) / base) * 1000) / 10} %`;
      console.log(`memory after the ${warmup} s warm-up  RSS ${mib(base)} MiB -> ${mib(last.rssMiB)} MiB at end (${growth(last.rssMiB)}), peak ${mib(peak)} MiB (${growth(peak)}); target within 10 %`);
    }
    console.log('(the embedded PostgreSQL runs in processes of its own and is not included)');
    await printCostliestStatements(system.dataDir);
  } finally {
    await system.stop();
  }
}
