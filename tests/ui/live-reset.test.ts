import { afterEach, expect, it, vi } from 'vitest';
import type { OrderView } from '$contract/orders.ts';
import { LiveConnection, live } from '$lib/live/live-connection.svelte.ts';
import { OrdersState } from '$console/orders/orders-state.svelte.ts';

/**
 * A stream that says the gap was too large to replay must make every live page fetch its snapshot
 * again (the console's order list did not). The network is the only fake here: `fetch` answers
 * like the server does, the classes under test are the real ones.
 */
const RESET_FRAME = 'event: reset\ndata: {"reason":"gap too large","resumeFrom":500}\n\n';

function sseResponse(text: string): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(text));
      // Left open, as a live stream is.
    },
  });
  return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
}

const order = (code: string): OrderView => ({
  code, product: 'P1', productName: 'Part', quantity: 10, quantityGood: 0, dueAt: '2026-12-10T00:00:00.000Z', releaseAt: null,
  priority: 1, customer: null, status: 'open', eta: null, late: false, latenessMinutes: null, reasons: [], progress: 0, currentSeq: 1,
  createdAt: '2026-12-01T00:00:00.000Z',
});

afterEach(() => {
  vi.unstubAllGlobals();
});

it('a reset calls every resync listener and resumes after the server position', async () => {
  vi.stubGlobal('fetch', vi.fn(async () => sseResponse(RESET_FRAME)));
  const connection = new LiveConnection();
  const resynced = vi.fn();
  const stopListening = connection.listen('order', () => {});
  const stopResync = connection.onResync(resynced);
  await vi.waitFor(() => expect(resynced).toHaveBeenCalledTimes(1));
  expect(connection.lastEventId).toBe(500);
  stopResync();
  stopListening();
});

it("the console's order list fetches its snapshot again after a reset", async () => {
  let listCalls = 0;
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: string | URL) => {
      const url = String(input);
      if (url.startsWith('/api/v1/stream')) return sseResponse(RESET_FRAME);
      if (url.startsWith('/api/v1/orders')) {
        listCalls += 1;
        return Response.json(listCalls === 1 ? [order('SO-1')] : [order('SO-1'), order('SO-2')]);
      }
      return Response.json({ error: { code: 'not_found', message: 'no schedule' } }, { status: 404 });
    }),
  );
  const state = new OrdersState();
  await state.load();
  expect(state.orders.map((o) => o.code)).toEqual(['SO-1']);
  const stop = state.follow();
  await vi.waitFor(() => expect(state.orders.map((o) => o.code)).toEqual(['SO-1', 'SO-2']));
  stop();
  await vi.waitFor(() => expect(live.state).toBe('idle'));
});
