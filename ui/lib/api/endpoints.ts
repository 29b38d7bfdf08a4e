import type { AndonAcknowledgeBody, AndonBody, AndonCancelBody, AndonEstimateBody, AndonResolveBody, AndonView } from '$contract/andon.ts';
import type { LoginView, Me } from '$contract/auth.ts';
import type { ChannelBody, ChannelTestView, ChannelView, DeliveryState, DeliveryView, SubscriptionBody, SubscriptionView } from '$contract/channels.ts';
import type { Board, BoardBody, Playlist, PlaylistBody } from '$contract/boards.ts';
import type { AndonFigures, EscalationLadder, EscalationLadderBody } from '$contract/escalation.ts';
import type { NotificationAudience, NotificationView } from '$contract/notifications.ts';
import type { OperatorIdentity } from '$contract/operators.ts';
import type { FloorEventBody, FloorEventResult } from '$contract/floor-events.ts';
import type { Product, WorkCenter } from '$contract/master-data.ts';
import type { ComponentView, CountView, PickingLineView, ReceiptView, ShortageView } from '$contract/materials.ts';
import type { OrderBody, OrderDetail, OrderView } from '$contract/orders.ts';
import type { QuoteBody, QuoteView } from '$contract/quotes.ts';
import type { ScrapGrouping, ScrapPareto } from '$contract/quality.ts';
import type { ScheduleView } from '$contract/schedule.ts';
import type { ScreenHeartbeatBody, ScreenHeartbeatView } from '$contract/screens.ts';
import type { KpisView } from '$contract/kpis.ts';
import type { AuditPage } from '$contract/audit.ts';
import type { PinBatchBody, PinBody, PinUndoView, PinView, PlanCalendarView, PreviewBody, PreviewView } from '$contract/plan.ts';
import type * as z from 'zod/mini';
import { ApiError } from './api-error.ts';
import { fetchFile, http, uploadFile, type UploadProgress } from './client.ts';
import type { ImportKind, ImportReport, TemplateFormat } from '$contract/imports.ts';
import type { PlantView, WorkCenterStatus } from '$contract/floor.ts';

const enc = encodeURIComponent;

/** Typed calls for every endpoint the UI uses; the only place that knows paths. */
export const api = {
  me: () => http.get<Me>('/auth/me'),
  login: (username: string, password: string) => http.post<LoginView>('/auth/login', { username, password }),
  logout: () => http.post<{ ok: true }>('/auth/logout', {}),

  workCenters: () => http.get<WorkCenter[]>('/work-centers'),
  workCenter: (code: string) => http.get<WorkCenter>(`/work-centers/${encodeURIComponent(code)}`),
  products: () => http.get<Product[]>('/products'),

  orders: (query: { status?: 'open' | 'completed' | 'all'; late?: boolean; shipped?: boolean; workCenter?: string; limit?: number } = {}) =>
    http.get<OrderView[]>('/orders', query),
  /** The warehouse ships a completed order; again changes nothing. */
  shipOrder: (code: string) => http.post<OrderDetail>(`/orders/${encodeURIComponent(code)}/ship`, {}),
  order: (code: string) => http.get<OrderDetail>(`/orders/${encodeURIComponent(code)}`),
  /** With `quote`, the order takes the quoted date (or `dueAt` if later); 409 once the quote expired. */
  createOrder: (body: z.input<typeof OrderBody>) => http.post<OrderDetail>('/orders', body),

  // Capable-to-promise (issue 10)
  quote: (body: z.input<typeof QuoteBody>) => http.post<QuoteView>('/quotes', body),

  /**
   * Null before the scheduler has computed a first plan (the API answers 404 then); version 0 with a
   * `problem` when no feasible plan exists yet.
   */
  schedule: async (workCenter?: string, options: { summary?: boolean; from?: string; to?: string } = {}): Promise<ScheduleView | null> => {
    try {
      return await http.get<ScheduleView>('/schedule', { workCenter, summary: options.summary, from: options.from, to: options.to });
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return null;
      throw error;
    }
  },

  // The planner's Gantt (issue 8)
  previewPlan: (body: PreviewBody) => http.post<PreviewView>('/schedule/preview', body),
  planCalendar: (query: { from: string; to: string }) => http.get<PlanCalendarView>('/schedule/calendar', query),
  pins: (query: { state?: 'active' | 'unhonourable' | 'removed' | 'all' } = {}) => http.get<PinView[]>('/pins', query),
  /** A planner's pin (the kanban's reorder sends a queue pin); 409 when the plan moved under it. */
  pin: (body: PinBody) => http.post<PinView>('/pins', body),
  /** A multi-select drop commits its moves together: all pinned or none. */
  pinBatch: (body: PinBatchBody) => http.post<{ pins: PinView[] }>('/pins/batch', body),
  unpin: (id: string) => http.delete<PinView>(`/pins/${enc(id)}`),
  /** Takes back the caller's last commit (every pin it created); the server knows which it was. */
  undoPins: (commitId: string) => http.post<PinUndoView>('/pins/undo', { commitId }),

  andon: (query: { state?: 'open' | 'all'; workCenter?: string; limit?: number } = {}) => http.get<AndonView[]>('/andon', query),
  raiseAndon: (body: AndonBody) => http.post<AndonView & { duplicate: boolean }>('/andon', body),
  acknowledgeAndon: (id: string, body: AndonAcknowledgeBody = {}) =>
    http.post<AndonView>(`/andon/${encodeURIComponent(id)}/acknowledge`, body),
  resolveAndon: (id: string, body: AndonResolveBody = {}) => http.post<AndonView>(`/andon/${enc(id)}/resolve`, body),
  cancelAndon: (id: string, body: AndonCancelBody = {}) => http.post<AndonView>(`/andon/${enc(id)}/cancel`, body),
  estimateAndon: (id: string, body: AndonEstimateBody) =>
    http.post<AndonView>(`/andon/${enc(id)}/estimate`, body),
  andonFigures: (query: { from?: string; to?: string } = {}) => http.get<AndonFigures>('/andon/figures', query),
  scrapPareto: (query: { from?: string; to?: string; by?: ScrapGrouping } = {}) => http.get<ScrapPareto>('/quality/scrap', query),

  plants: () => http.get<PlantView[]>('/plants'),
  floor: (query: { workCenter?: string; next?: number } = {}) => http.get<WorkCenterStatus[]>('/floor', query),

  boards: () => http.get<Board[]>('/boards'),
  board: (code: string) => http.get<Board>(`/boards/${enc(code)}`),
  putBoard: (code: string, body: BoardBody) => http.put<Board>(`/boards/${enc(code)}`, body),
  playlists: () => http.get<Playlist[]>('/playlists'),
  playlist: (code: string) => http.get<Playlist>(`/playlists/${enc(code)}`),
  putPlaylist: (code: string, body: PlaylistBody) => http.put<Playlist>(`/playlists/${enc(code)}`, body),

  identifyOperator: (body: { pin: string } | { badge: string }) => http.post<OperatorIdentity>('/operators/identify', body),

  escalation: () => http.get<EscalationLadder[]>('/escalation'),
  putEscalation: (reason: string, body: EscalationLadderBody) => http.put<EscalationLadder>(`/escalation/${enc(reason)}`, body),
  notifications: (query: { unread?: boolean; audience?: NotificationAudience; for?: 'me'; limit?: number } = {}) => http.get<NotificationView[]>('/notifications', query),
  readNotification: (id: number) => http.post<NotificationView>(`/notifications/${id}/read`, {}),

  // Materials (issue 11): purchasing and warehouse
  components: (query: { belowReorder?: boolean } = {}) => http.get<ComponentView[]>('/components', query),
  shortages: () => http.get<ShortageView[]>('/shortages'),
  /** null clears the estimate; the plan holds the short work until the date and re-plans. */
  setArrival: (component: string, expectedAt: string | null) => http.post<ComponentView>(`/components/${enc(component)}/arrival`, { expectedAt }),
  receive: (component: string, body: { id: string; quantity: number }) => http.post<ReceiptView>(`/components/${enc(component)}/receipts`, body),
  /** The warehouse's count: on-hand becomes what is on the rack; idempotent by id. */
  countStock: (component: string, body: { id: string; onHand: number }) => http.post<CountView>(`/components/${enc(component)}/counts`, body),
  picking: (hours: number) => http.get<PickingLineView[]>('/picking', { hours }),

  floorEvent: (body: FloorEventBody) => http.post<FloorEventResult>('/events', body),

  // Every department in sync (issue 11)
  // Imports (issue 12): a dry run writes nothing; a real import with problems fails with the report in `details`.
  importFile: (kind: ImportKind, file: Blob, dryRun: boolean, onProgress: UploadProgress) => uploadFile<ImportReport>(`/imports/${kind}`, { dryRun }, file, onProgress),
  importTemplate: (kind: ImportKind, format: TemplateFormat) => fetchFile(`/imports/${kind}/template`, { format }),

  kpis: (query: { from: string; to: string }) => http.get<KpisView>('/kpis', query),
  screenHeartbeat: (body: ScreenHeartbeatBody) => http.post<ScreenHeartbeatView>('/screens/heartbeat', body),

  // Channels (issue 12), admin
  channels: () => http.get<ChannelView[]>('/channels'),
  /** Without `secret` the stored one is kept (secrets are write-only); `secret: null` clears it. */
  putChannel: (code: string, body: z.input<typeof ChannelBody>) => http.put<ChannelView>(`/channels/${enc(code)}`, body),
  testChannel: (code: string) => http.post<ChannelTestView>(`/channels/${enc(code)}/test`, {}),
  subscriptions: () => http.get<SubscriptionView[]>('/subscriptions'),
  putSubscription: (code: string, body: z.input<typeof SubscriptionBody>) => http.put<SubscriptionView>(`/subscriptions/${enc(code)}`, body),
  deliveries: (query: { channel?: string; state?: DeliveryState; limit?: number } = {}) => http.get<DeliveryView[]>('/deliveries', query),
  replayDelivery: (id: string) => http.post<DeliveryView>(`/deliveries/${enc(id)}/replay`, {}),
  // Audit (issue 12): the event log, newest first; `before` is the last page's nextBefore
  audit: (query: { subject?: string; user?: string; kind?: string; from?: string; to?: string; before?: string; limit?: number }) => http.get<AuditPage>('/audit', query),
};
