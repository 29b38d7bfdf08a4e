import { describe, expect, it } from 'vitest';
import { SseParser, type SseEvent } from '../../ui/lib/live/sse-parser.ts';

function collect(chunks: string[]) {
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const retries: number[] = [];
  const parser = new SseParser({ onEvent: (e) => events.push(e), onComment: (c) => comments.push(c), onRetry: (ms) => retries.push(ms) });
  for (const c of chunks) parser.push(c);
  return { events, comments, retries };
}

describe('SseParser', () => {
  it('parses events with id, event name and multi-line data', () => {
    const { events } = collect(['id: 7\nevent: andon\ndata: {"a":1,\ndata: "b":2}\n\n']);
    expect(events).toEqual([{ id: '7', event: 'andon', data: '{"a":1,\n"b":2}' }]);
  });

  it('reports heartbeat comments, which EventSource would hide', () => {
    const { events, comments } = collect([': heartbeat\n\n', 'retry: 2000\n: connected at 42\n\n']);
    expect(events).toEqual([]);
    expect(comments).toEqual(['heartbeat', 'connected at 42']);
  });

  it('reassembles events split anywhere across chunks, including between CR and LF', () => {
    const text = 'id: 1\r\nevent: progress\r\ndata: x\r\n\r\nid: 2\r\nevent: eta\r\ndata: y\r\n\r\n';
    for (let cut = 1; cut < text.length; cut++) {
      const { events } = collect([text.slice(0, cut), text.slice(cut)]);
      expect(events.map((e) => [e.id, e.event, e.data])).toEqual([
        ['1', 'progress', 'x'],
        ['2', 'eta', 'y'],
      ]);
    }
  });

  it('defaults the event name, strips one leading space only, and ignores an event without data', () => {
    const { events, retries } = collect(['data:  two spaces\n\nevent: nothing\n\nretry: 1500\n']);
    expect(events).toEqual([{ id: null, event: 'message', data: ' two spaces' }]);
    expect(retries).toEqual([1500]);
  });
});
