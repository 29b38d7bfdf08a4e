import { sql } from 'kysely';
import mqtt from 'mqtt';
import { counterOutcomes, type CounterOutcome } from '../contract/machine-counter.ts';
import { ApiError } from '../contract/errors.ts';
import type { Db } from '../db/connect.ts';
import { transact } from '../db/transact.ts';
import { recordCounter } from './counter.ts';
import { MachineQueues } from './machine-queues.ts';
import { parseCounterPayload, topicLevels } from './payload.ts';

/**
 * A misconfigured device can send a bad message every second for days: its topic is logged at most
 * once a minute (the stats count every one).
 */
class LogThrottle {
  readonly #everyMs: number;
  #last = new Map<string, number>();
  constructor(everyMs: number) {
    this.#everyMs = everyMs;
  }
  shouldLog(topic: string, now: number): boolean {
    if ((this.#last.get(topic) ?? -Infinity) > now - this.#everyMs) return false;
    // Bounded: a flood of distinct topics must not grow this without end.
    if (this.#last.size > 1000) this.#last = new Map();
    this.#last.set(topic, now);
    return true;
  }
}

export type CounterStats = Record<CounterOutcome, number>;

export interface CounterSubscriber {
  /** Messages by what became of them since start (malformed and rejected ones are only here and in the log). */
  stats: () => CounterStats;
  /** Resolves once every message received so far is handled (tests wait on it). */
  idle: () => Promise<void>;
  stop: () => Promise<void>;
}

export interface SubscriberOptions {
  url: string;
  topic: string;
  log: (line: string) => void;
}

/** How long a counter waits for a machine's baseline row before it gives up (and is counted rejected). */
const LOCK_TIMEOUT = '5s';
/**
 * Subscribes to machine counters (QoS 1) and records each message in its own transaction, in a
 * queue per machine (MachineQueues). The client reconnects on its own when the broker goes away; a
 * bad message is logged and counted, never thrown.
 */
export function startCounterSubscriber(db: Db, options: SubscriberOptions): CounterSubscriber {
  const stats = Object.fromEntries(counterOutcomes.map((o) => [o, 0])) as CounterStats;
  let connectedOnce = false;
  const quiet = new LogThrottle(60_000);
  const client = mqtt.connect(options.url, { reconnectPeriod: 2_000, connectTimeout: 10_000, clientId: `takt-${process.pid}-${Math.random().toString(16).slice(2, 10)}` });

  client.on('connect', () => {
    options.log(`[mqtt] ${connectedOnce ? 'reconnected to' : 'connected to'} ${options.url}, counters on ${options.topic}`);
    connectedOnce = true;
    // Clean sessions forget subscriptions: subscribe on every connect.
    client.subscribe(options.topic, { qos: 1 }, (error) => {
      if (error) options.log(`[mqtt] subscribe ${options.topic} failed: ${error.message}`);
    });
  });
  // Without a listener an 'error' event would throw; the client retries by itself.
  client.on('error', (error) => options.log(`[mqtt] ${error.message}`));
  client.on('offline', () => options.log(`[mqtt] ${options.url} unreachable, retrying`));

  const handle = async (topic: string, payload: Buffer): Promise<CounterOutcome> => {
    const levels = topicLevels(options.topic, topic);
    const message = parseCounterPayload(payload);
    if (!levels || !message) return 'malformed';
    // The station's path, so the station's retry: a deadlock with a plan being saved is tried again.
    return await transact(
      db,
      async (trx) => {
        // A row held elsewhere for long (a stuck session) fails this message, not the machine's queue for good.
        await sql.raw(`set local lock_timeout = '${LOCK_TIMEOUT}'`).execute(trx);
        return await recordCounter(trx, { ...levels, message, topic }, new Date());
      },
      { log: options.log, what: `mqtt ${topic}` },
    );
  };

  const queues = new MachineQueues(
    async (topic, payload) => {
      let outcome: CounterOutcome;
      try {
        outcome = await handle(topic, payload);
      } catch (error) {
        // A refused report (a future `at`), a lock wait timed out or a database away: the
        // transaction rolled back and the baseline stayed, so the next counter of that machine
        // carries these parts.
        outcome = 'rejected';
        options.log(`[mqtt] ${topic}: not recorded (${error instanceof ApiError || error instanceof Error ? error.message : String(error)})`);
      }
      stats[outcome] += 1;
      if ((outcome === 'malformed' || outcome === 'unknown_machine') && quiet.shouldLog(topic, Date.now())) {
        options.log(`[mqtt] ${topic}: ${outcome === 'malformed' ? 'not a counter message' : 'no such plant or machine'}: ${payload.toString().slice(0, 80)} (${stats[outcome]} so far)`);
      }
    },
    (topic) => {
      stats.superseded += 1;
      if (quiet.shouldLog(`${topic} superseded`, Date.now())) options.log(`[mqtt] ${topic}: falling behind, older counters dropped (${stats.superseded} so far)`);
    },
  );
  client.on('message', (topic, payload) => queues.push(topic, payload));

  return {
    stats: () => ({ ...stats }),
    idle: () => queues.idle(),
    stop: async () => {
      await client.endAsync();
      await queues.idle();
    },
  };
}
