-- The calibration factor each P90 was given with (scheduler/engine/spread-model.ts, p90Scale). The
-- calibration fits the futures' own margin to the plant's record; a P90 already widened by a factor
-- must be divided back by it, or the next fit would see wide enough margins, drop the factor, and the
-- coverage would swing from one run to the next. Null: given before calibration existed (factor 1).
alter table order_eta add column p90_scale real;
alter table order_eta_history add column p90_scale real;
