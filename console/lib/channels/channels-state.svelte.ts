import type { ChannelTestView, ChannelView, DeliveryState, DeliveryView, SubscriptionView } from '$contract/channels.ts';
import { ApiError } from '$lib/api/api-error.ts';
import { api } from '$lib/api/endpoints.ts';
import { loadInto } from '$lib/api/load-status.ts';
import { channelBodyOf, subscriptionBodyOf, type ChannelDraft, type SubscriptionDraft } from './channel-forms.ts';

/**
 * The channels page's state: the plant's channels and subscriptions, the delivery log (filtered by
 * channel and state), each channel's last test answer, and a secret Takt generated (shown once, until
 * the page is left). Writes go through the API; the answer replaces the row at once.
 */
export class ChannelsState {
  channels = $state.raw<ChannelView[]>([]);
  subscriptions = $state.raw<SubscriptionView[]>([]);
  deliveries = $state.raw<DeliveryView[]>([]);
  loaded = $state(false);
  error = $state<ApiError | null>(null);
  fetchedAt = $state<number | null>(null);

  /** The delivery log's filters: a channel code ('' all) and a state ('' all). */
  channelFilter = $state('');
  stateFilter = $state<DeliveryState | ''>('');

  tests = $state<Record<string, ChannelTestView | ApiError>>({});
  generatedSecret = $state<{ channel: string; secret: string } | null>(null);
  busy = $state<string | null>(null);
  actionError = $state<ApiError | null>(null);

  subscriptionsOf(channel: string): SubscriptionView[] {
    return this.subscriptions.filter((s) => s.channel === channel);
  }

  async load(): Promise<void> {
    await loadInto(this, async () => {
      const [channels, subscriptions] = await Promise.all([api.channels(), api.subscriptions()]);
      this.channels = channels;
      this.subscriptions = subscriptions;
      await this.#loadDeliveries();
    });
  }

  async loadDeliveries(): Promise<void> {
    await loadInto(this, () => this.#loadDeliveries());
  }

  async #loadDeliveries(): Promise<void> {
    this.deliveries = await api.deliveries({ ...(this.channelFilter ? { channel: this.channelFilter } : {}), ...(this.stateFilter ? { state: this.stateFilter } : {}), limit: 200 });
  }

  /** Stores the channel; true when it was. A secret Takt generated is kept to show once. */
  async saveChannel(draft: ChannelDraft): Promise<boolean> {
    return await this.#act(`channel:${draft.code}`, async () => {
      const saved = await api.putChannel(draft.code, channelBodyOf(draft));
      this.generatedSecret = saved.generatedSecret ? { channel: saved.code, secret: saved.generatedSecret } : null;
      const { generatedSecret: _shownOnce, ...view } = saved;
      this.channels = [...this.channels.filter((c) => c.code !== view.code), view].sort((a, b) => a.code.localeCompare(b.code));
    });
  }

  async saveSubscription(draft: SubscriptionDraft): Promise<boolean> {
    return await this.#act(`subscription:${draft.code}`, async () => {
      const saved = await api.putSubscription(draft.code, subscriptionBodyOf(draft));
      this.subscriptions = [...this.subscriptions.filter((s) => s.code !== saved.code), saved].sort((a, b) => a.code.localeCompare(b.code));
    });
  }

  /** Sends a test message; its answer (or why the request failed) shows beside the channel, and the log gains it. */
  async test(code: string): Promise<void> {
    this.busy = `test:${code}`;
    try {
      this.tests = { ...this.tests, [code]: await api.testChannel(code) };
      await this.#loadDeliveries().catch(() => {});
    } catch (e) {
      this.tests = { ...this.tests, [code]: ApiError.from(e) };
    } finally {
      this.busy = null;
    }
  }

  async replay(id: string): Promise<boolean> {
    return await this.#act(`replay:${id}`, async () => {
      const replayed = await api.replayDelivery(id);
      this.deliveries = this.deliveries.map((d) => (d.id === id ? replayed : d));
    });
  }

  async #act(key: string, call: () => Promise<void>): Promise<boolean> {
    this.busy = key;
    this.actionError = null;
    try {
      await call();
      return true;
    } catch (e) {
      this.actionError = ApiError.from(e);
      return false;
    } finally {
      this.busy = null;
    }
  }
}
