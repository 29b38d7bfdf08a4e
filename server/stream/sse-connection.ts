import type { ServerResponse } from 'node:http';

/** Past this many bytes the socket has not taken, a client is too slow: it is dropped and resumes by id. */
const MAX_UNSENT_BYTES = 8 * 1024 * 1024;

/**
 * What an API response carries (server/app.ts sets the same through Hono's secureHeaders, which
 * never sees a stream written straight to the socket).
 */
const STREAM_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no',
  connection: 'keep-alive',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
};

/**
 * One Server-Sent Events response, written straight to Node's socket: with hundreds of boards on
 * one server, a web stream per client (encoder, transform, reader) cost more than the messages.
 */
export class SseConnection {
  readonly #res: ServerResponse;
  #lastWriteAt = performance.now();
  #closed = false;
  readonly #onClose: (() => void)[] = [];

  constructor(res: ServerResponse) {
    this.#res = res;
    res.on('close', () => this.#closedNow());
    res.on('error', () => this.#closedNow());
    // Gone while the request was authenticated ('close' has fired already and will not again).
    if (res.destroyed || res.writableEnded || res.socket?.destroyed === true) {
      this.#closedNow();
      return;
    }
    res.writeHead(200, STREAM_HEADERS);
  }

  get closed(): boolean {
    return this.#closed;
  }

  onClose(listener: () => void): void {
    if (this.#closed) listener();
    else this.#onClose.push(listener);
  }

  /** Queues text on the socket; a client that lets too much pile up is dropped. */
  write(text: string): void {
    if (this.#closed) return;
    this.#res.write(text);
    this.#lastWriteAt = performance.now();
    if (this.#res.writableLength > MAX_UNSENT_BYTES) this.drop();
  }

  /**
   * Cuts a client off at once, its unsent data discarded: end() would keep megabytes queued for a TV
   * that lost its Wi-Fi until TCP gives up. It reconnects and resumes by id.
   */
  drop(): void {
    if (this.#closed) return;
    this.#res.destroy();
    this.#closedNow();
  }

  /** Writes and waits until the socket has taken it (replay: a day of history must not pile up). */
  async writeAndDrain(text: string): Promise<void> {
    if (this.#closed) return;
    const ok = this.#res.write(text);
    this.#lastWriteAt = performance.now();
    if (ok) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        this.#res.off('drain', done);
        this.#res.off('close', done);
        resolve();
      };
      this.#res.on('drain', done);
      this.#res.on('close', done);
    });
  }

  /** Sends the heartbeat comment when nothing else was written for `idleMs`. */
  heartbeat(now: number, idleMs: number, frame: string): void {
    if (now - this.#lastWriteAt >= idleMs) this.write(frame);
  }

  end(): void {
    if (this.#closed) return;
    this.#res.end();
    this.#closedNow();
  }

  #closedNow(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const listener of this.#onClose.splice(0)) listener();
  }
}
