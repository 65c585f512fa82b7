-- create-ticket: written by the SQL snapshot test (UPDATE_SQL_SNAPSHOTS=1 npx vitest run … to write it anew)

BEGIN;

SELECT app_user.*, (SELECT name FROM organisation WHERE organisation.id = app_user.organisation_id) AS organisation_name FROM app_user
  WHERE id = COALESCE((SELECT user_id FROM contact_identities WHERE kind = ? AND value = ?), (SELECT id FROM app_user WHERE email = ?));

select * from "routing_rule" order by "position", "created_at", "id";

select "id", "department_id", "assignment" from "agent_group" where "line" = ? order by "created_at", "id" limit ?;

select * from "ticket_field" order by "position", "id";

INSERT INTO ticket_counter (year, value) VALUES (?, 1) ON CONFLICT (year) DO UPDATE SET value = ticket_counter.value + 1 RETURNING value;

INSERT INTO ticket (id, number, subject, status, priority, type, channel, requester_id, organisation_id, department_id, group_id, assignee_id, created_at, updated_at, first_response_at, resolved_at, closed_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);

INSERT INTO ticket_history (id, ticket_id, actor_id, field, old_value, new_value, created_at) VALUES (?, ?, ?, 'created', NULL, ?, ?);

INSERT INTO article (id, ticket_id, channel, direction, visibility, author_id, body, content_type, source_id, metadata, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);

INSERT INTO outbox (id, type, payload, status, attempts, available_at, last_error, created_at) VALUES (?, ?, ?, 'pending', 0, ?, NULL, ?), (?, ?, ?, 'pending', 0, ?, NULL, ?);

INSERT INTO search_entry (ticket_id, content) VALUES (?, ?);

COMMIT;
