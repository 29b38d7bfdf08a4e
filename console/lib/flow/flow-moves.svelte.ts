import { ApiError } from '$lib/api/api-error.ts';
import { api } from '$lib/api/endpoints.ts';
import type { FlowData } from '$lib/flow/flow-data.svelte.ts';
import { live } from '$lib/live/live-connection.svelte.ts';
import { dragBlockOf, dropResult, type DragBlock, type KanbanCard, type KanbanColumn } from '$lib/flow/kanban-model.ts';

/** Why a move was not sent, in the words the page shows. */
export type MoveRefusal = DragBlock | 'read-only' | 'ahead-of-frozen' | { otherWorkCenter: string } | 'no-plan';

/**
 * What the last move is doing, for the notice above the board:
 * sending the pin, waiting for the re-plan it asked for, done (where the card ended up), or why not.
 */
export type MoveNotice =
  | { kind: 'sending'; order: string; seq: number }
  | { kind: 'replanning'; order: string; seq: number; baseVersion: number; pinnedAt: string }
  | { kind: 'done'; order: string; seq: number; workCenter: string; position: number | null; count: number }
  | { kind: 'refused'; order: string; seq: number; why: MoveRefusal }
  | { kind: 'unhonourable'; order: string; seq: number; note: string | null; noteCode: string | null }
  | { kind: 'conflict'; message: string }
  | { kind: 'failed'; error: ApiError };

/**
 * The kanban's reorder: a card dropped at a new place in its own column becomes a queue pin on its
 * planned machine, starting between its new neighbours' planned starts, based on the plan version on
 * screen. The new plan arrives on the stream like any other; a 409 (the plan moved under the pin)
 * re-fetches the plan and says why.
 */
export class FlowMoves {
  #notice = $state<MoveNotice | null>(null);
  readonly #flow: FlowData;
  readonly #canEdit: () => boolean;

  constructor(flow: FlowData, canEdit: () => boolean) {
    this.#flow = flow;
    this.#canEdit = canEdit;
  }

  get canEdit(): boolean {
    return this.#canEdit();
  }

  /**
   * The notice, with "re-planning" turned into "done" once the plan on screen was computed after the
   * pin was stored (a newer version alone may be a re-plan for something else that raced it).
   */
  readonly notice: MoveNotice | null = $derived.by(() => {
    const notice = this.#notice;
    const plan = this.#flow.schedule;
    if (notice?.kind !== 'replanning' || !plan || plan.version <= notice.baseVersion || Date.parse(plan.computedAt) < Date.parse(notice.pinnedAt)) return notice;
    const column = this.#flow.lines.flatMap((l) => l.columns).find((c) => c.queued.some((q) => q.order === notice.order && q.seq === notice.seq));
    const index = column ? column.queued.findIndex((q) => q.order === notice.order && q.seq === notice.seq) : -1;
    return {
      kind: 'done',
      order: notice.order,
      seq: notice.seq,
      workCenter: column?.name ?? '',
      position: index === -1 ? null : index + 1,
      count: column?.queued.length ?? 0,
    };
  });

  readonly busy: boolean = $derived(this.#notice?.kind === 'sending');

  /** Tells the planner when the pin just made cannot be kept as asked (the server says why). */
  follow(): () => void {
    return live.listen('pin', (m) => {
      const { type, pin } = m.data;
      const notice = this.#notice;
      if (type !== 'pin.unhonourable' || !notice || !('order' in notice) || notice.order !== pin.order || notice.seq !== pin.seq) return;
      this.#notice = { kind: 'unhonourable', order: pin.order, seq: pin.seq, note: pin.note, noteCode: pin.noteCode };
    });
  }

  /** Why `card` may not be moved by this user, or null. */
  blockOf(card: KanbanCard): MoveRefusal | null {
    if (!this.canEdit) return 'read-only';
    return dragBlockOf(card);
  }

  refuse(card: Pick<KanbanCard, 'order' | 'seq'>, why: MoveRefusal): void {
    this.#notice = { kind: 'refused', order: card.order, seq: card.seq, why };
  }

  dismiss(): void {
    this.#notice = null;
  }

  /** Drops `card` on column `target` at `index` of its queue without the card. */
  async drop(card: KanbanCard, column: KanbanColumn, target: string, index: number): Promise<void> {
    const block = this.blockOf(card);
    if (block) return this.refuse(card, block);
    if (this.busy) return;
    const result = dropResult(column, card, target, index);
    if (result.kind === 'same') return;
    if (result.kind === 'other-work-center') return this.refuse(card, { otherWorkCenter: this.#nameOf(result.workCenter) });
    if (result.kind === 'ahead-of-frozen') return this.refuse(card, 'ahead-of-frozen');
    const baseVersion = this.#flow.schedule?.version;
    if (baseVersion === undefined) return this.refuse(card, 'no-plan');
    this.#notice = { kind: 'sending', order: card.order, seq: card.seq };
    try {
      const pin = await api.pin({ order: card.order, seq: card.seq, machine: card.machine, start: result.start, mode: 'queue', baseVersion });
      this.#notice = { kind: 'replanning', order: card.order, seq: card.seq, baseVersion, pinnedAt: pin.createdAt };
    } catch (e) {
      const error = ApiError.from(e);
      if (error.status === 409) {
        this.#notice = { kind: 'conflict', message: error.message };
        this.#flow.requestSchedule();
      } else {
        this.#notice = { kind: 'failed', error };
      }
    }
  }

  #nameOf(workCenter: string): string {
    return this.#flow.lines.flatMap((l) => l.columns).find((c) => c.code === workCenter)?.name ?? workCenter;
  }

  /** The keyboard's move: one place up (-1) or down (+1) in its queue. */
  async step(card: KanbanCard, column: KanbanColumn, by: -1 | 1): Promise<void> {
    const from = column.queued.findIndex((c) => c.order === card.order && c.seq === card.seq);
    if (from === -1) {
      const block = this.blockOf(card);
      if (block) this.refuse(card, block);
      return;
    }
    const to = from + by;
    if (to < 0 || to >= column.queued.length) return;
    await this.drop(card, column, column.code, to);
  }
}
