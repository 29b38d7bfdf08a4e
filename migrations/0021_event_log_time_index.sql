-- The scrap Pareto (server/quality/scrap-pareto.ts) and the figures read the event log by period; the
-- log is kept for good, so without this a month's Pareto scans every event the plant ever had.
create index event_log_plant_at on event_log (plant_id, at);
