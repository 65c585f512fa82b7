-- search: written by the SQL snapshot test (UPDATE_SQL_SNAPSHOTS=1 npx vitest run … to write it anew)

select *, "updated_at" as "sort_key" from "ticket" order by "updated_at" desc, "id" desc limit $1;

SELECT DISTINCT ticket_id FROM search_entry WHERE ticket_id = ANY($1::text[]) AND tsv @@ (plainto_tsquery('dutch', $2) || plainto_tsquery('english', $3) || plainto_tsquery('simple', $4));

select "id", "name", "email" from "app_user" where "id" in ($1, $2);

select "id", "name" from "organisation" where "id" in ($1);

select * from "ticket_tag" where "ticket_id" in ($1) order by "tag";

select * from "escalation" where "ticket_id" in ($1) and "done_at" is null;

select * from "ticket_field" order by "position", "id";
