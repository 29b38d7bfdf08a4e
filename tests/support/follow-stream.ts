import type { StreamMessage } from '../../server/contract/stream.ts';

/**
 * Follows /api/v1/stream as a screen does across a fault: every message goes to `onMessage`, and a
 * dropped or refused connection is retried every 300 ms until `stop` aborts.
 */
export function followStream(url: string, headers: Record<string, string>, onMessage: (m: StreamMessage) => void, stop: AbortSignal): void {
  void (async () => {
    while (!stop.aborted) {
      try {
        const response = await fetch(url, { headers, signal: stop });
        let buffer = '';
        for await (const chunk of response.body!) {
          buffer += Buffer.from(chunk).toString('utf8');
          for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
            const data = buffer.slice(0, end).split('\n').find((l) => l.startsWith('data: '));
            buffer = buffer.slice(end + 2);
            if (data) onMessage(JSON.parse(data.slice(6)) as StreamMessage);
          }
        }
      } catch {
        // dropped: reconnect below, as the live connection does
      }
      await new Promise((r) => setTimeout(r, 300));
    }
  })();
}
