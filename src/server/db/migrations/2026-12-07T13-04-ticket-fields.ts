import type { Kysely } from 'kysely'

// Frozen in time: this file never imports application code.
//
// Ticket fields an administrator adds (vrije velden, src/server/fields): the definitions, and the values
// per ticket in typed columns (one row per value; a multi-choice field has a row per chosen option).

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('ticket_field')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('key', 'text', (c) => c.notNull().unique())
    .addColumn('label_nl', 'text', (c) => c.notNull())
    .addColumn('label_en', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    // JSON: [{ value, labelNl, labelEn }] for choice and multi-choice; [] otherwise.
    .addColumn('options', 'text', (c) => c.notNull())
    // JSON: the statuses in which the field must have a value, e.g. ["resolved","closed"].
    .addColumn('required_statuses', 'text', (c) => c.notNull())
    // JSON: the departments whose tickets show the field; [] for all.
    .addColumn('department_ids', 'text', (c) => c.notNull())
    // 'internal' (staff only) or 'public' (the customer sees it); customer_editable: they may set it.
    .addColumn('visibility', 'text', (c) => c.notNull())
    .addColumn('customer_editable', 'integer', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createTable('ticket_field_value')
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('ticket.id').onDelete('cascade'))
    .addColumn('field_id', 'text', (c) => c.notNull().references('ticket_field.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('value_text', 'text') // text, choice, one option of a multi-choice
    .addColumn('value_number', 'double precision')
    .addColumn('value_date', 'text') // YYYY-MM-DD
    .addColumn('value_bool', 'integer') // 0 or 1
    .addColumn('value_ref', 'text') // a customer's or an organisation's id
    .addPrimaryKeyConstraint('ticket_field_value_pk', ['ticket_id', 'field_id', 'position'])
    .execute()
  // Queue filters look a value up per field, then join the tickets.
  await db.schema.createIndex('ticket_field_value_text').on('ticket_field_value').columns(['field_id', 'value_text']).execute()
  await db.schema.createIndex('ticket_field_value_number').on('ticket_field_value').columns(['field_id', 'value_number']).execute()
  await db.schema.createIndex('ticket_field_value_date').on('ticket_field_value').columns(['field_id', 'value_date']).execute()
  await db.schema.createIndex('ticket_field_value_ref').on('ticket_field_value').columns(['field_id', 'value_ref']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('ticket_field_value').ifExists().execute()
  await db.schema.dropTable('ticket_field').ifExists().execute()
}
