import type { Queryable } from '../db/connect.ts';

export interface MachineRef {
  plantId: number;
  plantCode: string;
  workCenter: string;
  machine: number;
}

/** How the audit and the floor event's actor name a machine: `<workCenter>-<n>`. */
export function machineName(ref: Pick<MachineRef, 'workCenter' | 'machine'>): string {
  return `${ref.workCenter}-${ref.machine}`;
}

/**
 * Finds the machine a topic names: plant by code, machine as `<workCenter>-<n>` (machine n of that
 * work center), or the bare work center code for machine 1. `PRESS-2` is read as machine 2 of
 * PRESS when PRESS has two machines, and only otherwise as a work center called `PRESS-2`.
 */
export async function resolveMachine(db: Queryable, plantCode: string, segment: string): Promise<MachineRef | null> {
  const plant = await db.selectFrom('plant').select(['id', 'code']).where('code', '=', plantCode).executeTakeFirst();
  if (!plant) return null;
  const split = /^(.+)-(\d{1,3})$/.exec(segment);
  const candidates: { workCenter: string; machine: number }[] = [];
  if (split) candidates.push({ workCenter: split[1]!, machine: Number(split[2]) });
  candidates.push({ workCenter: segment, machine: 1 });
  for (const c of candidates) {
    const wc = await db
      .selectFrom('work_center')
      .select('machines')
      .where('plant_id', '=', plant.id)
      .where('code', '=', c.workCenter)
      .executeTakeFirst();
    if (wc && c.machine >= 1 && c.machine <= wc.machines) return { plantId: plant.id, plantCode: plant.code, ...c };
  }
  return null;
}
