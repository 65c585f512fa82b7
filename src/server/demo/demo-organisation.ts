/**
 * The demo organisation: Servicecentrum Lingedal, a (fictional) shared service centre that runs one
 * service desk for the ICT, HR, Facilitair and Financiën services it provides to the municipalities,
 * schools and water board of its region, and to the businesses that use its Inkoopportaal (a
 * TenderNed-like tendering portal). Every domain ends in `.example` (RFC 2606), so no demo reply can
 * ever reach a real mailbox.
 */

export const STAFF_DOMAIN = 'sc-lingedal.example'
export const DESK_NAME = 'Servicedesk Servicecentrum Lingedal'

export interface DemoDepartment {
  name: string
  customerReplyAllowed: boolean
}

/** The service desk is its own department: it works for all four back offices, not for ICT alone. */
export const DEPARTMENTS: DemoDepartment[] = [
  { name: 'Servicedesk', customerReplyAllowed: true },
  { name: 'ICT', customerReplyAllowed: false },
  { name: 'HR', customerReplyAllowed: false },
  { name: 'Facilitair', customerReplyAllowed: false },
  { name: 'Financiën', customerReplyAllowed: false },
]

export interface DemoGroup {
  key: GroupKey
  name: string
  department: string
  line: 1 | 2 | 3
}

export type GroupKey =
  | 'servicedesk'
  | 'applicatiebeheer'
  | 'werkplekbeheer'
  | 'personeelszaken'
  | 'salarisadministratie'
  | 'opleidingen'
  | 'huisvesting'
  | 'facilitaire-services'
  | 'crediteuren'
  | 'inkoop'

/** Servicedesk comes first: new tickets start in the first 1st-line group. */
export const GROUPS: DemoGroup[] = [
  { key: 'servicedesk', name: 'Servicedesk', department: 'Servicedesk', line: 1 },
  { key: 'applicatiebeheer', name: 'ICT Applicatiebeheer', department: 'ICT', line: 2 },
  { key: 'werkplekbeheer', name: 'ICT Werkplekbeheer', department: 'ICT', line: 2 },
  { key: 'personeelszaken', name: 'HR Personeelszaken', department: 'HR', line: 2 },
  { key: 'salarisadministratie', name: 'HR Salarisadministratie', department: 'HR', line: 2 },
  { key: 'opleidingen', name: 'HR Opleidingen', department: 'HR', line: 2 },
  { key: 'huisvesting', name: 'Facilitair Huisvesting', department: 'Facilitair', line: 2 },
  { key: 'facilitaire-services', name: 'Facilitair Services', department: 'Facilitair', line: 2 },
  { key: 'crediteuren', name: 'Financiën Crediteuren', department: 'Financiën', line: 2 },
  { key: 'inkoop', name: 'Financiën Inkoop en Aanbesteden', department: 'Financiën', line: 2 },
]

export interface DemoStaff {
  key: string
  name: string
  email: string
  role: 'admin' | 'supervisor' | 'agent'
  groups: GroupKey[]
  title: string
}

const staff = (key: string, name: string, role: DemoStaff['role'], groups: GroupKey[], title: string): DemoStaff => ({
  key,
  name,
  email: `${key}@${STAFF_DOMAIN}`,
  role,
  groups,
  title,
})

export const STAFF: DemoStaff[] = [
  staff('ruud.vermeulen', 'Ruud Vermeulen', 'admin', [], 'functioneel beheerder van Loket'),
  staff('marieke.deboer', 'Marieke de Boer', 'supervisor', ['servicedesk'], 'teamleider servicedesk'),
  staff('sanne.dekker', 'Sanne Dekker', 'agent', ['servicedesk'], 'servicedeskmedewerker'),
  staff('mohamed.elamrani', 'Mohamed El Amrani', 'agent', ['servicedesk'], 'servicedeskmedewerker'),
  staff('joost.vanleeuwen', 'Joost van Leeuwen', 'agent', ['servicedesk'], 'servicedeskmedewerker'),
  staff('lotte.bakker', 'Lotte Bakker', 'agent', ['servicedesk'], 'servicedeskmedewerker'),
  staff('priya.ramdin', 'Priya Ramdin', 'agent', ['servicedesk'], 'servicedeskmedewerker'),
  staff('thijs.mulder', 'Thijs Mulder', 'agent', ['servicedesk'], 'servicedeskmedewerker'),
  // The team lead of both ICT back offices: told when one of their handoffs is past its target.
  staff('hanneke.visser', 'Hanneke Visser', 'supervisor', ['applicatiebeheer', 'werkplekbeheer'], 'teamleider ICT'),
  staff('kees.hoogland', 'Kees Hoogland', 'agent', ['applicatiebeheer'], 'applicatiebeheerder Inkoopportaal en Zaakwijzer'),
  staff('anouk.smit', 'Anouk Smit', 'agent', ['applicatiebeheer'], 'applicatiebeheerder Leerplein en HR-systemen'),
  staff('bas.willems', 'Bas Willems', 'agent', ['werkplekbeheer'], 'werkplekbeheerder'),
  staff('yusuf.demir', 'Yusuf Demir', 'agent', ['werkplekbeheer'], 'werkplekbeheerder'),
  staff('ingrid.kramer', 'Ingrid Kramer', 'agent', ['personeelszaken'], 'HR-adviseur'),
  staff('petra.vandam', 'Petra van Dam', 'agent', ['salarisadministratie'], 'salarisadministrateur'),
  staff('jeroen.bos', 'Jeroen Bos', 'agent', ['opleidingen'], 'opleidingscoördinator'),
  staff('wim.degraaf', 'Wim de Graaf', 'agent', ['huisvesting'], 'medewerker huisvesting'),
  staff('esther.koster', 'Esther Koster', 'agent', ['facilitaire-services'], 'medewerker facilitaire services'),
  staff('rob.jansen', 'Rob Jansen', 'agent', ['crediteuren'], 'medewerker crediteurenadministratie'),
  staff('nadia.bouzid', 'Nadia Bouzid', 'agent', ['inkoop'], 'inkoopadviseur'),
]

export type RequesterKind = 'medewerker' | 'bedrijf' | 'particulier'

export interface DemoCustomerOrganisation {
  name: string
  domain: string
  kind: Exclude<RequesterKind, 'particulier'>
  /** How many of the demo customers work there. */
  people: number
}

export const CUSTOMER_ORGANISATIONS: DemoCustomerOrganisation[] = [
  { name: 'Gemeente Lingedal', domain: 'lingedal.example', kind: 'medewerker', people: 24 },
  { name: 'Gemeente Hoogmeer', domain: 'hoogmeer.example', kind: 'medewerker', people: 15 },
  { name: 'Gemeente Oudewaard', domain: 'oudewaard.example', kind: 'medewerker', people: 12 },
  { name: 'Het Rivierencollege', domain: 'rivierencollege.example', kind: 'medewerker', people: 10 },
  { name: 'Stichting Kindcentra Lingedal', domain: 'kindcentra-lingedal.example', kind: 'medewerker', people: 8 },
  { name: 'Waterschap Lingestroom', domain: 'lingestroom.example', kind: 'medewerker', people: 6 },
  { name: 'Bouwbedrijf Van der Heijden', domain: 'vanderheijden-bouw.example', kind: 'bedrijf', people: 4 },
  { name: 'Groenvoorziening De Linde', domain: 'delinde-groen.example', kind: 'bedrijf', people: 3 },
  { name: 'Installatietechniek Hoekstra', domain: 'hoekstra.example', kind: 'bedrijf', people: 4 },
  { name: 'Adviesbureau Meerzicht', domain: 'meerzicht.example', kind: 'bedrijf', people: 3 },
  { name: 'Schoonmaakbedrijf Glansrijk', domain: 'glansrijk.example', kind: 'bedrijf', people: 3 },
  { name: 'Rivierstad Vervoer', domain: 'rivierstad-vervoer.example', kind: 'bedrijf', people: 2 },
]

/** Private persons (course participants, the odd citizen) write from a mail provider's domain: no organisation. */
export const PRIVATE_DOMAIN = 'mail.example'
export const PRIVATE_PEOPLE = 6

/** Customers who can log in to the portal; they come first in their organisation so they ask often. */
/**
 * Organisations that manage their own accounts: who is local administrator (a member's e-mail address, or
 * the first member made up for it when null), who asked the desk for it, and how to reach the organisation
 * with the desk's notes. The other organisations have no local administrator and are flagged.
 */
export const LOCAL_ADMINISTRATORS: { organisation: string; email: string | null; requestedBy: string; contact?: { contactEmail: string; contactPhone: string; address: string; notes?: string } }[] = [
  {
    organisation: 'Gemeente Lingedal',
    email: 'anna.jansen@lingedal.example',
    requestedBy: 'Hoofd bedrijfsvoering, per brief',
    contact: { contactEmail: 'servicepunt@lingedal.example', contactPhone: '0345 120 000', address: 'Raadhuisplein 1\n4141 AA Lingedal', notes: 'Grootste klant. Bij storingen die het hele gemeentehuis raken: ook het servicepunt bellen.' },
  },
  { organisation: 'Gemeente Hoogmeer', email: null, requestedBy: 'Teamleider ICT, per mail', contact: { contactEmail: 'info@hoogmeer.example', contactPhone: '0183 450 100', address: 'Markt 4\n4201 BC Hoogmeer' } },
  { organisation: 'Het Rivierencollege', email: null, requestedBy: 'Directeur, per telefoon' },
  {
    organisation: 'Installatietechniek Hoekstra',
    email: 'peter@hoekstra.example',
    requestedBy: 'Peter Hoekstra (eigenaar), per telefoon',
    contact: { contactEmail: 'kantoor@hoekstra.example', contactPhone: '0418 661 230', address: 'Industrieweg 17\n4191 NV Geldermalsen', notes: 'Bellen na 15.00 uur: overdag zijn ze op de bouw.' },
  },
]

export const PORTAL_CUSTOMERS = [
  { name: 'Anna Jansen', email: 'anna.jansen@lingedal.example', organisation: 'Gemeente Lingedal', phone: '06-41283377' },
  { name: 'Peter Hoekstra', email: 'peter@hoekstra.example', organisation: 'Installatietechniek Hoekstra', phone: '06-20419958' },
]

export const FIRST_NAMES = [
  'Anouk', 'Bram', 'Chantal', 'Dennis', 'Eva', 'Freek', 'Gerda', 'Hanneke', 'Ilse', 'Jasper', 'Karin', 'Lars', 'Marloes',
  'Niels', 'Olga', 'Pieter', 'Rianne', 'Sander', 'Tamara', 'Ubbo', 'Vera', 'Willem', 'Yvonne', 'Zeynep', 'Ahmed', 'Bianca',
  'Coen', 'Dewi', 'Emre', 'Femke', 'Gijs', 'Hatice', 'Ivo', 'Jolanda', 'Koen', 'Linda', 'Maarten', 'Nienke', 'Orlando',
  'Patricia', 'Roel', 'Saskia', 'Tim', 'Ruben', 'Wendy', 'Youssef', 'Astrid', 'Bart', 'Carla', 'Dirk', 'Esra', 'Frank',
  'Gwen', 'Henk', 'Inge', 'Jeroen', 'Kim', 'Leon', 'Mila', 'Noor', 'Oscar', 'Pim', 'Rachid', 'Sietske', 'Teun', 'Vincent',
]

export const LAST_NAMES = [
  'de Jong', 'Jansen', 'de Vries', 'van den Berg', 'van Dijk', 'Bakker', 'Visser', 'Smit', 'Meijer', 'de Groot', 'Mulder',
  'Bos', 'Vos', 'Peters', 'Hendriks', 'van Leeuwen', 'Dekker', 'Brouwer', 'de Wit', 'Dijkstra', 'Smits', 'de Graaf',
  'van der Meer', 'van der Linden', 'Kok', 'Jacobs', 'de Haan', 'Vermeulen', 'van den Heuvel', 'van der Veen', 'Boer',
  'Schouten', 'Willems', 'Hoekstra', 'Koster', 'Prins', 'Postma', 'Kuipers', 'Verbeek', 'Huisman', 'Yildiz', 'Öztürk',
  'Bouzid', 'Ramsaran', 'Nguyen', 'Wouters', 'van Beek', 'Sanders', 'Martens', 'Timmermans',
]

/**
 * The demo's mailbox: the service desk's address, sending every reply (tickets from the portal, by phone
 * or e-mail alike) to a mail catcher on this machine, so replies visibly go out and reach no one. Fetching
 * is off (there is no IMAP server to fetch from); an administrator points it at a real mailbox in Beheer.
 */
export const DEMO_MAILBOX = {
  name: 'Servicedesk',
  address: `servicedesk@${STAFF_DOMAIN}`,
  senderName: DESK_NAME,
  /** Mailpit, MailHog and MailDev listen for SMTP here by default. */
  smtp: { host: '127.0.0.1', port: 1025 },
}
