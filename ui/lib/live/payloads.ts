import type { AndonView } from '$contract/andon.ts';
import type { NotificationView } from '$contract/escalation.ts';
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

export const andonEventTypes = ['andon.raised', 'andon.acknowledged', 'andon.resolved', 'andon.cancelled', 'andon.escalated'] as const;
export type AndonEventType = (typeof andonEventTypes)[number];

export function andonOf(message: StreamMessage): { type: AndonEventType; andon: AndonView } | null {
  const { type, andon } = message.data;
  if (!andonEventTypes.some((t) => t === type)) return null;
  if (!isObject(andon) || !str(andon.id) || !str(andon.workCenter) || !str(andon.reason) || !str(andon.state) || !str(andon.raisedAt)) {
    return null;
  }
  const view = andon as unknown as AndonView;
  // Servers before escalation sent no level: level 1 (the line lead) is told at once.
  return { type: type as AndonEventType, andon: { ...view, escalationLevel: num(andon.escalationLevel) ? andon.escalationLevel : 1 } };
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

export function notificationOf(message: StreamMessage): NotificationView | null {
  const d = message.data;
  const n = isObject(d.notification) ? d.notification : d;
  if (!num(n.id) || !str(n.kind) || !str(n.workCenter) || !str(n.reason) || !num(n.level) || !str(n.createdAt)) return null;
  return { andonId: '', notify: '', readAt: null, ...n } as unknown as NotificationView;
}
