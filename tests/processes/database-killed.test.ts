import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { followStream } from '../support/follow-stream.ts';
import { plannedOrders, spawnSystem, type SpawnedSystem } from '../support/spawn-system.ts';

// The embedded database is killed (kill -9, as the OOM killer or a crash would) while stations post
// floor events and a screen follows the stream. The process must survive, restart the database,
// serve again within 30 s, keep every event it acknowledged, and stream again. Each station retries
// a press with the same id until it is acknowledged, as the station's outbox does.
let system: SpawnedSystem;
beforeAll(async () => {
  system = await spawnSystem({}, ['--no-simulate']);
});
afterAll(async () => {
  await system?.stop();
  // TAKT_DEBUG_FAULTS=1 shows what the server said through the fault (its restart lines, say).
  if (process.env.TAKT_DEBUG_FAULTS) console.log(system?.output());
});

const STATIONS = 4;
const PRESSES = 30;
const headers = () => ({ authorization: `Bearer ${system.adminToken}`, 'content-type': 'application/json' });

async function postUntilAcknowledged(body: Record<string, unknown>, statuses: number[]): Promise<void> {
  const deadline = Date.now() + 45_000;
  for (;;) {
    if (Date.now() > deadline) throw new Error(`not acknowledged within 45 s (last: ${statuses.slice(-5).join(', ')}):\n${system.output().slice(-3000)}`);
    const status = await fetch(`${system.url}/api/v1/events`, { method: 'POST', headers: headers(), body: JSON.stringify(body), signal: AbortSignal.timeout(5000) }).then(
      (r) => r.status,
      () => 0, // refused, reset or timed out: as a tablet on bad Wi-Fi sees it
    );
    statuses.push(status);
    if (status >= 200 && status < 300) return;
    if (status >= 400 && status < 500) throw new Error(`event refused with ${status}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const healthy = () => fetch(`${system.url}/api/v1/health`, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false);

/** Progress messages' causes seen on one stream (reconnecting as a screen does). */
function followProgress(seen: Set<string>, stop: AbortSignal): void {
  followStream(`${system.url}/api/v1/stream?topics=progress`, headers(), (m) => m.cause && seen.add(m.cause), stop);
}

it('kill -9 of the embedded database under load: no crash, back within 30 s, nothing acknowledged lost', async () => {
  const orders = await plannedOrders(system);
  const targets = orders.filter((o) => o.currentSeq !== null && o.quantity >= PRESSES).slice(0, STATIONS);
  expect(targets).toHaveLength(STATIONS);
  const detail = async (code: string, seq: number) => {
    const r = await fetch(`${system.url}/api/v1/orders/${code}`, { headers: headers() });
    return ((await r.json()) as { operations: { seq: number; quantityGood: number; status: string }[] }).operations.find((o) => o.seq === seq)!;
  };
  const statuses: number[] = [];
  const before = new Map<string, number>();
  for (const t of targets) {
    const op = await detail(t.code, t.currentSeq!);
    if (op.status !== 'running') await postUntilAcknowledged({ id: randomUUID(), type: 'operation.started', order: t.code, seq: t.currentSeq, machine: 1 }, statuses);
    before.set(t.code, op.quantityGood);
  }

  const streamed = new Set<string>();
  const stopStream = new AbortController();
  followProgress(streamed, stopStream.signal);
  const pid = Number((await readFile(join(system.dataDir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[0]);
  let killedAt = 0;
  const acknowledgedAfterRestart: string[] = [];
  await Promise.all(
    targets.map(async (t, station) => {
      for (let i = 0; i < PRESSES; i++) {
        if (station === 0 && i === PRESSES / 3) {
          process.kill(pid, 'SIGKILL');
          killedAt = Date.now();
        }
        const id = randomUUID();
        await postUntilAcknowledged({ id, type: 'operation.progress', order: t.code, seq: t.currentSeq, quantityGood: 1 }, statuses);
        if (killedAt && (await healthy())) acknowledgedAfterRestart.push(id);
        await new Promise((r) => setTimeout(r, 50));
      }
    }),
  );
  while (!(await healthy())) {
    expect(Date.now() - killedAt, 'serving again within 30 s').toBeLessThan(30_000);
    await new Promise((r) => setTimeout(r, 250));
  }
  expect(system.child.exitCode, system.output()).toBeNull();
  expect(statuses.filter((s) => s >= 500 && s !== 503), 'only 503 while the database is down').toEqual([]);
  // (Whether a press meets a 503 or a dropped connection depends on how fast the database is back:
  // both are retried; neither may be a 500.)
  for (const t of targets) expect((await detail(t.code, t.currentSeq!)).quantityGood).toBe(before.get(t.code)! + PRESSES);
  // The stream listener is back: presses acknowledged after the restart reach the screen.
  expect(acknowledgedAfterRestart.length).toBeGreaterThan(0);
  await expect.poll(() => acknowledgedAfterRestart.filter((id) => !streamed.has(id)), { timeout: 15_000, message: system.output().slice(-4000) }).toEqual([]);
  stopStream.abort();
  expect(system.output()).toMatch(/\[database\] PostgreSQL exited unexpectedly/);
  expect(system.output()).toMatch(/\[database\] PostgreSQL restarted after/);
});
