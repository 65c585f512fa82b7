import type { CatalogField } from '../../shared/api/catalogue.js'
import type { Actor } from '../accounts/actor.js'
import type { Services } from '../services.js'
import type { GroupKey } from './demo-organisation.js'

interface DemoItem {
  title: string
  description: string
  group: GroupKey
  fields: CatalogField[]
  steps?: string[]
}

const who: CatalogField = { key: 'voor_wie', label: 'Voor wie is het? (naam)', type: 'text', required: true }
const vanaf: CatalogField = { key: 'vanaf', label: 'Vanaf welke datum?', type: 'date', required: true }
const toelichting: CatalogField = { key: 'toelichting', label: 'Toelichting', type: 'longtext', required: false }

/** The demo catalogue: few, clear request types grouped the way customers think, over the four back offices. */
const DEMO_CATALOGUE: { category: string; description: string; items: DemoItem[] }[] = [
  {
    category: 'Account en toegang',
    description: 'Accounts, wachtwoorden en rechten op mappen en programma’s.',
    items: [
      {
        title: 'Account voor een nieuwe medewerker',
        description: 'Een account, mailbox en toegang tot de basisprogramma’s.',
        group: 'applicatiebeheer',
        fields: [who, vanaf, { key: 'afdeling', label: 'Afdeling', type: 'text', required: true }, { key: 'leerportaal', label: 'Ook een account in het leerportaal (Leerplein)?', type: 'yesno', required: true }, toelichting],
        steps: ['Account aanmaken in het domein', 'Mailbox aanmaken', 'Account aanmaken in het leerportaal', 'Inloggegevens klaarzetten bij de leidinggevende'],
      },
      {
        title: 'Toegang tot een gedeelde map',
        description: 'Lezen of schrijven in een map op de netwerkschijf.',
        group: 'applicatiebeheer',
        fields: [
          { key: 'map', label: 'Welke map?', type: 'text', required: true, help: 'Bijvoorbeeld S:\\Financiën\\2027' },
          { key: 'schrijven', label: 'Moet u er ook in kunnen schrijven?', type: 'yesno', required: true },
          { key: 'reden', label: 'Waarom heeft u schrijfrechten nodig?', type: 'longtext', required: true, showWhen: { field: 'schrijven', equals: 'true' } },
          { key: 'akkoord', label: 'Akkoord van de eigenaar van de map', type: 'file', required: false },
        ],
        steps: ['Akkoord eigenaar controleren', 'Rechten zetten'],
      },
      {
        title: 'Account afsluiten bij uit dienst',
        description: 'Account, mailbox en toegang stoppen per de laatste werkdag.',
        group: 'applicatiebeheer',
        fields: [who, { key: 'laatste_dag', label: 'Laatste werkdag', type: 'date', required: true }, { key: 'mail_doorsturen', label: 'Mail doorsturen naar een collega?', type: 'yesno', required: true }, { key: 'collega', label: 'Naar wie?', type: 'text', required: true, showWhen: { field: 'mail_doorsturen', equals: 'true' } }],
        steps: ['Account blokkeren', 'Mail doorsturen instellen', 'Licenties vrijgeven'],
      },
      { title: 'Toegang tot een programma', description: 'Bijvoorbeeld het zaaksysteem of de financiële administratie.', group: 'applicatiebeheer', fields: [{ key: 'programma', label: 'Welk programma?', type: 'choice', required: true, options: ['Zaaksysteem', 'Financiële administratie', 'Personeelssysteem', 'Anders'] }, { key: 'welk', label: 'Welk ander programma?', type: 'text', required: true, showWhen: { field: 'programma', equals: 'Anders' } }, toelichting] },
    ],
  },
  {
    category: 'Werkplek',
    description: 'Laptop, telefoon, beeldscherm en software.',
    items: [
      {
        title: 'Laptop of telefoon aanvragen',
        description: 'Een nieuw apparaat of vervanging van een oud exemplaar.',
        group: 'werkplekbeheer',
        fields: [{ key: 'apparaat', label: 'Wat heeft u nodig?', type: 'choice', required: true, options: ['Laptop', 'Telefoon', 'Beide'] }, { key: 'vervanging', label: 'Is het een vervanging?', type: 'yesno', required: true }, { key: 'oud', label: 'Nummer van het oude apparaat', type: 'text', required: false, showWhen: { field: 'vervanging', equals: 'true' } }, vanaf],
        steps: ['Apparaat bestellen', 'Apparaat inrichten', 'Uitleveren en oud apparaat innemen'],
      },
      { title: 'Software installeren', description: 'Een programma dat nog niet op uw laptop staat.', group: 'werkplekbeheer', fields: [{ key: 'software', label: 'Welk programma?', type: 'text', required: true }, { key: 'licentie', label: 'Is er al een licentie?', type: 'yesno', required: true }, toelichting] },
      { title: 'Extra beeldscherm of toetsenbord', description: 'Voor thuis of op kantoor.', group: 'werkplekbeheer', fields: [{ key: 'wat', label: 'Wat heeft u nodig?', type: 'choice', required: true, options: ['Beeldscherm', 'Toetsenbord en muis', 'Headset', 'Docking station'] }, { key: 'waar', label: 'Waar wilt u het gebruiken?', type: 'choice', required: true, options: ['Thuis', 'Op kantoor'] }] },
    ],
  },
  {
    category: 'Personeelszaken',
    description: 'Verlof, gegevens, salaris en opleidingen.',
    items: [
      { title: 'Wijziging in mijn gegevens', description: 'Adres, bankrekening of noodcontact.', group: 'personeelszaken', fields: [{ key: 'wat', label: 'Wat verandert er?', type: 'choice', required: true, options: ['Adres', 'Bankrekening', 'Noodcontact'] }, { key: 'nieuw', label: 'De nieuwe gegevens', type: 'longtext', required: true }, { key: 'per', label: 'Per welke datum?', type: 'date', required: true }], steps: ['Gegevens wijzigen in het personeelssysteem', 'Medewerker bevestigen'] },
      { title: 'Vraag over mijn salarisstrook', description: 'Iets op uw strook klopt niet of is onduidelijk.', group: 'salarisadministratie', fields: [{ key: 'maand', label: 'Over welke maand?', type: 'text', required: true }, { key: 'vraag', label: 'Uw vraag', type: 'longtext', required: true }, { key: 'strook', label: 'De salarisstrook (niet verplicht)', type: 'file', required: false }] },
      { title: 'Aanmelden voor een opleiding', description: 'Een cursus of training uit het leerportaal of daarbuiten.', group: 'opleidingen', fields: [{ key: 'opleiding', label: 'Welke opleiding?', type: 'text', required: true }, { key: 'extern', label: 'Is het een opleiding buiten het leerportaal?', type: 'yesno', required: true }, { key: 'kosten', label: 'Wat kost het?', type: 'text', required: true, showWhen: { field: 'extern', equals: 'true' } }, { key: 'akkoord', label: 'Akkoord van uw leidinggevende', type: 'file', required: false }], steps: ['Budget controleren', 'Aanmelden bij de aanbieder', 'Deelnemer informeren'] },
      { title: 'Verklaring of werkgeversverklaring', description: 'Bijvoorbeeld voor een hypotheek of huurwoning.', group: 'personeelszaken', fields: [{ key: 'soort', label: 'Welke verklaring?', type: 'choice', required: true, options: ['Werkgeversverklaring', 'Inkomensverklaring', 'Anders'] }, { key: 'wanneer', label: 'Wanneer heeft u hem nodig?', type: 'date', required: true }] },
    ],
  },
  {
    category: 'Huisvesting en facilitair',
    description: 'Gebouwen, werkplekken, sleutels en vergaderruimtes.',
    items: [
      { title: 'Toegangspas of sleutel', description: 'Een nieuwe pas of sleutel, of een kwijtgeraakte vervangen.', group: 'huisvesting', fields: [{ key: 'soort', label: 'Wat heeft u nodig?', type: 'choice', required: true, options: ['Toegangspas', 'Sleutel'] }, { key: 'kwijt', label: 'Bent u hem kwijtgeraakt?', type: 'yesno', required: true }, { key: 'gebouw', label: 'Voor welk gebouw?', type: 'text', required: true }], steps: ['Oude pas blokkeren', 'Nieuwe pas maken', 'Pas uitreiken'] },
      { title: 'Iets kapot in het gebouw', description: 'Verlichting, verwarming, een deur of meubilair.', group: 'facilitaire-services', fields: [{ key: 'wat', label: 'Wat is er kapot?', type: 'text', required: true }, { key: 'waar', label: 'Waar precies? (gebouw, verdieping, kamer)', type: 'text', required: true }, { key: 'foto', label: 'Foto (niet verplicht)', type: 'file', required: false }] },
      { title: 'Verhuizing van een werkplek', description: 'Een bureau, kast of team naar een andere plek.', group: 'huisvesting', fields: [{ key: 'van', label: 'Van (kamer)', type: 'text', required: true }, { key: 'naar', label: 'Naar (kamer)', type: 'text', required: true }, { key: 'datum', label: 'Gewenste datum', type: 'date', required: true }, toelichting], steps: ['Plannen met de verhuizer', 'Netwerkpunten controleren', 'Verhuizen'] },
    ],
  },
  {
    category: 'Financiën',
    description: 'Facturen, declaraties en inkoop.',
    items: [
      { title: 'Vraag over een factuur', description: 'Een factuur die u heeft gestuurd of ontvangen.', group: 'crediteuren', fields: [{ key: 'factuurnummer', label: 'Factuurnummer', type: 'text', required: true }, { key: 'vraag', label: 'Uw vraag', type: 'longtext', required: true }, { key: 'factuur', label: 'De factuur (niet verplicht)', type: 'file', required: false }] },
      { title: 'Inkoop of offerte aanvragen', description: 'Iets kopen boven het bedrag dat u zelf mag besteden.', group: 'inkoop', fields: [{ key: 'wat', label: 'Wat wilt u kopen?', type: 'longtext', required: true }, { key: 'bedrag', label: 'Geschat bedrag in euro', type: 'text', required: true }, { key: 'leverancier', label: 'Heeft u al een leverancier?', type: 'yesno', required: true }, { key: 'welke', label: 'Welke leverancier?', type: 'text', required: true, showWhen: { field: 'leverancier', equals: 'true' } }], steps: ['Budget controleren', 'Offertes opvragen', 'Bestelling plaatsen'] },
    ],
  },
]

/** Loads the demo catalogue (16 items), some with fulfilment steps for the back office. */
export async function seedCatalogue(services: Services, system: Actor, groupIds: Map<GroupKey, string>, tick: () => void): Promise<void> {
  for (const [position, theme] of DEMO_CATALOGUE.entries()) {
    tick()
    const category = await services.catalogue.createCategory(system, { name: theme.category, description: theme.description, position })
    for (const [i, item] of theme.items.entries()) {
      tick()
      await services.catalogue.createItem(system, {
        categoryId: category.id,
        title: item.title,
        description: item.description,
        groupId: groupIds.get(item.group)!,
        fields: item.fields,
        steps: item.steps ?? [],
        position: i,
      })
    }
  }
}
