// npm run bench:soak — memory over a long steady load: 100 board streams, 10 floor events a second,
// 32 minutes; after a 2-minute warm-up the server's resident memory must stay within 10 %.
// BENCH_SECONDS shortens it (the warm-up stays 2 minutes, or a quarter of a shorter run).
import { runFanOutLoad } from './fan-out-load.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 32 * 60);
await runFanOutLoad({
  name: 'bench:soak',
  clients: 100,
  rate: 10,
  seconds,
  warmupSeconds: Math.min(120, Math.floor(seconds / 4)),
  targets: 'RSS within 10 % after the warm-up, 0 lost',
});
