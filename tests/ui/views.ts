import type { AndonView } from '../../server/contract/andon.ts';
import type { OperationOnFloor, WorkCenterStatus } from '../../server/contract/floor.ts';
import type { OrderDetail, OrderView } from '../../server/contract/orders.ts';
import type { ProgressData } from '../../server/contract/stream.ts';

/** API views as the server sends them, with only what a test cares about spelled out. */

export const andonView = (id: string, workCenter: string, over: Partial<AndonView> = {}): AndonView => ({
  id,
  workCenter,
  line: 'L1',
  reason: 'material',
  state: 'raised',
  order: null,
  seq: null,
  machine: null,
  note: null,
  expectedMinutes: null,
  expectedEndAt: null,
  raisedAt: '2026-03-02T08:00:00.000Z',
  raisedBy: 'op',
  acknowledgedAt: null,
  acknowledgedBy: null,
  resolvedAt: null,
  resolvedBy: null,
  rootCause: null,
  escalationLevel: 1,
  cancelledAt: null,
  cancelledBy: null,
  ...over,
});

export const orderView = (code: string, over: Partial<OrderView> = {}): OrderView => ({
  code,
  product: 'P1',
  productName: 'Shaft',
  quantity: 50,
  quantityGood: 0,
  dueAt: '2026-03-05T16:00:00.000Z',
  releaseAt: null,
  priority: 1,
  customer: 'ACME',
  status: 'open',
  eta: '2026-03-04T10:00:00.000Z',
  late: false,
  latenessMinutes: null,
  reasons: [],
  etaP50: null,
  etaP90: null,
  atRisk: false,
  etaDayAgo: null,
  progress: 0,
  currentSeq: 1,
  createdAt: '2026-03-01T08:00:00.000Z',
  shippedAt: null,
  ...over,
});

export const orderDetail = (code: string, operations: Partial<OrderDetail['operations'][number]>[], over: Partial<OrderView> = {}): OrderDetail => ({
  ...orderView(code, over),
  operations: operations.map((op, i) => ({
    seq: i + 1,
    workCenter: 'A',
    status: 'pending',
    quantity: 50,
    quantityGood: 0,
    quantityScrap: 0,
    setupMinutes: 10,
    runMinutesPerUnit: 1,
    startedAt: null,
    completedAt: null,
    held: null,
    planned: null,
    ...op,
  })),
  etaHistory: [],
});

export const onFloor = (order: string, seq: number, over: Partial<OperationOnFloor> = {}): OperationOnFloor => ({
  order,
  seq,
  operations: 2,
  product: 'P1',
  productName: 'Shaft',
  status: 'pending',
  machine: null,
  quantity: 50,
  quantityGood: 0,
  quantityScrap: 0,
  setupMinutes: 10,
  startedAt: null,
  plannedStart: '2026-03-02T09:00:00.000Z',
  plannedEnd: '2026-03-02T10:00:00.000Z',
  dueAt: '2026-03-05T16:00:00.000Z',
  late: false,
  ...over,
});

export const workCenterStatus = (code: string, active: OperationOnFloor[], next: OperationOnFloor[] = []): WorkCenterStatus => ({
  code,
  name: `WC ${code}`,
  line: 'L1',
  machines: 1,
  active,
  next,
  openAndon: [],
  lateStarts: [],
});

export const progressData = (order: string, seq: number, workCenter: string, over: Partial<ProgressData> = {}): ProgressData => ({
  order,
  seq,
  workCenter,
  machine: 1,
  type: 'operation.progress',
  status: 'running',
  quantityGood: 0,
  quantityScrap: 0,
  quantity: 50,
  operator: 'op',
  at: '2026-03-02T08:30:00.000Z',
  ...over,
});
