import type { Actor } from '../accounts/actor.js'
import type { Services } from '../services.js'
import type { GroupKey } from './demo-organisation.js'

/**
 * The demo's knowledge base and templates: what Servicecentrum Lingedal's back offices have written
 * down for the desk and for customers. Text: paragraphs separated by "|", a line starting with "* "
 * is a list item.
 */
type Visibility = 'internal' | 'public'
interface DemoArticle {
  group: GroupKey
  title: string
  visibility: Visibility
  text: string
  /** Past its review date: flagged to its owner group in the demo. */
  overdue?: true
}

const CATEGORY_OF: Partial<Record<GroupKey, string>> = {
  applicatiebeheer: 'ICT',
  werkplekbeheer: 'ICT',
  personeelszaken: 'HR',
  salarisadministratie: 'HR',
  opleidingen: 'HR',
  huisvesting: 'Facilitair',
  'facilitaire-services': 'Facilitair',
  crediteuren: 'Financiën',
  inkoop: 'Financiën',
}

const a = (group: GroupKey, title: string, visibility: Visibility, text: string, overdue?: true): DemoArticle => ({ group, title, visibility, text, overdue })

export const DEMO_ARTICLES: DemoArticle[] = [
  // ICT
  a('applicatiebeheer', 'Wachtwoord opnieuw instellen', 'public', 'Bent u uw wachtwoord vergeten of is het verlopen? U stelt zelf een nieuw wachtwoord in.|* Ga naar Mijn account en kies "Wachtwoord vergeten".|* Vul uw e-mailadres in; u krijgt binnen vijf minuten een link.|* Kies een wachtwoord van minstens twaalf tekens.|Lukt het niet, of krijgt u geen e-mail? Bel de servicedesk; zij zetten een tijdelijk wachtwoord.'),
  a('applicatiebeheer', 'Account geblokkeerd na te veel inlogpogingen', 'public', 'Na vijf mislukte pogingen wordt uw account een kwartier geblokkeerd. Wacht vijftien minuten en probeer het opnieuw met het juiste wachtwoord.|Weet u het wachtwoord niet meer, stel het dan opnieuw in via Mijn account.'),
  a('applicatiebeheer', 'Tijdelijk wachtwoord zetten voor een medewerker', 'internal', 'Alleen na controle van de identiteit: vraag naar personeelsnummer en geboortedatum, of laat de leidinggevende bellen.|* Open het beheerportaal, tabblad Accounts.|* Kies "Tijdelijk wachtwoord" en vink "wijzigen bij eerste aanmelding" aan.|* Geef het wachtwoord telefonisch door, nooit per e-mail.'),
  a('applicatiebeheer', 'Tweestapsverificatie instellen met de Authenticator-app', 'public', 'Voor thuiswerken en het personeelsportaal is tweestapsverificatie verplicht.|* Installeer de Authenticator-app op uw telefoon.|* Ga naar Mijn account, Beveiliging, en scan de QR-code.|* Voer de zescijferige code in ter controle.|Nieuwe telefoon? Meld het bij de servicedesk, dan zetten wij de koppeling terug.'),
  a('applicatiebeheer', 'Tweestapsverificatie resetten bij een nieuwe telefoon', 'internal', 'Controleer de identiteit zoals bij een tijdelijk wachtwoord. Reset de MFA-registratie in het beheerportaal onder Accounts, Beveiliging. De medewerker registreert bij de volgende aanmelding opnieuw.'),
  a('applicatiebeheer', 'Toegang aanvragen tot een applicatie', 'public', 'Toegang tot applicaties zoals Zaaksysteem, Decos of het HR-portaal vraagt uw leidinggevende aan via de catalogus, onder "Toegang applicatie". Na goedkeuring regelt Applicatiebeheer het binnen twee werkdagen.'),
  a('applicatiebeheer', 'Zaaksysteem traag of loopt vast', 'internal', 'Bekend probleem bij grote bijlagen boven 25 MB. Vraag de gebruiker de cache van de browser te legen en het zaaksysteem opnieuw te openen.|Blijft het traag bij meerdere gebruikers tegelijk, escaleer dan naar ICT Applicatiebeheer met de tijd en het zaaknummer.'),
  a('applicatiebeheer', 'Gedeelde mailbox toevoegen in Outlook', 'public', 'U heeft toegang tot een gedeelde mailbox gekregen? Die verschijnt vanzelf in Outlook, binnen een uur na de toekenning. Sluit Outlook en start het opnieuw als de mailbox er na een uur nog niet staat.'),
  a('werkplekbeheer', 'VPN-verbinding maken vanuit huis', 'public', 'Met de VPN werkt u thuis alsof u op kantoor bent.|* Start de VPN-client (het schildje rechtsonder).|* Log in met uw gewone account en de code uit de Authenticator-app.|* Het schildje wordt groen als u verbonden bent.|Lukt verbinden niet? Controleer eerst of uw internet thuis werkt.'),
  a('werkplekbeheer', 'Laptop start niet op of blijft op het logo hangen', 'public', 'Houd de aan-knop tien seconden ingedrukt en start opnieuw. Sluit de lader aan. Blijft de laptop hangen, bel dan de servicedesk; neem de laptop mee naar het ICT-loket voor een vervangend exemplaar.'),
  a('werkplekbeheer', 'Scherm blijft zwart na een update', 'internal', 'Na de update van november blijft bij sommige laptops met een dockingstation het scherm zwart.|* Koppel de laptop los van het dockingstation en start opnieuw.|* Zet de grafische driver terug via Apparaatbeheer.|* Werkt dat niet: laptop omruilen bij het ICT-loket.'),
  a('werkplekbeheer', 'Printer op de verdieping werkt niet', 'public', 'De printers halen uw afdruk op met uw toegangspas (Follow-me printen). Houd uw pas tegen de lezer en kies de afdruk. Staat er een foutmelding op het scherm, noteer die en meld het bij de servicedesk met het nummer op de sticker.'),
  a('werkplekbeheer', 'Nieuwe laptop of telefoon aanvragen', 'public', 'Een nieuwe laptop, telefoon of extra beeldscherm vraagt uw leidinggevende aan via de catalogus. Levering duurt ongeveer vijf werkdagen; u haalt het apparaat op bij het ICT-loket.'),
  a('werkplekbeheer', 'Teams-vergadering: geen geluid of beeld', 'public', 'Controleer in Teams onder Instellingen, Apparaten, of de juiste microfoon en camera gekozen zijn. Een koptelefoon via USB werkt het best. Herstart Teams als het apparaat niet in de lijst staat.'),
  a('werkplekbeheer', 'Oude instructie: Windows 10 werkplek inrichten', 'internal', 'Deze instructie beschrijft de inrichting van Windows 10-werkplekken. Alle werkplekken zijn inmiddels Windows 11; dit artikel moet herzien of gearchiveerd worden.', true),
  // HR
  a('personeelszaken', 'Verlof aanvragen in het personeelsportaal', 'public', 'Verlof vraagt u aan in het personeelsportaal onder Verlof, Nieuwe aanvraag. Uw leidinggevende krijgt een bericht en keurt binnen vijf werkdagen goed. U ziet uw saldo bovenaan de pagina.'),
  a('personeelszaken', 'Ziekmelden en betermelden', 'public', 'Ziek? Meld u voor 9.00 uur telefonisch bij uw leidinggevende. Die registreert de ziekmelding. Bent u weer beter, meld dat dan ook bij uw leidinggevende; u hoeft zelf niets in het portaal te doen.'),
  a('personeelszaken', 'Verlofsaldo klopt niet', 'internal', 'Controleer eerst of de leidinggevende alle aanvragen heeft goedgekeurd: niet-goedgekeurde aanvragen staan al van het saldo af. Klopt het daarna nog niet, escaleer naar HR Personeelszaken met de periode en het verwachte saldo.'),
  a('personeelszaken', 'Adreswijziging doorgeven', 'public', 'Uw nieuwe adres geeft u zelf door in het personeelsportaal onder Mijn gegevens. De wijziging gaat mee met de eerstvolgende salarisrun.'),
  a('personeelszaken', 'Ouderschapsverlof aanvragen', 'public', 'Ouderschapsverlof vraagt u minstens twee maanden vooraf aan via het formulier in het personeelsportaal. Bespreek de verdeling over de week eerst met uw leidinggevende. Negen weken zijn doorbetaald volgens de wettelijke regeling.'),
  a('personeelszaken', 'Werkgeversverklaring aanvragen', 'public', 'Voor een hypotheek of huurwoning heeft u een werkgeversverklaring nodig. Vraag die aan via de catalogus onder HR; u krijgt hem binnen vijf werkdagen ondertekend per e-mail.'),
  a('salarisadministratie', 'Loonstrook inzien en downloaden', 'public', 'Uw loonstroken staan in het personeelsportaal onder Salaris. U kunt ze als PDF downloaden. De loonstrook van de maand staat er vanaf de 20e.'),
  a('salarisadministratie', 'Wanneer wordt het salaris betaald?', 'public', 'Het salaris staat uiterlijk op de 25e van de maand op uw rekening. Valt de 25e in het weekend, dan op de vrijdag ervoor. De eindejaarsuitkering wordt in november betaald.'),
  a('salarisadministratie', 'Reiskosten woon-werk declareren', 'public', 'De vaste reiskostenvergoeding voor woon-werkverkeer wordt automatisch betaald op basis van uw afstand. Veranderen uw reisdagen of adres, pas het dan aan in het personeelsportaal.'),
  a('salarisadministratie', 'Fout op de loonstrook', 'internal', 'Vraag de medewerker om de maand en de regel die niet klopt. Correcties gaan mee in de volgende salarisrun; een spoedbetaling kan alleen bij een verschil boven 250 euro, na akkoord van het hoofd salarisadministratie.'),
  a('salarisadministratie', 'Jaaropgave kwijt', 'public', 'Uw jaaropgave staat in het personeelsportaal onder Salaris, Jaaropgaven, vanaf eind januari. Oudere jaaropgaven blijven er zeven jaar staan.'),
  a('opleidingen', 'Opleiding of cursus aanvragen', 'public', 'Een opleiding vraagt u aan via het opleidingsformulier in het personeelsportaal, na overleg met uw leidinggevende. HR Opleidingen controleert het budget en meldt u aan bij de aanbieder.'),
  a('opleidingen', 'Studiekostenregeling', 'internal', 'Bij opleidingen boven 2.500 euro geldt een terugbetalingsregeling: wie binnen twee jaar vertrekt betaalt naar rato terug. De medewerker tekent de studieovereenkomst voor de start.'),
  a('opleidingen', 'Verplichte e-learning informatiebeveiliging', 'public', 'Iedere medewerker volgt jaarlijks de e-learning informatiebeveiliging. U vindt hem in de leeromgeving; het duurt ongeveer veertig minuten. Na afronding krijgt u een certificaat.'),
  a('opleidingen', 'Inwerkprogramma nieuwe medewerkers', 'internal', 'Nieuwe medewerkers krijgen in de eerste week een introductiedag, een buddy en toegang tot de e-learning. De leidinggevende vraagt het programma aan zodra de startdatum bekend is.', true),
  // Facilitair
  a('huisvesting', 'Vergaderruimte reserveren', 'public', 'Vergaderruimtes reserveert u in Outlook: kies Nieuwe vergadering, Ruimtezoeker, en selecteer het gebouw. Ruimtes voor meer dan twaalf personen reserveert u via de catalogus bij Facilitair.'),
  a('huisvesting', 'Toegangspas kwijt of kapot', 'public', 'Meld een verloren pas direct bij de receptie; de pas wordt geblokkeerd. U krijgt dezelfde dag een tijdelijke pas en binnen drie werkdagen een nieuwe.'),
  a('huisvesting', 'Verwarming of airco werkt niet goed', 'public', 'Is het te warm of te koud op uw werkplek? Meld het via de catalogus onder Facilitair, Klimaat, met verdieping en kamernummer. De installateur komt binnen twee werkdagen.'),
  a('huisvesting', 'Werkplek reserveren (flexplekken)', 'public', 'Flexplekken reserveert u in de app Werkplek tot twee weken vooruit. Niet ingecheckt om 10.00 uur? Dan komt de plek weer vrij.'),
  a('huisvesting', 'Lekkage of storing in het gebouw melden', 'internal', 'Bij lekkage, stroomstoring of een vastzittende lift: bel direct de storingsdienst van het gebouwbeheer (nummer op de binnenkant van de receptie). Registreer daarna de melding en zet hem op Facilitair Huisvesting.'),
  a('huisvesting', 'Parkeren bij het stadskantoor', 'public', 'Medewerkers parkeren in de garage onder het stadskantoor met hun toegangspas. Bezoekers krijgen een parkeerkaart bij de receptie. Fietsen staan in de stalling aan de achterzijde.'),
  a('huisvesting', 'Verhuizing van een afdeling aanvragen', 'internal', 'Een verhuizing van meer dan vijf werkplekken plant Facilitair Huisvesting minstens vier weken vooruit. Vraag het aan via de catalogus met een plattegrond van de nieuwe indeling.'),
  a('facilitaire-services', 'Catering bestellen voor een vergadering', 'public', 'Koffie, lunch en borrels bestelt u via de catalogus onder Facilitair, Catering, uiterlijk twee werkdagen vooraf voor 12.00 uur. Vermeld de kostenplaats.'),
  a('facilitaire-services', 'Post en pakketten versturen', 'public', 'Uitgaande post legt u voor 15.00 uur in de postkamer op de begane grond. Pakketten meldt u aan via de catalogus; de koerier haalt dagelijks om 16.00 uur op.'),
  a('facilitaire-services', 'Kantoorartikelen bestellen', 'public', 'Pennen, papier en andere kantoorartikelen liggen in de voorraadkast op elke verdieping. Is iets op, meld het via de catalogus onder Facilitair, Kantoorartikelen.'),
  a('facilitaire-services', 'Gevonden voorwerpen', 'public', 'Gevonden voorwerpen worden bewaard bij de receptie, drie maanden lang. Vraag er naar met een omschrijving van wat u kwijt bent.'),
  a('facilitaire-services', 'Schoonmaak: extra of afwijkend verzoek', 'internal', 'Extra schoonmaak (na een lekkage, een evenement) vraagt de afdeling aan via Facilitair Services. De schoonmaakploeg komt dezelfde dag bij melding voor 11.00 uur.'),
  a('facilitaire-services', 'Koffieautomaat storing', 'internal', 'Storingen aan koffieautomaten meldt de receptie direct bij de leverancier via het servicenummer op de automaat. Registreer het ticket op Facilitair Services met het nummer van de automaat.'),
  a('facilitaire-services', 'Evenement organiseren in het stadskantoor', 'public', 'Voor een evenement in de hal of de raadzaal neemt u minstens zes weken vooraf contact op met Facilitair Services. Wij regelen de ruimte, catering, techniek en beveiliging.', true),
  // Financiën
  a('crediteuren', 'Factuur indienen als leverancier', 'public', 'Facturen stuurt u als PDF naar het factuuradres van Servicecentrum Lingedal, of als e-factuur via Peppol. Vermeld altijd het inkoopordernummer; facturen zonder nummer worden teruggestuurd.'),
  a('crediteuren', 'Betaaltermijn van facturen', 'public', 'Wij betalen goedgekeurde facturen binnen dertig dagen na ontvangst. Ontbreekt het inkoopordernummer of klopt de factuur niet, dan gaat de termijn pas in na ontvangst van een juiste factuur.'),
  a('crediteuren', 'Status van een factuur opvragen', 'internal', 'Zoek de factuur in het financiële systeem op factuurnummer of leverancier. Staat hij op "wacht op goedkeuring", dan ligt hij bij de budgethouder: stuur de budgethouder een herinnering en laat de leverancier weten dat de factuur in behandeling is.'),
  a('crediteuren', 'Declaratie indienen (onkosten)', 'public', 'Onkosten declareert u in het personeelsportaal onder Declaraties. Voeg de bon als foto of PDF toe. Uw leidinggevende keurt goed; de betaling volgt met het eerstvolgende salaris.'),
  a('crediteuren', 'Dubbele betaling aan een leverancier', 'internal', 'Vraag de leverancier om een creditnota of terugbetaling. Registreer de dubbele betaling in het ticket en escaleer naar Financiën Crediteuren met beide betalingskenmerken.'),
  a('crediteuren', 'Bankrekeningnummer van een leverancier wijzigen', 'internal', 'Pas op voor factuurfraude: een wijziging van het rekeningnummer alleen na telefonische controle bij een bekende contactpersoon van de leverancier, op een nummer uit ons eigen systeem. Nooit op basis van alleen een e-mail.'),
  a('crediteuren', 'Herinnering of aanmaning ontvangen', 'public', 'Heeft u als leverancier een herinnering gestuurd? Wij zoeken de factuur op en laten u binnen twee werkdagen weten wanneer hij betaald wordt. Vermeld het factuurnummer in uw bericht.'),
  a('inkoop', 'Inkooporder aanvragen', 'public', 'Een bestelling boven 1.000 euro doet u via een inkooporder in het financiële systeem. Kies de leverancier uit de lijst en vul de kostenplaats in; de budgethouder keurt goed.'),
  a('inkoop', 'Offerte opvragen bij meerdere leveranciers', 'internal', 'Vanaf 10.000 euro vraagt u minstens drie offertes op. Vanaf 50.000 euro is een meervoudig onderhandse aanbesteding nodig; neem dan contact op met Inkoop en Aanbesteden voor de planning.'),
  a('inkoop', 'Nieuwe leverancier aanmelden', 'internal', 'Een nieuwe leverancier meldt u aan met het formulier Nieuwe crediteur: KvK-nummer, btw-nummer en bankrekening (met een kopie van een bankafschrift). Financiën controleert en zet de leverancier binnen drie werkdagen in het systeem.'),
  a('inkoop', 'Inkoopvoorwaarden', 'public', 'Op al onze inkopen zijn de Algemene Inkoopvoorwaarden van Servicecentrum Lingedal van toepassing. U vindt ze op onze website; leveringsvoorwaarden van leveranciers wijzen wij af.'),
  a('inkoop', 'Budget en kostenplaats vinden', 'internal', 'De kostenplaats van een afdeling staat in het financiële systeem onder Organisatie. Weet een medewerker niet welk budget, vraag het aan de budgethouder van de afdeling.', true),
  a('inkoop', 'Aanbesteding: vragen van inschrijvers', 'public', 'Vragen over een lopende aanbesteding stelt u uitsluitend via het aanbestedingsplatform, voor de sluitingsdatum van de vragenronde. Antwoorden worden met alle inschrijvers gedeeld in een nota van inlichtingen.'),
  // Servicedesk own, internal
  a('applicatiebeheer', 'Identiteit controleren aan de telefoon', 'internal', 'Voor wachtwoorden, MFA en persoonsgegevens altijd de identiteit controleren: personeelsnummer en geboortedatum, of terugbellen op het nummer uit het personeelsportaal. Bij twijfel niets wijzigen en escaleren.'),
  a('werkplekbeheer', 'Thuiswerkplek: beeldscherm en stoel aanvragen', 'public', 'Voor thuiswerken kunt u een beeldscherm en een bureaustoel aanvragen via de catalogus. Die worden thuis bezorgd; bij vertrek levert u ze weer in.'),
  a('personeelszaken', 'Uit dienst: laptop en pas inleveren', 'public', 'Op uw laatste werkdag levert u laptop, telefoon en toegangspas in bij het ICT-loket. Uw account wordt na die dag gesloten; bewaar persoonlijke bestanden op tijd zelf.'),
  a('salarisadministratie', 'Loonbeslag en vragen van de deurwaarder', 'internal', 'Vragen van deurwaarders over loonbeslag gaan uitsluitend naar HR Salarisadministratie. Geef aan de telefoon geen informatie over medewerkers; vraag de deurwaarder het verzoek schriftelijk te sturen.'),
]

interface DemoTemplate {
  title: string
  shortcut?: string
  /** Shared with a group, or a department by name. */
  group?: GroupKey
  department?: string
  body: string
  en?: string
  chat?: string
  phone?: string
}

const GREETING = 'Beste {{klant.voornaam}},\n\n'
const SIGN = '\n\nMet vriendelijke groet,\n{{agent.voornaam}}\nServicedesk Servicecentrum Lingedal'
const EN_GREETING = 'Dear {{customer.firstName}},\n\n'
const EN_SIGN = '\n\nKind regards,\n{{agent.firstName}}\nService desk, Servicecentrum Lingedal'
const mail = (text: string) => GREETING + text + SIGN
const enMail = (text: string) => EN_GREETING + text + EN_SIGN

export const DEMO_TEMPLATES: DemoTemplate[] = [
  {
    title: 'Wachtwoord opnieuw instellen',
    shortcut: 'ww',
    group: 'servicedesk',
    body: mail('U kunt zelf een nieuw wachtwoord instellen via Mijn account, met de knop "Wachtwoord vergeten". U ontvangt binnen vijf minuten een e-mail met een link. Kies een wachtwoord van minstens twaalf tekens.\n\nLukt het niet? Antwoord dan op deze e-mail of bel ons, dan helpen we u verder.'),
    en: enMail('You can set a new password yourself in My account, with the "Forgot password" button. You will receive an e-mail with a link within five minutes. Choose a password of at least twelve characters.\n\nIf it does not work, reply to this e-mail or call us and we will help you.'),
    chat: 'Hoi {{klant.voornaam}}, via Mijn account > "Wachtwoord vergeten" stelt u zelf een nieuw wachtwoord in. U krijgt binnen vijf minuten een link per e-mail.',
    phone: 'Klant gewezen op "Wachtwoord vergeten" in Mijn account; link komt per e-mail.',
  },
  { title: 'Account geblokkeerd', shortcut: 'blok', group: 'servicedesk', body: mail('Uw account was tijdelijk geblokkeerd na te veel inlogpogingen. Na een kwartier kunt u weer inloggen. Weet u uw wachtwoord niet meer, stel het dan opnieuw in via Mijn account.'), chat: 'Uw account is een kwartier geblokkeerd na te veel pogingen. Probeer het over vijftien minuten opnieuw.' },
  { title: 'Tweestapsverificatie op nieuwe telefoon', shortcut: 'mfa', group: 'servicedesk', body: mail('We hebben de koppeling met uw oude telefoon verwijderd. Bij de volgende keer inloggen vraagt het systeem u de Authenticator-app op uw nieuwe telefoon te koppelen; scan dan de QR-code die u te zien krijgt.') },
  { title: 'Ontvangstbevestiging', shortcut: 'ok', group: 'servicedesk', body: mail('Dank voor uw bericht. We hebben uw melding ontvangen onder nummer {{melding.nummer}} en nemen hem zo snel mogelijk in behandeling. U hoort binnen twee werkdagen van ons.'), en: enMail('Thank you for your message. We have received your request as number {{ticket.number}} and will handle it as soon as possible. You will hear from us within two working days.') },
  { title: 'Doorgezet naar de backoffice', shortcut: 'door', group: 'servicedesk', body: mail('Uw vraag over "{{melding.onderwerp}}" vraagt om uitzoekwerk van onze specialisten van {{afdeling.naam}}. We hebben de melding aan hen doorgegeven; u hoort van ons zodra er meer bekend is.'), en: enMail('Your question about "{{ticket.subject}}" needs to be looked into by our specialists of {{department.name}}. We have passed it on to them; we will let you know as soon as we know more.') },
  { title: 'Wachten op uw reactie', shortcut: 'wacht', group: 'servicedesk', body: mail('Om uw vraag verder te behandelen hebben we nog wat informatie van u nodig: [vul aan]. Zodra we uw antwoord hebben gaan we verder.') },
  { title: 'Melding opgelost', shortcut: 'klaar', group: 'servicedesk', body: mail('We hebben uw melding {{melding.nummer}} opgelost. Is het probleem toch niet verholpen, antwoord dan binnen vijf werkdagen op deze e-mail; dan openen we de melding opnieuw.'), en: enMail('We have resolved your request {{ticket.number}}. If the problem is not solved after all, reply to this e-mail within five working days and we will reopen it.'), chat: 'Fijn dat het gelukt is, {{klant.voornaam}}! Ik sluit de melding {{melding.nummer}}. Nog iets anders waarmee ik kan helpen?' },
  { title: 'Geen reactie ontvangen, melding gesloten', group: 'servicedesk', body: mail('We hebben u op {{datum.vandaag}} nog niets van u gehoord over melding {{melding.nummer}}. We sluiten de melding daarom. Heeft u nog hulp nodig, antwoord dan op deze e-mail.') },
  { title: 'Telefonisch niet bereikbaar', group: 'servicedesk', body: mail('We hebben geprobeerd u te bellen over uw melding {{melding.nummer}}, maar kregen geen gehoor. Wilt u ons terugbellen of op deze e-mail antwoorden met een moment waarop we u kunnen bereiken?'), phone: 'Gebeld, geen gehoor. Voicemail ingesproken.' },
  { title: 'VPN werkt niet', shortcut: 'vpn', group: 'servicedesk', body: mail('Controleer eerst of uw internet thuis werkt. Start daarna de VPN-client opnieuw en log in met uw account en de code uit de Authenticator-app. Wordt het schildje niet groen, stuur ons dan een schermafbeelding van de melding.'), chat: 'Kunt u de VPN-client afsluiten en opnieuw starten? Log in met uw account en de code uit de app.' },
  { title: 'Printer: follow-me printen', shortcut: 'print', group: 'servicedesk', body: mail('Uw afdruk wacht op de printer tot u uw toegangspas tegen de lezer houdt. Kies daarna de afdruk op het scherm. Staat er een foutmelding, geef ons dan het nummer op de sticker van de printer door.') },
  { title: 'Nieuwe laptop via de catalogus', group: 'servicedesk', body: mail('Een nieuwe laptop vraagt uw leidinggevende aan via de catalogus. Na goedkeuring ligt hij binnen vijf werkdagen klaar bij het ICT-loket.') },
  { title: 'Toegang tot applicatie', shortcut: 'toegang', group: 'servicedesk', body: mail('Toegang tot een applicatie vraagt uw leidinggevende aan via de catalogus onder "Toegang applicatie". Na goedkeuring regelt Applicatiebeheer het binnen twee werkdagen.') },
  { title: 'Verlof aanvragen', shortcut: 'verlof', group: 'servicedesk', body: mail('Verlof vraagt u aan in het personeelsportaal onder Verlof, Nieuwe aanvraag. Uw leidinggevende keurt de aanvraag binnen vijf werkdagen goed.'), en: enMail('You request leave in the staff portal under Leave, New request. Your manager approves it within five working days.') },
  { title: 'Loonstrook vinden', shortcut: 'loon', group: 'servicedesk', body: mail('Uw loonstroken staan in het personeelsportaal onder Salaris. Die van deze maand staat er vanaf de 20e; u kunt hem als PDF downloaden.') },
  { title: 'Declaratie indienen', shortcut: 'decl', group: 'servicedesk', body: mail('Onkosten declareert u in het personeelsportaal onder Declaraties, met de bon als foto of PDF. Na goedkeuring door uw leidinggevende volgt de betaling met het eerstvolgende salaris.') },
  { title: 'Werkgeversverklaring', group: 'servicedesk', body: mail('Een werkgeversverklaring vraagt u aan via de catalogus onder HR. U ontvangt hem binnen vijf werkdagen ondertekend per e-mail.') },
  { title: 'Vergaderruimte reserveren', shortcut: 'zaal', group: 'servicedesk', body: mail('Vergaderruimtes reserveert u in Outlook met de Ruimtezoeker. Voor groepen van meer dan twaalf personen reserveert u via de catalogus bij Facilitair.') },
  { title: 'Toegangspas kwijt', shortcut: 'pas', group: 'servicedesk', body: mail('We hebben uw pas geblokkeerd. U kunt vandaag een tijdelijke pas ophalen bij de receptie; de nieuwe pas ligt binnen drie werkdagen klaar.'), phone: 'Pas geblokkeerd, tijdelijke pas bij de receptie afgesproken.' },
  { title: 'Catering bestellen', group: 'servicedesk', body: mail('Catering bestelt u via de catalogus onder Facilitair, Catering, uiterlijk twee werkdagen vooraf voor 12.00 uur. Vermeld de kostenplaats.') },
  { title: 'Factuur zonder inkoopordernummer', shortcut: 'po', group: 'servicedesk', body: mail('Uw factuur mist het inkoopordernummer. Wilt u de factuur opnieuw sturen met het nummer van de opdrachtgever van {{organisatie.naam}} erop? Daarna betalen we binnen dertig dagen.'), en: enMail('Your invoice lacks the purchase order number. Please send it again with the order number from your contact at {{organisation.name}}. We will then pay within thirty days.') },
  { title: 'Status van uw factuur', shortcut: 'fact', group: 'servicedesk', body: mail('Uw factuur is in behandeling en ligt ter goedkeuring bij de budgethouder. Zodra hij is goedgekeurd, wordt hij binnen dertig dagen na ontvangst betaald.') },
  { title: 'Klacht ontvangen', group: 'servicedesk', body: mail('Dank dat u de moeite neemt ons te laten weten wat er niet goed ging. Uw klacht is geregistreerd onder nummer {{melding.nummer}}. Een klachtbehandelaar neemt binnen vijf werkdagen contact met u op.') },
  { title: 'Bedankt voor het gesprek', group: 'servicedesk', body: mail('Bedankt voor het telefoongesprek van {{datum.vandaag}}. Zoals besproken: [vul aan].'), phone: 'Gesprek met {{klant.naam}}: [samenvatting].' },
  { title: 'Escalatie naar 2e lijn: samenvatting', group: 'servicedesk', body: 'Samenvatting voor de 2e lijn:\n- Klant: {{klant.naam}} ({{organisatie.naam}})\n- Probleem: {{melding.onderwerp}}\n- Al geprobeerd: [vul aan]\n- Urgentie: [vul aan]' },
  { title: 'Driver terugzetten na update', group: 'werkplekbeheer', body: mail('We hebben de grafische driver van uw laptop teruggezet. Start de laptop opnieuw op terwijl hij aan het dockingstation hangt. Blijft het scherm zwart, ruil de laptop dan om bij het ICT-loket.') },
  { title: 'Salarisvraag doorgezet', department: 'HR', body: mail('Uw vraag over uw salaris is bij de salarisadministratie. Correcties gaan mee in de volgende salarisrun; u krijgt bericht als er iets wordt aangepast.') },
  { title: 'Opleiding aangevraagd', department: 'HR', body: mail('We hebben uw opleidingsaanvraag ontvangen. HR Opleidingen controleert het budget en meldt u aan bij de aanbieder; u krijgt de bevestiging per e-mail.') },
  { title: 'Klimaatklacht ingepland', department: 'Facilitair', body: mail('De installateur komt binnen twee werkdagen langs om de verwarming of airco op uw werkplek na te kijken.') },
  { title: 'Rekeningnummer wijzigen: controle', department: 'Financiën', body: mail('Voor uw en onze veiligheid wijzigen we een rekeningnummer pas na telefonische controle bij uw bekende contactpersoon. We bellen u hierover binnen twee werkdagen.') },
  { title: 'Offerte-uitvraag', group: 'inkoop', body: mail('Dank voor uw interesse. Offertes vragen wij op via het aanbestedingsplatform; vragen stelt u daar voor de sluitingsdatum van de vragenronde.') },
]

const escapeHtml = (text: string) => text.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!)

/** The demo's text notation as article HTML: paragraphs, and lists from lines starting with "* ". */
function toHtml(text: string): string {
  const html: string[] = []
  let list: string[] = []
  const flush = () => {
    if (list.length) html.push(`<ul>${list.map((li) => `<li>${escapeHtml(li)}</li>`).join('')}</ul>`)
    list = []
  }
  for (const part of text.split('|')) {
    if (part.startsWith('* ')) list.push(part.slice(2))
    else {
      flush()
      html.push(`<p>${escapeHtml(part)}</p>`)
    }
  }
  flush()
  return html.join('')
}

/** Categories, articles and templates, written as the system; a few articles are past their review date. */
/** Files demo templates carry (attached to the reply when the template is used). */
const TEMPLATE_FILES: Record<string, { name: string; text: string }> = {
  'VPN werkt niet': {
    name: 'vpn-stappenplan.txt',
    text: [
      'VPN-verbinding maken vanuit huis',
      '',
      '1. Controleer of uw internet thuis werkt: opent een website?',
      '2. Start de VPN-client (het schildje rechtsonder) en kies Verbinden.',
      '3. Log in met uw account en bevestig met de app op uw telefoon.',
      '4. Lukt het niet? Start de laptop opnieuw op en probeer het nog eens.',
      '5. Nog steeds geen verbinding? Bel de servicedesk en noem de foutcode uit de VPN-client.',
      '',
    ].join('\n'),
  },
}

export async function seedKnowledge(services: Services, system: Actor, groupIds: Map<GroupKey, string>, today: Date, tick: () => void): Promise<void> {
  const departments = new Map((await services.desk.listDepartments(system)).map((d) => [d.name, d.id]))
  const categories = new Map<string, string>()
  for (const name of ['ICT', 'HR', 'Facilitair', 'Financiën']) {
    tick()
    categories.set(name, (await services.knowledge.createCategory(system, { name, departmentId: departments.get(name) ?? null })).id)
  }
  const day = (offset: number) => new Date(today.getTime() + offset * 86_400_000).toISOString().slice(0, 10)
  for (const [i, article] of DEMO_ARTICLES.entries()) {
    tick()
    await services.knowledge.createArticle(system, {
      title: article.title,
      body: toHtml(article.text),
      categoryId: categories.get(CATEGORY_OF[article.group] ?? 'ICT') ?? null,
      visibility: article.visibility,
      status: 'published',
      ownerGroupId: groupIds.get(article.group) ?? null,
      reviewAt: article.overdue ? day(-14 - i) : day(90 + i * 3),
    })
  }
  for (const t of DEMO_TEMPLATES) {
    tick()
    const variants = [
      ...(t.en ? [{ language: 'en' as const, channel: 'mail' as const, body: t.en }] : []),
      ...(t.chat ? [{ language: 'nl' as const, channel: 'chat' as const, body: t.chat }] : []),
      ...(t.phone ? [{ language: 'nl' as const, channel: 'phone' as const, body: t.phone }] : []),
    ]
    const created = await services.templates.create(system, {
      title: t.title,
      shortcut: t.shortcut ?? null,
      body: t.body,
      variants,
      ...(t.group ? { scope: 'group', groupId: groupIds.get(t.group)! } : { scope: 'department', departmentId: departments.get(t.department!)! }),
    })
    // A template that carries a file: the steps go with every reply it is used in.
    const file = TEMPLATE_FILES[t.title]
    if (file) await services.templates.addAttachment(system, created.id, { filename: file.name, contentType: 'text/plain', content: Buffer.from(file.text) })
  }
}
