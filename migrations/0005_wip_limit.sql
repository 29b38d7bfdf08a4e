-- The kanban's WIP limit per work center, in jobs (running plus queued); null: no limit.
alter table work_center add column wip_limit int check (wip_limit between 1 and 1000);
