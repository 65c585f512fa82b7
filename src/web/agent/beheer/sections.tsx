import type { ComponentType } from 'react'
import type { Role } from '../../../shared/api/accounts.js'
import type { Me } from '../api.js'
import { Mailboxes } from '../Mailboxes.js'
import { RoutingRules } from '../RoutingRules.js'
import { SsoSettings } from '../SsoSettings.js'
import { Banners } from './Banners.js'
import { Departments } from './Departments.js'
import { Groups } from './Groups.js'
import { Organisations } from './Organisations.js'
import { TicketFields } from './TicketFields.js'
import { Users } from './Users.js'
import { CatalogueEditor } from '../catalogue/CatalogueEditor.js'
import { Branding } from './Branding.js'
import { Calendars } from './Calendars.js'

/** What a Beheer screen is given: who is signed in, and the rest of its path (`/admin/users/42` → `42`). */
export interface SectionProps {
  me: Me
  subpath: string
}

interface SectionBase {
  /** The part after `/admin/`. */
  path: string
  /** i18n keys of its name and of one line saying what it is for. */
  label: string
  description: string
  /** Who sees it; the API checks again. */
  roles: readonly Role[]
}
/** A screen inside Beheer, or a link to a screen that lives elsewhere in the app. */
export type BeheerSection = SectionBase & ({ Screen: ComponentType<SectionProps> } | { href: string })

const ADMIN = ['admin'] as const
const LEADS = ['admin', 'supervisor'] as const
const STAFF = ['admin', 'supervisor', 'agent'] as const

/**
 * Every section of Beheer, in the order of the menu. Adding a section is one line here: its screen
 * appears in the Beheer menu, on the Beheer start page and at `/admin/<path>`.
 */
export const BEHEER_SECTIONS: readonly BeheerSection[] = [
  { path: 'users', label: 'beheer.users.title', description: 'beheer.about.users', roles: ADMIN, Screen: Users },
  { path: 'departments', label: 'beheer.departments.title', description: 'beheer.about.departments', roles: ADMIN, Screen: Departments },
  { path: 'groups', label: 'beheer.groups.title', description: 'beheer.about.groups', roles: LEADS, Screen: Groups },
  { path: 'calendars', label: 'beheer.calendars.title', description: 'beheer.about.calendars', roles: LEADS, Screen: Calendars },
  { path: 'organisations', label: 'beheer.organisations.title', description: 'beheer.about.organisations', roles: ADMIN, Screen: Organisations },
  { path: 'mailboxes', label: 'mailboxes.nav', description: 'beheer.about.mailboxes', roles: ADMIN, Screen: Mailboxes },
  { path: 'ticket-fields', label: 'customFields.nav', description: 'beheer.about.ticketFields', roles: ADMIN, Screen: TicketFields },
  { path: 'routing', label: 'routing.nav', description: 'beheer.about.routing', roles: ADMIN, Screen: RoutingRules },
  { path: 'branding', label: 'branding.title', description: 'beheer.about.branding', roles: ADMIN, Screen: Branding },
  { path: 'sso', label: 'sso.nav', description: 'beheer.about.sso', roles: ADMIN, Screen: SsoSettings },
  { path: 'templates', label: 'templates.title', description: 'beheer.about.templates', roles: STAFF, href: '/templates' },
  { path: 'knowledge', label: 'knowledge.title', description: 'beheer.about.knowledge', roles: STAFF, href: '/knowledge' },
  { path: 'catalogue', label: 'catalogue.nav', description: 'beheer.about.catalogue', roles: ADMIN, Screen: CatalogueEditor },
  { path: 'banners', label: 'beheer.banners.title', description: 'beheer.about.banners', roles: LEADS, Screen: Banners },
]

/** The sections this role may open. */
export const sectionsFor = (role: Role) => BEHEER_SECTIONS.filter((s) => s.roles.includes(role))

/** Whether this role sees Beheer at all (customers and agents only reach templates and knowledge elsewhere). */
export const mayOpenBeheer = (role: Role) => (LEADS as readonly Role[]).includes(role)

/** `/admin`, `/admin/<section>` and `/admin/<section>/<rest>`. */
export function sectionHref(section: BeheerSection): string {
  return 'href' in section ? section.href : `/admin/${section.path}`
}
