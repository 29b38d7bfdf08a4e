import type { MiddlewareHandler } from 'hono';
import type { Db } from '../db/connect.ts';
import { ApiError } from '../contract/errors.ts';

export interface PlantRef {
  id: number;
  code: string;
  timeZone: string;
}

declare module 'hono' {
  interface ContextVariableMap {
    plant: PlantRef;
  }
}

/**
 * Every request acts on one plant: `?plant=CODE` or the `X-Takt-Plant` header, or the caller's only
 * plant. A token only reaches the plants it is granted; an unknown and a forbidden plant look the
 * same (404) so codes of other plants do not leak.
 */
export function plantScope(options: { db: Db }): MiddlewareHandler {
  let cached: { plants: PlantRef[]; until: number } | null = null;
  // A plant created since the last read (PUT /plants) is a miss: read again rather than wait 10 s.
  const load = async (fresh = false) => {
    if (fresh || !cached || cached.until < Date.now()) {
      const rows = await options.db.selectFrom('plant').select(['id', 'code', 'time_zone']).orderBy('id').execute();
      cached = { plants: rows.map((r) => ({ id: r.id, code: r.code, timeZone: r.time_zone })), until: Date.now() + 10_000 };
    }
    return cached.plants;
  };
  return async (c, next) => {
    const principal = c.get('principal');
    const wanted = c.req.query('plant') ?? c.req.header('x-takt-plant');
    const granted = (all: PlantRef[]) => all.filter((p) => principal.allPlants || principal.plantIds.includes(p.id));
    let plants = granted(await load());
    const missing = wanted ? !plants.some((p) => p.code === wanted) : !principal.allPlants && plants.length < principal.plantIds.length;
    if (missing) plants = granted(await load(true));
    let plant: PlantRef | undefined;
    if (wanted) {
      plant = plants.find((p) => p.code === wanted);
      if (!plant) throw new ApiError(404, 'not_found', `plant '${wanted}' not found`, 'plant');
    } else if (plants.length === 1) {
      plant = plants[0];
    } else if (plants.length === 0) {
      throw new ApiError(403, 'forbidden', 'this token is not granted any plant');
    } else {
      throw new ApiError(400, 'validation_failed', 'several plants: choose one with ?plant=CODE', 'plant');
    }
    c.set('plant', plant!);
    await next();
  };
}
