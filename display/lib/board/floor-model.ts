import { openAndonStates, type AndonView } from '$contract/andon.ts';
import type { OperationStatus } from '$contract/operation-transitions.ts';
import type { OperationView, OrderDetail } from '$contract/orders.ts';
import type { ProgressData } from '$contract/stream.ts';

/** An operation as the floor screens track it: initial state from order details, then progress messages. */
export interface FloorOperation extends Pick<OperationView, 'seq' | 'workCenter' | 'quantity' | 'quantityGood' | 'quantityScrap' | 'startedAt'> {
  order: string;
  status: OperationStatus;
  machine: number | null;
  /** Null when first seen through the stream, before the order's details arrive. */
  setupMinutes: number | null;
}

export interface OrderInfo {
  code: string;
  productName: string;
  customer: string | null;
  operationCount: number;
}

export const operationKey = (order: string, seq: number) => `${order}/${seq}`;

export function operationsFromDetail(detail: OrderDetail): FloorOperation[] {
  return detail.operations.map((op) => ({
    order: detail.code,
    seq: op.seq,
    workCenter: op.workCenter,
    status: op.status,
    quantity: op.quantity,
    quantityGood: op.quantityGood,
    quantityScrap: op.quantityScrap,
    machine: op.planned?.machine ?? null,
    startedAt: op.startedAt,
    setupMinutes: op.setupMinutes,
  }));
}

/** Applies one progress message to what we knew of the operation (if anything). */
export function applyProgress(previous: FloorOperation | undefined, p: ProgressData): FloorOperation {
  // The live connection validated the message, so its status is one the contract knows.
  const status = p.status;
  return {
    order: p.order,
    seq: p.seq,
    workCenter: p.workCenter,
    status,
    quantity: p.quantity,
    quantityGood: p.quantityGood,
    quantityScrap: p.quantityScrap,
    machine: p.machine,
    startedAt: previous?.startedAt ?? (status === 'running' ? p.at : null),
    setupMinutes: previous?.setupMinutes ?? null,
  };
}

export function infoFromDetail(detail: OrderDetail): OrderInfo {
  return { code: detail.code, productName: detail.productName, customer: detail.customer, operationCount: detail.operations.length };
}

/** Open until resolved or cancelled: the contract's one list of open states. */
export const isOpenAndon = (a: AndonView) => (openAndonStates as readonly string[]).includes(a.state);

/** Open alerts, newest first: the order the board strip and station list show them in. */
export function upsertOpenAndon(list: AndonView[], andon: AndonView): AndonView[] {
  const rest = list.filter((a) => a.id !== andon.id);
  if (!isOpenAndon(andon)) return rest;
  return [andon, ...rest].sort((a, b) => b.raisedAt.localeCompare(a.raisedAt));
}
