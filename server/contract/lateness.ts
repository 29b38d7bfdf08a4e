/**
 * The one definition of "late", used by the engine's output, the API, the TV tiles and the console:
 * an order that is not completed is late when its ETA is after its due date; before it has an ETA
 * (not planned yet), when its due date has passed. A completed order is never late.
 * (The engine computes the same comparison as part of its objective; the API's SQL filter for
 * `late=` mirrors it in orders/repository.ts and a test holds the two together.)
 */
export function isLate(order: { completed: boolean; eta: number | null; dueAt: number }, now: number): boolean {
  if (order.completed) return false;
  return order.eta !== null ? order.eta > order.dueAt : order.dueAt < now;
}

/** The same rule over the API's ISO strings. */
export function orderIsLate(order: { status: string; eta: string | null; dueAt: string }, now: number): boolean {
  return isLate({ completed: order.status === 'completed', eta: order.eta === null ? null : Date.parse(order.eta), dueAt: Date.parse(order.dueAt) }, now);
}

/**
 * At risk: open, on time by its ETA, but its P90 is after the due date (the API's `atRisk`,
 * orders/service.ts); the console re-derives it when an `eta` message moves the dates.
 */
export function orderIsAtRisk(order: { status: string; eta: string | null; etaP90: string | null; dueAt: string }, now: number): boolean {
  return order.status !== 'completed' && !orderIsLate(order, now) && order.etaP90 !== null && Date.parse(order.etaP90) > Date.parse(order.dueAt);
}
