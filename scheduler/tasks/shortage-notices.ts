import type { OutgoingMessage } from '../../server/contract/stream.ts';
import type { Trx } from '../../server/db/connect.ts';
import { plannedDemand, readMaterials, recordShortages } from '../../server/db/repositories/materials.ts';
import { requestReschedule } from '../../server/outbox/plan-requests.ts';
import { forecastShortages } from '../engine/shortage-forecast.ts';

/**
 * After a plan is saved: forecast its shortages and keep the plant's shortage memory (the holds'
 * anchors, purchasing's notices) in step, in the plan's transaction. A plant without BOMs reads one
 * empty table and stops.
 */
export async function noticeShortages(
  trx: Trx,
  plantId: number,
  versionId: string,
  now: Date,
  cause: string | null,
  firstSeen: ReadonlyMap<string, number> = new Map(),
): Promise<OutgoingMessage[]> {
  const materials = await readMaterials(trx, plantId);
  if (!materials) return [];
  // A shortage the snapshot already held work for is needed from where that work was, not from where
  // the held plan moved it: else purchasing hears a later date and the next hold starts there again.
  const shortages = forecastShortages(await plannedDemand(trx, versionId), materials.bomOf, materials.stock).map((sh) => {
    const seen = firstSeen.get(sh.component);
    return seen !== undefined && seen < sh.neededAt ? { ...sh, neededAt: seen } : sh;
  });
  const units = new Map([...materials.components].map(([code, c]) => [code, c.unit]));
  const { messages, fresh } = await recordShortages(trx, plantId, shortages, units, now, cause);
  // A shortage this plan showed first holds its work only from the next plan: ask for it now. Only a
  // new one asks, so the plan it brings (same shortage, remembered) asks for nothing more.
  if (fresh.length) await requestReschedule(trx, plantId, { kind: 'material.shortage', causeId: fresh[0]! });
  return messages;
}
