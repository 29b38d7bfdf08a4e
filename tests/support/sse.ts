import type { StreamMessage, StreamMessageOf, StreamTopic } from '../../server/contract/stream.ts';

export interface SseFrame {
  id?: string;
  event?: string;
  data?: string;
  comment?: string;
}

/** Parses raw SSE text into frames, exactly as the wire carries them. */
export function parseFrames(text: string): SseFrame[] {
  const frames: SseFrame[] = [];
  for (const block of text.split('\n\n')) {
    if (!block.trim()) continue;
    const frame: SseFrame = {};
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) frame.comment = line.slice(1).trim();
      else {
        const i = line.indexOf(':');
        const key = line.slice(0, i);
        const value = line.slice(i + 1).replace(/^ /, '');
        if (key === 'id' || key === 'event' || key === 'data') frame[key] = value;
      }
    }
    frames.push(frame);
  }
  return frames;
}

/** An open stream connection that collects messages until closed. */
export class StreamReader {
  readonly messages: StreamMessage[] = [];
  readonly frames: SseFrame[] = [];
  #controller = new AbortController();
  #buffer = '';
  #waiters: (() => void)[] = [];
  done: Promise<void>;
  status = 0;

  constructor(url: string, headers: Record<string, string>) {
    this.done = (async () => {
      const response = await fetch(url, { headers, signal: this.#controller.signal });
      this.status = response.status;
      if (!response.body) return;
      const decoder = new TextDecoder();
      try {
        for await (const chunk of response.body) {
          this.#buffer += decoder.decode(chunk, { stream: true });
          let end: number;
          while ((end = this.#buffer.indexOf('\n\n')) >= 0) {
            const block = this.#buffer.slice(0, end + 2);
            this.#buffer = this.#buffer.slice(end + 2);
            for (const frame of parseFrames(block)) {
              this.frames.push(frame);
              if (frame.data) this.messages.push(JSON.parse(frame.data) as StreamMessage);
            }
            for (const w of this.#waiters.splice(0)) w();
          }
        }
      } catch (error) {
        if ((error as Error).name !== 'AbortError') throw error;
      }
    })();
  }

  async waitFor(predicate: (m: StreamMessage) => boolean, timeoutMs = 10_000): Promise<StreamMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(predicate);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching stream message within ${timeoutMs} ms; got ${this.messages.map((m) => m.topic).join(',')}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 100);
        this.#waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** The first message of `topic` matching `predicate`, typed by its topic. */
  async waitForTopic<T extends StreamTopic>(topic: T, predicate: (m: StreamMessageOf<T>) => boolean = () => true, timeoutMs = 10_000): Promise<StreamMessageOf<T>> {
    const isTopic = (m: StreamMessage): m is StreamMessageOf<T> => m.topic === topic;
    return (await this.waitFor((m) => isTopic(m) && predicate(m), timeoutMs)) as StreamMessageOf<T>;
  }

  /** The messages of `topic` received so far. */
  messagesOf<T extends StreamTopic>(topic: T): StreamMessageOf<T>[] {
    return this.messages.filter((m): m is StreamMessageOf<T> => m.topic === topic);
  }

  async close(): Promise<void> {
    this.#controller.abort();
    await this.done.catch(() => {});
  }
}
