import { StreamMessage, StreamReset, streamTopics, type StreamMessageOf, type StreamTopic } from '$contract/stream.ts';
import { streamRequest } from '$lib/api/client.ts';
import { backoffDelay, STALE_AFTER_MS } from './backoff.ts';
import { SseParser } from './sse-parser.ts';

export type ConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting';
type Listener<T extends StreamTopic> = (message: StreamMessageOf<T>) => void;
type Listeners = { [T in StreamTopic]?: Listener<T>[] };
/**
 * Sees every message applied: `receivedAt` when its listeners were done with it, `openedAt` when
 * the stream it came on opened (both on this device's clock).
 */
export type MessageObserver = (message: StreamMessage, receivedAt: number, openedAt: number) => void;

/** After a reconnect, snapshots are re-fetched this long after the stream opened (replay first). */
const RESYNC_DELAY_MS = 300;
const WATCHDOG_MS = 5000;
/** Unreadable messages trigger at most one snapshot re-fetch per this interval. */
const REJECT_RESYNC_MS = 5000;

/**
 * One live stream per page, shared by every component on it. Components `listen()` to topics and get
 * an unsubscribe back; the stream opens with the first listener and closes with the last.
 *
 * Why `fetch` and not EventSource: the server's heartbeat is an SSE comment every 15 s, which
 * EventSource never exposes, and EventSource stops for good on an HTTP error. Reading the stream
 * ourselves, every byte (message or heartbeat) proves the connection alive; a watchdog aborts a
 * stream silent for longer than STALE_AFTER_MS (a half-open TCP connection looks exactly like that)
 * and every failure reconnects with jittered exponential back-off up to 30 s. Each reconnect passes
 * the last message id (`lastEventId`), so the server replays what was missed; `onResync` listeners
 * then re-fetch their snapshots in case the replay could not cover the gap.
 */
export class LiveConnection {
  state = $state<ConnectionState>('idle');
  /** When the last message proved the data fresh; ms since epoch. */
  lastMessageAt = $state<number | null>(null);
  /** Last sign of life: a message, a heartbeat comment or the stream opening. */
  lastSignalAt = $state<number | null>(null);
  /** When this page started wanting a stream: the reference for "stale" before any signal. */
  since = $state(Date.now());
  /** Messages dropped because they did not match the contract: shown nowhere, but kept for diagnosis. */
  rejected = $state(0);
  /** Reconnects since the page opened (for diagnosis and tests). */
  reconnects = $state(0);

  // Deliberately not reactive: listen() runs inside components' effects, which must not track it.
  #listeners: Listeners = {};
  #resyncListeners: (() => void)[] = [];
  #observers: MessageObserver[] = [];
  #openedAt = 0;
  #abort: AbortController | null = null;
  #openTopics = '';
  #lastEventId: number | null = null;
  #pendingSync = false;
  #attempt = 0;
  #retryTimer: ReturnType<typeof setTimeout> | null = null;
  #watchdog: ReturnType<typeof setInterval> | null = null;
  #everOpened = false;
  #onlineHooked = false;
  #rejectResyncAt = 0;
  #retryDelay: (attempt: number) => number;

  /** `retryDelay` is for tests, which must not wait out a real back-off. */
  constructor(options: { retryDelay?: (attempt: number) => number } = {}) {
    this.#retryDelay = options.retryDelay ?? ((attempt) => backoffDelay(attempt));
  }

  /** `fn` gets only messages of `topic` that passed the contract's schema, typed by topic. */
  listen<T extends StreamTopic>(topic: T, fn: Listener<T>): () => void {
    const listeners = this.#listeners as { [K in T]?: Listener<K>[] };
    listeners[topic] = [...(listeners[topic] ?? []), fn];
    this.#scheduleSync();
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      const rest = (listeners[topic] ?? []).filter((l) => l !== fn);
      if (rest.length > 0) listeners[topic] = rest;
      else delete listeners[topic];
      this.#scheduleSync();
    };
  }

  /**
   * Called after every reconnect (not the first open) and when the server says the gap was too
   * large to replay (`reset`): re-fetch snapshots there.
   */
  onResync(fn: () => void): () => void {
    this.#resyncListeners = [...this.#resyncListeners, fn];
    return () => {
      this.#resyncListeners = this.#resyncListeners.filter((l) => l !== fn);
    };
  }

  /** Watches the messages of the topics others listen to, without opening a stream of its own. */
  observe(fn: MessageObserver): () => void {
    this.#observers = [...this.#observers, fn];
    return () => {
      this.#observers = this.#observers.filter((o) => o !== fn);
    };
  }

  /** Reconnects at once (e.g. after the token changed, or the device came back online). */
  restart(): void {
    this.#close();
    this.#attempt = 0;
    this.#sync();
  }

  /** The id of the last message applied; the next connection resumes after it. */
  get lastEventId(): number | null {
    return this.#lastEventId;
  }

  // Components mount in one tick; batching their listen() calls opens one stream, not one per topic.
  #scheduleSync(): void {
    if (this.#pendingSync) return;
    this.#pendingSync = true;
    queueMicrotask(() => {
      this.#pendingSync = false;
      this.#sync();
    });
  }

  #sync(): void {
    const topics = streamTopics.filter((t) => this.#listeners[t] !== undefined);
    if (topics.length === 0) {
      this.#close();
      return;
    }
    const key = topics.join(',');
    if ((this.#abort || this.#retryTimer) && key === this.#openTopics) return;
    this.#close();
    this.#hookOnline();
    this.#openTopics = key;
    this.state = this.#everOpened ? 'reconnecting' : 'connecting';
    const controller = new AbortController();
    this.#abort = controller;
    void this.#run(topics, controller);
  }

  async #run(topics: StreamTopic[], controller: AbortController): Promise<void> {
    try {
      const response = await streamRequest(topics, this.#lastEventId, controller.signal);
      if (!response.ok || !response.body) throw new Error(`stream HTTP ${response.status}`);
      this.state = 'open';
      this.lastSignalAt = Date.now();
      this.#openedAt = this.lastSignalAt;
      this.#attempt = 0;
      this.#startWatchdog(controller);
      if (this.#everOpened) {
        this.reconnects++;
        setTimeout(() => {
          if (this.#abort === controller) this.#resync();
        }, RESYNC_DELAY_MS);
      }
      this.#everOpened = true;
      const parser = new SseParser({
        onEvent: (e) => this.#dispatch(e.event, e.data),
        onComment: () => (this.lastSignalAt = Date.now()),
      });
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        parser.push(value);
      }
    } catch (error) {
      if (controller.signal.aborted && this.#abort !== controller) return;
      if (!controller.signal.aborted) console.warn('live stream failed', error);
    }
    if (this.#abort !== controller) return;
    // The stream ended or failed (server restart, network, HTTP error, watchdog): try again later.
    this.#abort = null;
    this.#stopWatchdog();
    this.state = 'reconnecting';
    const delay = this.#retryDelay(this.#attempt++);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      this.#openTopics = '';
      this.#sync();
    }, delay);
  }

  #startWatchdog(controller: AbortController): void {
    this.#stopWatchdog();
    this.#watchdog = setInterval(() => {
      if (Date.now() - (this.lastSignalAt ?? 0) > STALE_AFTER_MS) controller.abort();
    }, WATCHDOG_MS);
  }

  #stopWatchdog(): void {
    if (this.#watchdog) clearInterval(this.#watchdog);
    this.#watchdog = null;
  }

  #hookOnline(): void {
    if (this.#onlineHooked || typeof window === 'undefined') return;
    this.#onlineHooked = true;
    window.addEventListener('online', () => {
      if (this.state !== 'open' && this.#openTopics) this.restart();
    });
  }

  #dispatch(event: string, data: string): void {
    this.lastSignalAt = Date.now();
    if (event === 'reset') return this.#reset(data);
    const topic = streamTopics.find((t) => t === event);
    if (!topic) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      return this.#reject(null);
    }
    const result = StreamMessage.safeParse(parsed);
    if (!result.success || result.data.topic !== topic) return this.#reject(parsed);
    const message = result.data;
    if (this.#lastEventId !== null && message.id <= this.#lastEventId) return;
    this.#lastEventId = message.id;
    this.lastMessageAt = Date.now();
    const listeners = (this.#listeners[message.topic] ?? []) as Listener<typeof message.topic>[];
    for (const fn of listeners) {
      try {
        fn(message);
      } catch (error) {
        // One broken listener must not starve the others of live data.
        console.error('stream listener failed', error);
      }
    }
    if (this.#observers.length === 0) return;
    const receivedAt = Date.now();
    for (const fn of this.#observers) fn(message, receivedAt, this.#openedAt);
  }

  /**
   * A message this page cannot read (a newer server's shape, a row stored before a contract change)
   * is still a change it missed: step past it, and have the listeners fetch their snapshots again,
   * at most every few seconds however many such messages arrive.
   */
  #reject(parsed: unknown): void {
    this.rejected++;
    const id = typeof parsed === 'object' && parsed !== null && 'id' in parsed ? parsed.id : null;
    if (typeof id === 'number' && id > (this.#lastEventId ?? 0)) this.#lastEventId = id;
    const now = Date.now();
    if (now - this.#rejectResyncAt < REJECT_RESYNC_MS) return;
    this.#rejectResyncAt = now;
    this.#resync();
  }

  #reset(data: string): void {
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(data);
    } catch {
      // handled below as a malformed reset
    }
    const reset = StreamReset.safeParse(parsed);
    // Continue after the server's position: replaying the skipped history on the next reconnect
    // would only hit the same cap again.
    if (reset.success) this.#lastEventId = Math.max(this.#lastEventId ?? 0, reset.data.resumeFrom);
    else this.rejected++;
    this.#resync();
  }

  #resync(): void {
    for (const fn of this.#resyncListeners) fn();
  }

  #close(): void {
    const controller = this.#abort;
    this.#abort = null;
    controller?.abort();
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    this.#stopWatchdog();
    this.#openTopics = '';
    this.state = 'idle';
  }
}

/** The page's connection. Module-level on purpose: every component of a page shares this one stream. */
export const live = new LiveConnection();
