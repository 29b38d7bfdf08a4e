import { Hono } from 'hono';
import { allow } from '../auth/middleware.ts';
import { Code } from '../contract/common.ts';
import { PlantBody, type PlantView } from '../contract/plants.ts';
import type { Db } from '../db/connect.ts';
import { jsonBody, parseWith } from '../http/validate.ts';
import { putPlant } from './service.ts';

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
  })
    .put('/:code', allow(), async (c) => {
      const code = parseWith(Code, c.req.param('code'), 'code');
      const body = await jsonBody(c, PlantBody);
      const principal = c.get('principal');
      const result = await db.transaction().execute((trx) => putPlant(trx, { name: principal.name, allPlants: principal.allPlants }, code, body));
      return c.json(result.plant, result.created ? 201 : 200);
    });
}
