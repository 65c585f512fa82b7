import type { Kysely } from 'kysely'

// Frozen in time: this file never imports application code.
//
// The customer portal (src/server/portal): questions answered by a knowledge article (deflections).
// The service catalogue (src/server/catalogue): categories and items with their form and fulfilment
// steps, the requests made from them (one per ticket, with the values given and the steps ticked off),
// and customers' "this choice did not fit my question".

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('portal_deflection')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id'))
    .addColumn('article_slug', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('portal_deflection_created').on('portal_deflection').column('created_at').execute()

  await db.schema
    .createTable('catalog_category')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createTable('catalog_item')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('category_id', 'text', (c) => c.notNull().references('catalog_category.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('group_id', 'text', (c) => c.notNull().references('agent_group.id'))
    .addColumn('fields', 'text', (c) => c.notNull())
    .addColumn('steps', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('catalog_item_category').on('catalog_item').columns(['category_id', 'position']).execute()
  await db.schema
    .createTable('catalog_request')
    .addColumn('ticket_id', 'text', (c) => c.primaryKey().references('ticket.id'))
    .addColumn('item_id', 'text', (c) => c.notNull().references('catalog_item.id'))
    .addColumn('item_title', 'text', (c) => c.notNull())
    .addColumn('answers', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('catalog_request_item').on('catalog_request').column('item_id').execute()
  await db.schema
    .createTable('catalog_request_step')
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('ticket.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('done_at', 'text')
    .addColumn('done_by', 'text')
    .addPrimaryKeyConstraint('catalog_request_step_pk', ['ticket_id', 'position'])
    .execute()
  await db.schema
    .createTable('catalog_misfit')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('item_id', 'text', (c) => c.notNull().references('catalog_item.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('catalog_misfit_item').on('catalog_misfit').column('item_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['catalog_misfit', 'catalog_request_step', 'catalog_request', 'catalog_item', 'catalog_category', 'portal_deflection']) {
    await db.schema.dropTable(table).ifExists().execute()
  }
}
