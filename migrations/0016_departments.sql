-- Every department in Takt (issue 11): purchasing, warehouse, QC and managers sign in with roles of
-- their own, and the notification feed gains their audiences and the kinds they act on. A notice
-- whose subject is neither an andon nor an order (a component running short, an operation that did
-- not start) keeps its facts in `data`, as order notices do.
alter table app_user drop constraint app_user_role_check;
alter table app_user add constraint app_user_role_check
  check (role in ('admin','planner','sales','lead','worker','display','purchasing','warehouse','qc','manager'));
alter table api_token drop constraint api_token_role_check;
alter table api_token add constraint api_token_role_check
  check (role in ('admin','planner','sales','lead','worker','display','purchasing','warehouse','qc','manager'));

alter table notification drop constraint notification_audience_check;
alter table notification add constraint notification_audience_check
  check (audience in ('floor','sales','purchasing','warehouse','qc','manager'));
alter table notification drop constraint notification_kind_check;
alter table notification add constraint notification_kind_check
  check (kind in ('andon.raised','andon.escalated','andon.resolved','order.late','order.at_risk','order.on_time',
                  'material.below_reorder','material.shortage','operation.late_start'));
alter table notification drop constraint notification_subject;
alter table notification add constraint notification_subject check (
  case when kind like 'andon.%'
    then andon_id is not null and level is not null and notify is not null and order_id is null
    else data is not null and andon_id is null and (kind not like 'order.%' or order_id is not null)
  end);
