import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface SpawnedSystem {
  url: string;
  adminToken: string;
  child: ChildProcess;
  /** TAKT_DATA_DIR of the process (the embedded database lives in its `pg` folder). */
  dataDir: string;
  /** Everything the process printed so far. */
  output: () => string;
  stop: () => Promise<void>;
}

async function freePort(): Promise<number> {
  return await new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Runs `node server/main.ts` as its own process on a fresh embedded database with the demo factory,
 * so the benchmark's clients do not share the server's event loop.
 */
export async function spawnSystem(extraEnv: Record<string, string> = {}, args: string[] = ['--no-simulate']): Promise<SpawnedSystem> {
  const dataDir = await mkdtemp(join(tmpdir(), 'takt-bench-'));
  const port = await freePort();
  const adminToken = 'bench-admin-token-0123456789';
  const child = spawn(process.execPath, ['server/main.ts', ...args], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    env: { ...process.env, PORT: String(port), TAKT_DATA_DIR: dataDir, TAKT_ADMIN_TOKEN: adminToken, HOST: '127.0.0.1', ...extraEnv, ...(process.env.TAKT_RESCHEDULE_BUDGET_MS ? { TAKT_RESCHEDULE_BUDGET_MS: process.env.TAKT_RESCHEDULE_BUDGET_MS } : {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // A test that times out or fails before its stop() must not leave a server (and its database)
  // behind: SIGTERM, so the server stops its database too (its shutdown is bounded to 30 s).
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited:\n${output}`);
    const ok = await fetch(`${url}/api/v1/health`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`server did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    adminToken,
    child,
    dataDir,
    output: () => output,
    stop: async () => {
      process.off('exit', killOnExit);
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Waits for the first plan, then reads the orders it planned (the demo factory's). */
export async function plannedOrders(system: SpawnedSystem): Promise<{ code: string; currentSeq: number | null; quantity: number }[]> {
  const headers = { authorization: `Bearer ${system.adminToken}` };
  for (;;) {
    // Version 0 is a stored problem without any feasible plan yet: keep waiting.
    const r = await fetch(`${system.url}/api/v1/schedule?summary=true`, { headers });
    if (r.ok && ((await r.json()) as { version: number }).version > 0) break;
    await new Promise((res) => setTimeout(res, 200));
  }
  return (await (await fetch(`${system.url}/api/v1/orders`, { headers })).json()) as { code: string; currentSeq: number | null; quantity: number }[];
}
