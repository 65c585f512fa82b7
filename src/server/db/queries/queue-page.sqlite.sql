-- queue-page: written by the SQL snapshot test (UPDATE_SQL_SNAPSHOTS=1 npx vitest run … to write it anew)

select *, "updated_at" as "sort_key" from "ticket" where "status" = ? and "group_id" = ? order by "updated_at" desc, "id" desc limit ?;

select "id", "name", "email" from "app_user" where "id" in (?, ?);

select "id", "name" from "organisation" where "id" in (?);

select * from "ticket_tag" where "ticket_id" in (?) order by "tag";

select * from "escalation" where "ticket_id" in (?) and "done_at" is null;

select * from "ticket_field" order by "position", "id";
