-- A counter per plant, raised in every transaction that asks for a re-plan. The reschedule task
-- compares it before and after a run: a request that arrived while it ran (and that graphile-worker's
-- job-key replacement can lose in a narrow race with a job being picked up) makes it run again.
create table plan_request (
  plant_id   int primary key references plant(id),
  requested  bigint not null default 0,
  -- The latest request's trigger: a re-run is caused by it, and its messages say so.
  last_kind  text,
  last_cause text
);
