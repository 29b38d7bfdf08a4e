// Worker-thread entry of bench:display: holds a share of the board streams, so that parsing 15,000
// messages a second does not stall the thread that posts events and times them.
// Reports every 500 ms how many cause-carrying messages arrived; on 'stop' it aborts its streams
// and sends back, per cause, the wall-clock times at which its boards received it.
import { parentPort, workerData } from 'node:worker_threads';

interface Options {
  url: string;
  token: string;
  topics: string;
  clients: number;
  /** Topics whose every message must arrive (the rest coalesce by design and are only counted). */
  exactTopics: string[];
}

const options = workerData as Options;
const port = parentPort!;
const exact = new Set(options.exactTopics);
const received = new Map<string, number[]>();
let exactCount = 0;
let otherCount = 0;
let connected = 0;
const controllers: AbortController[] = [];
// The same clock in every thread: the process's time origin plus the monotonic offset.
const wallNow = () => performance.timeOrigin + performance.now();

async function board(): Promise<void> {
  const controller = new AbortController();
  controllers.push(controller);
  const response = await fetch(`${options.url}/api/v1/stream?topics=${options.topics}`, {
    headers: { authorization: `Bearer ${options.token}` },
    signal: controller.signal,
  });
  if (!response.ok) throw new Error(`stream: ${response.status}`);
  connected++;
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for await (const chunk of response.body!) {
      const now = wallNow();
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        // The topic is the frame's `event:` line; only messages that must arrive need their cause,
        // read without parsing the (possibly large) JSON: the id, topic, plant and cause come first.
        const topic = /^event: (\w+)$/m.exec(block)?.[1];
        if (!topic) continue;
        const cause = exact.has(topic) ? /"cause":"([^"]+)"/.exec(block)?.[1] : undefined;
        if (cause) {
          exactCount++;
          const list = received.get(cause);
          if (list) list.push(now);
          else received.set(cause, [now]);
        } else {
          otherCount++;
        }
      }
    }
  } catch (error) {
    if ((error as Error).name !== 'AbortError') throw error;
  }
}

const boards = Array.from({ length: options.clients }, () => board());
const ticker = setInterval(() => port.postMessage({ type: 'progress', connected, exactCount, otherCount }), 500);

port.on('message', (message: { type: string }) => {
  if (message.type !== 'stop') return;
  clearInterval(ticker);
  for (const c of controllers) c.abort();
  void Promise.allSettled(boards).then(() => {
    port.postMessage({ type: 'done', connected, exactCount, otherCount, received });
    port.close();
  });
});
