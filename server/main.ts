import { loadConfig } from './config.ts';
import { startSystem } from './system.ts';

// One failing connection or request must not take the floor's server down with it: a database that
// dies mid-query can surface as an exception on a socket callback no request is waiting on.
const report = (what: string) => (error: unknown) => console.error(`[process] ${what}, kept running:`, error instanceof Error ? (error.stack ?? error.message) : error);
process.on('uncaughtException', report('uncaught exception'));
process.on('unhandledRejection', report('unhandled rejection'));

const config = loadConfig();
const started = Date.now();
const system = await startSystem(config).catch((error: unknown) => {
  // What a newcomer needs to read is the reason, not a stack trace (everything started is stopped).
  const code = (error as { code?: string }).code;
  const reason = code === 'EADDRINUSE' ? `port ${config.port} is already in use (set PORT)` : error instanceof Error ? error.message : String(error);
  console.error(`Takt could not start: ${reason}`);
  process.exit(1);
});

const base = `http://localhost:${system.port}`;
const lines = [
  '',
  `Takt is running (${config.role}) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  system.dataDir ? `  database    embedded PostgreSQL, data in ${system.dataDir}` : '  database    DATABASE_URL',
];
if (config.role !== 'worker') {
  const demo = system.demo;
  const display = demo ? `?token=${demo.displayToken}` : '';
  const station = demo?.workerToken ? `?token=${demo.workerToken}` : display;
  // The demo seeds the boards ALL, L1-L3 and the playlist ROTATE; elsewhere boards are configured.
  lines.push(
    ...(demo
      ? [`  TV board    ${base}/display/board/ALL${display}`, `  playlist    ${base}/display/playlist/ROTATE${display}`]
      : [`  TV board    ${base}/display/board`]),
    `  station     ${base}/display/station/LATHE${station}`,
    `  console     ${base}/console`,
    `  API         ${base}/api/v1  (OpenAPI: ${base}/api/v1/openapi.json)`,
  );
  if (system.mqttUrl) lines.push(`  MQTT        ${system.mqttUrl}  machine counters on ${config.mqttTopic}`);
  if (demo) {
    lines.push(`  admin token ${demo.adminToken}`, '  demo users  ' + demo.users.map((u) => `${u.username} / ${u.password}`).join('   '));
    const op = demo.operators[0];
    if (op) lines.push(`  operators   PIN ${op.pin} (${op.name}); ${demo.operators.map((o) => o.pin).join(', ')}`);
    if (config.simulate) lines.push(`  simulator   on, ${config.simulatorSpeed} factory minutes per second (--no-simulate to stop it)`);
  }
}
console.log(lines.join('\n') + '\n');

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping (streams, worker, database)...`);
    // A shutdown that cannot finish (a stuck connection) must not keep the process alive forever.
    setTimeout(() => {
      console.error('[shutdown] not done after 30 s: exiting anyway');
      process.exit(1);
    }, 30_000).unref();
    system
      .stop()
      .then(() => process.exit(0))
      .catch((e: unknown) => {
        console.error(e);
        process.exit(1);
      });
  });
}
