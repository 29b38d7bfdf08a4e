-- Machine counters over MQTT (server/signals/). The last counter each machine reported is the
-- baseline the next message's delta is taken from; it is kept here rather than in memory so a
-- restart, or a second server process on the same broker, continues from the same value.
-- `epoch` grows each time a machine's counter goes backwards (a reset): the floor event's client id
-- includes it, so a genuine count of 10 after a reset is not mistaken for the 10 before it.
-- `counted_at` is when the baseline was counted: a message counted earlier is stale, not a reset.
create table machine_counter (
  plant_id          int not null references plant(id),
  work_center_code  text not null,
  machine           int not null check (machine between 1 and 100),
  last_count        bigint not null check (last_count >= 0),
  last_scrap        bigint not null default 0 check (last_scrap >= 0),
  epoch             int not null default 0,
  counted_at        timestamptz not null,
  primary key (plant_id, work_center_code, machine),
  foreign key (plant_id, work_center_code) references work_center(plant_id, code)
);

-- The audit (GET /audit) pages the log newest first, by id, filtered by subject (exact, or an
-- order's operations `ORDER/seq` by prefix) or by who did it; the log is kept for good.
create index event_log_plant_id on event_log (plant_id, id);
create index event_log_plant_subject on event_log (plant_id, subject text_pattern_ops, id);
create index event_log_plant_actor on event_log (plant_id, actor, id);
