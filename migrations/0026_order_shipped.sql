-- The warehouse ships a finished order: when and by whom. Only a completed order can be shipped.
alter table customer_order add column shipped_at timestamptz;
alter table customer_order add column shipped_by text;
alter table customer_order add constraint customer_order_shipped_completed check (shipped_at is null or status = 'completed');
-- The warehouse's list: completed and not yet shipped.
create index customer_order_to_ship on customer_order (plant_id, due_at) where status = 'completed' and shipped_at is null;
