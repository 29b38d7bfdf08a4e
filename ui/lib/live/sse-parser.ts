/**
 * A small Server-Sent Events parser for `fetch` streams. EventSource hides comment lines, so it cannot
 * see the server's heartbeat (`: heartbeat` every 15 s); reading the stream ourselves lets a quiet
 * but healthy connection count as alive, and lets us manage reconnects (EventSource gives up on
 * HTTP errors and retries on its own schedule otherwise).
 *
 * Feed it decoded text chunks in order; it calls back once per complete event and once per comment.
 * Follows the WHATWG rules that matter here: `\n`, `\r\n` and `\r` line ends, `field: value` with one
 * optional space, multi-line `data`, an event dispatched on a blank line, unknown fields ignored.
 */
export interface SseEvent {
  /** `event:` field, "message" when absent. */
  event: string;
  data: string;
  /** `id:` field of this event, or null when it had none. */
  id: string | null;
}

export interface SseCallbacks {
  onEvent: (event: SseEvent) => void;
  onComment?: (text: string) => void;
  onRetry?: (ms: number) => void;
}

export class SseParser {
  #buffer = '';
  #event = '';
  #data: string[] = [];
  #id: string | null = null;
  #hasData = false;
  #callbacks: SseCallbacks;
  /** A chunk may end between `\r` and `\n`: the next chunk must not read that `\n` as an empty line. */
  #skipLeadingLf = false;

  constructor(callbacks: SseCallbacks) {
    this.#callbacks = callbacks;
  }

  push(chunk: string): void {
    let text = chunk;
    if (this.#skipLeadingLf && text.startsWith('\n')) text = text.slice(1);
    this.#skipLeadingLf = false;
    this.#buffer += text;
    let start = 0;
    for (let i = 0; i < this.#buffer.length; i++) {
      const c = this.#buffer[i];
      if (c !== '\n' && c !== '\r') continue;
      this.#line(this.#buffer.slice(start, i));
      if (c === '\r') {
        if (i + 1 < this.#buffer.length) {
          if (this.#buffer[i + 1] === '\n') i++;
        } else {
          this.#skipLeadingLf = true;
        }
      }
      start = i + 1;
    }
    this.#buffer = this.#buffer.slice(start);
  }

  #line(line: string): void {
    if (line === '') {
      this.#dispatch();
      return;
    }
    if (line.startsWith(':')) {
      this.#callbacks.onComment?.(line.slice(1).trimStart());
      return;
    }
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.#event = value;
        break;
      case 'data':
        this.#data.push(value);
        this.#hasData = true;
        break;
      case 'id':
        if (!value.includes('\0')) this.#id = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.#callbacks.onRetry?.(Number(value));
        break;
      default:
        break;
    }
  }

  #dispatch(): void {
    if (this.#hasData) this.#callbacks.onEvent({ event: this.#event || 'message', data: this.#data.join('\n'), id: this.#id });
    this.#event = '';
    this.#data = [];
    this.#id = null;
    this.#hasData = false;
  }
}
