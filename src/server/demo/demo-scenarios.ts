import type { Priority, TicketType } from '../../shared/api/tickets.js'
import type { GroupKey, RequesterKind } from './demo-organisation.js'
import type { Rng } from './random.js'

/**
 * What customers of Servicecentrum Lingedal bring to the desk, written for Loket in the voice of the
 * seed articles: sick reports and "waar is mijn cursus" in the morning phone peak, outages reported
 * by colleagues, local administrators for the Inkoopportaal, a tender that must change after
 * publication, pay slips and expense claims. `{placeholders}` are filled per ticket: the common ones
 * are naam, voornaam, org, agent, groep and specialist; each scenario adds its own in `vars`.
 */
export interface Scenario {
  key: string
  /** How often it comes in, relative to the others. */
  weight: number
  type: TicketType
  who: RequesterKind[]
  channels: Partial<Record<'email' | 'chat' | 'phone' | 'portal', number>>
  priority?: Partial<Record<Priority, number>>
  tags: string[]
  /** The 2nd-line group that takes it over when the desk cannot solve it, and how often that happens. */
  group?: GroupKey
  escalate?: number
  /** Phoned or chatted about in the 08:00–10:00 peak, before the day's courses and meetings start. */
  morning?: boolean
  /** Answered during the contact itself: such a ticket is never left open or waiting. */
  instant?: boolean
  vars?: (r: Rng) => Record<string, string>
  /** Every subject fits every `ask`: a scenario is one story, told in a few ways. */
  subject: string[]
  /** The customer's own words (mail, portal, chat). */
  ask: string[]
  /** The agent's note of a phone call. */
  call: string[]
  /** A follow-up question from the desk (the ticket then waits for the customer) and the answer to it. */
  clarify?: string[]
  clarified?: string[]
  /** The desk solves it on first line. */
  answer: string[]
  /** Internal note when the desk hands it to 2nd line. */
  handoff?: string[]
  /** Internal note from 2nd line: the solution, or a proposed answer the desk turns into its reply. */
  proposal?: string[]
  /** The desk's reply after 2nd line. */
  final?: string[]
  /** Internal note when the ticket waits for a supplier or another party. */
  waiting?: string[]
}

const COURSES = [
  'Omgaan met agressie', 'BHV-herhaling', 'Excel voor gevorderden', 'Klantgericht schrijven', 'Leidinggeven in de praktijk',
  'Privacy en AVG in de praktijk', 'Werken met Zaakwijzer', 'Reanimatie en AED', 'Timemanagement', 'Heldere taal (B1)',
]
const COURSE_PLACES = [
  'het Opleidingscentrum in Hoogmeer, lokaal 2.14', 'het gemeentehuis van Lingedal, zaal De Linge', 'het stadskantoor van Oudewaard, vergaderzaal 3',
  'het Opleidingscentrum in Hoogmeer, lokaal 1.05', 'Teams (de link staat in Leerplein)',
]
const COURSE_TIMES = ['09.00', '09.30', '13.00', '13.30']
const DAYS = ['maandag', 'dinsdag', 'woensdag', 'donderdag', 'vrijdag']
const ROOMS = ['vergaderzaal De Waal', 'vergaderzaal De Linge', 'spreekkamer 1.03', 'de raadszaal', 'kamer 2.08', 'het Atelier (3e verdieping)']
/** The teams people work in, per customer organisation: `{afdeling}` in the templates. */
export const TEAMS: Record<string, string[]> = {
  'Gemeente Lingedal': ['Burgerzaken', 'Vergunningen', 'Sociaal Domein', 'Belastingen'],
  'Gemeente Hoogmeer': ['Burgerzaken', 'Publiekszaken', 'Sociaal Domein', 'Ruimtelijke Ordening'],
  'Gemeente Oudewaard': ['Burgerzaken', 'Vergunningen', 'Wijkteams'],
  'Het Rivierencollege': ['de leerlingenadministratie', 'het roosterbureau', 'de mediatheek'],
  'Stichting Kindcentra Lingedal': ['het bestuursbureau', 'de administratie'],
  'Waterschap Lingestroom': ['Vergunningverlening', 'Beheer en Onderhoud'],
}

/** Where the people of each customer organisation work: `{gebouw}` in the templates. */
export const BUILDINGS: Record<string, string> = {
  'Gemeente Lingedal': 'het gemeentehuis van Lingedal',
  'Gemeente Hoogmeer': 'het stadskantoor van Hoogmeer',
  'Gemeente Oudewaard': 'het stadskantoor van Oudewaard',
  'Het Rivierencollege': 'Het Rivierencollege, locatie Dijkstraat',
  'Stichting Kindcentra Lingedal': 'kindcentrum De Regenboog',
  'Waterschap Lingestroom': 'het kantoor van het waterschap',
}
const FLOORS = ['begane grond', '1e verdieping', '2e verdieping', '3e verdieping']
const TENDERS = [
  'Onderhoud openbare verlichting 2027-2030', 'Leerlingenvervoer 2027-2029', 'Schoonmaak gemeentelijke gebouwen', 'Groenonderhoud wijk Noord',
  'Levering kantoorartikelen', 'Renovatie gymzaal Dijkstraat', 'Inhuur tijdelijk personeel sociaal domein', 'Baggerwerk Lingestroom',
]
const DOCUMENTS = ['het uniform Europees aanbestedingsdocument (UEA)', 'de prijsofferte', 'het plan van aanpak', 'de referentieverklaring']
const MONTHS = ['augustus', 'september', 'oktober', 'november']
const EXPENSES = ['reiskosten voor de cursus in Hoogmeer', 'parkeerkosten van een werkbezoek', 'een vakboek', 'de treinreis naar het congres in Utrecht']
const PRINTERS = ['de multifunctional op de 2e verdieping', 'de printer bij de balie', 'de printer in de docentenkamer', 'de grote kleurenprinter bij Ruimtelijke Ordening']

const euro = (r: Rng, min: number, max: number) => `€ ${r.int(min, max)},${r.pick(['00', '50', '95', '20'])}`
const kenmerk = (r: Rng) => `LD-${r.int(2025, 2026)}-${String(r.int(12, 480)).padStart(4, '0')}`

export const SCENARIOS: Scenario[] = [
  // --- ICT -----------------------------------------------------------------------------------------
  {
    key: 'wachtwoord',
    instant: true,
    weight: 9,
    type: 'question',
    who: ['medewerker'],
    channels: { phone: 6, chat: 3, email: 1 },
    tags: ['account', 'wachtwoord'],
    vars: (r) => ({ app: r.pick(['Windows', 'Outlook', 'Zaakwijzer', 'Leerplein']) }),
    morning: true,
    subject: ['Kan niet meer inloggen', 'Account geblokkeerd', 'Wachtwoord resetten'],
    ask: [
      'Ik ben na de vakantie mijn wachtwoord vergeten en na een paar pogingen is mijn account voor {app} geblokkeerd. Kunnen jullie het resetten?',
      'Mijn wachtwoord is verlopen en ik krijg bij {app} de melding dat mijn account geblokkeerd is. Ik moet om tien uur een overleg voorbereiden, kunnen jullie snel helpen?',
    ],
    call: ['{naam} ({org}) belt: account geblokkeerd na te vaak een verkeerd wachtwoord bij {app}. Identiteit gecontroleerd via terugbelnummer uit het personeelsbestand.'],
    answer: [
      'Uw account is weer vrijgegeven en u heeft via sms een tijdelijk wachtwoord ontvangen. Bij de eerste keer inloggen kiest u zelf een nieuw wachtwoord van minimaal 12 tekens. Lukt het daarna nog niet, belt u ons dan gerust even terug.',
      'Ik heb het wachtwoord gereset. U kunt nu inloggen met het tijdelijke wachtwoord dat u per sms heeft gekregen; daarna vraagt {app} u om een eigen wachtwoord te kiezen.',
    ],
  },
  {
    key: 'mfa',
    instant: true,
    weight: 4,
    type: 'question',
    who: ['medewerker'],
    channels: { phone: 4, chat: 3, email: 2 },
    tags: ['account', 'mfa'],
    subject: ['Nieuwe telefoon, authenticator-app werkt niet meer', 'Inloggen met nieuwe telefoon lukt niet'],
    ask: [
      'Ik heb een nieuwe telefoon gekregen en nu vraagt Outlook om een code uit de authenticator-app, maar die staat op mijn oude telefoon. Hoe los ik dit op?',
      'Sinds ik een nieuwe telefoon heb, krijg ik geen inlogcode meer. De oude telefoon heb ik al ingeleverd. Thuiswerken lukt zo niet.',
    ],
    call: ['{naam} belt: nieuwe telefoon, authenticator-app staat nog op het oude toestel. Kan niet inloggen op Outlook en Teams.'],
    answer: [
      'Ik heb uw oude koppeling verwijderd. Als u nu inlogt, krijgt u een QR-code te zien die u met de authenticator-app op uw nieuwe telefoon scant. Daarna werkt het weer zoals u gewend bent.',
    ],
  },
  {
    key: 'storing-zaakwijzer',
    weight: 6,
    type: 'incident',
    who: ['medewerker'],
    channels: { phone: 6, chat: 3, email: 2, portal: 1 },
    priority: { high: 5, urgent: 2, normal: 2 },
    tags: ['storing'],
    group: 'applicatiebeheer',
    escalate: 0.7,
    vars: (r) => ({ app: r.pick(['Zaakwijzer', 'Zaakwijzer', 'Leerplein', 'Mijn SSC']) }),
    morning: true,
    subject: ['Storing {app}', '{app} werkt niet', 'Foutmelding in {app}'],
    ask: [
      'Bij ons op {afdeling} werkt {app} sinds een uur niet meer. We krijgen de melding "Er is een onverwachte fout opgetreden". Bij collega\'s hetzelfde. We hebben klanten aan de balie, dus het is dringend.',
      'Sinds vanochtend krijg ik in {app} een foutmelding zodra ik iets wil opslaan. Mijn collega\'s op {afdeling} hebben het ook. Is er iets bekend?',
    ],
    call: [
      '{naam} van {afdeling} ({org}) belt: {app} geeft sinds vanochtend een foutmelding bij het opslaan. Meerdere collega\'s hebben er last van, balie staat vol.',
      'Collega {naam} ({org}) meldt storing in {app}: foutmelding na inloggen, hele afdeling {afdeling} heeft het. Al herstart, helpt niet.',
    ],
    clarify: ['Om het goed te kunnen onderzoeken: welke foutmelding ziet u precies, en sinds hoe laat speelt het? Een schermafbeelding helpt ons enorm.'],
    clarified: ['De melding is "Er is een onverwachte fout opgetreden (code 500)". Het begon rond kwart over acht. Schermafbeelding hierbij, in de tekst beschreven omdat ik hem niet kan bijvoegen.'],
    answer: ['Er was een storing in {app} die inmiddels is opgelost. Als u de pagina ververst (F5), zou alles weer moeten werken. Dank voor het snel melden!'],
    handoff: ['Overdracht: {app} geeft foutmeldingen bij {afdeling} ({org}). Meerdere meldingen vanochtend, lijkt breder dan één werkplek. Eerste lijn: herstart en andere browser geprobeerd, zonder resultaat. Graag prioriteit, de balie staat vol.'],
    proposal: [
      'Oorzaak gevonden: na de update van gisteravond liep de koppeling met de database vast. Service herstart om {tijd}, alles werkt weer. Voorstel antwoord aan melder: "De storing in {app} is verholpen. Wilt u de pagina verversen? Werk dat u tijdens de storing niet kon opslaan, moet u helaas opnieuw invoeren."',
    ],
    final: ['De storing in {app} is verholpen: na een update van gisteravond liep een koppeling vast, en die is hersteld. Wilt u de pagina verversen? Wat u tijdens de storing niet kon opslaan, moet u helaas opnieuw invoeren. Excuses voor het ongemak.'],
    waiting: ['Leverancier van {app} is ingeschakeld (storingsnummer {storingsnr}). Zij onderzoeken de oorzaak; verwachte terugkoppeling binnen vier uur.'],
  },
  {
    key: 'printer',
    weight: 5,
    type: 'incident',
    who: ['medewerker'],
    channels: { phone: 3, email: 3, portal: 2, chat: 1 },
    tags: ['printer'],
    group: 'werkplekbeheer',
    escalate: 0.4,
    vars: (r) => ({ printer: r.pick(PRINTERS) }),
    subject: ['Printer doet het niet', 'Papierstoring bij de printer', 'Printer geeft steeds een storing'],
    ask: [
      'De printer ({printer}) in {gebouw} geeft al sinds gisteren een papierstoring, maar er zit nergens papier vast. Kan iemand ernaar kijken?',
      'Niemand kan meer printen op {printer} in {gebouw}: hij meldt een papierstoring, terwijl de laden leeg en netjes zijn. Kunnen jullie helpen?',
    ],
    call: ['{naam} belt over {printer} in {gebouw}: printer geeft papierstoring, niets te zien in de lade.'],
    clarify: ['Staat er een foutcode op het display van de printer? En lukt het andere collega\'s wel om te printen?'],
    clarified: ['Op het display staat E-207. Mijn collega\'s kunnen ook niet printen.'],
    answer: [
      'De printer was na een vastgelopen printopdracht in een foutstand blijven hangen. Ik heb de wachtrij leeggemaakt en de printer op afstand opnieuw gestart; hij print weer. Komt de melding terug, laat het ons dan weten.',
    ],
    handoff: ['Overdracht: {printer} in {gebouw} geeft foutcode E-207 (papierstoring zonder vastzittend papier). Op afstand herstart, helpt niet. Graag iemand langs sturen.'],
    proposal: ['Ter plekke geweest: sensor van lade 2 was defect, vervangen door de monteur. Printer werkt weer. Kan de desk de melder laten weten dat ze weer kunnen printen?'],
    final: ['Onze collega van werkplekbeheer is bij de printer geweest. Een sensor was defect en is vervangen; u kunt weer printen.'],
    waiting: ['Onderdeel besteld bij de leverancier van de printers, levering verwacht over drie werkdagen. Monteur komt het daarna plaatsen.'],
  },
  {
    key: 'laptop',
    weight: 5,
    type: 'request',
    who: ['medewerker'],
    channels: { portal: 5, email: 3 },
    tags: ['laptop', 'aanvraag'],
    group: 'werkplekbeheer',
    escalate: 0.8,
    vars: (r) => ({ collega: `${r.pick(['Bram', 'Eva', 'Noor', 'Sander', 'Femke', 'Emre'])} ${r.pick(['Willems', 'de Haan', 'Kok', 'Yildiz', 'van Beek'])}`, dag: r.pick(DAYS) }),
    subject: ['Laptop voor nieuwe medewerker', 'Aanvraag laptop en account voor {collega}', 'Nieuwe collega per volgende week'],
    ask: [
      'Volgende week {dag} begint {collega} bij ons op de afdeling. Kunnen jullie een laptop, een account en toegang tot de afdelingsschijf regelen?',
      'Wij krijgen versterking: {collega} start volgende week {dag}. Wat is er nodig om een laptop en een account klaar te laten zetten?',
    ],
    call: ['{naam} belt: nieuwe collega {collega} start volgende week {dag}, heeft laptop en account nodig.'],
    clarify: ['Om alles klaar te zetten hebben we nog nodig: de functie van {collega}, de kostenplaats en welke toepassingen nodig zijn. Wilt u dat aanvullen?'],
    clarified: ['{collega} wordt beleidsmedewerker, kostenplaats 4120. Nodig: Outlook, Teams, Zaakwijzer en de afdelingsschijf.'],
    answer: ['De aanvraag is compleet. De laptop ligt {dag} vanaf 8.30 uur klaar bij de balie van de servicedesk; het account is dan actief.'],
    handoff: ['Overdracht: aanvraag laptop + account. Gegevens staan in de melding. Graag klaarzetten vóór de startdatum.'],
    proposal: ['Laptop is uitgerold en gekoppeld, account aangemaakt. Ligt klaar bij de balie, kast 3. Desk kan melder informeren.'],
    final: ['Goed nieuws: de laptop is klaargezet en het account is aangemaakt. Hij ligt vanaf {dag} 8.30 uur klaar bij de balie van de servicedesk. Bij het ophalen krijgt u het tijdelijke wachtwoord.'],
    waiting: ['Laptops van dit type zijn tijdelijk niet op voorraad; bestelling bij de leverancier loopt, levering verwacht eind volgende week.'],
  },
  {
    key: 'mailbox',
    weight: 3,
    type: 'request',
    who: ['medewerker'],
    channels: { portal: 3, email: 3, chat: 1 },
    tags: ['mailbox', 'aanvraag'],
    group: 'werkplekbeheer',
    escalate: 0.3,
    vars: (r) => ({ mailbox: r.pick(['info@', 'vergunningen@', 'leerlingenzaken@', 'facturen@', 'subsidies@']) }),
    subject: ['Toegang tot gedeelde mailbox {mailbox}', 'Gedeelde mailbox niet zichtbaar in Outlook'],
    ask: ['Ik neem vanaf maandag het beheer van de mailbox {mailbox} over van een collega. Kunnen jullie mij daar toegang toe geven? Mijn leidinggevende is akkoord.'],
    call: ['{naam} belt: wil toegang tot gedeelde mailbox {mailbox}, leidinggevende akkoord.'],
    clarify: ['Wilt u uw leidinggevende vragen om het akkoord even per mail te bevestigen? Zonder dat akkoord mogen wij de toegang helaas niet geven.'],
    clarified: ['Mijn leidinggevende heeft het akkoord zojuist naar jullie gestuurd. Hopelijk is het zo compleet.'],
    answer: ['U heeft nu toegang tot {mailbox}. Het kan tot een uur duren voordat de mailbox vanzelf in Outlook verschijnt; herstart Outlook als dat daarna nog niet zo is.'],
    handoff: ['Overdracht: toegang {mailbox} gevraagd, akkoord leidinggevende zit in de melding. Mailbox staat in de oude omgeving, kunnen wij niet zelf toekennen.'],
    proposal: ['Rechten toegekend en mailbox gemigreerd naar de nieuwe omgeving. Melder ziet hem na herstart van Outlook.'],
    final: ['U heeft nu toegang tot {mailbox}. Wilt u Outlook één keer afsluiten en opnieuw starten? Dan verschijnt de mailbox links in uw mappenlijst.'],
  },
  {
    key: 'vpn',
    weight: 3,
    type: 'incident',
    who: ['medewerker'],
    channels: { chat: 4, phone: 3, email: 1 },
    tags: ['thuiswerken', 'vpn'],
    group: 'werkplekbeheer',
    escalate: 0.3,
    subject: ['Thuiswerken: geen verbinding met VPN', 'VPN valt steeds weg'],
    ask: ['Ik werk vandaag thuis, maar de VPN-verbinding valt elke paar minuten weg. Op kantoor heb ik er geen last van. Wat kan ik doen?'],
    call: ['{naam} belt: VPN valt thuis steeds weg, geen probleem op kantoor.'],
    clarify: ['Welke melding krijgt u als de verbinding wegvalt? En werkt internet thuis verder gewoon, bijvoorbeeld op uw telefoon via dezelfde wifi?'],
    clarified: ['De melding is "Certificaat kan niet worden gevalideerd". Internet werkt verder prima.'],
    answer: ['We hebben samen de VPN-client bijgewerkt naar de nieuwste versie en uw laptop herstart. De verbinding blijft nu stabiel. Gebeurt het toch weer, meldt u het dan gerust opnieuw, dan kijken we verder.'],
    handoff: ['Overdracht: VPN valt bij melder elke paar minuten weg, client al bijgewerkt. Mogelijk certificaat verlopen; graag nakijken.'],
    proposal: ['Certificaat op de laptop was verlopen en is vernieuwd via de beheertool. Opgelost na herstart.'],
    final: ['Het certificaat op uw laptop was verlopen. Onze collega\'s hebben het vernieuwd; na een herstart blijft de VPN-verbinding nu stabiel.'],
  },
  {
    key: 'leerplein-account',
    weight: 4,
    type: 'request',
    who: ['medewerker'],
    channels: { email: 4, phone: 2, portal: 1 },
    tags: ['leerplein', 'account'],
    vars: (r) => ({ cursus: r.pick(COURSES) }),
    subject: ['Account voor Leerplein aanvragen', 'Geen toegang tot Leerplein voor de cursus {cursus}'],
    ask: ['Ik ben ingeschreven voor de cursus {cursus}, maar ik heb nog geen account voor Leerplein gekregen. Daar staat het voorbereidende materiaal. Kunnen jullie een account aanmaken?'],
    call: ['{naam} belt: ingeschreven voor {cursus}, nog geen Leerplein-account. Voorbereidend materiaal niet te bereiken.'],
    clarify: ['Met welk e-mailadres bent u voor de cursus ingeschreven? Ik kan u in de deelnemerslijst nog niet vinden.'],
    clarified: ['Mijn leidinggevende heeft mij ingeschreven, misschien met mijn privéadres. Mijn werkadres is het adres waarmee ik nu mail.'],
    answer: ['Ik heb een Leerplein-account voor u aangemaakt. U ontvangt een aparte mail met een link om uw wachtwoord in te stellen. Daarna vindt u de cursus {cursus} onder "Mijn leeractiviteiten".'],
  },
  // --- Inkoopportaal ---------------------------------------------------------------------------------
  {
    key: 'lokaal-beheerder',
    weight: 6,
    type: 'request',
    who: ['bedrijf'],
    channels: { email: 4, phone: 4, chat: 2 },
    tags: ['inkoopportaal', 'lokaal-beheerder'],
    group: 'applicatiebeheer',
    escalate: 0.15,
    vars: (r) => ({ vertrokken: `${r.pick(['Gerard', 'Monique', 'Hans', 'Ellen'])} ${r.pick(['Verhoef', 'Brink', 'Lammers', 'Driessen'])}` }),
    subject: ['Lokaal beheerder toevoegen voor ons bedrijf', 'Wij hebben geen lokaal beheerder meer in het Inkoopportaal', 'Nieuwe lokaal beheerder Inkoopportaal'],
    ask: [
      'Wij willen inschrijven op een aanbesteding, maar onze lokaal beheerder {vertrokken} is vorig jaar vertrokken. Daardoor kan niemand bij ons een nieuwe gebruiker toevoegen. Kunnen jullie mij lokaal beheerder maken?',
      'Onze collega {vertrokken} was de enige lokaal beheerder van ons account in het Inkoopportaal, maar is met pensioen. Graag wil ik die rol overnemen.',
    ],
    call: ['{naam} ({org}) belt: lokaal beheerder {vertrokken} is vertrokken, niemand kan nu gebruikers beheren. Wil zelf lokaal beheerder worden; wil vandaag nog inschrijven.'],
    clarify: ['Dat regelen we graag voor u. Omdat een lokaal beheerder de accounts van uw hele organisatie beheert, vragen we een verzoek op briefpapier, ondertekend door een tekenbevoegde volgens het KvK-uittreksel. Wilt u dat als bijlage terugsturen?'],
    clarified: ['Hierbij het ondertekende verzoek van onze directeur. Hij staat als tekenbevoegd ingeschreven bij de KvK.'],
    answer: ['U bent nu lokaal beheerder van het account van {org} in het Inkoopportaal. Onder "Organisatie > Gebruikers" kunt u zelf collega\'s toevoegen. Tip: maak meteen een tweede lokaal beheerder aan, dan staat u niet opnieuw voor deze situatie.'],
    handoff: ['Overdracht: verzoek nieuwe lokaal beheerder voor {org}. Het oude account van {vertrokken} is nog gekoppeld aan een lopende inschrijving, daardoor kunnen wij de rol niet overzetten. Kunnen jullie meekijken?'],
    proposal: ['De lopende inschrijving hangt nu aan het organisatieaccount in plaats van aan {vertrokken}. Rol lokaal beheerder toegekend aan de melder en het oude account gedeactiveerd (audit trail staat in het portaal). Desk kan bevestigen.'],
    final: ['U bent nu lokaal beheerder van {org} in het Inkoopportaal. De inschrijving waar uw oud-collega aan werkte, staat voortaan op naam van uw organisatie, zodat u die gewoon kunt afmaken. Voegt u ook een tweede lokaal beheerder toe?'],
  },
  {
    key: 'aanbesteding-wijzigen',
    weight: 4,
    type: 'question',
    who: ['medewerker'],
    channels: { phone: 5, email: 3 },
    priority: { high: 5, urgent: 2, normal: 2 },
    tags: ['inkoopportaal', 'aanbesteding'],
    group: 'inkoop',
    escalate: 0.7,
    vars: (r) => ({ aanbesteding: r.pick(TENDERS), kenmerk: kenmerk(r) }),
    subject: ['Gepubliceerde aanbesteding wijzigen', 'Sluitingsdatum aanbesteding {kenmerk} opschuiven', 'Moet aanbesteding {kenmerk} opnieuw?'],
    ask: [
      'Wij hebben de aanbesteding "{aanbesteding}" ({kenmerk}) vorige week gepubliceerd. Nu blijkt dat er een bijlage ontbrak en willen we een nota van inlichtingen publiceren en de sluitingsdatum opschuiven. De termijn voor vragen is alleen verlopen en het portaal laat niets meer aanpassen. Moet de hele aanbesteding nu opnieuw?',
      'Bij aanbesteding {kenmerk} ("{aanbesteding}") moet de sluitingsdatum twee weken later, omdat een inschrijver terecht heeft gewezen op een fout in het bestek. Het Inkoopportaal staat na het verlopen van de vragentermijn geen wijziging meer toe. Hoe verwerk ik dit?',
    ],
    call: ['{naam} (inkoopadviseur {org}) belt over aanbesteding {kenmerk} "{aanbesteding}": sluitingsdatum moet opschuiven en er moet een nota van inlichtingen uit, maar na het verlopen van de vragentermijn is niets meer aan te passen. Dringend, inschrijvers stellen vragen.'],
    answer: ['De aanbesteding hoeft niet opnieuw. Ook na het verlopen van de vragentermijn kunt u een rectificatie publiceren: kies bij de aanbesteding "Wijziging publiceren", voeg de nota van inlichtingen toe en vul de nieuwe sluitingsdatum in. Alle inschrijvers krijgen daar automatisch bericht van.'],
    handoff: ['Overdracht: aanbesteding {kenmerk} "{aanbesteding}" van {org}. Vragentermijn is verlopen, de knop "Wijziging publiceren" is grijs. Klant vraagt of de aanbesteding opnieuw moet. Graag advies van inkoop vóór we iets toezeggen.'],
    proposal: [
      'Gekeken: de aanbesteding hoeft niet opnieuw. Wij hebben de vragentermijn technisch heropend tot vrijdag 12.00 uur, zodat de rectificatie met de nota van inlichtingen en de nieuwe sluitingsdatum alsnog gepubliceerd kan worden. Voorstel antwoord: "De termijn is heropend tot vrijdag 12.00 uur. U kunt de wijziging nu publiceren; inschrijvers krijgen automatisch bericht." Let op: niet over "backend-correctie" praten richting klant.',
    ],
    final: ['Goed nieuws: de aanbesteding hoeft niet opnieuw. Onze collega\'s van inkoop hebben de termijn heropend tot vrijdag 12.00 uur. U kunt de wijziging met de nota van inlichtingen en de nieuwe sluitingsdatum nu publiceren via "Wijziging publiceren"; alle inschrijvers krijgen daar automatisch bericht van.'],
    waiting: ['Juridisch advies gevraagd aan de aanbestedingsjurist of verlengen zonder nieuwe publicatie mag. Antwoord verwacht morgen.'],
  },
  {
    key: 'inschrijven',
    weight: 4,
    type: 'incident',
    who: ['bedrijf'],
    channels: { phone: 5, chat: 4 },
    priority: { urgent: 3, high: 4, normal: 2 },
    tags: ['inkoopportaal', 'inschrijven'],
    group: 'applicatiebeheer',
    escalate: 0.35,
    vars: (r) => ({ aanbesteding: r.pick(TENDERS), kenmerk: kenmerk(r), document: r.pick(DOCUMENTS) }),
    morning: true,
    subject: ['Uploaden inschrijving lukt niet', 'Dringend: inschrijving {kenmerk} sluit vandaag', 'Upload blijft hangen bij inschrijving'],
    ask: [
      'De inschrijving voor "{aanbesteding}" sluit vandaag om 12.00 uur en ik krijg {document} niet geüpload: het portaal blijft hangen op 99%. Wat moet ik doen?',
      'Wij willen inschrijven op {kenmerk}, maar het uploaden van {document} loopt steeds vast. Om 12.00 uur sluit de inschrijving. Help!',
    ],
    call: ['{naam} ({org}) belt gestrest: inschrijving {kenmerk} sluit om 12.00 uur, upload van {document} blijft hangen op 99%.'],
    answer: ['Het bestand was groter dan 50 MB, de grens van het portaal. We hebben samen de pdf verkleind en daarna ging het uploaden goed. Uw inschrijving is ruim voor de sluitingstijd ingediend; de ontvangstbevestiging staat onder "Mijn inschrijvingen".'],
    handoff: ['Overdracht: inschrijver {org} kan {document} niet uploaden voor {kenmerk}, sluit vandaag 12.00 uur. Bestand is kleiner dan 50 MB, andere browser geprobeerd. Spoed!'],
    proposal: ['Virusscanner van de uploadserver hield het bestand vast; opgelost. Let op: de inschrijving is na de sluitingstijd binnengekomen. Bij een storing aan onze kant mag de aanbestedende dienst dat accepteren; storingsverklaring hangt in het dossier. Voorstel: melder laten weten dat de inschrijving binnen is en dat de aanbestedende dienst de storingsverklaring ontvangt.'],
    final: ['Uw inschrijving is binnen. De vertraging lag aan een storing aan onze kant, niet aan uw bestand. De aanbestedende dienst ontvangt van ons een verklaring over die storing, zodat uw inschrijving gewoon wordt meegenomen.'],
  },
  // --- HR en opleidingen -----------------------------------------------------------------------------
  {
    key: 'ziekmelding-cursus',
    instant: true,
    weight: 8,
    morning: true,
    type: 'question',
    who: ['medewerker', 'particulier'],
    channels: { phone: 8, email: 2, chat: 1 },
    tags: ['cursus', 'afmelding'],
    vars: (r) => ({ cursus: r.pick(COURSES), dag: r.pick(DAYS) }),
    subject: ['Ziekmelding cursus {cursus}', 'Afmelden voor {cursus} wegens ziekte', 'Kan niet naar de cursus, ziek'],
    ask: ['Helaas ben ik ziek en kan ik {dag} niet naar de cursus {cursus}. Kunnen jullie mij afmelden en laten weten wanneer ik de les kan inhalen?'],
    call: ['{naam} ({org}) meldt zich ziek voor de cursus {cursus} van {dag}. Wil graag weten wanneer de gemiste dag ingehaald kan worden.'],
    answer: [
      'Beterschap! Ik heb u afgemeld voor {dag}. De gemiste dag kunt u inhalen bij de volgende groep; de data ziet u in Leerplein onder "Mijn leeractiviteiten". Aan de ziekmelding zelf zijn voor de cursus geen kosten verbonden.',
      'Ik heb u voor de cursus {cursus} van {dag} afgemeld en de docent op de hoogte gebracht. U kunt de dag inhalen; onze collega\'s van Opleidingen nemen hierover contact met u op. Beterschap!',
    ],
  },
  {
    key: 'waar-is-cursus',
    instant: true,
    weight: 7,
    morning: true,
    type: 'question',
    who: ['medewerker', 'particulier'],
    channels: { phone: 7, chat: 3, email: 1 },
    tags: ['cursus'],
    vars: (r) => ({ cursus: r.pick(COURSES), locatie: r.pick(COURSE_PLACES), tijd: r.pick(COURSE_TIMES) }),
    subject: ['Waar is de cursus {cursus}?', 'Hoe laat begint {cursus}?', 'Locatie training vandaag'],
    ask: ['Ik volg vandaag de cursus {cursus}, maar ik kan de uitnodiging niet meer vinden. Hoe laat moet ik waar zijn?'],
    call: ['{naam} belt: volgt vandaag {cursus}, weet niet meer hoe laat en waar. Staat al bij de receptie.'],
    answer: ['De cursus {cursus} begint om {tijd} uur in {locatie}. Meldt u zich bij de receptie, daar staat uw naam op de lijst. Veel plezier!'],
  },
  {
    key: 'cursus-certificaat',
    weight: 3,
    type: 'request',
    who: ['medewerker'],
    channels: { email: 4, portal: 2, phone: 1 },
    tags: ['cursus', 'certificaat'],
    group: 'opleidingen',
    escalate: 0.6,
    vars: (r) => ({ cursus: r.pick(COURSES), maand: r.pick(MONTHS) }),
    subject: ['Certificaat {cursus} niet ontvangen', 'Waar vind ik mijn certificaat?'],
    ask: ['In {maand} heb ik de cursus {cursus} afgerond, maar ik heb nog geen certificaat ontvangen. Mijn leidinggevende vraagt ernaar voor mijn dossier. Kunnen jullie het mij sturen?'],
    call: ['{naam} belt: cursus {cursus} in {maand} afgerond, certificaat nooit ontvangen. Nodig voor personeelsdossier.'],
    clarify: ['Op welke datum en op welke locatie heeft u de laatste cursusdag gevolgd? Dan kan ik de presentielijst erbij zoeken.'],
    clarified: ['Dat was de laatste donderdag van {maand}, in Hoogmeer.'],
    answer: ['Uw certificaat voor {cursus} staat in Leerplein onder "Mijn certificaten"; daar kunt u het als pdf downloaden. Ik heb het voor het gemak ook als bijlage meegestuurd.'],
    handoff: ['Overdracht: certificaat {cursus} ({maand}) niet te vinden in Leerplein. Presentielijst nog niet verwerkt? Graag nakijken en certificaat aanmaken.'],
    proposal: ['Presentielijst was niet verwerkt, nu wel. Certificaat staat in Leerplein. Voorstel: melder vragen het daar te downloaden.'],
    waiting: ['Presentielijst ligt nog bij de externe trainer; opgevraagd, hij stuurt hem deze week.'],
    final: ['Uw certificaat voor {cursus} staat nu klaar in Leerplein onder "Mijn certificaten". Het duurde langer omdat de presentielijst nog niet was verwerkt; excuses daarvoor.'],
  },
  {
    key: 'cursus-uitgevallen',
    weight: 2,
    type: 'complaint',
    who: ['medewerker'],
    channels: { email: 4, phone: 2 },
    priority: { normal: 3, high: 1 },
    tags: ['cursus', 'klacht'],
    group: 'opleidingen',
    escalate: 0.8,
    vars: (r) => ({ cursus: r.pick(COURSES), dag: r.pick(DAYS) }),
    subject: ['Klacht: cursus {cursus} zonder bericht uitgevallen', 'Cursus ging niet door, niemand wist ervan'],
    ask: ['Vanochtend stond ik met vier collega\'s om half negen bij de cursus {cursus}, maar er was geen docent. Niemand had ons laten weten dat de cursus niet doorging. We zijn voor niets gekomen en hebben de hele ochtend vrij geroosterd. Dit vind ik echt niet in orde.'],
    call: ['{naam} ({org}) belt boos: cursus {cursus} van {dag} ging niet door, niemand had bericht gehad. Vijf deelnemers voor niets gekomen. Wil een reactie.'],
    answer: ['Wat vervelend dat u voor niets bent gekomen, en terecht dat u dit meldt. De docent was ziek en het afmeldbericht is helaas niet verstuurd. U bent als eerste ingeschreven voor de nieuwe datum; die ontvangt u deze week.'],
    handoff: ['Overdracht: klacht over {cursus} van {dag}, uitgevallen zonder bericht aan deelnemers. Graag uitzoeken wat er misging en een nieuwe datum voorstellen. Klant is begrijpelijk boos.'],
    proposal: ['Docent had zich ziek gemeld, maar de afmeldmail stond nog in de wachtrij van Leerplein (storing van die ochtend). Nieuwe datum: {dag} over drie weken, zelfde tijd en locatie. Deelnemers zijn al overgezet. Voorstel: excuses aanbieden en de nieuwe datum noemen; reiskosten mogen gedeclareerd worden.'],
    final: ['Onze excuses: de docent was ziek en door een storing is het afmeldbericht niet verstuurd. U en uw collega\'s zijn al ingeschreven voor de nieuwe datum, {dag} over drie weken, op dezelfde tijd en plek. De reiskosten van die dag kunt u declareren.'],
  },
  {
    key: 'salarisstrook',
    weight: 3,
    type: 'question',
    who: ['medewerker'],
    channels: { email: 4, portal: 3, phone: 2 },
    tags: ['salaris'],
    group: 'salarisadministratie',
    escalate: 0.2,
    vars: (r) => ({ maand: r.pick(MONTHS) }),
    subject: ['Salarisstrook {maand} niet te zien', 'Waar staat mijn salarisstrook?'],
    ask: ['In het HR-portaal Mijn SSC zie ik mijn salarisstrook van {maand} niet. Die van vorige maand staat er wel. Kunnen jullie kijken wat er mis is?'],
    call: ['{naam} ({org}) belt: salarisstrook {maand} niet te vinden in Mijn SSC.'],
    answer: ['Uw salarisstrook van {maand} staat in Mijn SSC onder "Mijn documenten > Salaris". Ziet u hem daar niet, log dan even uit en weer in: de strook wordt pas zichtbaar na de verwerkingsdag.'],
    handoff: ['Overdracht: strook {maand} ontbreekt echt in Mijn SSC (zelf nagekeken met melder, ook na opnieuw inloggen). Graag nakijken.'],
    proposal: ['Strook was door een fout in de nachtelijke export niet gepubliceerd. Opnieuw klaargezet, staat nu in Mijn SSC.'],
    final: ['Uw salarisstrook van {maand} staat nu in Mijn SSC. Door een fout bij het klaarzetten was hij niet gepubliceerd; dat is hersteld.'],
  },
  {
    key: 'piketvergoeding',
    weight: 3,
    type: 'question',
    who: ['medewerker'],
    channels: { email: 4, portal: 3, phone: 2 },
    tags: ['salaris'],
    group: 'salarisadministratie',
    escalate: 0.9,
    vars: (r) => ({ maand: r.pick(MONTHS) }),
    subject: ['Toelage ontbreekt op salarisstrook {maand}', 'Piketvergoeding niet uitbetaald'],
    ask: ['Op mijn salarisstrook van {maand} ontbreekt de toelage voor de piketdiensten die ik heb gedraaid. Mijn leidinggevende heeft de uren goedgekeurd. Is dat een vergissing?'],
    call: ['{naam} ({org}) belt: toelage piketdiensten ontbreekt op salarisstrook {maand}, uren zijn goedgekeurd.'],
    answer: ['De goedgekeurde piketuren zijn na de afsluitdatum binnengekomen. De vergoeding wordt met de volgende salarisbetaling nabetaald; u hoeft daar niets voor te doen.'],
    handoff: ['Overdracht: melder mist de piketvergoeding op strook {maand}. Uren zijn volgens melder goedgekeurd door leidinggevende. Graag controleren.'],
    proposal: ['Goedkeuring van de leidinggevende kwam na de afsluitdatum binnen. De vergoeding wordt met de volgende salarisbetaling nabetaald. Voorstel antwoord: "De vergoeding staat op uw volgende strook als nabetaling." Geen actie nodig van melder.'],
    final: ['De goedkeuring van uw piketuren kwam net na de afsluitdatum binnen. U hoeft niets te doen: de vergoeding wordt met de volgende salarisbetaling nabetaald en staat dan apart op uw strook.'],
    waiting: ['Uren staan in het roostersysteem nog op "ingediend". Leidinggevende gevraagd ze goed te keuren; daarna kunnen we nabetalen.'],
  },
  {
    key: 'declaratie',
    weight: 4,
    type: 'question',
    who: ['medewerker'],
    channels: { email: 4, portal: 3, chat: 1 },
    tags: ['declaratie'],
    group: 'salarisadministratie',
    escalate: 0.5,
    vars: (r) => ({ declaratie: r.pick(EXPENSES), bedrag: euro(r, 12, 240), maand: r.pick(MONTHS) }),
    subject: ['Declaratie nog niet uitbetaald', 'Waar blijft mijn declaratie?'],
    ask: ['In {maand} heb ik een declaratie ingediend voor {declaratie} ({bedrag}). Die is nog steeds niet uitbetaald en in het declaratieportaal staat hij op "in behandeling". Kunnen jullie kijken waar hij blijft?'],
    call: ['{naam} belt: declaratie {declaratie} ({bedrag}) uit {maand} nog niet uitbetaald, staat op "in behandeling".'],
    clarify: ['Om uw declaratie terug te vinden: wat is het declaratienummer (begint met D-) en heeft u het bonnetje als bijlage toegevoegd?'],
    clarified: ['Het nummer is D-{declaratienr}. Het bonnetje zat erbij, een foto van de kassabon.'],
    answer: ['Uw declaratie stond nog bij uw leidinggevende ter goedkeuring. Ik heb hem een herinnering gestuurd; na goedkeuring wordt het bedrag met de eerstvolgende salarisbetaling uitbetaald.'],
    handoff: ['Overdracht: declaratie {declaratie} ({bedrag}), al goedgekeurd maar niet uitbetaald. Graag nakijken bij salarisadministratie.'],
    proposal: ['De declaratie is goedgekeurd maar viel buiten de verwerkingsronde. Staat nu klaar voor de volgende betaling. Desk mag melder laten weten dat het bedrag eind deze maand wordt overgemaakt.'],
    final: ['Uw declaratie van {bedrag} is goedgekeurd en wordt eind deze maand met uw salaris uitbetaald. Hij viel net buiten de vorige verwerkingsronde.'],
    waiting: ['Declaratie staat nog bij de leidinggevende ter goedkeuring; die is met verlof tot maandag. Herinnering gestuurd.'],
  },
  {
    key: 'verlof',
    weight: 3,
    type: 'question',
    who: ['medewerker'],
    channels: { portal: 4, email: 3 },
    tags: ['verlof'],
    group: 'personeelszaken',
    escalate: 0.6,
    vars: (r) => ({ uren: String(r.int(8, 40)) }),
    subject: ['Verlofsaldo klopt niet', 'Verlofuren na wijziging werktijden'],
    ask: ['In Mijn SSC staat dat ik nog {uren} uur verlof heb, maar volgens mijn eigen overzicht zou dat meer moeten zijn. Sinds 1 september werk ik 32 in plaats van 36 uur. Kunnen jullie dat nakijken?'],
    call: ['{naam} belt: verlofsaldo in Mijn SSC ({uren} uur) klopt volgens de melder niet sinds de wijziging van de werktijden.'],
    clarify: ['Per welke datum zijn uw werktijden gewijzigd, en op hoeveel uur komt u zelf uit? Dan kan ik het naast de berekening leggen.'],
    clarified: ['Per 1 september, van 36 naar 32 uur. Ik kom zelf op ongeveer {uren} uur meer uit dan wat er nu staat.'],
    answer: ['Uw saldo wordt na een wijziging van uw werktijden opnieuw berekend per de ingangsdatum. De berekening staat in Mijn SSC onder "Verlof > Opbouw". Klopt die volgens u niet, laat het ons dan weten, dan kijkt Personeelszaken mee.'],
    handoff: ['Overdracht: melder twijfelt aan verlofsaldo na wijziging werktijden. Herberekening staat in Mijn SSC, maar melder komt op een ander aantal uit. Graag controleren.'],
    proposal: ['Klopt: de wijziging was met de verkeerde ingangsdatum verwerkt. Gecorrigeerd, saldo is nu {uren} uur hoger. Voorstel: melder laten weten dat het saldo is aangepast.'],
    final: ['U had gelijk: uw nieuwe werktijden waren met een verkeerde ingangsdatum verwerkt. Personeelszaken heeft dat gecorrigeerd en uw verlofsaldo is bijgewerkt in Mijn SSC.'],
  },
  // --- Facilitair --------------------------------------------------------------------------------------
  {
    key: 'ruimte-dubbel',
    weight: 2,
    type: 'incident',
    who: ['medewerker'],
    channels: { chat: 3, phone: 3, email: 1 },
    tags: ['ruimte'],
    group: 'huisvesting',
    escalate: 0.6,
    morning: true,
    vars: (r) => ({ ruimte: r.pick(ROOMS) }),
    subject: ['Vergaderruimte dubbel geboekt', '{ruimte} dubbel gereserveerd'],
    ask: ['Ik heb voor vanochtend {ruimte} in {gebouw} gereserveerd, maar er zit nu een andere afdeling die zegt dat zij hem ook hebben geboekt. Onze gasten komen om tien uur. Wat nu?'],
    call: ['{naam} belt: {ruimte} in {gebouw} dubbel geboekt voor vanochtend, andere afdeling zit er al. Gasten komen om tien uur.'],
    answer: ['Ik heb u en uw gasten verplaatst naar spreekkamer 1.03 op dezelfde verdieping; die is tot 13.00 uur vrij en de koffie wordt daar neergezet. De reservering staat in uw agenda.'],
    handoff: ['Overdracht: dubbele boeking {ruimte} in {gebouw}. Beide reserveringen staan in het systeem, melder is voor nu elders ondergebracht. Graag uitzoeken hoe dit kon; het is deze maand al de derde keer.'],
    proposal: ['Oorzaak: de koppeling tussen het reserveringssysteem en Outlook gaf dezelfde ruimte twee keer uit als een reservering werd verplaatst. Leverancier heeft de koppeling hersteld. Voorstel: melder laten weten dat het is opgelost.'],
    final: ['We hebben uitgezocht hoe de dubbele boeking kon ontstaan: een fout in de koppeling met Outlook, die nu is hersteld. Excuses voor het gedoe van die ochtend.'],
    waiting: ['Storing in de koppeling reserveringssysteem–Outlook gemeld bij de leverancier; fix gepland voor de release van donderdag.'],
  },
  {
    key: 'ruimte-zoeken',
    instant: true,
    weight: 2,
    type: 'request',
    who: ['medewerker'],
    channels: { chat: 3, portal: 3, email: 2 },
    tags: ['ruimte'],
    vars: (r) => ({ ruimte: r.pick(ROOMS), dag: r.pick(DAYS), personen: String(r.int(6, 30)) }),
    subject: ['Ruimte nodig voor {personen} personen op {dag}', 'Vergaderruimte met beamer gezocht'],
    ask: ['Ik zoek voor {dag} een ruimte voor {personen} personen met beamer in {gebouw}. Het reserveringssysteem geeft niets vrij. Kunnen jullie helpen?'],
    call: ['{naam} belt: zoekt ruimte voor {personen} personen met beamer op {dag} in {gebouw}.'],
    answer: ['Ik heb voor u {ruimte} gereserveerd op {dag}, van 9.00 tot 12.00 uur. De beamer staat klaar; de bevestiging vindt u in uw agenda.'],
  },
  {
    key: 'klimaat',
    weight: 3,
    type: 'incident',
    who: ['medewerker'],
    channels: { email: 3, phone: 3, portal: 2 },
    tags: ['klimaat', 'gebouw'],
    group: 'huisvesting',
    escalate: 0.8,
    vars: (r) => ({ verdieping: r.pick(FLOORS), graden: String(r.int(14, 17)), kant: r.pick(['noordkant', 'zuidkant']) }),
    subject: ['Te koud op de {verdieping}', 'Verwarming doet het niet in {gebouw}'],
    ask: ['Op de {verdieping} van {gebouw} is het vandaag maar {graden} graden. Collega\'s zitten met hun jas aan. Kan er iemand naar de verwarming kijken?'],
    call: ['{naam} belt: {verdieping} van {gebouw}, {kant}, {graden} graden. Verwarming lijkt uit.'],
    answer: ['De verwarming op de {verdieping} stond door een storing in de nachtstand. Ik heb de huismeester gevraagd hem handmatig terug te zetten; binnen een uur moet het weer op temperatuur zijn.'],
    handoff: ['Overdracht: {verdieping} {gebouw} ({kant}) is {graden} graden. Huismeester heeft geen toegang tot de regeling. Graag installateur inschakelen.'],
    proposal: ['Installateur is geweest: pomp van de verwarmingsgroep was defect en is vervangen. Temperatuur is weer normaal.'],
    final: ['De installateur heeft een defecte pomp van de verwarming vervangen. Het is op de {verdieping} weer op temperatuur. Dank voor uw geduld.'],
    waiting: ['Installateur ingeschakeld, komt morgenochtend. Tot die tijd zijn er elektrische kachels geplaatst op de {kant}.'],
  },
  {
    key: 'toegangspas',
    weight: 3,
    type: 'request',
    who: ['medewerker'],
    channels: { phone: 3, portal: 3, email: 1 },
    tags: ['toegangspas'],
    group: 'huisvesting',
    escalate: 0.4,
    subject: ['Toegangspas kwijt', 'Toegangspas verloren, graag blokkeren'],
    ask: ['Ik ben mijn toegangspas kwijt, waarschijnlijk in de trein verloren. Kunnen jullie hem blokkeren en een nieuwe maken?'],
    call: ['{naam} belt: toegangspas voor {gebouw} kwijt, wil hem laten blokkeren.'],
    answer: ['Uw oude pas is geblokkeerd. De nieuwe pas kunt u morgen vanaf 9.00 uur ophalen bij de receptie van {gebouw}; neemt u een identiteitsbewijs mee.'],
    handoff: ['Overdracht: pas geblokkeerd, nieuwe pas nodig voor {gebouw}. Melder werkt daar op maandag en donderdag.'],
    proposal: ['Nieuwe pas aangemaakt, ligt bij de receptie van {gebouw}. Ophalen met legitimatie.'],
    waiting: ['Blanco passen zijn op; nieuwe voorraad besteld bij de leverancier van het toegangssysteem. Melder heeft zolang een dagpas.'],
    final: ['Uw nieuwe toegangspas ligt klaar bij de receptie van {gebouw}. Neemt u bij het ophalen uw identiteitsbewijs mee? De oude pas werkt niet meer.'],
  },
  {
    key: 'lunch',
    weight: 2,
    type: 'request',
    who: ['medewerker'],
    channels: { email: 4, portal: 2 },
    tags: ['catering'],
    group: 'facilitaire-services',
    escalate: 0.7,
    vars: (r) => ({ cursus: r.pick(COURSES), personen: String(r.int(8, 24)), dag: r.pick(DAYS) }),
    subject: ['Lunch voor training op {dag}', 'Lunchrooster cursus {cursus}'],
    ask: ['Voor de cursus {cursus} op {dag} hebben we lunch nodig voor {personen} personen, waarvan twee vegetarisch en één glutenvrij. Kunnen jullie dat regelen?'],
    call: ['{naam} belt: lunch nodig voor {personen} personen bij {cursus} op {dag}, 2x vegetarisch, 1x glutenvrij.'],
    answer: ['De lunch voor {personen} personen staat genoteerd voor {dag} om 12.30 uur, inclusief de vegetarische en glutenvrije lunches.'],
    handoff: ['Overdracht: lunch voor {personen} personen ({cursus}) op {dag}; 2x vegetarisch, 1x glutenvrij. Graag vastleggen bij de cateraar.'],
    proposal: ['Besteld bij de cateraar: lunch om 12.30 uur in de pauzeruimte naast het leslokaal. Dieetwensen doorgegeven.'],
    waiting: ['Aanvraag bij de cateraar uitgezet; zij bevestigen de glutenvrije lunch uiterlijk morgen.'],
    final: ['De lunch is besteld: {dag} om 12.30 uur in de pauzeruimte naast het leslokaal, met de vegetarische en glutenvrije lunches erbij.'],
  },
  {
    key: 'kantoorartikelen',
    weight: 2,
    type: 'request',
    who: ['medewerker'],
    channels: { portal: 5, email: 2 },
    priority: { low: 3, normal: 1 },
    tags: ['kantoorartikelen'],
    subject: ['Bestelling kantoorartikelen', 'Nieuwe pennen en blocnotes voor de afdeling'],
    ask: ['Onze afdeling heeft nieuwe pennen, blocnotes en nietjes nodig. Hoe bestel ik die?'],
    call: ['{naam} belt: wil kantoorartikelen bestellen voor de afdeling.'],
    answer: ['Ik heb de standaardset voor uw afdeling besteld: blauwe pennen, blocnotes A4 en nietjes. Die wordt donderdag bij de postkamer bezorgd. Heeft u iets anders nodig, dan hoor ik het graag.'],
  },
  // --- Financiën ---------------------------------------------------------------------------------------
  {
    key: 'factuur-betaling',
    weight: 5,
    type: 'question',
    who: ['bedrijf'],
    channels: { email: 5, phone: 3 },
    tags: ['factuur'],
    group: 'crediteuren',
    escalate: 0.6,
    vars: (r) => ({ factuur: `F${r.int(20000, 29999)}`, bedrag: euro(r, 450, 18500), dagen: String(r.int(35, 70)) }),
    subject: ['Factuur {factuur} nog niet betaald', 'Betaling openstaande factuur', 'Herinnering factuur {factuur}'],
    ask: ['Onze factuur {factuur} van {bedrag} staat al {dagen} dagen open, terwijl de betaaltermijn 30 dagen is. Kunt u laten weten wanneer wij de betaling kunnen verwachten?'],
    call: ['{naam} ({org}) belt over factuur {factuur} ({bedrag}), {dagen} dagen open. Wil weten wanneer er betaald wordt.'],
    clarify: ['Op welk inkoopordernummer (begint met IO) heeft u de factuur gestuurd? Zonder dat nummer kunnen wij hem niet koppelen aan de bestelling.'],
    clarified: ['Het inkoopordernummer is IO-{ordernr}. Dat stond toch ook op de factuur?'],
    answer: ['Uw factuur {factuur} is goedgekeurd en staat in de betaalrun van deze vrijdag. Het bedrag staat begin volgende week op uw rekening.'],
    handoff: ['Overdracht: factuur {factuur} ({bedrag}) van {org}, {dagen} dagen open. Niet te vinden in de werkstroom. Graag nakijken.'],
    proposal: ['Factuur zat in de werkstroom bij een budgethouder die uit dienst is. Omgezet naar de vervanger en goedgekeurd; gaat mee in de betaalrun van vrijdag. Voorstel: excuses voor de vertraging, betaling volgende week.'],
    final: ['Excuses voor de vertraging. Uw factuur {factuur} lag ter goedkeuring bij iemand die niet meer bij ons werkt. Dat is hersteld: de factuur is goedgekeurd en wordt vrijdag betaald.'],
    waiting: ['Budgethouder is met vakantie tot volgende week; factuur wacht op goedkeuring van de vervanger.'],
  },
  {
    key: 'bankrekening',
    weight: 2,
    type: 'request',
    who: ['bedrijf'],
    channels: { email: 5, phone: 1 },
    tags: ['crediteuren'],
    group: 'crediteuren',
    escalate: 0.9,
    subject: ['Wijziging bankrekeningnummer', 'Nieuw IBAN voor onze facturen'],
    ask: ['Wij zijn overgestapt naar een andere bank. Wilt u voortaan betalen op ons nieuwe rekeningnummer? Het staat op de bijgevoegde brief.'],
    call: ['{naam} ({org}) belt: wil het bankrekeningnummer voor betalingen laten wijzigen.'],
    clarify: ['Wilt u het verzoek op briefpapier van uw bedrijf sturen, ondertekend door een tekenbevoegde, met een kopie van een bankafschrift van de nieuwe rekening? Zo voorkomen we dat iemand anders uw betalingen omleidt.'],
    clarified: ['Hierbij het ondertekende verzoek en een bankafschrift, in de bijlage zoals gevraagd.'],
    answer: ['Het nieuwe rekeningnummer is verwerkt en wordt gebruikt vanaf de eerstvolgende betaling.'],
    handoff: ['Overdracht: verzoek wijziging IBAN van {org}. Volgens procedure eerst terugbellen via het bij ons bekende nummer (niet het nummer uit de mail).'],
    proposal: ['Teruggebeld via het bekende nummer uit de crediteurenadministratie: wijziging bevestigd door de directeur. Nieuw IBAN verwerkt.'],
    waiting: ['Twee keer teruggebeld via het bekende nummer, geen gehoor. Voicemail ingesproken met verzoek om terug te bellen; pas daarna wijzigen.'],
    final: ['Wij hebben uw nieuwe rekeningnummer verwerkt, nadat we het telefonisch bij u hebben gecontroleerd. Dat doen we altijd, om fraude te voorkomen. Vanaf de volgende betaling gebruiken we het nieuwe nummer.'],
  },
  // --- Overig -------------------------------------------------------------------------------------------
  {
    key: 'klacht-wachttijd',
    weight: 1,
    type: 'complaint',
    who: ['medewerker', 'bedrijf', 'particulier'],
    channels: { email: 5, portal: 1 },
    priority: { normal: 2, high: 1 },
    tags: ['klacht', 'bereikbaarheid'],
    subject: ['Klacht: lang in de wacht', 'Telefonisch onbereikbaar vanochtend'],
    ask: ['Vanochtend heb ik drie keer gebeld en stond ik elke keer meer dan twintig minuten in de wacht. Uiteindelijk heb ik opgehangen. Dit kan toch niet de bedoeling zijn?'],
    call: ['{naam} belt met een klacht: vanochtend drie keer meer dan twintig minuten in de wacht gestaan.'],
    answer: ['Dank u wel dat u dit laat weten, en excuses dat u zo lang moest wachten. Tussen 8.00 en 10.00 uur is het bij ons het drukst. Uw eigen vraag heb ik inmiddels opgepakt; u hoort vandaag nog van mij. Buiten de piek of via de chat bent u meestal binnen een paar minuten geholpen.'],
  },
  {
    key: 'klacht-kastje-muur',
    weight: 1,
    type: 'complaint',
    who: ['medewerker', 'bedrijf', 'particulier'],
    channels: { email: 5, phone: 1 },
    priority: { normal: 2, high: 1 },
    tags: ['klacht'],
    subject: ['Van het kastje naar de muur gestuurd', 'Klacht: niemand voelt zich verantwoordelijk'],
    ask: ['Ik ben voor één vraag nu door drie verschillende afdelingen naar elkaar doorverwezen. Niemand voelt zich verantwoordelijk. Ik wil gewoon één aanspreekpunt.'],
    call: ['{naam} belt geïrriteerd: voor één vraag al drie keer doorverwezen tussen afdelingen. Wil één aanspreekpunt.'],
    answer: ['U heeft gelijk: u hoort niet van de ene naar de andere afdeling te worden gestuurd. Ik ben vanaf nu uw aanspreekpunt en zorg dat uw vraag achter de schermen bij de juiste collega terechtkomt. U hoeft niets opnieuw uit te leggen.'],
  },
  {
    key: 'compliment',
    instant: true,
    weight: 1,
    type: 'question',
    who: ['medewerker', 'bedrijf', 'particulier'],
    channels: { email: 5, chat: 1 },
    priority: { low: 1 },
    tags: ['compliment'],
    subject: ['Bedankt voor de hulp!', 'Compliment voor de servicedesk'],
    ask: ['Ik wil jullie even laten weten hoe blij ik ben met de hulp van vorige week. Jullie collega heeft me rustig en geduldig door het hele portaal geloodst. Zo hoort het. Dank jullie wel!'],
    call: ['{naam} belt om de servicedesk te bedanken voor de hulp van vorige week.'],
    answer: ['Wat fijn om te horen, dank u wel! Ik geef uw compliment door aan het team; daar doen we het voor.'],
  },
]

/** Short messages from customers after a good answer. */
export const THANKS = [
  'Dank u wel, het werkt weer!',
  'Top, bedankt voor de snelle hulp.',
  'Fijn, dank jullie wel.',
  'Hartelijk dank voor het meedenken!',
  'Super, daar ben ik blij mee. Bedankt!',
]

/** The desk's first reply when it takes a ticket but cannot answer it yet. */
export const INTERIM = [
  'Dank voor uw bericht. Ik ga dit voor u uitzoeken en kom er zo snel mogelijk bij u op terug.',
  'Ik heb uw melding ontvangen en ben ermee aan de slag. U hoort van mij zodra ik meer weet.',
]

/** The desk's reply when it hands a ticket to 2nd line. */
export const ESCALATED = [
  'Ik heb uw vraag voorgelegd aan onze collega\'s van {groep}. Zodra ik meer weet, hoort u van mij. U hoeft zelf niets te doen.',
  'Dit zoek ik samen met de collega\'s van {groep} voor u uit. U hoort van ons, waarschijnlijk binnen twee werkdagen.',
]

/** A desk colleague's internal note now and then: teams help each other. */
export const DESK_NOTES = [
  'Klant belde net nog even na: ik heb gezegd dat we ermee bezig zijn.',
  'Ter info: deze klant heeft vorige week ook al over iets vergelijkbaars gebeld.',
  'Ik sta tot tien uur aan de telefoon; {collega}, wil jij dit in de gaten houden?',
]
