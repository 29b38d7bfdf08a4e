-- What the Gantt draws on a bar: its setup head, and whether a pin or the frozen horizon placed it.
alter table planned_operation
  add column setup_minutes double precision not null default 0,
  add column pinned boolean not null default false,
  add column frozen boolean not null default false;

-- A planner's decision on one operation: a machine and, for 'exact', a start the engine must keep;
-- for 'queue', the time it joins the machine's queue. Rows are never deleted: removal is a state, so
-- the history of who moved what stays readable (the event log has the same, as events).
create table plan_pin (
  id           bigserial primary key,
  plant_id     int not null references plant(id),
  order_id     bigint not null references customer_order(id) on delete cascade,
  seq          int not null,
  machine      int not null check (machine between 1 and 100),
  start_at     timestamptz,
  mode         text not null check (mode in ('queue', 'exact')),
  state        text not null default 'active' check (state in ('active', 'unhonourable', 'removed')),
  note         text,
  commit_id    text not null,
  base_version bigint not null,
  -- The pin this one replaced on the same operation: undo puts it back.
  replaces_id  bigint references plan_pin(id),
  created_by   text not null,
  created_at   timestamptz not null default now(),
  removed_at   timestamptz,
  removed_by   text,
  check (mode = 'queue' or start_at is not null),
  foreign key (order_id, seq) references operation(order_id, seq) on delete cascade
);
-- At most one live pin per operation.
create unique index plan_pin_live on plan_pin (order_id, seq) where state <> 'removed';
create index plan_pin_plant on plan_pin (plant_id, id desc);
create index plan_pin_commit on plan_pin (plant_id, commit_id);
