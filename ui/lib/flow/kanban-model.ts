import type { Product, WorkCenter } from '$contract/master-data.ts';
import type { OrderView } from '$contract/orders.ts';
import type { PinView } from '$contract/plan.ts';
import type { ScheduledOperationView } from '$contract/schedule.ts';

/**
 * The kanban of the work, as pure functions shared by the console (/console/flow) and the TV
 * board's kanban layout: the latest plan as queues, a column per work center grouped by line, the
 * running jobs first and then the queued ones in planned order, WIP against the work center's limit,
 * and where a card dropped in its queue asks the engine to put it (a queue pin's start).
 *
 * Terms
 * - Queue: a column's jobs that have not started (pending or held), in planned start order.
 * - WIP: running + queued jobs; `wipLimit` (per work center, in jobs) is what the column is held to.
 * - Queue time: what orders a queue for the engine. A queue pin's time for a card so pinned, else its
 *   planned start (the engine dispatches unpinned work by its previous plan's start), so a drop lands
 *   between its new neighbours' queue times, not merely their starts.
 * - Queued work: setup + run minutes of the queued jobs (routing run time x order quantity); the
 *   planned span (end - start) only when the routing is unknown, since a span also counts the nights
 *   and breaks the job waits through.
 */

/** A planned operation as the queue shows it: its place in the plan, and what the card says. */
export interface KanbanCard extends Pick<ScheduledOperationView, 'order' | 'seq' | 'workCenter' | 'machine' | 'start' | 'end' | 'status' | 'pinned' | 'frozen' | 'late'> {
  /** A live queue pin's time on this operation; null: not queue-pinned (its planned start orders it). */
  queueAt: string | null;
  /** From the order list; null while the order is unknown to the page (a new order, until refetched). */
  quantity: number | null;
  dueAt: string | null;
  productName: string | null;
  /** Routing length ("op 2/5"); null when the product is unknown. */
  operations: number | null;
  /** The routing step's description, e.g. "Turning". */
  stepName: string | null;
  /** Setup + run minutes of this job. */
  workMinutes: number;
}

/** Amber at the limit, red over it; `none`: the work center has no limit. */
export type WipLimitState = 'none' | 'under' | 'at' | 'over';

export interface KanbanColumn {
  code: string;
  name: string;
  line: string;
  machines: number;
  wipLimit: number | null;
  running: KanbanCard[];
  queued: KanbanCard[];
  wip: number;
  queuedMinutes: number;
  limitState: WipLimitState;
}

export interface KanbanLine {
  line: string;
  columns: KanbanColumn[];
}

export interface KanbanInput {
  operations: readonly ScheduledOperationView[];
  workCenters: readonly Pick<WorkCenter, 'code' | 'name' | 'line' | 'machines' | 'wipLimit'>[];
  orders: readonly Pick<OrderView, 'code' | 'product' | 'productName' | 'quantity' | 'dueAt'>[];
  products: readonly Pick<Product, 'code' | 'routing'>[];
  /** Live pins (the console reads them; a TV's token may not, and does not need them). */
  pins?: readonly Pick<PinView, 'order' | 'seq' | 'mode' | 'start'>[];
}

const MINUTE_MS = 60_000;
const ms = (iso: string) => new Date(iso).getTime();
const byStart = (a: KanbanCard, b: KanbanCard) => ms(a.start) - ms(b.start) || a.order.localeCompare(b.order) || a.seq - b.seq;

export function limitStateOf(wip: number, wipLimit: number | null | undefined): WipLimitState {
  if (wipLimit === null || wipLimit === undefined) return 'none';
  return wip > wipLimit ? 'over' : wip === wipLimit ? 'at' : 'under';
}

/** Every column of the plan, lines in name order and work centers in code order within a line. */
export function kanbanLines(input: KanbanInput): KanbanLine[] {
  const orders = new Map(input.orders.map((o) => [o.code, o]));
  const products = new Map(input.products.map((p) => [p.code, p]));
  const queueTimes = new Map((input.pins ?? []).filter((p) => p.mode === 'queue' && p.start).map((p) => [`${p.order}:${p.seq}`, p.start]));
  const cardsByCenter = new Map<string, KanbanCard[]>();
  for (const op of input.operations) {
    const order = orders.get(op.order);
    const product = order ? products.get(order.product) : undefined;
    const step = product?.routing.find((s) => s.seq === op.seq);
    const runMinutes = step && order ? step.runMinutesPerUnit * order.quantity : null;
    const card: KanbanCard = {
      order: op.order,
      seq: op.seq,
      workCenter: op.workCenter,
      machine: op.machine,
      start: op.start,
      end: op.end,
      status: op.status,
      pinned: op.pinned,
      frozen: op.frozen,
      late: op.late,
      queueAt: queueTimes.get(`${op.order}:${op.seq}`) ?? null,
      quantity: order?.quantity ?? null,
      dueAt: order?.dueAt ?? null,
      productName: order?.productName ?? null,
      operations: product ? product.routing.length : null,
      stepName: step?.description ?? null,
      workMinutes: runMinutes === null ? Math.max(0, (ms(op.end) - ms(op.start)) / MINUTE_MS) : op.setupMinutes + runMinutes,
    };
    const list = cardsByCenter.get(op.workCenter) ?? [];
    list.push(card);
    cardsByCenter.set(op.workCenter, list);
  }
  // A plan naming a work center the page does not know yet still shows its jobs.
  const centers = [...input.workCenters];
  for (const code of cardsByCenter.keys()) {
    if (!centers.some((c) => c.code === code)) centers.push({ code, name: code, line: '', machines: 1, wipLimit: null });
  }
  centers.sort((a, b) => a.line.localeCompare(b.line) || a.code.localeCompare(b.code));

  const lines: KanbanLine[] = [];
  for (const center of centers) {
    const cards = (cardsByCenter.get(center.code) ?? []).sort(byStart);
    const running = cards.filter((c) => c.status === 'running');
    const queued = cards.filter((c) => c.status !== 'running');
    const wip = running.length + queued.length;
    const column: KanbanColumn = {
      code: center.code,
      name: center.name,
      line: center.line,
      machines: center.machines,
      wipLimit: center.wipLimit ?? null,
      running,
      queued,
      wip,
      queuedMinutes: queued.reduce((sum, c) => sum + c.workMinutes, 0),
      limitState: limitStateOf(wip, center.wipLimit),
    };
    const last = lines.at(-1);
    if (last && last.line === center.line) last.columns.push(column);
    else lines.push({ line: center.line, columns: [column] });
  }
  return lines;
}

/** Why a card may not be dragged at all, or null when it may. */
export type DragBlock = 'running' | 'frozen';

export function dragBlockOf(card: Pick<KanbanCard, 'status' | 'frozen'>): DragBlock | null {
  if (card.status === 'running') return 'running';
  if (card.frozen) return 'frozen';
  return null;
}

export type DropResult =
  /** A queue pin: the card's own machine, joining the queue at `start`. */
  | { kind: 'move'; index: number; start: string }
  /** Dropped where it already is: nothing to send. */
  | { kind: 'same' }
  /** Another column: an operation's work center is fixed by its routing. */
  | { kind: 'other-work-center'; workCenter: string }
  /** Ahead of a frozen job: those keep their machine and order. */
  | { kind: 'ahead-of-frozen' };

/** Where a card joins the queue when dropped at the very front or back: one minute from its neighbour. */
const EDGE_GAP_MS = MINUTE_MS;

const queueTimeOf = (card: Pick<KanbanCard, 'start' | 'queueAt'>) => ms(card.queueAt ?? card.start);

/**
 * Dropping `card` into the column `target` at `index` of that column's queue without the card
 * (0 = first). The pin's start lies between the queue times of the new neighbours (their midpoint;
 * equal times give that time), a minute before the first or after the last.
 */
export function dropResult(column: Pick<KanbanColumn, 'code' | 'queued'>, card: Pick<KanbanCard, 'order' | 'seq' | 'workCenter'>, target: string, index: number): DropResult {
  if (target !== card.workCenter) return { kind: 'other-work-center', workCenter: card.workCenter };
  const same = (c: Pick<KanbanCard, 'order' | 'seq'>) => c.order === card.order && c.seq === card.seq;
  const from = column.queued.findIndex(same);
  const rest = column.queued.filter((c) => !same(c));
  const at = Math.max(0, Math.min(index, rest.length));
  if (at === from) return { kind: 'same' };
  const before = rest[at - 1];
  const after = rest[at];
  if (after?.frozen) return { kind: 'ahead-of-frozen' };
  let start: number;
  if (before && after) start = Math.floor((queueTimeOf(before) + queueTimeOf(after)) / 2);
  else if (after) start = queueTimeOf(after) - EDGE_GAP_MS;
  else if (before) start = queueTimeOf(before) + EDGE_GAP_MS;
  else return { kind: 'same' };
  return { kind: 'move', index: at, start: new Date(start).toISOString() };
}

/**
 * Where a pointer at `y` drops among the queue's cards (the dragged one left out), given each card's
 * vertical middle on screen: before the first card whose middle is below the pointer.
 */
export function insertionIndex(cardMiddles: readonly number[], y: number): number {
  const index = cardMiddles.findIndex((middle) => y < middle);
  return index === -1 ? cardMiddles.length : index;
}

/** The column's cards as one list, running first: what a TV shows top to bottom, cut to `capacity`. */
export function cardsShown(column: Pick<KanbanColumn, 'running' | 'queued'>, capacity: number): { cards: KanbanCard[]; hidden: number } {
  const all = [...column.running, ...column.queued];
  if (all.length <= capacity) return { cards: all, hidden: 0 };
  // The last slot says how many more there are.
  const shown = Math.max(0, capacity - 1);
  return { cards: all.slice(0, shown), hidden: all.length - shown };
}

/**
 * The TV's pages: whole lines side by side while they fit `perPage` columns, a line wider than a
 * page split across pages. Every page has at least one column (an empty plant: one empty page).
 */
export function kanbanPages(lines: readonly KanbanLine[], perPage: number): KanbanLine[][] {
  const size = Math.max(1, perPage);
  const pages: KanbanLine[][] = [];
  let page: KanbanLine[] = [];
  let count = 0;
  const flush = () => {
    if (page.length > 0) pages.push(page);
    page = [];
    count = 0;
  };
  for (const line of lines) {
    if (count > 0 && count + line.columns.length > size) flush();
    for (let i = 0; i < line.columns.length; i += size) {
      const part = { line: line.line, columns: line.columns.slice(i, i + size) };
      if (i > 0) flush();
      page.push(part);
      count += part.columns.length;
    }
  }
  flush();
  return pages.length > 0 ? pages : [[]];
}

/** Whether some of `wanted` is not in `known`: a plan naming an order the page has not loaded yet. */
export function anyMissing(wanted: Iterable<string>, known: Iterable<string>): boolean {
  const have = new Set(known);
  for (const code of wanted) if (!have.has(code)) return true;
  return false;
}
