import type { DeflectionQuery, DeflectionReport } from '../../shared/api/portal.js'
import { type Actor, isAdmin, isCustomer } from '../accounts/actor.js'
import { newId } from '../clock.js'
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import type { KnowledgeService } from '../knowledge/knowledge.service.js'
import { deflectionRepository } from './portal.repository.js'

/** What the customer portal adds to the desk: counting the questions a knowledge article answered. */
export class PortalService {
  constructor(
    private readonly deps: Deps,
    private readonly knowledge: Pick<KnowledgeService, 'publicArticle'>,
  ) {}

  /** A customer said a public article answered their question: they did not need to open a ticket. */
  async recordDeflection(actor: Actor, articleSlug: string): Promise<void> {
    if (!isCustomer(actor)) throw AppError.forbidden('record a deflection (customers only)')
    if (!(await this.knowledge.publicArticle(articleSlug))) throw AppError.notFound('Public article', articleSlug)
    await deflectionRepository.insert(this.deps.db, { id: newId(), user_id: actor.user.id, article_slug: articleSlug, created_at: this.deps.clock.iso() })
  }

  async deflections(actor: Actor, query: DeflectionQuery): Promise<DeflectionReport> {
    if (!isAdmin(actor) && actor.user.role !== 'supervisor') throw AppError.forbidden('see deflection figures')
    return deflectionRepository.report(this.deps.db, query.from, query.to)
  }
}
