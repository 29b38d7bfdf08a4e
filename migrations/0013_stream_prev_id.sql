-- Each notification says which id came before its batch (read under the stream-order lock). A hub
-- that was deaf for a moment (its LISTEN connection dropped and came back) may hear a batch whose
-- predecessors it never heard: it then reads from the table instead of sending the batch on, so no
-- message is skipped (server/stream/hub.ts).
-- Hazards of the commit-time outbox (0011): `SET CONSTRAINTS ALL IMMEDIATE` would run these triggers
-- mid-transaction and hold the global lock from there to COMMIT again (the old contention); under
-- SERIALIZABLE the outbox's table-wide DELETE makes concurrent publishers fail with 40001. Takt uses
-- neither. The lock also covers each plan request's add_job and the commit's WAL flush: publishing
-- commits go one at a time (about a millisecond each on this machine).
create or replace function takt_publish_stream() returns trigger language plpgsql as $$
declare
  batch jsonb;
  payload text;
  prev bigint;
begin
  with pending as (delete from stream_outbox returning seq, plant_id, messages)
  select jsonb_agg(jsonb_build_object('plantId', p.plant_id, 'm', x.m) order by p.seq, x.n) into batch
  from pending p, jsonb_array_elements(p.messages) with ordinality as x(m, n);
  if batch is null then
    return null; -- an earlier row's trigger in this transaction published everything
  end if;
  perform pg_advisory_xact_lock(7411002);
  select coalesce(max(id), 0) into prev from stream_message;
  with inserted as (
    insert into stream_message (plant_id, topic, cause_id, data)
    select (b.v->>'plantId')::int, b.v->'m'->>'topic', b.v->'m'->>'cause', b.v->'m'->'data'
    from jsonb_array_elements(batch) with ordinality as b(v, n)
    order by b.n
    returning id, plant_id, topic, cause_id, emitted_at, data)
  select json_build_object('prevId', prev, 'messages', coalesce(json_agg(json_build_object(
      'id', id, 'plantId', plant_id, 'topic', topic, 'cause', cause_id, 'emittedAt', emitted_at, 'data', data) order by id), '[]'))::text
    into payload from inserted;
  perform pg_notify('takt_stream', case when octet_length(payload) < 7900 then payload else '' end);
  return null;
end $$;
