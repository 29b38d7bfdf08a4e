-- Failed sign-ins per user name and per client address, shared by every Takt server on the database,
-- so guessing passwords is slowed down no matter which server a request lands on.
create table login_failure (
  key          text primary key, -- 'user:<name>' or 'addr:<address>'
  failures     int not null,
  last_at      timestamptz not null,
  locked_until timestamptz
);
