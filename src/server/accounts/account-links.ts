import type { Executor } from '../db/schema.js'

/** One-time links sent by mail. Their secret is in the mail only; the table holds its SHA-256. */
export type LinkPurpose = 'password-reset' | 'email-change' | 'invite' | 'sign-in' | 'member-invite'

/**
 * How long a link works: a reset is asked for now, a new address may be read later in the day, and an
 * invitation may arrive on a Friday and be opened on Monday (72 hours).
 */
export const LINK_VALID_MS: Record<LinkPurpose, number> = {
  'password-reset': 60 * 60_000,
  'email-change': 24 * 3600_000,
  invite: 72 * 3600_000,
  // A sign-in link is asked for at the sign-in screen and used at once.
  'sign-in': 15 * 60_000,
  // A local administrator's invitation signs the colleague in; like the desk's invitations, it may wait a weekend.
  'member-invite': 72 * 3600_000,
}

/** The links that sign someone in (on the portal's /portal/link page). */
export const SIGN_IN_LINKS: readonly LinkPurpose[] = ['sign-in', 'member-invite']

/** The links that let someone choose a password (on the /wachtwoord-instellen page). */
export const PASSWORD_LINKS: readonly LinkPurpose[] = ['password-reset', 'invite']

/** The queue of account mails (reset links, address confirmations), sent by the e-mail channel. */
export const ACCOUNT_MAIL_QUEUE = 'account.mail'

export const accountLinkRepository = {
  insert: (db: Executor, row: { id: string; user_id: string; purpose: LinkPurpose; new_email: string | null; created_at: string; expires_at: string }) =>
    db.insertInto('account_link').values({ ...row, used_at: null }).execute(),
  /** Uses a link: only once (the first of two at the same moment wins), only before it expires. */
  use: (db: Executor, id: string, purposes: readonly LinkPurpose[], nowIso: string) =>
    db
      .updateTable('account_link')
      .set({ used_at: nowIso })
      .where('id', '=', id)
      .where('purpose', 'in', purposes)
      .where('used_at', 'is', null)
      .where('expires_at', '>', nowIso)
      .returning(['user_id', 'new_email'])
      .executeTakeFirst(),
  /** Whether a link of this purpose went to the user after `sinceIso` (so a new request need not mail again). */
  sentSince: async (db: Executor, userId: string, purpose: LinkPurpose, sinceIso: string) =>
    !!(await db.selectFrom('account_link').select('id').where('user_id', '=', userId).where('purpose', '=', purpose).where('created_at', '>', sinceIso).executeTakeFirst()),
  /** A new link of a purpose replaces the user's earlier ones. */
  retire: (db: Executor, userId: string, purpose: LinkPurpose, nowIso: string) =>
    db.updateTable('account_link').set({ used_at: nowIso }).where('user_id', '=', userId).where('purpose', '=', purpose).where('used_at', 'is', null).execute(),
}

const TEXTS = {
  'sign-in': {
    nl: {
      subject: 'Uw inloglink voor Loket',
      body: (name: string, link: string) =>
        `Beste ${name},\n\nU vroeg om in te loggen bij Loket zonder wachtwoord. Open deze link om in te loggen:\n\n${link}\n\nDe link werkt één keer en is 15 minuten geldig. Heeft u hier niet om gevraagd? Dan kunt u deze mail negeren. Er gebeurt dan niets.\n`,
    },
    en: {
      subject: 'Your sign-in link for Loket',
      body: (name: string, link: string) =>
        `Dear ${name},\n\nYou asked to sign in to Loket without a password. Open this link to sign in:\n\n${link}\n\nThe link works once and for 15 minutes. If you did not ask for this, you can ignore this mail; nothing happens.\n`,
    },
  },
  'member-invite': {
    nl: {
      subject: 'U bent uitgenodigd voor het klantportaal van Loket',
      body: (name: string, link: string) =>
        `Beste ${name},\n\nDe lokaal beheerder van uw organisatie heeft u een account gegeven in het klantportaal van de servicedesk. Open deze link om in te loggen:\n\n${link}\n\nDe link werkt één keer en is 72 uur (3 dagen) geldig. Daarna logt u in met een inloglink per mail, of kiest u een wachtwoord via 'Wachtwoord vergeten?'.\n`,
    },
    en: {
      subject: "You are invited to Loket's customer portal",
      body: (name: string, link: string) =>
        `Dear ${name},\n\nYour organisation's local administrator gave you an account in the service desk's customer portal. Open this link to sign in:\n\n${link}\n\nThe link works once and for 72 hours (3 days). After that you sign in with a sign-in link by mail, or choose a password through 'Forgot your password?'.\n`,
    },
  },
  'password-reset': {
    nl: {
      subject: 'Stel uw wachtwoord in voor Loket',
      body: (name: string, link: string) =>
        `Beste ${name},\n\nU vroeg om een nieuw wachtwoord voor Loket, of de servicedesk deed dat voor u. Open deze link om uw wachtwoord te kiezen:\n\n${link}\n\nDe link werkt één keer en is een uur geldig. Heeft u hier niet om gevraagd? Dan kunt u deze mail negeren.\n`,
    },
    en: {
      subject: 'Set your password for Loket',
      body: (name: string, link: string) =>
        `Dear ${name},\n\nYou asked for a new password for Loket, or the service desk did so for you. Open this link to choose your password:\n\n${link}\n\nThe link works once and for one hour. If you did not ask for this, you can ignore this mail.\n`,
    },
  },
  invite: {
    nl: {
      subject: 'U bent uitgenodigd voor Loket',
      body: (name: string, link: string) =>
        `Beste ${name},\n\nU heeft een account gekregen in Loket, het systeem van de servicedesk. Open deze link om uw wachtwoord te kiezen. Daarna kunt u inloggen met dit e-mailadres:\n\n${link}\n\nDe link werkt één keer en is 72 uur (3 dagen) geldig. Is de link verlopen? Vraag dan uw beheerder om een nieuwe uitnodiging.\n`,
    },
    en: {
      subject: 'You are invited to Loket',
      body: (name: string, link: string) =>
        `Dear ${name},\n\nYou now have an account in Loket, the service desk's system. Open this link to choose your password. After that you can sign in with this e-mail address:\n\n${link}\n\nThe link works once and for 72 hours (3 days). Has it expired? Ask your administrator for a new invitation.\n`,
    },
  },
  'email-change': {
    nl: {
      subject: 'Bevestig uw nieuwe e-mailadres voor Loket',
      body: (name: string, link: string) =>
        `Beste ${name},\n\nIemand gaf dit adres op als uw nieuwe e-mailadres in Loket. Open deze link om dat te bevestigen. Pas daarna gaat de wijziging in:\n\n${link}\n\nDe link werkt één keer en is 24 uur geldig. Kent u dit verzoek niet? Dan kunt u deze mail negeren.\n`,
    },
    en: {
      subject: 'Confirm your new e-mail address for Loket',
      body: (name: string, link: string) =>
        `Dear ${name},\n\nSomeone gave this address as your new e-mail address in Loket. Open this link to confirm it. The change takes effect only then:\n\n${link}\n\nThe link works once and for 24 hours. If you do not know of this request, you can ignore this mail.\n`,
    },
  },
} as const

/** The mail with a link, in the person's language (Dutch unless they chose English). */
export function linkMail(purpose: LinkPurpose, language: string, name: string, link: string) {
  const text = TEXTS[purpose][language === 'en' ? 'en' : 'nl']
  return { subject: text.subject, text: text.body(name, link) }
}

/** The mail to a new local administrator, in their language. */
export function localAdminMail(language: string, name: string, organisation: string, portalUrl: string) {
  return language === 'en'
    ? {
        subject: `You are now local administrator of ${organisation}`,
        text: `Dear ${name},\n\nAt your organisation's request, the service desk made you local administrator of ${organisation} in Loket. In the customer portal you can now invite colleagues, switch off accounts of people who left, and follow all tickets of ${organisation}:\n\n${portalUrl}\n\nDid nobody ask for this? Please tell the service desk.\n`,
      }
    : {
        subject: `U bent nu lokaal beheerder van ${organisation}`,
        text: `Beste ${name},\n\nOp verzoek van uw organisatie heeft de servicedesk u lokaal beheerder van ${organisation} gemaakt in Loket. In het klantportaal kunt u nu collega's uitnodigen, accounts van vertrokken collega's uitzetten en alle tickets van ${organisation} volgen:\n\n${portalUrl}\n\nHeeft niemand hierom gevraagd? Laat het de servicedesk dan weten.\n`,
      }
}

/** The reminder to members of an organisation without a local administrator, in their language. */
export function noLocalAdminMail(language: string, name: string, organisation: string, portalUrl: string) {
  return language === 'en'
    ? {
        subject: `${organisation} has no local administrator in Loket`,
        text: `Dear ${name},\n\n${organisation} has no local administrator in Loket. A local administrator invites new colleagues to the service desk's portal and switches off the accounts of people who leave.\n\nPlease agree within your organisation who will do this, and let the service desk know by replying to a ticket or through the portal:\n\n${portalUrl}\n`,
      }
    : {
        subject: `${organisation} heeft geen lokaal beheerder in Loket`,
        text: `Beste ${name},\n\n${organisation} heeft geen lokaal beheerder in Loket. Een lokaal beheerder nodigt nieuwe collega's uit voor het portaal van de servicedesk en zet accounts van vertrokken collega's uit.\n\nSpreek binnen uw organisatie af wie dat doet, en laat het de servicedesk weten via een ticket of het portaal:\n\n${portalUrl}\n`,
      }
}
