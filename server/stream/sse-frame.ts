import type { StreamMessage } from '../contract/stream.ts';

const frames = new WeakMap<StreamMessage, string>();

/** The SSE text of one message; computed once however many clients receive it. */
export function sseFrame(message: StreamMessage): string {
  let frame = frames.get(message);
  if (!frame) {
    frame = `id: ${message.id}\nevent: ${message.topic}\ndata: ${JSON.stringify(message)}\n\n`;
    frames.set(message, frame);
  }
  return frame;
}

export const HEARTBEAT_FRAME = ': heartbeat\n\n';
