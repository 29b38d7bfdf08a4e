// npm run bench:display — the TV-board fan-out: board streams on one server, the floor posting
// events at a steady rate (start / progress / pause, now and then an andon raised and resolved), and
// for every message a board should get: event -> message latency at every client, messages lost,
// and the server's CPU and memory. The server runs in its own process on the embedded database.
// Two runs, each on a fresh server: 300 streams at 50 events/s, then 1,000 streams at 20 events/s.
// The first 3 s of each run are timed apart (printed on their own line).
// BENCH_CLIENTS, BENCH_RATE and BENCH_SECONDS (60) run one load of your own instead.
import { runFanOutLoad, type FanOutLoad } from './fan-out-load.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 60);
// The first seconds' figures are printed apart: a freshly started server compiles its hot paths then.
const settleSeconds = 3;
const custom = process.env.BENCH_CLIENTS || process.env.BENCH_RATE;
const loads: FanOutLoad[] = custom
  ? [{ name: 'bench:display', clients: Number(process.env.BENCH_CLIENTS ?? 300), rate: Number(process.env.BENCH_RATE ?? 50), seconds, settleSeconds, targets: 'none (custom load)' }]
  : [
      { name: 'bench:display 1/2', clients: 300, rate: 50, seconds, settleSeconds, targets: 'event -> every board p99 < 250 ms, POST p99 < 100 ms, 0 lost' },
      { name: 'bench:display 2/2', clients: 1000, rate: 20, seconds, settleSeconds, targets: 'event -> every board p99 < 500 ms, 0 lost' },
    ];
for (const load of loads) await runFanOutLoad(load);
