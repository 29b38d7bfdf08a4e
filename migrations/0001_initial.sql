-- Takt schema, first version. Every record belongs to a plant.

create table plant (
  id          serial primary key,
  code        text not null unique,
  name        text not null,
  time_zone   text not null default 'Asia/Shanghai',
  created_at  timestamptz not null default now()
);

create table app_user (
  id             serial primary key,
  username       text not null unique,
  display_name   text not null,
  role           text not null check (role in ('admin','planner','sales','lead','worker','display')),
  password_hash  text not null,
  created_at     timestamptz not null default now(),
  disabled_at    timestamptz
);

-- A null plant list on a user or token means "every plant" (installation admins only).
create table user_plant (
  user_id   int not null references app_user(id) on delete cascade,
  plant_id  int not null references plant(id) on delete cascade,
  primary key (user_id, plant_id)
);

-- API tokens and console sessions. Only a SHA-256 of the secret is stored.
create table api_token (
  id           serial primary key,
  token_hash   text not null unique,
  kind         text not null check (kind in ('api','session')),
  name         text not null,
  role         text not null check (role in ('admin','planner','sales','lead','worker','display')),
  user_id      int references app_user(id) on delete cascade,
  all_plants   boolean not null default false,
  plant_ids    int[] not null default '{}',
  created_at   timestamptz not null default now(),
  expires_at   timestamptz,
  revoked_at   timestamptz
);

create table calendar (
  plant_id    int not null references plant(id),
  code        text not null,
  name        text not null,
  time_zone   text not null,
  shifts      jsonb not null,
  exceptions  jsonb not null default '[]',
  updated_at  timestamptz not null default now(),
  primary key (plant_id, code)
);

create table work_center (
  plant_id       int not null references plant(id),
  code           text not null,
  name           text not null,
  line           text not null,
  machines       int not null check (machines between 1 and 100),
  calendar_code  text not null,
  setup_matrix   jsonb not null default '[]',
  updated_at     timestamptz not null default now(),
  primary key (plant_id, code),
  foreign key (plant_id, calendar_code) references calendar(plant_id, code)
);

create table product (
  plant_id    int not null references plant(id),
  code        text not null,
  name        text not null,
  family      text,
  updated_at  timestamptz not null default now(),
  primary key (plant_id, code)
);

create table routing_step (
  plant_id              int not null,
  product_code          text not null,
  seq                   int not null check (seq >= 1),
  work_center_code      text not null,
  setup_minutes         double precision not null check (setup_minutes >= 0),
  run_minutes_per_unit  double precision not null check (run_minutes_per_unit > 0),
  min_transfer_minutes  double precision not null default 0,
  description           text,
  primary key (plant_id, product_code, seq),
  foreign key (plant_id, product_code) references product(plant_id, code) on delete cascade,
  foreign key (plant_id, work_center_code) references work_center(plant_id, code)
);

create table customer_order (
  id            bigserial primary key,
  plant_id      int not null references plant(id),
  code          text not null,
  product_code  text not null,
  quantity      int not null check (quantity > 0),
  due_at        timestamptz not null,
  release_at    timestamptz,
  priority      int not null default 1 check (priority between 1 and 10),
  customer      text,
  status        text not null default 'open' check (status in ('open','completed','cancelled')),
  created_at    timestamptz not null default now(),
  completed_at  timestamptz,
  unique (plant_id, code),
  foreign key (plant_id, product_code) references product(plant_id, code)
);
create index customer_order_open on customer_order (plant_id) where status = 'open';

-- An order's operations: copied from the routing when the order is created, then driven by the floor.
create table operation (
  order_id              bigint not null references customer_order(id) on delete cascade,
  seq                   int not null,
  plant_id              int not null,
  work_center_code      text not null,
  setup_minutes         double precision not null,
  run_minutes_per_unit  double precision not null,
  min_transfer_minutes  double precision not null default 0,
  status                text not null default 'pending' check (status in ('pending','running','paused','completed')),
  quantity_good         int not null default 0 check (quantity_good >= 0),
  quantity_scrap        int not null default 0 check (quantity_scrap >= 0),
  machine               int,
  started_at            timestamptz,
  last_report_at        timestamptz,
  completed_at          timestamptz,
  primary key (order_id, seq),
  foreign key (plant_id, work_center_code) references work_center(plant_id, code)
);
create index operation_work_center on operation (plant_id, work_center_code) where status <> 'completed';

-- Append-only: every accepted floor event and every change (who, when, what).
-- client_id makes floor presses idempotent: the same id is accepted once per plant.
create table event_log (
  id           bigserial primary key,
  plant_id     int not null references plant(id),
  client_id    text,
  type         text not null,
  actor        text not null,
  at           timestamptz not null,
  received_at  timestamptz not null default now(),
  subject      text,
  payload      jsonb not null default '{}',
  unique (plant_id, client_id)
);
create index event_log_plant_type on event_log (plant_id, type, id);

create or replace function event_log_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'event_log is append-only';
end $$;
create trigger event_log_no_update before update or delete on event_log
  for each row execute function event_log_append_only();

create table andon (
  id                text primary key,
  plant_id          int not null references plant(id),
  work_center_code  text not null,
  machine           int,
  reason            text not null check (reason in ('material','quality','breakdown','safety','other')),
  order_id          bigint references customer_order(id),
  seq               int,
  note              text,
  expected_minutes  int,
  expected_end_at   timestamptz,
  state             text not null default 'raised' check (state in ('raised','acknowledged','resolved','cancelled')),
  raised_at         timestamptz not null,
  raised_by         text not null,
  acknowledged_at   timestamptz,
  acknowledged_by   text,
  resolved_at       timestamptz,
  resolved_by       text,
  root_cause        text,
  foreign key (plant_id, work_center_code) references work_center(plant_id, code)
);
create index andon_open on andon (plant_id) where state in ('raised','acknowledged');

create table schedule_version (
  id           bigserial primary key,
  plant_id     int not null references plant(id),
  computed_at  timestamptz not null,
  trigger_kind text not null,
  cause_id     text,
  solve_ms     double precision not null,
  figures      jsonb not null,
  errors       jsonb
);
create index schedule_version_plant on schedule_version (plant_id, id desc);

create table planned_operation (
  version_id        bigint not null references schedule_version(id) on delete cascade,
  order_id          bigint not null references customer_order(id) on delete cascade,
  seq               int not null,
  work_center_code  text not null,
  machine           int not null,
  start_at          timestamptz not null,
  end_at            timestamptz not null,
  primary key (version_id, order_id, seq)
);
create index planned_operation_wc on planned_operation (version_id, work_center_code, start_at);

create table order_eta (
  order_id          bigint primary key references customer_order(id) on delete cascade,
  plant_id          int not null,
  version_id        bigint not null,
  eta               timestamptz,
  late              boolean not null,
  lateness_minutes  double precision,
  reasons           jsonb not null default '[]',
  updated_at        timestamptz not null default now()
);

create table order_eta_history (
  id          bigserial primary key,
  order_id    bigint not null references customer_order(id) on delete cascade,
  version_id  bigint not null,
  eta         timestamptz,
  at          timestamptz not null default now()
);
create index order_eta_history_order on order_eta_history (order_id, id);

-- Everything pushed on the stream, kept so a client resumes from Last-Event-ID after a disconnect.
-- Ids are handed out under an advisory lock (see server/stream/publish.ts), so they follow commit order.
create table stream_message (
  id          bigserial primary key,
  plant_id    int not null references plant(id),
  topic       text not null,
  cause_id    text,
  emitted_at  timestamptz not null default clock_timestamp(),
  data        jsonb not null
);
create index stream_message_plant on stream_message (plant_id, id);

-- Demo mode prints the same credentials at every start, so it keeps them in clear. Never used
-- outside demo mode: a real installation has no rows here.
create table demo_credential (
  username  text primary key,
  role      text not null,
  password  text,
  token     text
);
