import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../server/db/embedded.ts';
import { CuttableLink } from '../support/cuttable-link.ts';
import { followStream } from '../support/follow-stream.ts';
import { plannedOrders, spawnSystem, type SpawnedSystem } from '../support/spawn-system.ts';

// Takt on an external PostgreSQL (DATABASE_URL) that drops off the network: while it is away every
// request gets 503 database_unavailable (never a 500, never a hang) and the process stays up; when it
// is back, the API, the stream listener and the worker reconnect on their own.
let external: EmbeddedDatabase;
let dataRoot: string;
let link: CuttableLink;
let system: SpawnedSystem;

beforeAll(async () => {
  dataRoot = await mkdtemp(join(tmpdir(), 'takt-external-'));
  // Started here, not by Takt: to Takt it is just a server at a URL.
  external = await startEmbeddedDatabase(dataRoot);
  const admin = postgres(external.url('postgres'), { max: 1, onnotice: () => {} });
  await admin.unsafe('create database takt_external');
  await admin.end();
  link = new CuttableLink({ host: '127.0.0.1', port: external.port });
  await link.open();
  const url = new URL(external.url('takt_external'));
  url.port = String(link.port);
  system = await spawnSystem({ DATABASE_URL: url.toString(), TAKT_REQUEST_TIMEOUT_MS: '5000' }, ['--no-simulate']);
});

afterAll(async () => {
  await system?.stop();
  await link?.cut();
  await external?.stop();
  if (dataRoot) await rm(dataRoot, { recursive: true, force: true });
  if (process.env.TAKT_DEBUG_FAULTS) console.log(system?.output());
});

const headers = () => ({ authorization: `Bearer ${system.adminToken}`, 'content-type': 'application/json' });
const call = (method: string, path: string, body?: unknown) =>
  fetch(`${system.url}/api/v1${path}`, { method, headers: headers(), body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(10_000) });

/** Causes of progress and schedule messages seen on one stream, reconnecting as a screen does. */
function follow(seen: Map<string, Set<string>>, stop: AbortSignal): void {
  followStream(
    `${system.url}/api/v1/stream?topics=progress,schedule`,
    headers(),
    (m) => {
      const named = m.topic === 'schedule' ? m.data.causes : [];
      for (const c of [m.cause, ...named]) if (c) seen.set(c, (seen.get(c) ?? new Set()).add(m.topic));
    },
    stop,
  );
}

it('an external database dropping off the network: 503 while away, no crash, everything reconnects when it is back', async () => {
  const orders = await plannedOrders(system);
  const target = orders.find((o) => o.currentSeq !== null && o.quantity >= 5)!;
  expect((await call('POST', '/events', { id: randomUUID(), type: 'operation.started', order: target.code, seq: target.currentSeq, machine: 1 })).status).toBe(201);
  const seen = new Map<string, Set<string>>();
  const stopStream = new AbortController();
  follow(seen, stopStream.signal);
  await new Promise((r) => setTimeout(r, 500));

  await link.cut();
  const statuses: number[] = [];
  const codes = new Set<string>();
  const cutAt = Date.now();
  while (Date.now() - cutAt < 8000) {
    for (const [method, path, body] of [
      ['GET', '/orders', undefined],
      ['POST', '/events', { id: randomUUID(), type: 'operation.progress', order: target.code, seq: target.currentSeq, quantityGood: 1 }],
    ] as const) {
      const r = await call(method, path, body);
      statuses.push(r.status);
      if (r.status >= 400) codes.add(((await r.json()) as { error: { code: string } }).error.code);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  expect(system.child.exitCode, system.output()).toBeNull();
  // The first requests may still find a pooled connection alive for a moment; all the others are 503.
  expect(statuses.filter((s) => s >= 500 && s !== 503), system.output().slice(-3000)).toEqual([]);
  expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(statuses.length / 2);
  expect([...codes]).toEqual(['database_unavailable']);
  expect((await fetch(`${system.url}/api/v1/health`)).status).toBe(503);

  await link.restore();
  const restoredAt = Date.now();
  const id = randomUUID();
  for (;;) {
    const r = await call('POST', '/events', { id, type: 'operation.progress', order: target.code, seq: target.currentSeq, quantityGood: 1 }).catch(() => null);
    if (r && r.status >= 200 && r.status < 300) break;
    expect(r === null || r.status === 503, `status ${r?.status}`).toBe(true);
    expect(Date.now() - restoredAt, 'serving again within 30 s').toBeLessThan(30_000);
    await new Promise((r) => setTimeout(r, 250));
  }
  expect((await call('GET', '/orders')).status).toBe(200);
  // The stream listener heard it, and the worker planned it (a schedule message naming it as a cause).
  await expect.poll(() => [...(seen.get(id) ?? [])].sort(), { timeout: 20_000, message: system.output().slice(-3000) }).toEqual(['progress', 'schedule']);
  stopStream.abort();
  expect(system.child.exitCode).toBeNull();
});
