import { dropResult, type DropResult, type KanbanCard, type KanbanColumn } from '$lib/flow/kanban-model.ts';

/** A press becomes a drag past this distance; shorter is a click (it focuses the card). */
const DRAG_THRESHOLD_PX = 6;

interface Press {
  card: KanbanCard;
  column: KanbanColumn;
  pointerId: number;
  x0: number;
  y0: number;
}

/**
 * One card being dragged on the kanban: where the pointer is, which column and queue slot it is
 * over, and what a drop there would do (the verdict the page shows while dragging). The page
 * measures the DOM and reports the column and slot; this class holds no DOM.
 */
export class CardDrag {
  #press = $state.raw<Press | null>(null);
  active = $state(false);
  x = $state(0);
  y = $state(0);
  /** The work center of the column under the pointer; null: between columns. */
  target = $state<string | null>(null);
  /** The slot in the target column's queue (the dragged card left out). */
  index = $state(0);

  get card(): KanbanCard | null {
    return this.#press?.card ?? null;
  }

  /** What dropping here would do; null before the drag starts or between columns. */
  readonly verdict: DropResult | null = $derived.by(() => {
    const press = this.#press;
    if (!press || !this.active || this.target === null) return null;
    return dropResult(press.column, press.card, this.target, this.index);
  });

  press(card: KanbanCard, column: KanbanColumn, pointerId: number, x: number, y: number): void {
    this.#press = { card, column, pointerId, x0: x, y0: y };
    this.active = false;
    this.x = x;
    this.y = y;
  }

  isPointer(pointerId: number): boolean {
    return this.#press?.pointerId === pointerId;
  }

  /** Follows the pointer; true once the press has become a drag. */
  move(x: number, y: number): boolean {
    const press = this.#press;
    if (!press) return false;
    this.x = x;
    this.y = y;
    if (!this.active && Math.hypot(x - press.x0, y - press.y0) >= DRAG_THRESHOLD_PX) this.active = true;
    return this.active;
  }

  over(target: string | null, index: number): void {
    this.target = target;
    this.index = index;
  }

  /** Ends the press: the drop (card, its column, where) when it was a drag over a column, else null. */
  release(): { card: KanbanCard; column: KanbanColumn; target: string; index: number } | null {
    const press = this.#press;
    const dropped = press && this.active && this.target !== null ? { card: press.card, column: press.column, target: this.target, index: this.index } : null;
    this.cancel();
    return dropped;
  }

  cancel(): void {
    this.#press = null;
    this.active = false;
    this.target = null;
    this.index = 0;
  }
}
