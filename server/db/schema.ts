import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { AndonReason, AndonState } from '../contract/andon.ts';
import type { Role } from '../contract/auth.ts';
import type { BoardLayout } from '../contract/boards.ts';
import type { ChannelKind, ChannelLanguage, DeliveryState, SmtpSettings, SubscribableKind, SubscriptionFilter } from '../contract/channels.ts';
import type { notificationAudiences, notificationKinds } from '../contract/notifications.ts';
import type { OrderNoticeState } from '../contract/order-notice.ts';
import type { OperationStatus } from '../contract/operation-transitions.ts';
import type { ScreenKind } from '../contract/screens.ts';

/** Kysely's view of the tables in migrations/. Keep in step with the SQL. */

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** Has a database default: optional on insert. */
type GeneratedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** A nullable timestamp a later migration added: inserts may leave it out. */
type OptionalTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T> = ColumnType<T, string | T, string | T>;

export interface PlantTable {
  id: Generated<number>;
  code: string;
  name: string;
  time_zone: Generated<string>;
  created_at: GeneratedTimestamp;
}

export interface AppUserTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  role: Role;
  password_hash: string;
  created_at: GeneratedTimestamp;
  disabled_at: Timestamp | null;
}

export interface UserPlantTable {
  user_id: number;
  plant_id: number;
}

export interface ApiTokenTable {
  id: Generated<number>;
  token_hash: string;
  kind: 'api' | 'session';
  name: string;
  role: Role;
  user_id: number | null;
  all_plants: Generated<boolean>;
  plant_ids: ColumnType<number[], number[] | undefined, number[]>;
  created_at: GeneratedTimestamp;
  expires_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface CalendarTable {
  plant_id: number;
  code: string;
  name: string;
  time_zone: string;
  shifts: Json<unknown>;
  exceptions: Json<unknown>;
  updated_at: GeneratedTimestamp;
}

export interface WorkCenterTable {
  plant_id: number;
  code: string;
  name: string;
  line: string;
  machines: number;
  calendar_code: string;
  setup_matrix: Json<unknown>;
  wip_limit: ColumnType<number | null, number | null | undefined, number | null>;
  /** Minutes after its planned start that a not-started operation is told late (migration 0018). */
  late_start_minutes: Generated<number>;
  updated_at: GeneratedTimestamp;
}

export interface ProductTable {
  plant_id: number;
  code: string;
  name: string;
  family: string | null;
  updated_at: GeneratedTimestamp;
}

export interface RoutingStepTable {
  plant_id: number;
  product_code: string;
  seq: number;
  work_center_code: string;
  setup_minutes: number;
  run_minutes_per_unit: number;
  min_transfer_minutes: number;
  description: string | null;
}

export interface CustomerOrderTable {
  id: Generated<string>;
  plant_id: number;
  code: string;
  product_code: string;
  quantity: number;
  due_at: Timestamp;
  release_at: Timestamp | null;
  priority: number;
  customer: string | null;
  status: Generated<'open' | 'completed' | 'cancelled'>;
  created_at: GeneratedTimestamp;
  completed_at: Timestamp | null;
  promised: Generated<boolean>;
  shipped_at: Timestamp | null;
  shipped_by: string | null;
}

export interface QuoteTable {
  id: string;
  plant_id: number;
  product_code: string;
  quantity: number;
  customer: string | null;
  mode: 'keep-promises' | 'earliest';
  wanted_by: Timestamp | null;
  eta: Timestamp;
  eta_p90: OptionalTimestamp;
  release_at: Timestamp;
  priority: number;
  impacts: Json<{ order: string; etaBefore: string; etaAfter: string; lateBefore: boolean; lateAfter: boolean }[]>;
  solve_ms: number;
  created_by: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  order_id: string | null;
}

export interface OperationTable {
  order_id: string;
  seq: number;
  plant_id: number;
  work_center_code: string;
  setup_minutes: number;
  run_minutes_per_unit: number;
  min_transfer_minutes: number;
  status: Generated<OperationStatus>;
  quantity_good: Generated<number>;
  quantity_scrap: Generated<number>;
  machine: number | null;
  started_at: Timestamp | null;
  last_report_at: Timestamp | null;
  completed_at: Timestamp | null;
}

export interface EventLogTable {
  id: Generated<string>;
  plant_id: number;
  client_id: string | null;
  type: string;
  actor: string;
  at: Timestamp;
  received_at: GeneratedTimestamp;
  subject: string | null;
  payload: Json<unknown>;
}

export interface AndonTable {
  id: string;
  plant_id: number;
  work_center_code: string;
  machine: number | null;
  reason: AndonReason;
  order_id: string | null;
  seq: number | null;
  note: string | null;
  expected_minutes: number | null;
  expected_end_at: Timestamp | null;
  state: Generated<AndonState>;
  raised_at: Timestamp;
  raised_by: string;
  acknowledged_at: Timestamp | null;
  acknowledged_by: string | null;
  resolved_at: Timestamp | null;
  resolved_by: string | null;
  root_cause: string | null;
  escalation_level: Generated<number>;
  cancelled_at: Timestamp | null;
  cancelled_by: string | null;
}

export interface EscalationLadderTable {
  plant_id: number;
  reason: AndonReason;
  levels: Json<unknown>;
  updated_at: GeneratedTimestamp;
}

export interface NotificationTable {
  id: Generated<string>;
  plant_id: number;
  kind: (typeof notificationKinds)[number];
  audience: Generated<(typeof notificationAudiences)[number]>;
  /** The subject: an andon (andon.* kinds, with level and notify) or an order (order.*, with data). */
  andon_id: string | null;
  order_id: string | null;
  level: number | null;
  notify: string | null;
  /** An order notice's facts (contract OrderNoticeData). */
  data: Json<unknown> | null;
  created_at: GeneratedTimestamp;
  read_at: Timestamp | null;
}

/** An operation whose planned start has come (server/db/repositories/late-starts.ts). */
export interface LateStartTable {
  order_id: string;
  seq: number;
  plant_id: number;
  work_center_code: string;
  machine: number | null;
  /** The planned start when it came: what lateness is counted from. */
  planned_start_at: Timestamp;
  told_at: OptionalTimestamp;
  minutes_late: number | null;
}

/** What sales were last told about an order (server/contract/order-notice.ts decides the next). */
export interface OrderNoticeTable {
  order_id: string;
  plant_id: number;
  state: OrderNoticeState;
  eta: Timestamp;
  eta_p90: Timestamp | null;
  told_at: Timestamp;
}

export interface InstallationSecretTable {
  name: string;
  secret: Buffer;
  created_at: GeneratedTimestamp;
}

export interface OperatorTable {
  plant_id: number;
  code: string;
  name: string;
  pin_hash: string | null;
  badge_hash: string | null;
  lead: boolean;
  active: boolean;
  updated_at: GeneratedTimestamp;
}

export interface BoardTable {
  plant_id: number;
  code: string;
  name: string;
  lines: string[];
  work_centers: string[];
  page_seconds: number;
  sound: boolean;
  layout: BoardLayout;
  locale: string | null;
  updated_at: GeneratedTimestamp;
}

export interface PlaylistTable {
  plant_id: number;
  code: string;
  name: string;
  boards: string[];
  rotate_seconds: number;
  updated_at: GeneratedTimestamp;
}

export interface ScheduleVersionTable {
  id: Generated<string>;
  plant_id: number;
  computed_at: Timestamp;
  trigger_kind: string;
  cause_id: string | null;
  solve_ms: number;
  figures: Json<unknown>;
  errors: Json<unknown> | null;
}

export interface PlannedOperationTable {
  version_id: string;
  order_id: string;
  seq: number;
  work_center_code: string;
  machine: number;
  start_at: Timestamp;
  end_at: Timestamp;
  setup_minutes: Generated<number>;
  pinned: Generated<boolean>;
  frozen: Generated<boolean>;
  /** Held back in the plan's snapshot: a material or quality andon, or a forecast shortage. */
  held: 'material' | 'quality' | null;
}

export interface PlanPinTable {
  id: Generated<string>;
  plant_id: number;
  order_id: string;
  seq: number;
  machine: number;
  start_at: Timestamp | null;
  mode: 'queue' | 'exact';
  state: Generated<'active' | 'unhonourable' | 'removed'>;
  note: string | null;
  note_code: string | null;
  commit_id: string;
  base_version: string;
  replaces_id: string | null;
  created_by: string;
  created_at: GeneratedTimestamp;
  removed_at: Timestamp | null;
  removed_by: string | null;
}

export interface StreamRetentionTable {
  plant_id: number;
  pruned_through: string;
  pruned_at: GeneratedTimestamp;
}

export interface LoginFailureTable {
  key: string;
  failures: number;
  last_at: Timestamp;
  locked_until: Timestamp | null;
}

export interface OrderEtaTable {
  order_id: string;
  plant_id: number;
  version_id: string;
  eta: Timestamp | null;
  late: boolean;
  lateness_minutes: number | null;
  reasons: Json<unknown>;
  updated_at: GeneratedTimestamp;
  eta_p50: OptionalTimestamp;
  eta_p90: OptionalTimestamp;
  /** The calibration factor eta_p90 was sampled with (migration 0020); null: none (1). */
  p90_scale: ColumnType<number | null, number | null | undefined, number | null>;
  /** The calibration shift eta_p50 was given with, minutes (migration 0027); null: none (0). */
  p50_shift: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface OrderEtaHistoryTable {
  id: Generated<string>;
  order_id: string;
  version_id: string;
  eta: Timestamp | null;
  at: GeneratedTimestamp;
  eta_p50: OptionalTimestamp;
  eta_p90: OptionalTimestamp;
  p90_scale: ColumnType<number | null, number | null | undefined, number | null>;
  p50_shift: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface EtaSpreadRunTable {
  plant_id: number;
  version_id: string;
  ran_at: Timestamp;
  samples: number;
  cpu_ms: number;
  model: Json<unknown>;
}

export interface StreamMessageTable {
  id: Generated<string>;
  plant_id: number;
  topic: string;
  cause_id: string | null;
  emitted_at: GeneratedTimestamp;
  data: Json<unknown>;
}

/** One screen's sync latency over one minute (migrations/0019). */
export interface ScreenLatencyTable {
  plant_id: number;
  screen: string;
  kind: ScreenKind;
  minute: Timestamp;
  samples: number;
  p50_ms: number | null;
  p95_ms: number | null;
  newest_message_at: Date | null;
  reported_at: Timestamp;
}

export interface DemoCredentialTable {
  username: string;
  role: Role;
  password: string | null;
  token: string | null;
}

export interface PlanRequestTable {
  plant_id: number;
  requested: ColumnType<string, string | number, string | number>;
  last_kind: string | null;
  last_cause: string | null;
  planned: ColumnType<string, string | number | undefined, string | number>;
  /** Newest first, bounded: `{n, kind, causeId}` per request. */
  causes: ColumnType<PlanRequestCause[], string | undefined, string>;
}

export interface PlanRequestCause {
  n: number;
  kind: string;
  causeId: string | null;
}

export interface ScheduleProblemTable {
  plant_id: number;
  detected_at: Timestamp;
  trigger_kind: string;
  cause_id: string | null;
  errors: Json<unknown>;
}

export interface ComponentTable {
  plant_id: number;
  code: string;
  name: string;
  unit: string;
  on_hand: number;
  reorder_point: number;
  lead_time_days: number;
  arrival_at: OptionalTimestamp;
  below_reorder: Generated<boolean>;
  updated_at: GeneratedTimestamp;
}

export interface BomLineTable {
  plant_id: number;
  product_code: string;
  component_code: string;
  seq: number;
  quantity_per_unit: number;
}

export interface StockMovementTable {
  id: Generated<string>;
  plant_id: number;
  component_code: string;
  kind: 'receipt' | 'backflush' | 'count';
  quantity: number;
  at: Timestamp;
  client_id: string | null;
  order_id: string | null;
  seq: number | null;
}

export interface ComponentShortageTable {
  plant_id: number;
  component_code: string;
  needed_at: Timestamp;
  noticed_at: Timestamp;
}

/** An outbound channel (server/channels, migration 0022); `secret` never leaves the server. */
export interface ChannelTable {
  id: Generated<string>;
  plant_id: number;
  code: string;
  kind: ChannelKind;
  url: string | null;
  secret: string | null;
  smtp: Json<SmtpSettings> | null;
  recipients: ColumnType<string[], string[] | undefined, string[]>;
  language: ChannelLanguage;
  enabled: boolean;
  disabled_reason: string | null;
  disabled_cause: 'gone' | 'failing' | null;
  failing_since: Timestamp | null;
  updated_at: GeneratedTimestamp;
}

export interface SubscriptionTable {
  id: Generated<string>;
  plant_id: number;
  code: string;
  channel_id: string;
  kinds: ColumnType<SubscribableKind[], SubscribableKind[], SubscribableKind[]>;
  filter: Json<SubscriptionFilter>;
  mail_from: string | null;
  recipients: string[] | null;
  enabled: boolean;
  updated_at: GeneratedTimestamp;
}

export interface DeliveryTable {
  id: string;
  plant_id: number;
  channel_id: string;
  subscription_id: string | null;
  notification_id: string | null;
  kind: string;
  facts: Json<unknown>;
  state: Generated<DeliveryState>;
  held: Generated<boolean>;
  digest_id: string | null;
  attempts: Generated<number>;
  replay_base: Generated<number>;
  last_status: number | null;
  last_error: string | null;
  next_attempt_at: Timestamp | null;
  created_at: Timestamp;
  delivered_at: Timestamp | null;
}

export interface DeliveryAttemptTable {
  id: Generated<string>;
  delivery_id: string;
  channel_id: string;
  started_at: Timestamp;
  ok: boolean | null;
  status: number | null;
  latency_ms: number | null;
  error: string | null;
}

/** bigint counters: postgres.js reads them as strings (a machine's lifetime count may pass 2^31). */
export interface MachineCounterTable {
  plant_id: number;
  work_center_code: string;
  machine: number;
  last_count: ColumnType<string, number, number>;
  last_scrap: ColumnType<string, number | undefined, number>;
  epoch: ColumnType<number, number | undefined, number>;
  counted_at: Timestamp;
}

export interface Database {
  channel: ChannelTable;
  subscription: SubscriptionTable;
  delivery: DeliveryTable;
  delivery_attempt: DeliveryAttemptTable;
  machine_counter: MachineCounterTable;
  component: ComponentTable;
  bom_line: BomLineTable;
  stock_movement: StockMovementTable;
  component_shortage: ComponentShortageTable;
  plan_request: PlanRequestTable;
  schedule_problem: ScheduleProblemTable;
  demo_credential: DemoCredentialTable;
  plant: PlantTable;
  app_user: AppUserTable;
  user_plant: UserPlantTable;
  api_token: ApiTokenTable;
  calendar: CalendarTable;
  work_center: WorkCenterTable;
  product: ProductTable;
  routing_step: RoutingStepTable;
  customer_order: CustomerOrderTable;
  quote: QuoteTable;
  operation: OperationTable;
  event_log: EventLogTable;
  andon: AndonTable;
  schedule_version: ScheduleVersionTable;
  planned_operation: PlannedOperationTable;
  plan_pin: PlanPinTable;
  login_failure: LoginFailureTable;
  stream_retention: StreamRetentionTable;
  order_eta: OrderEtaTable;
  order_eta_history: OrderEtaHistoryTable;
  eta_spread_run: EtaSpreadRunTable;
  stream_message: StreamMessageTable;
  screen_latency: ScreenLatencyTable;
  escalation_ladder: EscalationLadderTable;
  notification: NotificationTable;
  order_notice: OrderNoticeTable;
  late_start: LateStartTable;
  installation_secret: InstallationSecretTable;
  operator: OperatorTable;
  board: BoardTable;
  playlist: PlaylistTable;
}

export type OrderRow = Selectable<CustomerOrderTable>;
export type OperationRow = Selectable<OperationTable>;
export type AndonRow = Selectable<AndonTable>;
export type NewEventLog = Insertable<EventLogTable>;
