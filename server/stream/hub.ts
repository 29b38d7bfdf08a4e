import type postgres from 'postgres';
import { StreamMessage, type StreamTopic } from '../contract/stream.ts';
import { STREAM_CHANNEL, type NotifiedBatch } from '../outbox/stream-messages.ts';
import { sseFrame } from './sse-frame.ts';

export interface StreamFilter {
  plantId: number;
  topics: Set<StreamTopic> | null; // null: every topic
}

/** What one flush hands a subscriber: its messages, oldest first, and their SSE text. */
export interface FrameBatch {
  messages: StreamMessage[];
  text: string;
}

interface Subscriber {
  filter: StreamFilter;
  /** Subscribers with equal keys want the same messages: their batch text is built once. */
  key: string;
  /** Messages up to this id are not for it (it has them, or gets them by replay). */
  afterId: number;
  deliver: (batch: FrameBatch) => void;
  close: () => void;
}

function filterKey(filter: StreamFilter): string {
  return `${filter.plantId}|${filter.topics ? [...filter.topics].sort().join(',') : '*'}`;
}

function wants(filter: StreamFilter, plantId: number, message: StreamMessage): boolean {
  return filter.plantId === plantId && (filter.topics === null || filter.topics.has(message.topic));
}

function batchOf(messages: StreamMessage[]): FrameBatch | null {
  return messages.length ? { messages, text: messages.map(sseFrame).join('') } : null;
}

interface MessageRow {
  id: string;
  plant_id: number;
  plant_code: string;
  topic: string;
  cause_id: string | null;
  emitted_at: Date;
  data: unknown;
}

/**
 * Rows were written only through publish(), whose parameter type is the contract's union; the hub
 * trusts them rather than re-validating every message on the hot fan-out path (the UI validates).
 */
function asMessage(fields: { id: number; topic: string; plant: string; cause: string | null; emittedAt: string; data: unknown }): StreamMessage {
  return fields as StreamMessage;
}

function toMessage(row: MessageRow): StreamMessage {
  return asMessage({
    id: Number(row.id),
    topic: row.topic,
    plant: row.plant_code,
    cause: row.cause_id,
    emittedAt: row.emitted_at.toISOString(),
    data: row.data,
  });
}

const PING_MS = 3000;
/**
 * Flushes to the subscribers at most this often. A quiet floor's message goes out at once; a busy one's
 * wait for at most this long and go out together: each write to a socket is a system call, and with
 * hundreds of boards those calls, not the messages, were what the server spent its time on.
 */
const FLUSH_GAP_MS = 25;
const DRAIN_QUERY_MS = 5000;

/** The promise's outcome, or a rejection once `ms` have passed without one. */
function withinMs<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
/** Pings share the channel with message batches (JSON arrays), so they cannot be mistaken for one. */
const PING_PREFIX = 'ping:';

/**
 * One per server process: a single LISTEN connection; on each notification it reads the new rows
 * once and fans them out to every local subscriber. Rows are read in id order, which is commit order.
 * Messages go out in flushes at most FLUSH_GAP_MS apart (at once when the floor is quiet): each
 * subscriber gets one write per flush, and subscribers with the same filter share the text of it.
 */
export class StreamHub {
  readonly #sql: postgres.Sql;
  readonly #subscribers = new Set<Subscriber>();
  #outgoing: { plantId: number; message: StreamMessage }[] = [];
  #flushScheduled = false;
  #lastFlushAt = 0;
  #lastId = 0;
  #fetching: Promise<void> | null = null;
  #again = false;
  #unlisten: (() => Promise<void>) | null = null;
  #closing = false;
  #plantCodes = new Map<number, string>();
  // Whether the LISTEN still hears: postgres.js re-listens once after its connection drops and gives
  // up silently if the database is not back yet, so the hub pings itself through the channel.
  readonly #hubId = Math.random().toString(36).slice(2);
  #pingSent = 0;
  #pingHeard = 0;
  #pingTimer: ReturnType<typeof setInterval> | null = null;
  #checking = false;
  #log: (line: string) => void;

  constructor(sql: postgres.Sql, log: (line: string) => void = (line) => console.error(line)) {
    this.#sql = sql;
    this.#log = log;
  }

  get lastId(): number {
    return this.#lastId;
  }

  get subscriberCount(): number {
    return this.#subscribers.size;
  }

  async start(): Promise<void> {
    const { max } = (await this.#sql<{ max: string | null }[]>`select max(id)::text as max from stream_message`)[0]!;
    this.#lastId = Number(max ?? 0);
    const plants = await this.#sql<{ id: number; code: string }[]>`select id, code from plant`;
    for (const p of plants) this.#plantCodes.set(p.id, p.code);
    await this.#listen();
    this.#pingTimer = setInterval(() => void this.#checkListening(), PING_MS);
    this.#pingTimer.unref();
  }

  async #listen(): Promise<void> {
    const listening = await this.#sql.listen(STREAM_CHANNEL, (payload) => this.#onNotify(payload), () => this.#pull());
    this.#unlisten = listening.unlisten;
  }

  /**
   * Every PING_MS: if the last ping did not come back through the channel, listen afresh (and read
   * what was missed, in order); then ping again. A failure (database still away) is retried at the
   * next beat: the stream catches up within a few seconds of the database's return.
   */
  async #checkListening(): Promise<void> {
    if (this.#closing || this.#unlisten === null || this.#checking) return;
    this.#checking = true;
    try {
      if (this.#pingHeard < this.#pingSent) {
        await withinMs(this.#unlisten(), 1000).catch(() => {});
        await withinMs(this.#listen(), DRAIN_QUERY_MS);
        this.#pingHeard = this.#pingSent;
        this.#log('[stream] listening for messages again');
        this.#pull();
      }
      this.#pingSent += 1;
      await withinMs(this.#sql`select pg_notify(${STREAM_CHANNEL}, ${`${PING_PREFIX}${this.#hubId}:${this.#pingSent}`})`, DRAIN_QUERY_MS);
    } catch {
      // the database is not back yet: the next beat tries again
    } finally {
      this.#checking = false;
    }
  }

  /** Ends every open stream (shutdown): clients reconnect elsewhere and resume by id. */
  closeAll(): void {
    this.#closing = true;
    for (const s of this.#subscribers) s.close();
  }

  get closing(): boolean {
    return this.#closing;
  }

  async stop(): Promise<void> {
    if (this.#pingTimer) clearInterval(this.#pingTimer);
    // A listener whose connection is gone may never answer: shutdown does not wait on it for long.
    await Promise.race([this.#unlisten?.().catch(() => {}), new Promise((r) => setTimeout(r, 2000))]);
    this.#unlisten = null;
    await Promise.race([this.#fetching, new Promise((r) => setTimeout(r, 2000))]);
  }

  /**
   * Live messages after the current position (and after `afterId`, which a resuming client already
   * has). Returns the position it starts from and the unsubscribe.
   */
  subscribe(
    filter: StreamFilter,
    deliver: (batch: FrameBatch) => void,
    close: () => void,
    afterId = 0,
  ): { from: number; unsubscribe: () => void } {
    if (this.#closing) {
      queueMicrotask(close);
    }
    const from = this.#lastId;
    const subscriber: Subscriber = { filter, key: filterKey(filter), afterId: Math.max(from, afterId), deliver, close };
    this.#subscribers.add(subscriber);
    return { from, unsubscribe: () => this.#subscribers.delete(subscriber) };
  }

  /** The id through which the plant's messages were pruned (server/retention/prune.ts); 0 if none. */
  async prunedThrough(plantId: number): Promise<number> {
    const rows = await this.#sql<{ pruned_through: string }[]>`select pruned_through from stream_retention where plant_id = ${plantId}`;
    return Number(rows[0]?.pruned_through ?? 0);
  }

  /** The first `limit` messages in (afterId, uptoId] from the database, oldest first (Last-Event-ID resume). */
  async replay(filter: StreamFilter, afterId: number, uptoId: number, limit = 2000): Promise<StreamMessage[]> {
    const topics = filter.topics ? [...filter.topics] : null;
    const rows = await this.#sql<MessageRow[]>`
      select m.id, m.plant_id, p.code as plant_code, m.topic, m.cause_id, m.emitted_at, m.data
      from stream_message m join plant p on p.id = m.plant_id
      where m.plant_id = ${filter.plantId} and m.id > ${afterId} and m.id <= ${uptoId}
        ${topics ? this.#sql`and m.topic = any(${topics})` : this.#sql``}
      order by m.id limit ${limit}`;
    return rows.map(toMessage);
  }

  #onNotify(payload: string): void {
    if (payload.startsWith(PING_PREFIX)) {
      const [hub, n] = payload.slice(PING_PREFIX.length).split(':');
      if (hub === this.#hubId) this.#pingHeard = Math.max(this.#pingHeard, Number(n));
      return;
    }
    // While a read from the table is in flight, let it catch everything up, in order.
    if (!payload || this.#fetching) return this.#pull();
    let notified: NotifiedBatch;
    try {
      notified = JSON.parse(payload) as NotifiedBatch;
    } catch {
      return this.#pull();
    }
    // Messages came before this batch that this hub never heard (its LISTEN was re-established, and a
    // notification can arrive before postgres.js says it listens): read them, in order, from the table.
    if (notified.prevId > this.#lastId) return this.#pull();
    for (const n of notified.messages) {
      if (n.id <= this.#lastId) continue;
      const plant = this.#plantCodes.get(n.plantId);
      if (plant === undefined) return this.#pull(); // a plant created after start: read it properly
      this.#dispatch(n.plantId, asMessage({ id: n.id, topic: n.topic, plant, cause: n.cause, emittedAt: new Date(n.emittedAt).toISOString(), data: n.data }));
    }
  }

  #dispatch(plantId: number, message: StreamMessage): void {
    this.#lastId = message.id;
    this.#outgoing.push({ plantId, message });
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      const wait = this.#lastFlushAt + FLUSH_GAP_MS - performance.now();
      if (wait > 0) setTimeout(() => this.#flush(), wait);
      else setImmediate(() => this.#flush());
    }
  }

  #flush(): void {
    this.#flushScheduled = false;
    this.#lastFlushAt = performance.now();
    const outgoing = this.#outgoing;
    this.#outgoing = [];
    if (outgoing.length === 0) return;
    const shared = new Map<string, FrameBatch | null>();
    const lastId = outgoing[outgoing.length - 1]!.message.id;
    for (const s of this.#subscribers) {
      if (s.afterId >= lastId) continue;
      let batch: FrameBatch | null | undefined;
      if (s.afterId >= outgoing[0]!.message.id) {
        // Subscribed (or resumed) in the middle of this batch: its own cut, built for it alone.
        batch = batchOf(outgoing.filter((o) => o.message.id > s.afterId && wants(s.filter, o.plantId, o.message)).map((o) => o.message));
      } else {
        batch = shared.get(s.key);
        if (batch === undefined) {
          batch = batchOf(outgoing.filter((o) => wants(s.filter, o.plantId, o.message)).map((o) => o.message));
          shared.set(s.key, batch);
        }
      }
      if (batch) s.deliver(batch);
    }
  }

  #pull(): void {
    if (this.#fetching) {
      this.#again = true;
      return;
    }
    this.#fetching = this.#drain().finally(() => {
      this.#fetching = null;
      if (this.#again) {
        this.#again = false;
        this.#pull();
      }
    });
  }

  async #drain(): Promise<void> {
    let failures = 0;
    for (;;) {
      let rows: MessageRow[];
      try {
        // Bounded: a query caught on a connection the database dropped may never settle (postgres.js),
        // and the hub must not wait on it forever, or every stream on this server goes quiet.
        rows = await withinMs(
          this.#sql<MessageRow[]>`
            select m.id, m.plant_id, p.code as plant_code, m.topic, m.cause_id, m.emitted_at, m.data
            from stream_message m join plant p on p.id = m.plant_id
            where m.id > ${this.#lastId} order by m.id limit 1000`,
          DRAIN_QUERY_MS,
        );
      } catch (error) {
        // Keep this drain pending and retry: inline notifications defer to it meanwhile, so no
        // message is dispatched past rows that were never read (that would be a silent gap).
        if (this.#unlisten === null) return;
        console.error('[stream] fetch failed, retrying', error instanceof Error ? error.message : error);
        failures++;
        await new Promise((r) => setTimeout(r, Math.min(5000, 200 * 2 ** failures)));
        continue;
      }
      failures = 0;
      for (const row of rows) {
        this.#plantCodes.set(row.plant_id, row.plant_code);
        this.#dispatch(row.plant_id, toMessage(row));
      }
      if (rows.length < 1000) return;
    }
  }
}

