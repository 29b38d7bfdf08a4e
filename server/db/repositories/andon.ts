import { openAndonStates } from '../../contract/andon.ts';
import type { Queryable } from '../connect.ts';

/**
 * The plant's open alerts (raised or acknowledged), for the caller to pick its columns: the planner,
 * the floor status, order details and the simulator all start from this one definition of "open".
 */
export function selectOpenAndons(db: Queryable, plantId: number) {
  return db.selectFrom('andon').where('plant_id', '=', plantId).where('state', 'in', openAndonStates);
}
