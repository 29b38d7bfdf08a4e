import * as z from 'zod/mini';
import { AndonAcknowledgeBody, AndonBody, AndonCancelBody, AndonEstimateBody, AndonRaised, AndonResolveBody, AndonView } from '../contract/andon.ts';
import { LoginBody, LoginView, LogoutView, Me, TokenBody, TokenView } from '../contract/auth.ts';
import { Board, BoardBody, Playlist, PlaylistBody } from '../contract/boards.ts';
import { AuditPage } from '../contract/audit.ts';
import { AndonFigures, EscalationLadder, EscalationLadderBody } from '../contract/escalation.ts';
import { NotificationReadBody, NotificationView } from '../contract/notifications.ts';
import { ChannelBody, ChannelTestView, ChannelView, DeliveryView, EmptyBody, SubscriptionBody, SubscriptionView } from '../contract/channels.ts';
import { errorCodes } from '../contract/errors.ts';
import { WorkCenterStatus } from '../contract/floor.ts';
import { FloorEventBody, FloorEventResult } from '../contract/floor-events.ts';
import { HealthView } from '../contract/health.ts';
import { KPI_DEFINITIONS, KPI_MAX_DAYS, KpisView } from '../contract/kpis.ts';
import { Calendar, CalendarBody, Product, ProductBody, WorkCenter, WorkCenterBody } from '../contract/master-data.ts';
import { ArrivalBody, ComponentBody, ComponentView, CountBody, CountView, PickingLineView, ReceiptBody, ReceiptView, ShortageView } from '../contract/materials.ts';
import { IdentifyBody, Operator, OperatorBody, OperatorIdentity } from '../contract/operators.ts';
import { OrderBody, OrderDetail, OrderPatch, OrderShipBody, OrderView } from '../contract/orders.ts';
import { PinBatchBody, PinBatchView, PinBody, PinUndoBody, PinUndoView, PinView, PlanCalendarView, PreviewBody, PreviewView } from '../contract/plan.ts';
import { PlantBody, PlantView } from '../contract/plants.ts';
import { ScrapPareto } from '../contract/quality.ts';
import { QuoteBody, QuoteView } from '../contract/quotes.ts';
import { ScheduleView } from '../contract/schedule.ts';
import { ScreenHeartbeatBody, ScreenHeartbeatView } from '../contract/screens.ts';
import { streamTopics } from '../contract/stream.ts';
import { IMPORT_MAX_BYTES, ImportReport, importKinds, importRoles, MAX_IMPORT_ROWS, type ImportKind } from '../contract/imports.ts';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

interface Endpoint {
  method: Method;
  path: string;
  summary: string;
  roles: string[] | 'public' | 'any';
  body?: z.ZodMiniType;
  query?: string[];
  /**
   * The body of every 2xx answer: the contract schema the handler's return type is inferred from, so
   * document and code cannot drift. The stream answers Server-Sent Events instead of JSON.
   */
  ok: z.ZodMiniType | 'text/event-stream' | 'file';
  /** The body is a file (a spreadsheet), not JSON. */
  upload?: true;
  responses: Record<string, string>;
}

const ALL = 'any' as const;
const errors = { '400': 'invalid field (names it)', '401': 'no valid token', '403': 'role not allowed' };

/** What any operation may answer beside its own: body limits, and the database being away. */
function commonResponses(e: Endpoint): Record<string, string> {
  return {
    ...(e.body || e.path.includes('{') ? { '400': 'invalid field or path parameter (names it)' } : {}),
    ...(e.body ? { '413': 'body larger than 256 KiB (payload_too_large)', '415': 'body is not application/json (unsupported_media_type)' } : {}),
    ...(e.upload ? { '413': `file larger than ${IMPORT_MAX_BYTES / 1024 / 1024} MB (payload_too_large)`, '415': 'a JSON or form-encoded body instead of a file (unsupported_media_type)' } : {}),
    '503': 'the database is unavailable; retry (database_unavailable)',
  };
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const importWhat: Record<ImportKind, string> = {
  orders: 'orders, created as POST /orders creates them (an order already stored with the same values is unchanged; with other values, a problem)',
  products: 'products with routings and BOMs (rows of type step and bom grouped by product; each product stored as PUT /products/{code})',
  components: 'components with stock (each stored as PUT /components/{code}; onHand is a count booked in the stock ledger)',
};

/** POST /imports/{kind} and its template, per kind: the roles differ by kind. */
function importEndpoints(kind: ImportKind): Endpoint[] {
  return [
    {
      method: 'post',
      path: `/imports/${kind}`,
      summary: `Import ${importWhat[kind]} from CSV or XLSX: the file as multipart/form-data (field file) or the raw body, at most 10 MB and ${MAX_IMPORT_ROWS} rows. dryRun=true (the default) checks every row and writes nothing; dryRun=false writes all in one transaction or nothing. Idempotent by code: records equal to what is stored are unchanged and write nothing. Errors name the row (header = row 1) and the column as headed in the file`,
      roles: ['admin', ...importRoles[kind]],
      query: ['dryRun'],
      upload: true,
      ok: ImportReport,
      responses: { '200': 'the report: rows, created, updated, unchanged, errors [{row, column, message}]', '400': 'unreadable file, too many rows, invalid dryRun; or (dryRun=false) a file with problems: nothing imported, details holds the report', '401': 'no valid token', '403': 'role not allowed' },
    },
    {
      method: 'get',
      path: `/imports/${kind}/template`,
      summary: `The ${kind} template (format=csv, the default, or xlsx with a notes sheet explaining every column): the header row and sample rows that import cleanly into this plant`,
      roles: ['admin', ...importRoles[kind]],
      query: ['format'],
      ok: 'file',
      responses: { '200': 'the template file (attachment)', '400': 'invalid format', '401': 'no valid token', '403': 'role not allowed' },
    },
  ];
}

/** The route table the document is built from: one entry per endpoint, with the roles it allows. */
const endpoints: Endpoint[] = [
  { method: 'get', path: '/health', summary: 'Database, worker and latest schedule version', roles: 'public', ok: HealthView, responses: { '200': 'healthy', '503': 'degraded' } },
  { method: 'post', path: '/auth/login', summary: 'Sign in; sets the session cookie and returns the token', roles: 'public', body: LoginBody, ok: LoginView, responses: { '200': 'signed in', '400': 'invalid field (names it)', '401': 'wrong credentials', '403': 'cross-site request', '429': 'too many failed sign-ins for this user name or address (Retry-After)' } },
  { method: 'post', path: '/auth/logout', summary: 'End the session', roles: ALL, ok: LogoutView, responses: { '200': 'signed out' } },
  { method: 'get', path: '/auth/me', summary: 'Who the token belongs to and its plants', roles: ALL, ok: Me, responses: { '200': 'the caller' } },
  { method: 'post', path: '/auth/tokens', summary: 'Create an API token (e.g. a display token for a TV)', roles: ['admin'], body: TokenBody, ok: TokenView, responses: { '201': 'token (shown once)', ...errors } },
  { method: 'get', path: '/calendars', summary: 'List calendars', roles: ALL, ok: z.array(Calendar), responses: { '200': 'calendars' } },
  { method: 'get', path: '/calendars/{code}', summary: 'One calendar', roles: ALL, ok: Calendar, responses: { '200': 'calendar', '404': 'unknown code' } },
  { method: 'put', path: '/calendars/{code}', summary: 'Create or replace a calendar (weekly shifts, time zone, exceptions)', roles: ['admin', 'planner'], body: CalendarBody, ok: Calendar, responses: { '200': 'stored', ...errors } },
  { method: 'get', path: '/work-centers', summary: 'List work centers', roles: ALL, ok: z.array(WorkCenter), responses: { '200': 'work centers' } },
  { method: 'get', path: '/work-centers/{code}', summary: 'One work center', roles: ALL, ok: WorkCenter, responses: { '200': 'work center', '404': 'unknown code' } },
  { method: 'put', path: '/work-centers/{code}', summary: 'Create or replace a work center (machines, calendar, setup matrix, kanban WIP limit, lateStartMinutes: minutes after its planned start a not-started operation is told late, default 15)', roles: ['admin', 'planner'], body: WorkCenterBody, ok: WorkCenter, responses: { '200': 'stored', ...errors } },
  { method: 'get', path: '/products', summary: 'List products with routings', roles: ALL, ok: z.array(Product), responses: { '200': 'products' } },
  { method: 'get', path: '/products/{code}', summary: 'One product with its routing', roles: ALL, ok: Product, responses: { '200': 'product', '404': 'unknown code' } },
  { method: 'put', path: '/products/{code}', summary: 'Create or replace a product, its routing (applies to new orders) and, when given, its bill of materials (bom: component, quantityPerUnit, seq; consumed by reports at that step)', roles: ['admin', 'planner'], body: ProductBody, ok: Product, responses: { '200': 'stored', ...errors } },
  { method: 'get', path: '/components', summary: 'Components with stock on hand, reorder point, lead time and arrival estimate; belowReorder=true keeps those below their reorder point', roles: ALL, query: ['belowReorder'], ok: z.array(ComponentView), responses: { '200': 'components' } },
  { method: 'get', path: '/components/{code}', summary: 'One component', roles: ALL, ok: ComponentView, responses: { '200': 'component', '404': 'unknown code' } },
  { method: 'put', path: '/components/{code}', summary: 'Create or replace a component; onHand is a count (the difference is booked in the stock ledger); below the reorder point tells purchasing', roles: ['admin', 'purchasing', 'planner'], body: ComponentBody, ok: ComponentView, responses: { '200': 'stored', ...errors } },
  { method: 'post', path: '/components/{code}/receipts', summary: 'Goods received: raises on-hand, spends the arrival estimate and re-plans; idempotent by id (a repeat answers duplicate: true and adds nothing)', roles: ['admin', 'warehouse', 'purchasing'], body: ReceiptBody, ok: ReceiptView, responses: { '201': 'received', '200': 'duplicate', '404': 'unknown component', ...errors } },
  { method: 'post', path: '/components/{code}/counts', summary: 'Stock count: on-hand becomes the counted quantity, the difference is booked as a count movement (name, unit, reorder point and lead time stay); idempotent by id (a repeat answers duplicate: true and books nothing)', roles: ['admin', 'warehouse', 'purchasing'], body: CountBody, ok: CountView, responses: { '201': 'counted', '200': 'duplicate', '404': 'unknown component', ...errors } },
  { method: 'post', path: '/components/{code}/arrival', summary: 'Purchasing\'s arrival estimate (expectedAt; null clears it): operations forecast short of the component hold until then, and the plan follows', roles: ['admin', 'purchasing', 'planner'], body: ArrivalBody, ok: ComponentView, responses: { '200': 'estimate stored', '404': 'unknown component', ...errors } },
  { method: 'get', path: '/shortages', summary: 'Forecast from the latest plan: per component the first instant its stock runs short (operations in planned-start order consuming remaining quantity x quantity per unit at their step), by how much in total, the orders and work centers affected, and the arrival estimate', roles: ALL, ok: z.array(ShortageView), responses: { '200': 'shortages' } },
  { method: 'get', path: '/picking', summary: 'Picking list: operations planned to start within the next hours (default 8, at most 168) with the components each needs', roles: ALL, query: ['hours'], ok: z.array(PickingLineView), responses: { '200': 'picking list', '400': 'invalid hours' } },
  { method: 'get', path: '/orders', summary: 'Orders with ETA, due date, late flag and progress', roles: ALL, query: ['status', 'late', 'product', 'customer', 'workCenter', 'limit'], ok: z.array(OrderView), responses: { '200': 'orders' } },
  { method: 'post', path: '/orders', summary: 'Create an order; it expands into operations and triggers a reschedule. With quote: the quote promiseAt (its 90 % date) is the due date (unless dueAt is later), the quoted release and priority are kept, the order is promised, the quote spent', roles: ['admin', 'planner', 'sales'], body: OrderBody, ok: OrderDetail, responses: { '201': 'created', '404': 'unknown product or quote (names the field)', '409': 'code exists; or the quote expired or already has its order (field quote)', ...errors } },
  { method: 'post', path: '/quotes', summary: 'Capable-to-promise: the date a new order of product x quantity can be promised, planned against the live plant (keep-promises, the default: no existing order ends later than its due; earliest: expedited, with every order it delays). Writes nothing but the quote, kept until expiresAt', roles: ['admin', 'sales', 'planner'], body: QuoteBody, ok: QuoteView, responses: { '201': 'quote', '404': 'unknown product', '409': 'the product has no routing, or the plant cannot be planned now', '429': 'previews and quotes arriving faster than they can be planned', ...errors } },
  { method: 'get', path: '/quotes/{id}', summary: 'One quote, with the order created from it if any', roles: ['admin', 'sales', 'planner'], ok: QuoteView, responses: { '200': 'quote', '404': 'unknown quote', ...errors } },
  { method: 'get', path: '/orders/{code}', summary: 'One order with operations, planned machine/start/end and ETA history', roles: ALL, ok: OrderDetail, responses: { '200': 'order', '404': 'unknown order' } },
  { method: 'patch', path: '/orders/{code}', summary: 'Change an open order\'s due date, release (null clears it) or priority; fields left out stay. The event log keeps who changed what, before and after (order.updated, see GET /audit); a change re-plans', roles: ['admin', 'planner', 'sales'], body: OrderPatch, ok: OrderDetail, responses: { '200': 'the order as changed (or unchanged)', '404': 'unknown order', '409': 'the order is completed', ...errors } },
  { method: 'post', path: '/orders/{code}/ship', summary: 'The warehouse ships a completed order (it leaves GET /orders?status=completed&shipped=false); shipping it again changes nothing. Logged as order.shipped; stream order.shipped', roles: ['admin', 'warehouse'], body: OrderShipBody, ok: OrderDetail, responses: { '200': 'the order, shipped', '404': 'unknown order', '409': 'the order is not completed', ...errors } },
  { method: 'post', path: '/events', summary: 'A floor event; idempotent by id (a repeat answers duplicate: true and counts nothing)', roles: ['admin', 'lead', 'worker'], body: FloorEventBody, ok: FloorEventResult, responses: { '201': 'accepted', '200': 'duplicate', '404': 'unknown order or operation', '409': 'state-machine violation or quantity above the order', '413': 'body too large', ...errors } },
  { method: 'get', path: '/andon', summary: 'Andon alerts (state=open for raised or acknowledged)', roles: ALL, query: ['state', 'workCenter', 'limit'], ok: z.array(AndonView), responses: { '200': 'alerts' } },
  { method: 'get', path: '/andon/{id}', summary: 'One alert', roles: ALL, ok: AndonView, responses: { '200': 'alert', '404': 'unknown id' } },
  { method: 'post', path: '/andon', summary: 'Raise an alert; idempotent by id. Breakdown and safety take the work center down; material/quality hold the operation; other changes no plan (server/contract/andon-effects.ts)', roles: ['admin', 'lead', 'worker'], body: AndonBody, ok: AndonRaised, responses: { '201': 'raised', '200': 'duplicate', '404': 'unknown work center/order', ...errors } },
  { method: 'post', path: '/andon/{id}/acknowledge', summary: 'Acknowledge, optionally with a new estimate. A worker token (station) only for a lead present at it: `operator` the lead\'s code and `operatorSession` from POST /operators/identify at this station (15 minutes)', roles: ['admin', 'lead', 'worker', 'qc'], body: AndonAcknowledgeBody, ok: AndonView, responses: { '200': 'acknowledged', '403': 'role not allowed; or qc on an alert that is not a quality alert', '404': 'unknown id', '409': 'not raised' } },
  { method: 'post', path: '/andon/{id}/resolve', summary: 'Resolve with an optional root cause. A worker token (station) only for a lead present at it: `operator` and `operatorSession` as for acknowledge', roles: ['admin', 'lead', 'worker', 'qc'], body: AndonResolveBody, ok: AndonView, responses: { '200': 'resolved (a material or quality hold released: the plan is redone)', '403': 'role not allowed; or qc on an alert that is not a quality alert', '404': 'unknown id', '409': 'already closed' } },
  { method: 'post', path: '/andon/{id}/cancel', summary: 'Cancel an alert raised by mistake: it no longer affects the plan and its escalation stops. A worker may cancel only an alert its own token raised, unacknowledged, within 2 minutes', roles: ['admin', 'lead', 'worker'], body: AndonCancelBody, ok: AndonView, responses: { ...errors, '200': 'cancelled', '403': 'role not allowed; or a worker outside its 2 minutes or not the raiser', '404': 'unknown id', '409': 'already closed' } },
  { method: 'post', path: '/andon/{id}/estimate', summary: 'Set when an open alert is expected to end (material arrival, repair estimate): expectedAt or expectedMinutes; triggers a reschedule. Purchasing may estimate material alerts only', roles: ['admin', 'planner', 'lead', 'purchasing'], body: AndonEstimateBody, ok: AndonView, responses: { ...errors, '200': 'estimate stored', '403': 'role not allowed; or purchasing on an alert that is not material', '404': 'unknown id', '409': 'already closed' } },
  { method: 'get', path: '/andon/figures', summary: 'Per reason and work center: count, mean minutes to acknowledge and to resolve, for alerts raised in [from, to) (default the last 7 days; cancelled alerts left out)', roles: ALL, query: ['from', 'to'], ok: AndonFigures, responses: { '200': 'figures', '400': 'invalid from/to or from >= to' } },
  { method: 'get', path: '/quality/scrap', summary: 'Scrap Pareto: scrap the floor reported in [from, to) (default the last 7 days, at most 366), grouped by work center, product or reason (default; no reason given is key null), largest first with each share and the cumulative share', roles: ['admin', 'qc', 'manager', 'planner', 'lead'], query: ['from', 'to', 'by'], ok: ScrapPareto, responses: { '200': 'pareto', '400': 'invalid from/to/by, from >= to or a period over 366 days', '401': 'no valid token', '403': 'role not allowed' } },
  { method: 'get', path: '/escalation', summary: 'The escalation ladder of every andon reason (configured or the default: lead at 0, supervisor at 5, manager at 15 minutes)', roles: ALL, ok: z.array(EscalationLadder), responses: { '200': 'ladders' } },
  { method: 'put', path: '/escalation/{reason}', summary: 'Configure the ladder of one reason: levels 1..n, level 1 at 0 minutes, afterMinutes strictly increasing', roles: ['admin', 'planner'], body: EscalationLadderBody, ok: EscalationLadder, responses: { '200': 'stored', ...errors } },
  { method: 'get', path: '/notifications', summary: "The plant's notification feed, newest first: andon raised, escalated and resolved (audience floor); orders turning late, at risk (P90 past due) or back on time (audience sales); operations late to start (operation.late_start, audience floor, once per operation); a component crossing below its reorder point or forecast short by the plan (audience purchasing)", roles: ALL, query: ['unread', 'audience', 'limit'], ok: z.array(NotificationView), responses: { '200': 'notifications' } },
  { method: 'post', path: '/notifications/{id}/read', summary: 'Mark a notification read (the feed is shared by the plant)', roles: ALL, body: NotificationReadBody, ok: NotificationView, responses: { '200': 'notification', '404': 'unknown id' } },
  { method: 'get', path: '/channels', summary: 'Outbound channels (WeCom, DingTalk, Feishu robots, Standard Webhooks, e-mail); secrets are write-only (hasSecret)', roles: ['admin'], ok: z.array(ChannelView), responses: { '200': 'channels', ...errors } },
  { method: 'get', path: '/channels/{code}', summary: 'One channel (hasSecret, never the secret)', roles: ['admin'], ok: ChannelView, responses: { '200': 'channel', '404': 'unknown code', ...errors } },
  { method: 'put', path: '/channels/{code}', summary: 'Create or replace a channel {kind, url?, secret?, smtp?, to?, language, enabled}. url as the platform gives it (Takt adds DingTalk and Feishu signatures, Standard Webhooks headers); a PUT without secret keeps the stored one; a webhook without one gets a generated whsec_ secret, shown once (generatedSecret). A url or SMTP host resolving to loopback or link-local is refused (400 url) unless TAKT_OUTBOUND_ALLOW_LOOPBACK', roles: ['admin'], body: ChannelBody, ok: ChannelView, responses: { '200': 'stored', ...errors } },
  { method: 'post', path: '/channels/{code}/test', summary: 'Send a test message now and answer what the platform said (ok, status, latency, error); recorded in the delivery log', roles: ['admin'], body: EmptyBody, ok: ChannelTestView, responses: { '200': 'sent or failed (see ok)', '404': 'unknown channel', ...errors } },
  { method: 'get', path: '/subscriptions', summary: 'Subscriptions: which notice kinds, filtered by line, work center, customer, department and minutes late, go to which channel', roles: ['admin'], ok: z.array(SubscriptionView), responses: { '200': 'subscriptions', ...errors } },
  { method: 'get', path: '/subscriptions/{code}', summary: 'One subscription', roles: ['admin'], ok: SubscriptionView, responses: { '200': 'subscription', '404': 'unknown code', ...errors } },
  { method: 'put', path: '/subscriptions/{code}', summary: 'Create or replace a subscription {channel, kinds, filter, enabled; e-mail channels also from and to, instead of the channel\'s}', roles: ['admin'], body: SubscriptionBody, ok: SubscriptionView, responses: { '200': 'stored', '404': 'unknown channel (field channel)', ...errors } },
  { method: 'get', path: '/deliveries', summary: 'Delivery log, newest first: state (pending, delivered, failed, disabled), attempts with status, response code, latency and error; held by the rate limit or carried by a digest', roles: ['admin', 'manager'], query: ['channel', 'state', 'limit'], ok: z.array(DeliveryView), responses: { '200': 'deliveries', ...errors } },
  { method: 'post', path: '/deliveries/{id}/replay', summary: 'Send a delivery again now with the same id (webhook-id), its back-off started afresh; a digest member is sent alone', roles: ['admin'], body: EmptyBody, ok: DeliveryView, responses: { '200': 'queued', '404': 'unknown delivery', '409': 'channel disabled, or a test message', ...errors } },
  { method: 'get', path: '/operators', summary: 'Operators of the plant (PIN and badge are never returned)', roles: ['admin', 'planner', 'lead'], ok: z.array(Operator), responses: { '200': 'operators' } },
  { method: 'get', path: '/operators/{code}', summary: 'One operator', roles: ['admin', 'planner', 'lead'], ok: Operator, responses: { '200': 'operator', '404': 'unknown code' } },
  { method: 'put', path: '/operators/{code}', summary: 'Create or replace an operator; a PUT without pin/badge keeps the current ones', roles: ['admin', 'planner'], body: OperatorBody, ok: Operator, responses: { '200': 'stored', '409': 'pin or badge used by another operator', ...errors } },
  { method: 'post', path: '/operators/identify', summary: 'Who is at the station: one of pin or badge. 10 failures in 5 minutes per token answer 429', roles: ['admin', 'lead', 'worker'], body: IdentifyBody, ok: OperatorIdentity, responses: { ...errors, '200': 'the operator', '401': 'no valid token, or unknown pin/badge (names the field)', '429': 'too many failures' } },
  { method: 'get', path: '/boards', summary: 'TV boards', roles: ALL, ok: z.array(Board), responses: { '200': 'boards' } },
  { method: 'get', path: '/boards/{code}', summary: 'One TV board: lines and work centers shown, layout (tiles or kanban), paging, sound, locale', roles: ALL, ok: Board, responses: { '200': 'board', '404': 'unknown code' } },
  { method: 'put', path: '/boards/{code}', summary: 'Create or replace a TV board (layout `tiles`, the default, or `kanban`: a column per work center with its queue); its work centers and lines must exist', roles: ['admin', 'planner'], body: BoardBody, ok: Board, responses: { '200': 'stored', ...errors } },
  { method: 'get', path: '/playlists', summary: 'Playlists (boards rotating on one TV)', roles: ALL, ok: z.array(Playlist), responses: { '200': 'playlists' } },
  { method: 'get', path: '/playlists/{code}', summary: 'One playlist', roles: ALL, ok: Playlist, responses: { '200': 'playlist', '404': 'unknown code' } },
  { method: 'put', path: '/playlists/{code}', summary: 'Create or replace a playlist; its boards must exist', roles: ['admin', 'planner'], body: PlaylistBody, ok: Playlist, responses: { '200': 'stored', ...errors } },
  { method: 'get', path: '/schedule', summary: 'The latest schedule version and its planned operations; `problem` says why the latest re-plan failed until a feasible plan replaces it (version 0: no feasible plan yet); from/to keep the operations overlapping that window (a Gantt viewport); summary=true leaves the operations out', roles: ALL, query: ['workCenter', 'from', 'to', 'summary'], ok: ScheduleView, responses: { '200': 'schedule', '400': 'invalid from/to or from >= to', '404': 'none computed yet' } },
  { method: 'get', path: '/schedule/calendar', summary: `What the Gantt shades per work center in [from, to): closed calendar time (off-shift, holidays) and open breakdown/safety downtime with its estimated end; at most 62 days`, roles: ['admin', 'planner', 'sales', 'lead'], query: ['from', 'to'], ok: PlanCalendarView, responses: { '200': 'calendar shading', '400': 'invalid from/to, from >= to or longer than 62 days', '401': 'no valid token', '403': 'role not allowed' } },
  { method: 'post', path: '/schedule/preview', summary: 'What-if: plans the plant with the moves as pins over the live pins and compares with the latest plan (moved operations, ETA changes, late orders, pins it could not keep). Writes nothing; one preview at a time per plant', roles: ['admin', 'planner'], body: PreviewBody, ok: PreviewView, responses: { '200': 'preview', '404': 'unknown order or operation (names the field)', '409': 'operation completed, running or frozen', '429': 'previews arriving faster than they can be planned', ...errors } },
  { method: 'get', path: '/pins', summary: "The plant's pins, newest first: live ones (active, unhonourable) unless state= says otherwise (active, unhonourable, removed, all)", roles: ['admin', 'planner', 'sales', 'lead'], query: ['state'], ok: z.array(PinView), responses: { '200': 'pins', '400': 'unknown state', '401': 'no valid token', '403': 'role not allowed' } },
  { method: 'post', path: '/pins', summary: 'Commit one move as a pin (queue: kept on the machine, joins its sequence at start; exact: machine and start kept). Replaces a live pin on the same operation; logged, announced on the pin topic, triggers a reschedule', roles: ['admin', 'planner'], body: PinBody, ok: PinView, responses: { '201': 'pin', '404': 'unknown order or operation (names the field)', '409': 'operation completed, running or frozen; or stale_base: the plan changed under the move since baseVersion (details: what changed)', ...errors } },
  { method: 'post', path: '/pins/batch', summary: 'Commit several moves (a multi-select drag) as one commit: all pinned or none', roles: ['admin', 'planner'], body: PinBatchBody, ok: PinBatchView, responses: { '201': '{pins}', '404': 'unknown order or operation (names moves.N.field)', '409': 'as POST /pins', ...errors } },
  { method: 'post', path: '/pins/undo', summary: "Undo one of the caller's commits (`commitId`; absent: the newest that still has live pins): its pins are removed and the pins they replaced restored", roles: ['admin', 'planner'], body: PinUndoBody, ok: PinUndoView, responses: { '200': '{commitId, removed, restored}', '404': 'nothing to undo', '401': 'no valid token', '403': 'role not allowed' } },
  { method: 'delete', path: '/pins/{id}', summary: 'Unpin: the operation is planned freely again (the pin is kept as history, state removed, note unpinned)', roles: ['admin', 'planner'], ok: PinView, responses: { '200': 'the removed pin', '404': 'unknown pin', '409': 'already removed', '401': 'no valid token', '403': 'role not allowed' } },
  { method: 'get', path: '/plants', summary: 'The plants this token is granted: code, name, time zone', roles: ALL, ok: z.array(PlantView), responses: { '200': 'plants' } },
  { method: 'put', path: '/plants/{code}', summary: 'Create a plant or change its name or time zone (admins of every plant only); grant it to users and tokens afterwards', roles: ['admin'], body: PlantBody, ok: PlantView, responses: { '200': 'updated', '201': 'created', ...errors } },
  { method: 'get', path: '/floor', summary: 'Live state per work center: operations on the machines, the next planned ones, open alerts (one request for a TV board)', roles: ALL, query: ['workCenter', 'next'], ok: z.array(WorkCenterStatus), responses: { '200': 'work centers' } },
  { method: 'get', path: '/kpis', summary: `The manager's figures over [from, to) (default the 7 days up to now; at most ${KPI_MAX_DAYS} days): on-time delivery (with a daily series), plan adherence, andon counts with Pareto and mean times to acknowledge / resolve, sync latency and data age per screen`, roles: ['admin', 'manager'], query: ['from', 'to'], ok: KpisView, responses: { '200': `figures. ${KPI_DEFINITIONS.join(' ')}`, '400': `invalid from/to, from >= to, or longer than ${KPI_MAX_DAYS} days (names the field)`, '401': 'no valid token', '403': 'role not allowed' } },
  { method: 'get', path: '/audit', summary: 'The event log, newest first: who did what, when (at; receivedAt when the server recorded it), with before -> after for master-data changes (an order\'s due date, release, priority). subject: exact, and an order\'s operations (ORDER/seq); user: who, exactly; kind: exact or a family (order finds order.updated); [from, to) on when it happened; keyset pages: before = the previous page\'s nextBefore; limit 1-200, default 50', roles: ['admin', 'manager'], query: ['subject', 'user', 'kind', 'from', 'to', 'before', 'limit'], ok: AuditPage, responses: { '200': 'a page of entries', ...errors } },
  { method: 'post', path: '/screens/heartbeat', summary: "A live screen's sync latency since its last beat (every 30 s): messages received, p50 / p95 from commit (emittedAt) to arrival on the server's clock, and the newest message it holds; stored per screen and minute (kept 90 days). The answer's serverTime lets the screen correct its clock (offset = serverTime - middle of the round trip)", roles: ALL, body: ScreenHeartbeatBody, ok: ScreenHeartbeatView, responses: { '200': 'recorded; the server time', '400': 'invalid field (names it)' } },
  ...importKinds.flatMap((kind) => importEndpoints(kind)),
  { method: 'get', path: '/stream', summary: `Server-Sent Events. Topics: ${streamTopics.join(', ')} (?topics=a,b). Each message: {id, topic, plant, cause, emittedAt, data}; Last-Event-ID resumes from the database; a heartbeat comment every 15 s`, roles: ALL, query: ['topics', 'lastEventId', 'access_token'], ok: 'text/event-stream', responses: { '200': 'text/event-stream' } },
];

const eventStream = {
  schema: { type: 'string', description: 'Server-Sent Events: `id:` the message id, `data:` one JSON StreamMessage {id, topic, plant, cause, emittedAt, data}; `event: reset` {reason, resumeFrom} when a resume is too far behind; `:` comments as heartbeats' },
};

const spreadsheet = { schema: { type: 'string', format: 'binary' } };

function successContent(ok: Endpoint['ok']): Record<string, unknown> {
  if (ok === 'text/event-stream') return { 'text/event-stream': eventStream };
  if (ok === 'file') return { 'text/csv': spreadsheet, [XLSX]: spreadsheet };
  return { 'application/json': { schema: z.toJSONSchema(ok, { io: 'output' }) } };
}

let cached: unknown = null;

export function openApiDocument(): unknown {
  if (cached) return cached;
  const paths: Record<string, Record<string, unknown>> = {};
  for (const e of endpoints) {
    const roles = e.roles === 'public' ? 'none (public)' : e.roles === 'any' ? 'any role' : e.roles.join(', ');
    const pathParams = [...e.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    const queryParams = (e.query ?? []).map((name) => ({ name, in: 'query', required: false, schema: { type: 'string' } }));
    paths[e.path] ??= {};
    paths[e.path]![e.method] = {
      summary: e.summary,
      description: `Roles: ${roles}.`,
      'x-roles': e.roles,
      ...(e.roles === 'public' ? { security: [] } : {}),
      parameters: [...pathParams, ...queryParams, { name: 'plant', in: 'query', required: false, schema: { type: 'string' } }],
      ...(e.body ? { requestBody: { required: true, content: { 'application/json': { schema: z.toJSONSchema(e.body, { io: 'input' }) } } } } : {}),
      ...(e.upload ? { requestBody: { required: true, content: { 'multipart/form-data': { schema: { type: 'object', required: ['file'], properties: { file: spreadsheet } } }, 'text/csv': spreadsheet, [XLSX]: spreadsheet } } } : {}),
      responses: Object.fromEntries(
        Object.entries({ ...commonResponses(e), ...e.responses }).map(([status, description]) => [
          status,
          Number(status) >= 400 ? { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } } : { description, content: successContent(e.ok) },
        ]),
      ),
    };
  }
  cached = {
    openapi: '3.1.0',
    info: { title: 'Takt API', version: '1.0.0', description: 'Live production progress, andon and rescheduling.' },
    servers: [{ url: '/api/v1' }],
    security: [{ bearer: [] }, { cookie: [] }],
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        cookie: { type: 'apiKey', in: 'cookie', name: 'takt_session' },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: {
                code: { enum: [...errorCodes] },
                message: { type: 'string' },
                field: { type: 'string' },
                details: { description: 'Structured details for errors a client acts on; stale_base: {baseVersion, currentVersion, changed: [{order, seq, machine, start, previousMachine, previousStart}]}' },
              },
            },
          },
        },
      },
    },
  };
  return cached;
}

export { endpoints };
