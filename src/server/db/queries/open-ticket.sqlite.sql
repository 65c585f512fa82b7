-- open-ticket: written by the SQL snapshot test (UPDATE_SQL_SNAPSHOTS=1 npx vitest run … to write it anew)

select * from "ticket" where "id" = ?;

select "id", "name", "email" from "app_user" where "id" in (?, ?);

select "id", "name" from "organisation" where "id" in (?);

select * from "ticket_tag" where "ticket_id" in (?) order by "tag";

select * from "escalation" where "ticket_id" in (?) and "done_at" is null;

select * from "ticket_field" order by "position", "id";

select * from "ticket" where "id" = ?;

select * from "article" where "ticket_id" = ? order by "created_at", "id";

select "id", "name", "email" from "app_user" where "id" in (?);

select * from "attachment" where "article_id" in (?) order by "created_at";
