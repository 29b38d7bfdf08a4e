import { Logger, run, type Task } from 'graphile-worker';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectDatabase, type DatabaseHandle } from '../../server/db/connect.ts';
import { startJobLockSweeper } from '../../server/db/job-lock-sweeper.ts';
import { transact } from '../../server/db/transact.ts';
import { createWorkerPool } from '../../server/db/worker-pool.ts';
import { isDatabaseDown } from '../../server/http/on-error.ts';
import { CuttableLink } from '../support/cuttable-link.ts';
import { useTestSystem } from '../support/system.ts';

// Database faults below the HTTP layer (connections lost mid-work, deadlocks): what the API and the
// worker see of them.
const t = useTestSystem();
let link: CuttableLink;
let linkedUrl: string;

beforeAll(async () => {
  const url = new URL(t.databaseUrl);
  link = new CuttableLink({ host: url.hostname, port: Number(url.port) });
  await link.open();
  url.port = String(link.port);
  linkedUrl = url.toString();
});
afterAll(async () => {
  await link?.cut();
});

it('a transaction whose connection the database drops fails with the lost connection, an error the API answers 503', async () => {
  const database: DatabaseHandle = connectDatabase(t.databaseUrl, { max: 2 });
  try {
    const failure = await database.db
      .transaction()
      .execute(async (trx) => {
        await trx.selectFrom('plant').select('id').execute();
        // The server ending this very session: its ROLLBACK then has no connection to run on.
        await trx.selectNoFrom((eb) => eb.fn('pg_terminate_backend', [eb.fn('pg_backend_pid')]).as('ended')).execute();
      })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(failure).not.toBeInstanceOf(TypeError);
    expect(isDatabaseDown(failure), String(failure)).toBe(true);
    // The pool carries on: the dropped connection goes with the closed ones and the next query gets
    // a live one (before the postgres.js patch it was handed out again, socketless, for ever).
    for (let i = 0; i < 3; i++) expect((await database.db.selectFrom('plant').select('code').execute()).map((p) => p.code)).toEqual(['TEST']);
    const closing = Date.now();
    await database.close();
    expect(Date.now() - closing, 'closing waits for nothing stranded').toBeLessThan(2000);
  } finally {
    await database.close();
  }
});

it("the worker's pool waits out an outage: a connect made while the database is away succeeds once it is back", async () => {
  const { pool } = createWorkerPool(linkedUrl, { max: 2, log: () => {} });
  try {
    await link.cut();
    const connecting = pool.connect();
    const settled = { done: false };
    void connecting.then(
      () => (settled.done = true),
      () => (settled.done = true),
    );
    await new Promise((r) => setTimeout(r, 1500));
    expect(settled.done).toBe(false);
    await link.restore();
    const client = await connecting;
    expect((await client.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
    client.release();
  } finally {
    await pool.end();
  }
});

it('a stopping process gives up waiting: the connect fails instead of holding the shutdown', async () => {
  const { pool, giveUp } = createWorkerPool(linkedUrl, { max: 2, log: () => {} });
  try {
    await link.cut();
    const waiting = pool.connect();
    await new Promise((r) => setTimeout(r, 500));
    const gaveUpAt = Date.now();
    giveUp();
    await expect(waiting).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(Date.now() - gaveUpAt).toBeLessThan(6000);
  } finally {
    await link.restore();
    await pool.end();
  }
});

it("a job lock whose outcome the database lost is released by its own process: its queue runs again, a running job's lock is kept", async () => {
  const pool = new pg.Pool({ connectionString: t.databaseUrl, max: 3 });
  pool.on('error', () => {});
  pool.on('connect', (c) => c.on('error', () => {}));
  const sweeper = startJobLockSweeper(pool, { log: () => {}, everyMs: 3_600_000, staleAfterMs: 1000 });
  let poolId = '';
  sweeper.events.on('pool:create', ({ workerPool }) => (poolId = workerPool.id));
  const ran: string[] = [];
  let finishSlow = () => {};
  // A task name the test system's own worker does not know, so only this runner takes these jobs.
  const probe: Task = async (payload) => {
    const { n } = payload as { n: string };
    if (n === 'slow') await new Promise<void>((r) => (finishSlow = r));
    ran.push(n);
  };
  const runner = await run({ pgPool: pool, events: sweeper.events, concurrency: 2, pollInterval: 200, noHandleSignals: true, logger: new Logger(() => () => {}), taskList: { lock_sweeper_probe: probe } });
  try {
    // A job this process took whose outcome the database lost: still locked by it, and its queue too.
    await t.sql.begin(async (tx) => {
      const [job] = await tx<{ id: string; job_queue_id: number }[]>`select id, job_queue_id from graphile_worker.add_job('lock_sweeper_probe', json_build_object('n', 'lost'), queue_name => 'probe')`;
      await tx`update graphile_worker._private_jobs set locked_by = ${poolId}, locked_at = now() - interval '1 minute' where id = ${job!.id}`;
      await tx`update graphile_worker._private_job_queues set locked_by = ${poolId}, locked_at = now() - interval '1 minute' where id = ${job!.job_queue_id}`;
    });
    await t.sql`select graphile_worker.add_job('lock_sweeper_probe', json_build_object('n', 'behind'), queue_name => 'probe')`;
    await new Promise((r) => setTimeout(r, 1500));
    expect(ran, 'the locked queue holds both').toEqual([]);

    // A running job's lock, however old, is this process's and stays.
    await t.sql`select graphile_worker.add_job('lock_sweeper_probe', json_build_object('n', 'slow'))`;
    await expect.poll(() => t.sql`select id from graphile_worker._private_jobs where locked_by = ${poolId} and task_id = (select id from graphile_worker._private_tasks where identifier = 'lock_sweeper_probe') and payload->>'n' = 'slow'`.then((r) => r.length)).toBe(1);
    await t.sql`update graphile_worker._private_jobs set locked_at = now() - interval '1 minute' where payload->>'n' = 'slow'`;

    expect(await sweeper.sweep()).toBe(2);
    await expect.poll(() => ran).toEqual(['lost', 'behind']);
    const [slow] = await t.sql<{ locked_by: string | null }[]>`select locked_by from graphile_worker._private_jobs where payload->>'n' = 'slow'`;
    expect(slow!.locked_by).toBe(poolId);
    finishSlow();
    await expect.poll(() => ran).toEqual(['lost', 'behind', 'slow']);
  } finally {
    finishSlow();
    sweeper.stop();
    await runner.stop();
    await pool.end();
  }
});

it('two transactions that deadlock: PostgreSQL aborts one, transact runs it again, both land', async () => {
  const database: DatabaseHandle = connectDatabase(t.databaseUrl, { max: 4 });
  try {
    await t.sql`create table if not exists deadlock_probe (id int primary key, n int not null)`;
    await t.sql`insert into deadlock_probe values (1, 0), (2, 0) on conflict do nothing`;
    const attempts = { a: 0, b: 0 };
    let arrived = 0;
    let bothLocked = () => {};
    const barrier = new Promise<void>((r) => (bothLocked = r));
    // Each locks one row, waits until the other has its own, then wants the other's: a deadlock on
    // the first attempts; later attempts no longer wait at the barrier, so one of them finishes first.
    const crossing = (name: 'a' | 'b', first: number, second: number) => async (trx: Parameters<Parameters<typeof transact>[1]>[0]) => {
      attempts[name]++;
      await sql`update deadlock_probe set n = n + 1 where id = ${first}`.execute(trx);
      if (attempts[name] === 1) {
        if (++arrived === 2) bothLocked();
        await barrier;
      }
      await sql`update deadlock_probe set n = n + 1 where id = ${second}`.execute(trx);
      return name;
    };
    const lines: string[] = [];
    const done = await Promise.all([
      transact(database.db, crossing('a', 1, 2), { log: (l) => lines.push(l) }),
      transact(database.db, crossing('b', 2, 1), { log: (l) => lines.push(l) }),
    ]);
    expect(done).toEqual(['a', 'b']);
    expect(attempts.a + attempts.b).toBe(3);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('deadlock');
    // Each row counted once per transaction that landed: the aborted attempt left nothing.
    expect(await t.sql`select id, n from deadlock_probe order by id`).toEqual([{ id: 1, n: 2 }, { id: 2, n: 2 }]);
  } finally {
    await database.close();
  }
});
