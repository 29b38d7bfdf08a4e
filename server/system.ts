import { run, runMigrations, Logger, type Runner } from 'graphile-worker';
import pg from 'pg';
import { EngineThread } from '../scheduler/tasks/engine-thread.ts';
import { PreviewPlanner } from '../scheduler/tasks/preview.ts';
import { refreshPlansTask } from '../scheduler/tasks/refresh-plans.ts';
import { ETA_SPREAD_TASK, ETA_SPREAD_TIME_LIMIT_MS, etaSpreadTask } from '../scheduler/tasks/eta-spread.ts';
import { rescheduleTask } from '../scheduler/tasks/reschedule.ts';
import { escalateAndonTask } from './andon/escalate-task.ts';
import { LATE_START_TASK, lateStartTask } from './late-start/task.ts';
import { createApi } from './app.ts';
import type { DeliveryDeps } from './channels/delivery.ts';
import { channelTasks } from './channels/tasks.ts';
import { createToken } from './auth/tokens.ts';
import type { Config } from './config.ts';
import { connectDatabase, type DatabaseHandle } from './db/connect.ts';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './db/embedded.ts';
import { migrate } from './db/migrate.ts';
import { createWorkerPool } from './db/worker-pool.ts';
import { startJobLockSweeper } from './db/job-lock-sweeper.ts';
import { ESCALATE_TASK } from './escalation/service.ts';
import { seedDemo, type DemoCredentials } from './demo/seed.ts';
import { startSimulator, type Simulator } from './demo/simulator.ts';
import { startCounterPublisher } from './demo/machine-counters.ts';
import { startHttpServer, type HttpServer } from './http-server.ts';
import { requestReschedule } from './outbox/plan-requests.ts';
import { PRUNE_TASK, pruneHistoryTask } from './retention/prune-task.ts';
import { StreamHub } from './stream/hub.ts';
import { startEmbeddedBroker } from './signals/broker.ts';
import { startCounterSubscriber, type CounterStats } from './signals/subscriber.ts';

export interface System {
  config: Config;
  url: string;
  port: number;
  databaseUrl: string;
  dataDir: string | null;
  database: DatabaseHandle;
  demo: DemoCredentials | null;
  /** Open SSE connections in this process (0 without an HTTP server): read-only, for tests and ops. */
  streamSubscribers: () => number;
  /** Machine counter messages by outcome (null: no MQTT subscriber in this process). */
  machineCounters: () => CounterStats | null;
  /** Resolves once every counter message received so far is recorded (tests). */
  machineCountersIdle: () => Promise<void>;
  /** The embedded broker's URL with `--mqtt`. */
  mqttUrl: string | null;
  stop: () => Promise<void>;
}

export interface StartOptions {
  log?: (line: string) => void;
  serveUi?: boolean;
  /** Tests shorten the SSE heartbeat. */
  heartbeatMs?: number;
}

function quietLogger(log: (line: string) => void) {
  return new Logger(() => (level, message) => {
    if (level === 'error' || level === 'warning') log(`[worker] ${level}: ${message}`);
  });
}

/**
 * Starts the parts this process runs, in dependency order, and returns a stop() that shuts them
 * down in reverse: stop accepting, end streams, drain the worker, close pools, database last.
 */
export async function startSystem(config: Config, options: StartOptions = {}): Promise<System> {
  const log = options.log ?? ((line: string) => console.log(line));
  const cleanups: (() => Promise<void>)[] = [];
  const stop = async () => {
    while (cleanups.length) {
      const next = cleanups.pop()!;
      await next().catch((e: unknown) => log(`[shutdown] ${e instanceof Error ? e.message : String(e)}`));
    }
  };

  try {
    let embedded: EmbeddedDatabase | null = null;
    let databaseUrl = config.databaseUrl;
    if (!databaseUrl) {
      embedded = await startEmbeddedDatabase(config.dataDir, log, { pgStatements: config.pgStatements });
      cleanups.push(() => embedded!.stop());
      await ensureDatabase(embedded.url('postgres'), 'takt');
      databaseUrl = embedded.url('takt');
    }

    const database = connectDatabase(databaseUrl, { max: 20 });
    cleanups.push(() => database.close());
    await migrate(database.sql);
    await database.warm();

    // graphile-worker wants node-postgres; errors on idle clients must not crash the process.
    const { pool: pgPool, giveUp } = createWorkerPool(databaseUrl, { max: 8, log });
    cleanups.push(() => pgPool.end());
    await runMigrations({ pgPool, logger: quietLogger(log) });

    if (config.adminToken) {
      await createToken(database.db, { name: 'admin (TAKT_ADMIN_TOKEN)', role: 'admin', kind: 'api', allPlants: true, secret: config.adminToken });
    }

    let demo: DemoCredentials | null = null;
    if (config.role !== 'worker' && config.demo !== 'off') {
      demo = await seedDemo(database.db, { force: config.demo === 'force', adminToken: config.adminToken });
    }

    // Links in outbound messages: TAKT_PUBLIC_URL, else this server's own origin once it listens.
    const channels: DeliveryDeps = {
      allowLoopback: config.outboundAllowLoopback,
      publicUrl: config.publicUrl ?? `http://localhost:${config.port}`,
      now: () => new Date(),
      random: Math.random,
    };

    let runner: Runner | null = null;
    const engineThreads: [string, { heapUsedMiB: () => Promise<number | null> }][] = [];
    if (config.role !== 'server') {
      const engine = new EngineThread();
      cleanups.push(() => engine.close());
      // The P50/P90 sampling's own thread at the lowest priority: it may fill idle CPU, never delay a plan.
      const spreadEngine = new EngineThread({ nice: 19 });
      cleanups.push(() => spreadEngine.close());
      engineThreads.push(['plan', engine], ['eta-spread', spreadEngine]);
      const lockSweeper = startJobLockSweeper(pgPool, { log });
      cleanups.push(async () => lockSweeper.stop());
      runner = await run({
        pgPool,
        events: lockSweeper.events,
        concurrency: config.workerConcurrency,
        // Jobs due now arrive by LISTEN/NOTIFY at once; the poll only catches future-dated jobs.
        pollInterval: 500,
        noHandleSignals: true,
        logger: quietLogger(log),
        crontab: ['*/5 * * * * refresh_plans', `7 * * * * ${PRUNE_TASK}`, `* * * * * ${LATE_START_TASK}`].join('\n'),
        taskList: {
          refresh_plans: refreshPlansTask(database.db),
          [PRUNE_TASK]: pruneHistoryTask(database.db, log),
          // Due times are in the future, so these are found by the poll above (within 500 ms).
          [ESCALATE_TASK]: escalateAndonTask(database.db, log),
          // Each plant's timer is due at its next late start; the minute sweep catches plans that moved one earlier.
          [LATE_START_TASK]: lateStartTask(database.db, log),
          // Every notice routed to the channels that subscribe to it; each delivery its own job.
          ...channelTasks(database.db, channels, log),
          reschedule: rescheduleTask({
            db: database.db,
            engine,
            timeLimitMs: config.rescheduleBudgetMs,
            frozenMinutes: config.frozenMinutes,
            log: process.env.TAKT_LOG_RESCHEDULE ? log : undefined,
            warn: log,
            etaSpreadCpuMsPerMinute: config.etaSpreadCpuMsPerMinute,
          }),
          [ETA_SPREAD_TASK]: etaSpreadTask({
            db: database.db,
            engine: spreadEngine,
            frozenMinutes: config.frozenMinutes,
            samples: config.etaSamples,
            timeLimitMs: ETA_SPREAD_TIME_LIMIT_MS,
            log: process.env.TAKT_LOG_RESCHEDULE ? log : undefined,
            warn: log,
          }),
        },
      });
      const active = runner;
      cleanups.push(() => active.stop());
      // First of all on stop: a worker waiting for a database that is away must not hold the shutdown.
      cleanups.push(async () => giveUp());
      // Time has passed since the last plan (or there is none yet): every plant gets a fresh one.
      const plants = await database.db.selectFrom('plant').select('id').execute();
      await database.db.transaction().execute(async (trx) => {
        for (const p of plants) await requestReschedule(trx, p.id, { kind: 'startup', causeId: null });
      });
    }

    let http: HttpServer | null = null;
    let port = 0;
    let streamHub: StreamHub | null = null;
    if (config.role !== 'worker') {
      const hub = new StreamHub(database.sql, log);
      streamHub = hub;
      await hub.start();
      cleanups.push(() => hub.stop());
      let workerDone = false;
      void runner?.promise.finally(() => (workerDone = true));
      // Previews run on their own engine thread in the HTTP process (also in a role 'server' one).
      const previewer = new PreviewPlanner({ db: database.db, frozenMinutes: config.frozenMinutes });
      cleanups.push(() => previewer.close());
      engineThreads.push(['preview', previewer]);
      const api = createApi({
        db: database.db,
        hub,
        previewer,
        quotes: previewer,
        frozenMinutes: config.frozenMinutes,
        heartbeatMs: options.heartbeatMs,
        trustProxy: config.trustProxy,
        requestTimeoutMs: config.requestTimeoutMs,
        probe: {
          workerAlive: () => (runner ? !workerDone : null),
          threadHeaps: async () => {
            const heaps = await Promise.all(engineThreads.map(async ([name, thread]) => ({ name, heapUsedMiB: await thread.heapUsedMiB() })));
            return heaps.filter((h): h is { name: string; heapUsedMiB: number } => h.heapUsedMiB !== null);
          },
        },
        channels,
      });
      http = await startHttpServer(api, { port: config.port, host: config.host, serveUi: options.serveUi ?? true });
      port = http.port;
      if (!config.publicUrl) channels.publicUrl = `http://localhost:${port}`;
      const server = http;
      cleanups.push(async () => {
        hub.closeAll();
        await server.close();
      });
    }

    // Machine counters become floor events like a station's, so they belong to the HTTP side.
    let mqttUrl = config.mqttUrl;
    if (config.mqttEmbeddedPort !== null && config.role !== 'worker') {
      const broker = await startEmbeddedBroker({ port: config.mqttEmbeddedPort });
      cleanups.push(() => broker.stop());
      mqttUrl = broker.url;
      log(`[mqtt] embedded broker on ${broker.url}`);
    }
    const counters = mqttUrl && config.role !== 'worker' ? startCounterSubscriber(database.db, { url: mqttUrl, topic: config.mqttTopic, log }) : null;
    if (counters) cleanups.push(() => counters.stop());

    let simulator: Simulator | null = null;
    if (demo && config.simulate && config.role !== 'worker') {
      // With --mqtt some demo machines count their parts over MQTT, through the embedded broker.
      const counterPublisher = config.mqttEmbeddedPort !== null && mqttUrl ? startCounterPublisher(database.db, { url: mqttUrl, log }) : undefined;
      if (counterPublisher) cleanups.push(() => counterPublisher.stop());
      simulator = startSimulator(database.db, { speed: config.simulatorSpeed, log, counters: counterPublisher });
      const sim = simulator;
      cleanups.push(() => sim.stop());
    }

    return {
      config,
      url: `http://localhost:${port}`,
      port,
      databaseUrl,
      dataDir: embedded?.dataDir ?? null,
      database,
      demo,
      streamSubscribers: () => streamHub?.subscriberCount ?? 0,
      machineCounters: () => counters?.stats() ?? null,
      machineCountersIdle: async () => await counters?.idle(),
      mqttUrl,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
}
