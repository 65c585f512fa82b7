-- create-ticket: written by the SQL snapshot test (UPDATE_SQL_SNAPSHOTS=1 npx vitest run … to write it anew)

SELECT app_user.*, (SELECT name FROM organisation WHERE organisation.id = app_user.organisation_id) AS organisation_name FROM app_user
  WHERE id = COALESCE((SELECT user_id FROM contact_identities WHERE kind = $1 AND value = $2), (SELECT id FROM app_user WHERE email = $3));

select * from "routing_rule" order by "position", "created_at", "id";

select "id", "department_id", "assignment" from "agent_group" where "line" = $1 order by "created_at", "id" limit $2;

select * from "ticket_field" order by "position", "id";

SELECT count(*)::int AS n FROM pg_class WHERE relkind = 'S' AND relname = $1;

BEGIN;

WITH n AS (SELECT nextval($1::regclass) AS seq),
    t AS (
      INSERT INTO ticket (id, number, subject, status, priority, type, channel, requester_id, organisation_id, department_id, group_id, assignee_id, created_at, updated_at, first_response_at, resolved_at, closed_at, version) VALUES ($2, (SELECT $3 || (CASE WHEN n.seq < 100000 THEN lpad(n.seq::text, 5, '0') ELSE n.seq::text END) FROM n), $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
      RETURNING id, number),
    h AS (
      INSERT INTO ticket_history (id, ticket_id, actor_id, field, old_value, new_value, created_at)
      SELECT $20, t.id, $21, 'created', NULL, t.number, $22 FROM t),
    a AS (INSERT INTO article (id, ticket_id, channel, direction, visibility, author_id, body, content_type, source_id, metadata, created_at) VALUES ($23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33)),
    g AS (INSERT INTO ticket_tag (ticket_id, tag) SELECT t.id, unnest($34::text[]) FROM t)
    , s AS (INSERT INTO search_entry (id, ticket_id, tsv) SELECT $35, t.id, to_tsvector('dutch', c) || to_tsvector('english', c) || to_tsvector('simple', c) FROM t, (SELECT $36::text AS c) AS content)
    SELECT number FROM t;

WITH written AS (INSERT INTO outbox (id, type, payload, status, attempts, available_at, last_error, created_at) VALUES ($1, $2, $3, 'pending', 0, $4, NULL, $5), ($6, $7, $8, 'pending', 0, $9, NULL, $10)) SELECT pg_notify('loket_wake', 'outbox');

COMMIT;
