-- Why the plan held an operation back, as the loader knew it: an open material or quality andon,
-- or a forecast material shortage (which has no andon). GET /schedule shows it as held either way.
alter table planned_operation add column held text check (held in ('material', 'quality'));
