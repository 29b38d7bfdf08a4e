import type { AndonView } from '$contract/andon.ts';
import type { EtaChange, ProgressData, StreamMessage } from '$contract/stream.ts';
import type { LateReason } from '$contract/schedule.ts';

/**
 * The contract types stream payloads as `Record<string, unknown>`; these guards check the fields the
 * UI relies on before a message may touch screen state (a malformed message is dropped, not shown).
 */
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const str = (v: unknown): v is string => typeof v === 'string';
const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const strOrNull = (v: unknown) => v === null || str(v);

export function progressOf(message: StreamMessage): ProgressData | null {
  const d = message.data;
  if (!str(d.order) || !num(d.seq) || !str(d.workCenter) || !str(d.status) || !str(d.type)) return null;
  if (!num(d.quantityGood) || !num(d.quantityScrap) || !num(d.quantity) || !str(d.at)) return null;
  return d as unknown as ProgressData;
}

export type AndonEventType = 'andon.raised' | 'andon.acknowledged' | 'andon.resolved';

export function andonOf(message: StreamMessage): { type: AndonEventType; andon: AndonView } | null {
  const { type, andon } = message.data;
  if (type !== 'andon.raised' && type !== 'andon.acknowledged' && type !== 'andon.resolved') return null;
  if (!isObject(andon) || !str(andon.id) || !str(andon.workCenter) || !str(andon.reason) || !str(andon.state) || !str(andon.raisedAt)) {
    return null;
  }
  return { type, andon: andon as unknown as AndonView };
}

export interface EtaUpdate extends Omit<EtaChange, 'reasons'> {
  reasons: LateReason[];
}

export function etaChangesOf(message: StreamMessage): EtaUpdate[] {
  const changes = message.data.changes;
  if (!Array.isArray(changes)) return [];
  return changes.filter(
    (c): c is EtaUpdate =>
      isObject(c) && str(c.order) && strOrNull(c.eta) && typeof c.late === 'boolean' && Array.isArray(c.reasons),
  );
}

export function orderEventOf(message: StreamMessage): { type: string; order: string } | null {
  const { type, order } = message.data;
  return str(type) && str(order) ? { type, order } : null;
}
