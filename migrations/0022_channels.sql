-- Channels (issue 12): every notice can also leave Takt, through WeCom, DingTalk and Feishu robots, a
-- Standard Webhooks endpoint or e-mail. A subscription picks notices by kind and filter and sends them
-- to a channel; each send is a `delivery` (its id is the webhook-id on every retry) with its attempts.

-- Orders created from a quote are told to sales; a channel that had to be disabled is told to admins.
alter table notification drop constraint notification_audience_check;
alter table notification add constraint notification_audience_check
  check (audience in ('floor','sales','purchasing','warehouse','qc','manager','admin'));
alter table notification drop constraint notification_kind_check;
alter table notification add constraint notification_kind_check
  check (kind in ('andon.raised','andon.escalated','andon.resolved','order.late','order.at_risk','order.on_time',
                  'material.below_reorder','material.shortage','operation.late_start','quote.confirmed','channel.disabled'));

create table channel (
  id bigserial primary key,
  plant_id integer not null references plant(id),
  code text not null,
  kind text not null check (kind in ('wecom','dingtalk','feishu','webhook','email')),
  url text,
  -- Write-only through the API: robot signing secret, whsec_ webhook secret, or the SMTP password.
  secret text,
  smtp jsonb,
  recipients text[] not null default '{}',
  language text not null default 'zh-CN' check (language in ('zh-CN','en')),
  enabled boolean not null default true,
  disabled_reason text,
  -- Why Takt disabled it, for screens to word: 'gone' (410) or 'failing' (a day of failures).
  disabled_cause text check (disabled_cause in ('gone','failing')),
  -- The first failed attempt since the last success: a day of failures disables the channel.
  failing_since timestamptz,
  updated_at timestamptz not null default now(),
  unique (plant_id, code)
);

create table subscription (
  id bigserial primary key,
  plant_id integer not null references plant(id),
  code text not null,
  channel_id bigint not null references channel(id),
  kinds text[] not null,
  filter jsonb not null default '{}',
  -- E-mail only: this subscription's sender and recipients, instead of the channel's.
  mail_from text,
  recipients text[],
  enabled boolean not null default true,
  updated_at timestamptz not null default now(),
  unique (plant_id, code)
);
create index subscription_channel on subscription (channel_id);

create table delivery (
  id text primary key,
  plant_id integer not null references plant(id),
  channel_id bigint not null references channel(id),
  subscription_id bigint references subscription(id),
  notification_id bigint references notification(id) on delete set null,
  -- The issue's kind (andon.raised, order.eta_moved, ...), 'digest' for held messages sent as one, or 'test'.
  kind text not null,
  -- The notice's facts as routed: the message is worded from these in the channel's language.
  facts jsonb not null,
  state text not null default 'pending' check (state in ('pending','delivered','failed','disabled')),
  -- Held back by the channel's rate limit: sent in the next digest.
  held boolean not null default false,
  digest_id text references delivery(id),
  attempts integer not null default 0,
  -- Attempts before the last replay: the back-off starts afresh from there.
  replay_base integer not null default 0,
  last_status integer,
  last_error text,
  next_attempt_at timestamptz,
  created_at timestamptz not null,
  delivered_at timestamptz
);
create index delivery_channel_state on delivery (channel_id, state, created_at);
-- A route job run twice (graphile retries it) makes one delivery per subscription and notice.
create unique index delivery_once on delivery (subscription_id, notification_id);
create index delivery_digest on delivery (digest_id) where digest_id is not null;
create index delivery_held on delivery (channel_id, created_at) where held and state = 'pending';
create index delivery_plant_created on delivery (plant_id, created_at);

create table delivery_attempt (
  id bigserial primary key,
  delivery_id text not null references delivery(id),
  channel_id bigint not null references channel(id),
  started_at timestamptz not null,
  -- null while the request is out: it counts against the rate limit from the moment it leaves.
  ok boolean,
  status integer,
  latency_ms integer,
  error text
);
create index delivery_attempt_delivery on delivery_attempt (delivery_id, id);
create index delivery_attempt_channel_started on delivery_attempt (channel_id, started_at);

-- One route for every notice, wherever it is inserted: a future insertion site cannot forget the
-- channels. The job is only added when the plant has somewhere to send (graphile_worker.add_job is
-- resolved when the trigger runs, after graphile's own migrations).
create function route_notification_to_channels() returns trigger language plpgsql as $$
begin
  if exists (select 1 from subscription s join channel c on c.id = s.channel_id
             where s.plant_id = new.plant_id and s.enabled and c.enabled) then
    perform graphile_worker.add_job('channels_route', json_build_object('notificationId', new.id), max_attempts => 10);
  end if;
  return null;
end $$;
create trigger notification_channels after insert on notification
  for each row execute function route_notification_to_channels();
