import { isIanaTimeZone } from '../contract/common.ts';
import { ApiError } from '../contract/errors.ts';
import type { PlantBody, PlantView } from '../contract/plants.ts';
import type { Trx } from '../db/connect.ts';
import { appendEvent } from '../event-log/append.ts';

/**
 * Creates a plant or renames it / moves its time zone. Only admins granted every plant may: a plant
 * admin could otherwise make plants nobody can reach. Calendars keep their own time zones.
 */
export async function putPlant(trx: Trx, actor: { name: string; allPlants: boolean }, code: string, body: PlantBody): Promise<{ plant: PlantView; created: boolean }> {
  if (!actor.allPlants) throw new ApiError(403, 'forbidden', 'only an admin of every plant creates or changes plants');
  if (!isIanaTimeZone(body.timeZone)) throw ApiError.invalid('timeZone', `timeZone '${body.timeZone}' is not an IANA time zone`);
  const existing = await trx.selectFrom('plant').select('id').where('code', '=', code).executeTakeFirst();
  const row = await trx
    .insertInto('plant')
    .values({ code, name: body.name, time_zone: body.timeZone })
    .onConflict((oc) => oc.column('code').doUpdateSet({ name: body.name, time_zone: body.timeZone }))
    .returning(['id', 'code', 'name', 'time_zone'])
    .executeTakeFirstOrThrow();
  await appendEvent(trx, { plantId: row.id, type: existing ? 'plant.updated' : 'plant.created', actor: actor.name, subject: code, payload: body });
  return { plant: { code: row.code, name: row.name, timeZone: row.time_zone }, created: !existing };
}
