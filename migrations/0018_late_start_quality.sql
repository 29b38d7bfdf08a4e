-- Late-start alerts (issue 11): an operation planned to start more than `late_start_minutes` ago
-- that has not started is told once to the floor (leads and planners) and marked on its board tile.
alter table work_center add column late_start_minutes int not null default 15
  check (late_start_minutes between 1 and 1440);

-- One row per operation once its planned start has come: the start the plan had then (a re-plan
-- slides a not-started operation to "now", so the live plan alone would never look late), and
-- whether and when the floor was told. The row is the "once": told_at is set under its key.
create table late_start (
  order_id          bigint not null,
  seq               int not null,
  plant_id          int not null references plant(id),
  work_center_code  text not null,
  machine           int,
  planned_start_at  timestamptz not null,
  told_at           timestamptz,
  minutes_late      int,
  primary key (order_id, seq),
  foreign key (order_id, seq) references operation(order_id, seq) on delete cascade
);
create index late_start_told on late_start (plant_id, work_center_code) where told_at is not null;
