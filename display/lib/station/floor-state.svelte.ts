import type { AndonView } from '$contract/andon.ts';
import type { WorkCenter } from '$contract/master-data.ts';
import type { ScheduledOperationView } from '$contract/schedule.ts';
import type { StreamMessageOf } from '$contract/stream.ts';
import { ApiError } from '$lib/api/api-error.ts';
import { api } from '$lib/api/endpoints.ts';
import { live } from '$lib/live/live-connection.svelte.ts';
import { SvelteMap } from 'svelte/reactivity';
import { readFloorSnapshot, saveFloorSnapshot } from './floor-snapshot.ts';
import {
  applyProgress,
  infoFromDetail,
  operationKey,
  operationsFromDetail,
  upsertOpenAndon,
  type FloorOperation,
  type OrderInfo,
} from '../board/floor-model.ts';

const DETAIL_CONCURRENCY = 6;

/**
 * What the floor screens know about one plant (or one work center): work centers, operations in
 * progress, the plan and open alerts. Loads once from the API, then follows the stream.
 */
export class FloorState {
  workCenters = $state.raw<WorkCenter[]>([]);
  schedule = $state.raw<ScheduledOperationView[]>([]);
  scheduleVersion = $state<number | null>(null);
  andons = $state.raw<AndonView[]>([]);
  operations = new SvelteMap<string, FloorOperation>();
  orders = new SvelteMap<string, OrderInfo>();
  loaded = $state(false);
  error = $state<ApiError | null>(null);
  /** When what is on screen came from the device's last snapshot (offline), its time. */
  snapshotAt = $state<number | null>(null);

  #workCenter: string | undefined;
  /** How many planned operations per work center need order details (current and next jobs). */
  #headDepth: number;
  /**
   * A busy floor produces a new plan about every second, and the whole-plant plan is ~100 KB of
   * uncompressed JSON; refetching at most this often keeps a TV's traffic small.
   */
  #refreshMs: number;
  #refreshTimer: ReturnType<typeof setTimeout> | null = null;
  #lastRefresh = 0;
  // Bookkeeping, deliberately plain (not reactive): nothing on screen depends on it.
  #loadingOrders: Record<string, true> = {};
  /** When the stream last changed each operation: a detail fetched before that is older and must not win. */
  #streamTouched: Record<string, number> = {};

  /** Where the last good state is kept on the device (stations); none for TVs. */
  #snapshotKey: string | null;

  constructor(options: { workCenter?: string; headDepth?: number; refreshMs?: number; keepSnapshot?: boolean } = {}) {
    this.#workCenter = options.workCenter;
    this.#snapshotKey = options.keepSnapshot ? (options.workCenter ?? 'plant') : null;
    this.#headDepth = options.headDepth ?? 1;
    this.#refreshMs = options.refreshMs ?? 10_000;
  }

  async load(): Promise<void> {
    try {
      const [workCenters, andons, schedule] = await Promise.all([
        this.#workCenter ? api.workCenter(this.#workCenter).then((w) => [w]) : api.workCenters(),
        api.andon({ state: 'open', workCenter: this.#workCenter }),
        api.schedule(this.#workCenter),
      ]);
      this.workCenters = workCenters;
      this.andons = andons.sort((a, b) => b.raisedAt.localeCompare(a.raisedAt));
      this.schedule = schedule?.operations ?? [];
      this.scheduleVersion = schedule?.version ?? null;
      await this.#loadHeadOrders();
      this.loaded = true;
      this.error = null;
      this.snapshotAt = null;
      this.#saveSnapshot();
    } catch (error) {
      this.error = ApiError.from(error);
      if (!this.loaded) this.#restoreSnapshot();
    }
  }

  #saveSnapshot(): void {
    if (!this.#snapshotKey) return;
    saveFloorSnapshot(this.#snapshotKey, {
      savedAt: Date.now(),
      workCenters: this.workCenters,
      schedule: this.schedule,
      scheduleVersion: this.scheduleVersion,
      andons: this.andons,
      operations: [...this.operations.values()],
      orders: [...this.orders.values()],
    });
  }

  #restoreSnapshot(): void {
    const snapshot = this.#snapshotKey ? readFloorSnapshot(this.#snapshotKey) : null;
    if (!snapshot) return;
    this.workCenters = snapshot.workCenters;
    this.schedule = snapshot.schedule;
    this.scheduleVersion = snapshot.scheduleVersion;
    this.andons = snapshot.andons;
    for (const op of snapshot.operations) this.operations.set(operationKey(op.order, op.seq), op);
    for (const order of snapshot.orders) this.orders.set(order.code, order);
    this.snapshotAt = snapshot.savedAt;
    this.loaded = true;
  }

  /** Subscribes to the live topics; returns the unsubscribe for `$effect` cleanup. */
  follow(): () => void {
    const stops = [
      live.listen('progress', (m) => this.#onProgress(m)),
      live.listen('andon', (m) => this.#onAndon(m)),
      live.listen('schedule', () => this.#requestScheduleRefresh()),
      live.listen('eta', () => this.#requestScheduleRefresh()),
    ];
    return () => {
      for (const stop of stops) stop();
      if (this.#refreshTimer) clearTimeout(this.#refreshTimer);
    };
  }

  /** Replaces one operation after a station press, before its stream message arrives. */
  applyLocal(op: FloorOperation): void {
    const key = operationKey(op.order, op.seq);
    this.#streamTouched[key] = performance.now();
    this.operations.set(key, op);
  }

  upsertAndon(andon: AndonView): void {
    this.andons = upsertOpenAndon(this.andons, andon);
  }

  #onProgress(message: StreamMessageOf<'progress'>): void {
    const p = message.data;
    if (this.#workCenter && p.workCenter !== this.#workCenter) return;
    const key = operationKey(p.order, p.seq);
    this.#streamTouched[key] = performance.now();
    this.operations.set(key, applyProgress(this.operations.get(key), p));
    if (!this.orders.has(p.order)) void this.#loadOrders([p.order]);
  }

  #onAndon(message: StreamMessageOf<'andon'>): void {
    const event = message.data;
    if (this.#workCenter && event.andon.workCenter !== this.#workCenter) return;
    this.upsertAndon(event.andon);
  }

  // Leading edge plus one trailing refresh: a burst of plans costs at most one fetch per interval.
  #requestScheduleRefresh(): void {
    if (this.#refreshTimer) return;
    const wait = Math.max(0, this.#lastRefresh + this.#refreshMs - Date.now());
    this.#refreshTimer = setTimeout(() => {
      this.#refreshTimer = null;
      this.#lastRefresh = Date.now();
      void this.refreshSchedule();
    }, wait);
  }

  async refreshSchedule(): Promise<void> {
    try {
      const schedule = await api.schedule(this.#workCenter);
      this.schedule = schedule?.operations ?? [];
      this.scheduleVersion = schedule?.version ?? null;
      await this.#loadHeadOrders();
      this.#saveSnapshot();
    } catch (error) {
      // A failed refresh keeps the last plan on screen; the connection badge tells whether we are live.
      console.warn('schedule refresh failed', error);
    }
  }

  /** Orders of the first planned operations of every work center, plus any running operation's. */
  async #loadHeadOrders(): Promise<void> {
    const seen: Record<string, number> = {};
    const wanted: string[] = [];
    for (const s of this.schedule) {
      const machines = this.workCenters.find((w) => w.code === s.workCenter)?.machines ?? 1;
      const count = seen[s.workCenter] ?? 0;
      if (count >= machines + this.#headDepth) continue;
      seen[s.workCenter] = count + 1;
      if (!this.orders.has(s.order) && !wanted.includes(s.order)) wanted.push(s.order);
    }
    await this.#loadOrders(wanted);
  }

  async #loadOrders(codes: string[]): Promise<void> {
    const todo = codes.filter((c) => !this.#loadingOrders[c]);
    for (const c of todo) this.#loadingOrders[c] = true;
    const queue = [...todo];
    const worker = async () => {
      for (let code = queue.shift(); code; code = queue.shift()) {
        try {
          const requestedAt = performance.now();
          const detail = await api.order(code);
          this.orders.set(code, infoFromDetail(detail));
          for (const op of operationsFromDetail(detail)) {
            const key = operationKey(op.order, op.seq);
            // A progress message that arrived while the detail was in flight is newer: keep it.
            if ((this.#streamTouched[key] ?? -1) >= requestedAt) continue;
            this.operations.set(key, op);
          }
        } catch (error) {
          console.warn(`order ${code} failed to load`, error);
        } finally {
          delete this.#loadingOrders[code];
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(DETAIL_CONCURRENCY, queue.length) }, worker));
  }
}
