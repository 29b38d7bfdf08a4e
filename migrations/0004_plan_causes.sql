-- A re-plan that runs after several requests covers all of them. Each request is logged here with
-- its number (the `requested` counter after it); a saved plan records the number it covered in
-- `planned`, so its messages can name every cause it included, not only the newest.
alter table plan_request
  add column planned bigint not null default 0,
  add column causes jsonb not null default '[]'::jsonb;

-- An infeasible re-plan is stored as a schedule problem until a feasible plan replaces it, so a
-- console opened later still says why ETAs stopped moving.
create table schedule_problem (
  plant_id    int primary key references plant(id),
  detected_at timestamptz not null,
  trigger_kind text not null,
  cause_id    text,
  errors      jsonb not null
);
