-- How a TV board draws its work centers: 'tiles' (state and current job) or 'kanban' (the queues).
alter table board add column layout text not null default 'tiles' check (layout in ('tiles', 'kanban'));
