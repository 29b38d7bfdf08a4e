-- Probabilistic ETAs (scheduler/tasks/eta-spread.ts): after a plan, sampled futures of run times and
-- breakdowns give each open order the date 50 % and 90 % of them finish by. Null until first sampled.
alter table order_eta add column eta_p50 timestamptz;
alter table order_eta add column eta_p90 timestamptz;
alter table order_eta_history add column eta_p50 timestamptz;
alter table order_eta_history add column eta_p90 timestamptz;
-- The sales view's trend mark reads the ETA as it stood a day ago.
create index order_eta_history_at on order_eta_history (order_id, at);

-- One row per plant: when its spread was last sampled and what it cost, so the job paces itself to
-- its CPU budget across restarts and servers.
create table eta_spread_run (
  plant_id    int primary key references plant(id),
  version_id  bigint not null,
  ran_at      timestamptz not null,
  samples     int not null,
  cpu_ms      double precision not null,
  model       jsonb not null
);

-- A quote's P90: the date nine in ten sampled futures of the plan with the new order finish it by.
alter table quote add column eta_p90 timestamptz;
