-- Materials (issue 11): components with stock, bills of materials per product, an append-only stock
-- ledger (receipts raise on-hand, floor reports backflush it), purchasing's arrival estimates, and the
-- forecast shortages the plan holds operations for.

create table component (
  plant_id        int not null references plant(id),
  code            text not null,
  name            text not null,
  unit            text not null,
  -- Kept in step with stock_movement in the same transaction as each movement: the ledger explains,
  -- this column answers "how much now" without summing the plant's history.
  on_hand         double precision not null,
  reorder_point   double precision not null check (reorder_point >= 0),
  lead_time_days  double precision not null check (lead_time_days >= 0),
  -- Purchasing's estimate of the next delivery; null: none entered.
  arrival_at      timestamptz,
  -- Set when on-hand crossed below the reorder point and purchasing was told; cleared when it is back
  -- above, so each crossing is told once.
  below_reorder   boolean not null default false,
  updated_at      timestamptz not null default now(),
  primary key (plant_id, code)
);
create index component_below_reorder on component (plant_id) where below_reorder;

create table bom_line (
  plant_id           int not null,
  product_code       text not null,
  component_code     text not null,
  seq                int not null check (seq >= 1),
  quantity_per_unit  double precision not null check (quantity_per_unit > 0),
  primary key (plant_id, product_code, component_code, seq),
  foreign key (plant_id, product_code) references product(plant_id, code) on delete cascade,
  foreign key (plant_id, component_code) references component(plant_id, code)
);
create index bom_line_component on bom_line (plant_id, component_code);

create table stock_movement (
  id              bigserial primary key,
  plant_id        int not null,
  component_code  text not null,
  kind            text not null check (kind in ('receipt', 'backflush', 'count')),
  -- Signed: a receipt adds, a backflush takes away, a count sets on-hand by the difference.
  quantity        double precision not null,
  at              timestamptz not null,
  -- The event (receipt id or floor event id) this movement belongs to, to explain it.
  client_id       text,
  order_id        bigint references customer_order(id) on delete set null,
  seq             int,
  foreign key (plant_id, component_code) references component(plant_id, code)
);
create index stock_movement_component on stock_movement (plant_id, component_code, id);

create or replace function stock_movement_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'stock_movement is append-only';
end $$;
create trigger stock_movement_no_update before update or delete on stock_movement
  for each row execute function stock_movement_append_only();

-- A forecast shortage as first seen: its instant anchors the plan's hold (so the hold, moving the
-- operation, cannot move its own start again), and its row says purchasing was told. Deleted when the
-- forecast no longer shows it.
create table component_shortage (
  plant_id        int not null,
  component_code  text not null,
  needed_at       timestamptz not null,
  noticed_at      timestamptz not null,
  primary key (plant_id, component_code),
  foreign key (plant_id, component_code) references component(plant_id, code)
);
