import type { Snapshot } from '../engine/model.ts';

/**
 * The live loop's search budget grows with the plant: a few hundred operations settle within tens of
 * milliseconds, while the search thread competes with the server and PostgreSQL for two cores.
 * 16,000 operations get the full second the floor can wait.
 */
export function liveBudgetMs(snapshot: Snapshot): number {
  let operations = 0;
  for (const order of snapshot.orders) operations += order.operations.length;
  return Math.round(Math.min(1000, Math.max(50, operations * 0.06)));
}
