-- The calibration shift each P50 was given with, in minutes (scheduler/engine/spread-model.ts,
-- p50Shift). As with p90_scale (0020): the fit is to the futures' own medians, so a P50 already moved
-- by a shift is moved back by it before the next fit. Null: given before the shift existed (0).
alter table order_eta add column p50_shift real;
alter table order_eta_history add column p50_shift real;
