-- Capable-to-promise quotes (POST /api/v1/quotes): the date an order could be promised, computed
-- against the live plan and kept until it expires; an order created from a quote takes its date.
create table quote (
  id             uuid primary key,
  plant_id       int not null references plant(id),
  product_code   text not null,
  quantity       int not null,
  customer       text,
  mode           text not null,
  wanted_by      timestamptz,
  -- What the engine answered (scheduler/engine/quote.ts): the date, the release that keeps the
  -- others' promises, the priority it was planned with, and the orders it would delay.
  eta            timestamptz not null,
  release_at     timestamptz not null,
  priority       int not null,
  impacts        jsonb not null,
  solve_ms       double precision not null,
  created_by     text not null,
  created_at     timestamptz not null,
  expires_at     timestamptz not null,
  order_id       bigint references customer_order(id)
);
create index quote_plant_expiry on quote (plant_id, expires_at);

-- Its due date was quoted to the customer: the planner's search never trades it for others' lateness.
alter table customer_order add column promised boolean not null default false;
