-- Why a pin is unhonourable or removed, as a code the console says in the reader's language; `note`
-- keeps the English sentence for API users and the log.
alter table plan_pin add column note_code text;
