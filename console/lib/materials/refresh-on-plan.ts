import { live } from '$lib/live/live-connection.svelte.ts';

/** A new plan arrives as one schedule message and several eta messages: re-read once per burst. */
const SETTLE_MS = 400;

/**
 * Re-reads a department view whenever the plan moves (schedule, eta), the floor reports (progress:
 * stock is backflushed), an alert changes, an order comes, changes, completes or ships, or a material
 * notice arrives; and after a resync.
 * Returns the unsubscribe.
 */
export function refreshOnPlan(reload: () => Promise<void>): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const soon = () => {
    timer ??= setTimeout(() => {
      timer = null;
      void reload();
    }, SETTLE_MS);
  };
  const stops = [
    live.listen('schedule', soon),
    live.listen('eta', soon),
    live.listen('progress', soon),
    live.listen('andon', soon),
    live.listen('order', soon),
    live.listen('notification', (m) => {
      if (m.data.kind.startsWith('material.')) soon();
    }),
    live.onResync(() => void reload()),
  ];
  return () => {
    for (const stop of stops) stop();
    if (timer) clearTimeout(timer);
  };
}
