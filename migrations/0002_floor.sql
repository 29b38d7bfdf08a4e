-- The floor: andon lifecycle (cancel, escalation), notifications, operators, TV boards and playlists.

-- Level 1 (the line lead) is told when the alert is raised; the escalate_andon job raises it.
alter table andon
  add column escalation_level  int not null default 1,
  add column cancelled_at      timestamptz,
  add column cancelled_by      text;
-- Figures scan alerts raised in a time window.
create index andon_raised on andon (plant_id, raised_at);

-- A configured ladder per plant and reason; a reason without a row uses the built-in default.
-- levels: [{level, afterMinutes, notify}], validated by the API (levels 1..n, afterMinutes increasing).
create table escalation_ladder (
  plant_id    int not null references plant(id),
  reason      text not null check (reason in ('material','quality','breakdown','safety','other')),
  levels      jsonb not null,
  updated_at  timestamptz not null default now(),
  primary key (plant_id, reason)
);

-- The plant's notification feed. Read state is shared: one feed per plant, not per person.
create table notification (
  id          bigserial primary key,
  plant_id    int not null references plant(id),
  kind        text not null check (kind in ('andon.raised','andon.escalated','andon.resolved')),
  andon_id    text not null references andon(id),
  level       int not null,
  notify      text not null,
  created_at  timestamptz not null default now(),
  read_at     timestamptz
);
create index notification_plant on notification (plant_id, id desc);
create index notification_unread on notification (plant_id, id desc) where read_at is null;

-- Secrets generated once per installation (e.g. the key of operator PIN hashes).
create table installation_secret (
  name        text primary key,
  secret      bytea not null,
  created_at  timestamptz not null default now()
);

-- People on the floor. PINs and badges are stored as HMAC-SHA256 under an installation secret: a
-- 4-digit PIN has 10,000 values, so a salted slow hash would not protect it any better, and a keyed
-- hash lets identify be one indexed lookup (and makes PINs unique per plant by an index).
create table operator (
  plant_id    int not null references plant(id),
  code        text not null,
  name        text not null,
  pin_hash    text,
  badge_hash  text,
  lead        boolean not null default false,
  active      boolean not null default true,
  updated_at  timestamptz not null default now(),
  primary key (plant_id, code)
);
create unique index operator_pin on operator (plant_id, pin_hash) where pin_hash is not null;
create unique index operator_badge on operator (plant_id, badge_hash) where badge_hash is not null;

create table board (
  plant_id      int not null references plant(id),
  code          text not null,
  name          text not null,
  lines         text[] not null default '{}',
  work_centers  text[] not null default '{}',
  page_seconds  int not null check (page_seconds between 5 and 600),
  sound         boolean not null default true,
  locale        text check (locale in ('zh-CN','en')),
  updated_at    timestamptz not null default now(),
  primary key (plant_id, code)
);

create table playlist (
  plant_id        int not null references plant(id),
  code            text not null,
  name            text not null,
  boards          text[] not null,
  rotate_seconds  int not null check (rotate_seconds between 5 and 3600),
  updated_at      timestamptz not null default now(),
  primary key (plant_id, code)
);
