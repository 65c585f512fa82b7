import type { NotificationKind } from '../../shared/api/notifications.js'

/** What a notification says, in one line, for mail (the web app has the same lines in its i18n files). */
export interface NotificationLine {
  kind: NotificationKind
  ticketNumber: string | null
  ticketSubject: string | null
  actorName: string | null
  groupName: string | null
  /** A knowledge article's title (review-due). */
  articleTitle?: string | null
}

type Lang = 'nl' | 'en'

const LINES: Record<Lang, Record<NotificationKind, (n: Required<{ [K in keyof NotificationLine]: string }>) => string>> = {
  nl: {
    assigned: (n) => `${n.actorName} heeft ticket ${n.ticketNumber} aan u toegewezen`,
    'customer-replied': (n) => `De klant heeft gereageerd op ticket ${n.ticketNumber}`,
    returned: (n) => `${n.actorName} heeft ticket ${n.ticketNumber} aan u teruggegeven`,
    escalated: (n) => `${n.actorName} heeft ticket ${n.ticketNumber} doorgezet naar ${n.groupName}`,
    mentioned: (n) => `${n.actorName} noemt u in een notitie bij ticket ${n.ticketNumber}`,
    'taken-over': (n) => `${n.actorName} heeft ticket ${n.ticketNumber} van u overgenomen`,
    'delivery-failed': (n) => `Uw antwoord op ticket ${n.ticketNumber} is niet aangekomen`,
    'review-due': (n) => `Kennisartikel "${n.articleTitle}" van ${n.groupName} is toe aan herziening`,
    'third-party-back': (n) => `Ticket ${n.ticketNumber} wacht niet meer op een derde en staat weer in de wachtrij`,
    'handoff-near': (n) => `Ticket ${n.ticketNumber} bij ${n.groupName} is bijna over de afgesproken tijd`,
    'handoff-overdue': (n) => `Ticket ${n.ticketNumber} bij ${n.groupName} is over de afgesproken tijd`,
  },
  en: {
    assigned: (n) => `${n.actorName} assigned ticket ${n.ticketNumber} to you`,
    'customer-replied': (n) => `The customer replied on ticket ${n.ticketNumber}`,
    returned: (n) => `${n.actorName} returned ticket ${n.ticketNumber} to you`,
    escalated: (n) => `${n.actorName} escalated ticket ${n.ticketNumber} to ${n.groupName}`,
    mentioned: (n) => `${n.actorName} mentioned you in a note on ticket ${n.ticketNumber}`,
    'taken-over': (n) => `${n.actorName} took over ticket ${n.ticketNumber} from you`,
    'delivery-failed': (n) => `Your reply on ticket ${n.ticketNumber} did not arrive`,
    'review-due': (n) => `Knowledge article "${n.articleTitle}" of ${n.groupName} is due for review`,
    'third-party-back': (n) => `Ticket ${n.ticketNumber} no longer waits on a third party and is back in the queue`,
    'handoff-near': (n) => `Ticket ${n.ticketNumber} in ${n.groupName} is near its handoff target`,
    'handoff-overdue': (n) => `Ticket ${n.ticketNumber} in ${n.groupName} is past its handoff target`,
  },
}

const SOMEONE: Record<Lang, string> = { nl: 'Iemand', en: 'Someone' }
const YOUR_GROUP: Record<Lang, string> = { nl: 'uw groep', en: 'your group' }

export function notificationLine(n: NotificationLine, language: string): string {
  const lang: Lang = language === 'en' ? 'en' : 'nl'
  const line = LINES[lang][n.kind]({
    kind: n.kind,
    ticketNumber: n.ticketNumber ?? '',
    ticketSubject: n.ticketSubject ?? '',
    actorName: n.actorName ?? SOMEONE[lang],
    groupName: n.groupName ?? YOUR_GROUP[lang],
    articleTitle: n.articleTitle ?? '',
  })
  return n.ticketSubject ? `${line}: ${n.ticketSubject}` : line
}

/** One mail for everything that waited (at most one per few minutes), in the user's language. */
export function notificationMail(language: string, name: string, items: (NotificationLine & { ticketId: string | null; articleId?: string | null })[], publicUrl: string) {
  const lang: Lang = language === 'en' ? 'en' : 'nl'
  const linkOf = (n: { ticketId: string | null; articleId?: string | null }) =>
    n.ticketId ? `\n  ${publicUrl}/tickets/${n.ticketId}` : n.articleId ? `\n  ${publicUrl}/knowledge/${n.articleId}` : ''
  const lines = items.map((n) => `- ${notificationLine(n, lang)}${linkOf(n)}`).join('\n')
  const count = items.length
  if (lang === 'en') {
    return {
      subject: count === 1 ? notificationLine(items[0], lang) : `${count} new notifications in Loket`,
      text: `Dear ${name},\n\n${count === 1 ? 'This happened' : 'These things happened'} in Loket:\n\n${lines}\n\nYou choose which notifications come by mail on your profile page: ${publicUrl}/profile\n`,
    }
  }
  return {
    subject: count === 1 ? notificationLine(items[0], lang) : `${count} nieuwe meldingen in Loket`,
    text: `Beste ${name},\n\nDit is er gebeurd in Loket:\n\n${lines}\n\nOp uw profielpagina kiest u welke meldingen u per e-mail krijgt: ${publicUrl}/profile\n`,
  }
}
