import { afterEach, beforeEach, expect, vi } from 'vitest';
import type { StreamMessage, StreamTopic } from '../../server/contract/stream.ts';

/** A message as it travels: tests also send malformed payloads, which the client must drop. */
export type WireMessage = Omit<StreamMessage, 'topic' | 'data'> & { topic: StreamTopic; data: unknown };
import { HEARTBEAT_FRAME, sseFrame } from '../../server/stream/sse-frame.ts';

/**
 * The server as the UI's `fetch` sees it, answered in-process: JSON for API paths, and for
 * `/api/v1/stream` a live SSE body the test writes frames into. The frames are the server's own
 * (`sseFrame`), so the client parses exactly what production sends. Install with
 * `vi.stubGlobal('fetch', server.fetch)`.
 */
export class FakeServer {
  /**
   * Answers by path (no query): a value is sent as JSON, a function is called with the URL and the
   * request init (and may be async, to hold a response back); a Response it returns is sent as it is.
   */
  readonly api = new Map<string, unknown>();
  /** Every API request, in order (stream requests are in `streams`). */
  readonly requests: URL[] = [];
  readonly streams: FakeStream[] = [];
  /** HTTP statuses for the next stream requests; an empty queue means 200 with a live body. */
  readonly streamStatuses: number[] = [];
  /** Unsubscribes of what the test followed, run after it. */
  readonly stops: (() => void)[] = [];

  fetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(String(input), 'http://takt.test');
    if (url.pathname === '/api/v1/stream') {
      const status = this.streamStatuses.shift() ?? 200;
      const stream = new FakeStream(url, init.signal ?? null, status);
      this.streams.push(stream);
      return stream.response;
    }
    this.requests.push(url);
    const path = url.pathname.replace(/^\/api\/v1/, '');
    if (!this.api.has(path)) return json(404, { error: { code: 'not_found', message: `no fake for ${path}` } });
    const answer = this.api.get(path);
    const value = typeof answer === 'function' ? await (answer as (u: URL, init: RequestInit) => unknown)(url, init) : answer;
    // A test that needs an error status (a 409, say) answers with a whole Response.
    return value instanceof Response ? value : json(200, value);
  };

  /** The stream currently open (the last one requested). */
  get stream(): FakeStream {
    const last = this.streams.at(-1);
    if (!last) throw new Error('no stream was requested');
    return last;
  }

  requestsTo(path: string): URL[] {
    return this.requests.filter((u) => u.pathname === `/api/v1${path}`);
  }
}

export class FakeStream {
  readonly url: URL;
  readonly response: Response;
  #controller!: ReadableStreamDefaultController<Uint8Array>;
  #encoder = new TextEncoder();
  #closed = false;
  #signal: AbortSignal | null;

  constructor(url: URL, signal: AbortSignal | null, status: number) {
    this.url = url;
    this.#signal = signal;
    if (status !== 200) {
      this.#closed = true;
      this.response = json(status, { error: { code: 'unavailable', message: 'down' } });
      return;
    }
    const body = new ReadableStream<Uint8Array>({ start: (c) => void (this.#controller = c) });
    // Like a real connection: aborting the request errors the body the client is reading.
    signal?.addEventListener('abort', () => {
      if (this.#closed) return;
      this.#closed = true;
      this.#controller.error(new DOMException('aborted', 'AbortError'));
    });
    this.response = new Response(body, { status, headers: { 'content-type': 'text/event-stream' } });
  }

  get topics(): string[] {
    return (this.url.searchParams.get('topics') ?? '').split(',');
  }
  get lastEventId(): number | null {
    const raw = this.url.searchParams.get('lastEventId');
    return raw === null ? null : Number(raw);
  }
  get aborted(): boolean {
    return this.#signal?.aborted ?? false;
  }

  write(text: string): void {
    if (this.#closed) throw new Error('stream is closed');
    this.#controller.enqueue(this.#encoder.encode(text));
  }
  send(message: WireMessage): void {
    // The server's own framing; the payload may be malformed on purpose, which the framing ignores.
    this.write(sseFrame(message as StreamMessage));
  }
  heartbeat(): void {
    this.write(HEARTBEAT_FRAME);
  }
  /** The server ends the response (restart, slow client dropped): the client must reconnect. */
  end(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#controller.close();
  }
}

/**
 * For every test of the file: a fresh fake server behind `fetch`, and a fresh module graph, since the
 * page's `live` connection is a module singleton (import the class under test after this hook ran).
 * What the test followed is stopped after it.
 */
export function useFakeServer(): { readonly server: FakeServer } {
  const current = { server: new FakeServer() };
  beforeEach(() => {
    current.server = new FakeServer();
    vi.stubGlobal('fetch', current.server.fetch);
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    vi.resetModules();
  });
  afterEach(() => {
    for (const stop of current.server.stops) stop();
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });
  return current;
}

/** What a page does with a state class: load it, follow the stream; resolves once the stream is open. */
export async function loadAndFollow(server: FakeServer, state: { load(): Promise<void>; follow(): () => void }): Promise<void> {
  await state.load();
  server.stops.push(state.follow());
  await vi.waitFor(() => expect(server.streams.length).toBeGreaterThan(0));
}

export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

/** A well-formed stream message; tests give the id, topic and payload. */
export function message(id: number, topic: StreamTopic, data: object): WireMessage {
  return { id, topic, plant: 'P1', cause: null, emittedAt: '2026-03-02T08:00:00.000Z', data };
}
