import type { AndonView } from '$contract/andon.ts';
import type { FloorEventResult } from '$contract/floor-events.ts';
import { ApiError } from '$lib/api/api-error.ts';
import { api } from '$lib/api/endpoints.ts';
import { classifyFailure, nextNumber, pressTime, nextToSend, ordered, retryDelay, type OutboxEntry, type OutboxPress } from './outbox-model.ts';
import { outboxStore } from './outbox-store.ts';

export interface OutboxHandlers {
  onEvent: (result: FloorEventResult) => void;
  onAndon: (andon: AndonView) => void;
}

/**
 * The station's presses, stored in IndexedDB before anything else and sent one at a time in order
 * whenever the device is online: on `online` events, after each success, and after network errors
 * or 5xx with back-off (1 s doubling to 30 s). A refused press (4xx) stops there, is shown as failed
 * and waits for the operator to dismiss it; the presses behind it go on.
 */
export class Outbox {
  entries = $state.raw<OutboxEntry[]>([]);
  loaded = $state(false);
  /** Set while the device reports being offline or the last send failed for lack of network. */
  offline = $state(false);

  #handlers: OutboxHandlers;
  #sending = false;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #stopped = false;

  constructor(handlers: OutboxHandlers) {
    this.#handlers = handlers;
  }

  get pending(): OutboxEntry[] {
    return ordered(this.entries).filter((e) => e.state === 'pending');
  }

  get failed(): OutboxEntry[] {
    return ordered(this.entries).filter((e) => e.state === 'failed');
  }

  /** Loads what a previous page left unsent and starts draining; returns the stop function. */
  start(): () => void {
    const online = () => {
      this.offline = false;
      this.#kick(0);
    };
    const offline = () => (this.offline = true);
    window.addEventListener('online', online);
    window.addEventListener('offline', offline);
    this.offline = !navigator.onLine;
    void outboxStore.all().then(
      (stored) => {
        // Presses made before the store answered are kept too.
        const known = this.entries.map((e) => e.id);
        this.entries = [...this.entries, ...stored.filter((e) => !known.includes(e.id))];
        this.loaded = true;
        this.#kick(0);
      },
      (error: unknown) => {
        console.error('outbox store unavailable', error);
        this.loaded = true;
      },
    );
    return () => {
      this.#stopped = true;
      window.removeEventListener('online', online);
      window.removeEventListener('offline', offline);
      if (this.#timer) clearTimeout(this.#timer);
    };
  }

  /** Stores the press, then tries to send it. Resolves once it is safely stored. */
  async add(id: string, press: OutboxPress): Promise<void> {
    const entry: OutboxEntry = { id, n: nextNumber(this.entries), at: pressTime(), press, state: 'pending', attempts: 0, error: null };
    this.entries = [...this.entries, entry];
    try {
      await outboxStore.put(entry);
    } catch (error) {
      // Without storage the press still goes out now; it just would not survive a reload.
      console.error('outbox store failed', error);
    }
    this.#kick(0);
  }

  async dismiss(id: string): Promise<void> {
    this.entries = this.entries.filter((e) => e.id !== id);
    await outboxStore.delete(id).catch(() => {});
  }

  /** Sends now (the "retry" button), without waiting for the back-off. */
  retryNow(): void {
    this.#kick(0);
  }

  #kick(delay: number): void {
    if (this.#stopped || this.#sending) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#drain();
    }, delay);
  }

  async #drain(): Promise<void> {
    if (this.#sending) return;
    this.#sending = true;
    try {
      for (let entry = nextToSend(this.entries); entry && !this.#stopped; entry = nextToSend(this.entries)) {
        const outcome = await this.#sendOne(entry);
        if (outcome === 'retry') {
          const attempts = entry.attempts + 1;
          this.#replace({ ...entry, attempts });
          this.#sending = false;
          this.#kick(retryDelay(attempts));
          return;
        }
      }
    } finally {
      this.#sending = false;
    }
  }

  async #sendOne(entry: OutboxEntry): Promise<'sent' | 'retry' | 'failed'> {
    try {
      await this.#send(entry.press);
      this.offline = false;
      this.entries = this.entries.filter((e) => e.id !== entry.id);
      await outboxStore.delete(entry.id).catch(() => {});
      return 'sent';
    } catch (error) {
      const failure = ApiError.from(error);
      const kind = classifyFailure(entry.press, failure.status);
      if (kind === 'done') {
        this.entries = this.entries.filter((e) => e.id !== entry.id);
        await outboxStore.delete(entry.id).catch(() => {});
        return 'sent';
      }
      if (kind === 'retry') {
        if (failure.status === 0) this.offline = true;
        return 'retry';
      }
      const failed: OutboxEntry = { ...entry, state: 'failed', attempts: entry.attempts + 1, error: { status: failure.status, code: failure.code, message: failure.message } };
      this.#replace(failed);
      await outboxStore.put(failed).catch(() => {});
      return 'failed';
    }
  }

  #replace(entry: OutboxEntry): void {
    this.entries = this.entries.map((e) => (e.id === entry.id ? entry : e));
  }

  async #send(press: OutboxPress): Promise<void> {
    switch (press.kind) {
      case 'event':
        this.#handlers.onEvent(await api.floorEvent(press.body));
        return;
      case 'andon':
        this.#handlers.onAndon(await api.raiseAndon(press.body));
        return;
      case 'acknowledge':
        this.#handlers.onAndon(await api.acknowledgeAndon(press.andonId, press.body));
        return;
      case 'resolve':
        this.#handlers.onAndon(await api.resolveAndon(press.andonId, press.body));
        return;
      case 'cancel':
        this.#handlers.onAndon(await api.cancelAndon(press.andonId, press.body));
        return;
      default: {
        const unknown: never = press;
        throw new Error(`unknown press ${JSON.stringify(unknown)}`);
      }
    }
  }
}
