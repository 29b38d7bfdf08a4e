-- Order notices (server/db/repositories/order-notices.ts): sales hear when an order's ETA or P90
-- crosses its due date. The feed now carries two subjects, an andon (as before) or an order, and an
-- audience (who it is for: 'floor' for andon notices, 'sales' for order ones; the next departments
-- extend the list). An order notice keeps its facts as data (ETA, P90, due, lateness, reasons) so
-- each screen words it in its own language; no prose is stored.
alter table notification drop constraint notification_kind_check;
alter table notification add constraint notification_kind_check
  check (kind in ('andon.raised','andon.escalated','andon.resolved','order.late','order.at_risk','order.on_time'));
alter table notification add column audience text not null default 'floor' check (audience in ('floor','sales'));
alter table notification add column order_id bigint references customer_order(id);
alter table notification add column data jsonb;
alter table notification alter column andon_id drop not null;
alter table notification alter column level drop not null;
alter table notification alter column notify drop not null;
-- Exactly one subject, with what its kind needs.
alter table notification add constraint notification_subject check (
  case when kind like 'andon.%'
    then andon_id is not null and level is not null and notify is not null and order_id is null
    else order_id is not null and data is not null and andon_id is null
  end);
create index notification_audience on notification (plant_id, audience, id desc);

-- What sales were last told about an order: one row per order once it first crossed its due date.
-- A re-plan reads only the rows of orders it changed that are told late or at risk (plus those
-- crossing now), so a plan where nothing crossed costs one small query.
create table order_notice (
  order_id    bigint primary key references customer_order(id),
  plant_id    int not null references plant(id),
  state       text not null check (state in ('late','at_risk','on_time')),
  -- The ETA and P90 as they were told (the next notice compares with these, not with the last plan).
  eta         timestamptz not null,
  eta_p90     timestamptz,
  told_at     timestamptz not null
);
create index order_notice_plant on order_notice (plant_id) where state <> 'on_time';
