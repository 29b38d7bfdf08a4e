-- What each live screen reports of its own sync latency (POST /screens/heartbeat), one row per screen
-- and minute: a TV beats every 30 s, so rows grow with screens x minutes, never with messages. Two
-- beats of one minute are merged (samples add up, p50 weighted by samples, p95 the larger one).
-- Pruned with the notifications (server/retention/prune.ts, 90 days).
create table screen_latency (
  plant_id          int not null references plant(id),
  screen            text not null,
  kind              text not null check (kind in ('board', 'station', 'console')),
  minute            timestamptz not null,
  samples           int not null check (samples >= 0),
  p50_ms            double precision check (p50_ms >= 0),
  p95_ms            double precision check (p95_ms >= 0),
  newest_message_at timestamptz,
  reported_at       timestamptz not null,
  primary key (plant_id, screen, minute)
);

create index screen_latency_by_minute on screen_latency (plant_id, minute);
create index screen_latency_by_time on screen_latency (minute);
