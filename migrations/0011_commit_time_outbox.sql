-- Every floor event shares two things with every other: the stream-order lock (stream ids follow
-- commit order, which makes Last-Event-ID resume exact) and its plant's plan_request row. Taken in
-- the middle of the transaction, both were held across round trips to a busy server until COMMIT,
-- so at 50 events a second each event queued behind the one before (p99 ~1 s). A transaction now
-- only appends its intent to one of the tables below; a deferred trigger does the shared part inside
-- COMMIT itself, where the locks are held for the commit alone. The rows never outlive their
-- transaction: each one's trigger deletes them before it commits (others' rows are invisible to it).

-- Stream messages queued by publish() (server/outbox/stream-messages.ts): one row per call, its
-- messages in order.
create table stream_outbox (
  seq       bigserial primary key,
  plant_id  int not null,
  messages  jsonb not null
);

-- The lock id is STREAM_ORDER_LOCK in server/outbox/stream-messages.ts; the channel STREAM_CHANNEL.
-- Notifications of 8000 bytes or more are refused: larger batches are read from the table by the hub.
create function takt_publish_stream() returns trigger language plpgsql as $$
declare
  batch jsonb;
  payload text;
begin
  with pending as (delete from stream_outbox returning seq, plant_id, messages)
  select jsonb_agg(jsonb_build_object('plantId', p.plant_id, 'm', x.m) order by p.seq, x.n) into batch
  from pending p, jsonb_array_elements(p.messages) with ordinality as x(m, n);
  if batch is null then
    return null; -- an earlier row's trigger in this transaction published everything
  end if;
  perform pg_advisory_xact_lock(7411002);
  with inserted as (
    insert into stream_message (plant_id, topic, cause_id, data)
    select (b.v->>'plantId')::int, b.v->'m'->>'topic', b.v->'m'->>'cause', b.v->'m'->'data'
    from jsonb_array_elements(batch) with ordinality as b(v, n)
    order by b.n
    returning id, plant_id, topic, cause_id, emitted_at, data)
  select coalesce(json_agg(json_build_object(
      'id', id, 'plantId', plant_id, 'topic', topic, 'cause', cause_id, 'emittedAt', emitted_at, 'data', data) order by id)::text, '[]')
    into payload from inserted;
  perform pg_notify('takt_stream', case when octet_length(payload) < 7900 then payload else '' end);
  return null;
end $$;

create constraint trigger stream_outbox_at_commit after insert on stream_outbox
  deferrable initially deferred for each row execute function takt_publish_stream();

-- Re-plan requests queued by requestReschedule() (server/outbox/plan-requests.ts).
create table plan_request_outbox (
  seq       bigserial primary key,
  plant_id  int not null,
  kind      text not null,
  cause_id  text
);

-- For each request, in order: raise the plant's counter and log the cause (newest first, the last 20:
-- MAX_LOGGED_CAUSES), then enqueue the plant's reschedule job due now. The job key collapses a burst
-- into the one pending job; the queue name runs them one at a time per plant. The stream-order lock
-- comes first, as in takt_publish_stream(): a transaction doing both takes the locks in one order.
create function takt_request_plans() returns trigger language plpgsql as $$
declare
  pending jsonb;
  r jsonb;
begin
  with taken as (delete from plan_request_outbox returning seq, plant_id, kind, cause_id)
  select jsonb_agg(jsonb_build_object('plantId', plant_id, 'kind', kind, 'causeId', cause_id) order by seq) into pending from taken;
  if pending is null then
    return null;
  end if;
  perform pg_advisory_xact_lock(7411002);
  for r in select e from jsonb_array_elements(pending) as x(e) loop
    insert into plan_request (plant_id, requested, last_kind, last_cause, causes)
    values ((r->>'plantId')::int, 1, r->>'kind', r->>'causeId',
      jsonb_build_array(jsonb_build_object('n', 1, 'kind', r->>'kind', 'causeId', r->>'causeId')))
    on conflict (plant_id) do update set
      requested = plan_request.requested + 1,
      last_kind = excluded.last_kind,
      last_cause = excluded.last_cause,
      causes = (
        select coalesce(jsonb_agg(c.e order by c.i), '[]'::jsonb)
        from jsonb_array_elements(
          jsonb_build_array(jsonb_build_object('n', plan_request.requested + 1, 'kind', excluded.last_kind, 'causeId', excluded.last_cause))
          || plan_request.causes) with ordinality as c(e, i)
        where c.i <= 20);
    perform graphile_worker.add_job(
      identifier => 'reschedule',
      payload => json_build_object(
        'plantId', (r->>'plantId')::int,
        'trigger', json_build_object('kind', r->>'kind', 'causeId', r->'causeId'),
        'requestedAt', to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
      queue_name => 'reschedule:' || (r->>'plantId'),
      job_key => 'reschedule:' || (r->>'plantId'),
      job_key_mode => 'replace',
      max_attempts => 5);
  end loop;
  return null;
end $$;

create constraint trigger plan_request_outbox_at_commit after insert on plan_request_outbox
  deferrable initially deferred for each row execute function takt_request_plans();
