import mqtt from 'mqtt';
import type { Db } from '../db/connect.ts';
import { DEMO_PLANT } from './factory.ts';

/** The demo's machines with a parts counter on the network (CNC lathes and the laser): the rest report at the station. */
export const COUNTED_WORK_CENTERS = new Set(['LATHE', 'LASER']);

export interface CounterPublisher {
  counts: (workCenter: string) => boolean;
  /** Adds the parts to the machine's lifetime counters and publishes them (QoS 1). */
  report: (workCenter: string, machine: number, good: number, scrap: number) => Promise<void>;
  stop: () => Promise<void>;
}

/**
 * The counting machines of the demo floor (`--mqtt`): each keeps lifetime good and scrap counters,
 * continued from the last values Takt recorded, and publishes them as `{count, scrap}` the way a
 * machine's PLC gateway would, to `takt/DEMO/<workCenter>-<n>/counter`.
 */
export function startCounterPublisher(db: Db, options: { url: string; log: (line: string) => void }): CounterPublisher {
  const client = mqtt.connect(options.url, { reconnectPeriod: 2_000, clientId: `takt-demo-machines-${process.pid}` });
  client.on('error', (e) => options.log(`[demo machines] ${e.message}`));
  const counters = new Map<string, { count: number; scrap: number }>();

  async function counter(workCenter: string, machine: number) {
    const key = `${workCenter}-${machine}`;
    let c = counters.get(key);
    if (!c) {
      const row = await db
        .selectFrom('machine_counter as mc')
        .innerJoin('plant as p', 'p.id', 'mc.plant_id')
        .select(['mc.last_count', 'mc.last_scrap'])
        .where('p.code', '=', DEMO_PLANT.code)
        .where('mc.work_center_code', '=', workCenter)
        .where('mc.machine', '=', machine)
        .executeTakeFirst();
      c = { count: Number(row?.last_count ?? 0), scrap: Number(row?.last_scrap ?? 0) };
      counters.set(key, c);
    }
    return c;
  }

  return {
    counts: (workCenter) => COUNTED_WORK_CENTERS.has(workCenter),
    report: async (workCenter, machine, good, scrap) => {
      const c = await counter(workCenter, machine);
      c.count += good;
      c.scrap += scrap;
      await client.publishAsync(`takt/${DEMO_PLANT.code}/${workCenter}-${machine}/counter`, JSON.stringify({ count: c.count, scrap: c.scrap, at: new Date().toISOString() }), { qos: 1 });
    },
    stop: async () => {
      await client.endAsync();
    },
  };
}
