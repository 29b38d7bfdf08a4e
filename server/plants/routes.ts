import { Hono } from 'hono';
import type { PlantView } from '../contract/floor.ts';
import type { Db } from '../db/connect.ts';

/** The plants this caller is granted, with the names and time zones screens show. */
export function plantRoutes({ db }: { db: Db }) {
  return new Hono().get('/', async (c) => {
    const principal = c.get('principal');
    const rows = await db.selectFrom('plant').select(['id', 'code', 'name', 'time_zone']).orderBy('id').execute();
    return c.json(
      rows
        .filter((p) => principal.allPlants || principal.plantIds.includes(p.id))
        .map((p): PlantView => ({ code: p.code, name: p.name, timeZone: p.time_zone })),
    );
  });
}
