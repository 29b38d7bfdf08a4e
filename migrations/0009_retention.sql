-- Stream messages are pruned once they are past the replay window (server/retention/prune.ts); a
-- client resuming from before this id is told to reload instead of being replayed a silent gap.
create table stream_retention (
  plant_id        int primary key references plant(id),
  pruned_through  bigint not null,
  pruned_at       timestamptz not null default now()
);
create index notification_created on notification (created_at);
