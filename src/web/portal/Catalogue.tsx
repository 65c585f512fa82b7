/** @jsxImportSource preact */
import type { CatalogCategory, CatalogItem } from '../../shared/api/catalogue.js'
import { call } from './api.js'
import { t } from './i18n.js'
import { Link } from './Link.js'
import { ErrorNote, PageHeading } from './Page.js'
import { useResource } from './useResource.js'

/** The service catalogue: request types grouped by theme, each leading to its own form. */
export function Catalogue() {
  const data = useResource('catalogue', async (signal) => {
    const [categories, items] = await Promise.all([
      call<{ items: CatalogCategory[] }>('/catalog/categories', { signal }),
      call<{ items: CatalogItem[] }>('/catalog/items', { signal }),
    ])
    return { categories: categories.items, items: items.items }
  })
  return (
    <section aria-busy={data.loading}>
      <PageHeading title={t('catalogue.title')} />
      <p className="muted">{t('catalogue.intro')}</p>
      {data.error && <ErrorNote error={data.error} onRetry={data.reload} />}
      {data.data?.categories.map((category) => {
        const items = data.data!.items.filter((i) => i.categoryId === category.id)
        if (items.length === 0) return null
        return (
          <section key={category.id} aria-labelledby={`cat-${category.id}`}>
            <h2 id={`cat-${category.id}`} className="section-title">
              {category.name}
            </h2>
            {category.description && <p className="muted">{category.description}</p>}
            <ul className="catalogue-list">
              {items.map((item) => (
                <li key={item.id} className="card catalogue-item">
                  <Link to={`/aanvragen/${item.id}`} className="catalogue-link">
                    {item.title}
                  </Link>
                  {item.description && <p className="muted">{item.description}</p>}
                </li>
              ))}
            </ul>
          </section>
        )
      })}
      {data.data && data.data.items.length === 0 && <p className="empty">{t('catalogue.none')}</p>}
      <p>
        {t('catalogue.notListed')} <Link to="/vraag">{t('nav.ask')}</Link>
      </p>
    </section>
  )
}
