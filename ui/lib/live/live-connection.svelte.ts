import { StreamMessage, streamTopics, type StreamTopic } from '$contract/stream.ts';
import { streamUrl } from '$lib/api/client.ts';

export type ConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting';
type Listener = (message: StreamMessage) => void;

/**
 * One EventSource per page, shared by every component on it. Components `listen()` to topics and get
 * an unsubscribe back; the socket opens with the first listener and closes with the last. The browser
 * resends Last-Event-ID on its own reconnects; when we reopen (new topics), we pass the last id
 * ourselves so the server replays what was missed.
 */
export class LiveConnection {
  state = $state<ConnectionState>('idle');
  /** When the last message (or the connection itself) proved the data fresh; ms since epoch. */
  lastMessageAt = $state<number | null>(null);
  /** Messages dropped because they did not match the contract: shown nowhere, but kept for diagnosis. */
  rejected = $state(0);

  // Deliberately not reactive: listen() runs inside components' effects, which must not track it.
  #listeners: Partial<Record<StreamTopic, Listener[]>> = {};
  #source: EventSource | null = null;
  #openTopics = '';
  #lastEventId: number | null = null;
  #pendingSync = false;

  listen(topic: StreamTopic, fn: Listener): () => void {
    this.#listeners[topic] = [...(this.#listeners[topic] ?? []), fn];
    this.#scheduleSync();
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      const rest = (this.#listeners[topic] ?? []).filter((l) => l !== fn);
      if (rest.length > 0) this.#listeners[topic] = rest;
      else delete this.#listeners[topic];
      this.#scheduleSync();
    };
  }

  /** Reconnects at once (e.g. after the token changed). */
  restart(): void {
    this.#close();
    this.#sync();
  }

  // Components mount in one tick; batching their listen() calls opens one socket, not one per topic.
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
    if (this.#source && key === this.#openTopics) return;
    this.#close();
    this.#openTopics = key;
    this.state = 'connecting';
    const source = new EventSource(streamUrl(topics, this.#lastEventId));
    this.#source = source;
    source.onopen = () => {
      this.state = 'open';
      this.lastMessageAt = Date.now();
    };
    source.onerror = () => {
      // CONNECTING means the browser retries by itself (with Last-Event-ID); CLOSED means it gave up
      // (e.g. HTTP 401), so we retry later ourselves rather than leave a TV board dead.
      this.state = 'reconnecting';
      if (source.readyState === EventSource.CLOSED && this.#source === source) {
        this.#source = null;
        setTimeout(() => {
          if (!this.#source) this.#sync();
        }, 5000);
      }
    };
    for (const topic of topics) source.addEventListener(topic, (event) => this.#dispatch(topic, event as MessageEvent<string>));
  }

  #dispatch(topic: StreamTopic, event: MessageEvent<string>): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(event.data);
    } catch {
      this.rejected++;
      return;
    }
    const result = StreamMessage.safeParse(parsed);
    if (!result.success || result.data.topic !== topic) {
      this.rejected++;
      return;
    }
    const message = result.data;
    this.#lastEventId = message.id;
    this.lastMessageAt = Date.now();
    this.state = 'open';
    for (const fn of this.#listeners[topic] ?? []) {
      try {
        fn(message);
      } catch (error) {
        // One broken listener must not starve the others of live data.
        console.error('stream listener failed', error);
      }
    }
  }

  #close(): void {
    this.#source?.close();
    this.#source = null;
    this.#openTopics = '';
    this.state = 'idle';
  }
}

/** The page's connection. Module-level on purpose: every component of a page shares this one socket. */
export const live = new LiveConnection();
