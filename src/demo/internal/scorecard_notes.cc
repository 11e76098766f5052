// SPDX-License-Identifier: MIT
#include "demo/internal/scorecard_notes.h"

#include <chrono>
#include <string>
#include <string_view>

#include "common/check.h"

namespace salesbox::demo::internal {
namespace {

// Per criterion: the "yes" note and the "no" note, each in Danish, Swedish, Norwegian and
// English. '@' stands for the day the answer was given ("12 May", "12. maj").
using Notes = std::string_view[2][4];

constexpr Notes kOpportunityNotes[] = {
    // issue_written
    {{"Kundens problem skrevet ned med deres egne ord på mødet @",
      "Kundens problem nedskrivet med deras egna ord på mötet @",
      "Kundens problem skrevet ned med deres egne ord på møtet @",
      "Customer's problem written down in their own words in the meeting on @"},
     {"Kun vores eget resumé indtil videre; mangler kundens formulering",
      "Bara vår egen sammanfattning hittills; saknar kundens formulering",
      "Bare vårt eget sammendrag så langt; mangler kundens formulering",
      "Only our own summary so far; need the customer's wording"}},
    // impact_quantified
    {{"Konsekvens opgjort med driftschefen @: tabte timer pr. uge og pris pr. år",
      "Effekten kvantifierad med driftschefen @: förlorade timmar per vecka och kostnad per år",
      "Konsekvensen tallfestet med driftssjefen @: tapte timer per uke og kostnad per år",
      "Impact quantified with the operations manager on @: hours lost a week, cost a year"},
     {"Kunden kan endnu ikke sætte tal på det", "Kunden kan ännu inte sätta siffror på det",
      "Kunden kan ennå ikke sette tall på det", "Customer could not put a number on it yet"}},
    // understanding_confirmed
    {{"Kunden bekræftede vores resumé pr. mail @",
      "Kunden bekräftade vår sammanfattning per mejl @",
      "Kunden bekreftet sammendraget vårt på e-post @",
      "Customer confirmed our summary by e-mail on @"},
     {"Resumé sendt, ingen bekræftelse endnu", "Sammanfattning skickad, ingen bekräftelse ännu",
      "Sammendrag sendt, ingen bekreftelse ennå", "Summary sent, no confirmation yet"}},
    // decision_criteria_known
    {{"Beslutningskriterier gennemgået med projektlederen @: funktionalitet, pris, lokal support",
      "Beslutskriterier genomgångna med projektledaren @: funktionalitet, pris, lokal support",
      "Beslutningskriterier gjennomgått med prosjektlederen @: funksjonalitet, pris, lokal støtte",
      "Decision criteria listed by the project lead on @: fit, price, local support"},
     {"Kriterierne er ikke delt; de sammenligner stadig løsninger",
      "Kriterierna är inte delade; de jämför fortfarande alternativ",
      "Kriteriene er ikke delt; de sammenligner fortsatt alternativer",
      "Criteria not shared; they are still comparing options"}},
    // mutual_plan
    {{"Fælles handlingsplan frem til beslutningen delt @",
      "Gemensam handlingsplan fram till beslutet delad @",
      "Felles handlingsplan fram til beslutningen delt @",
      "Mutual action plan up to the decision date shared on @"},
     {"Ingen skriftlig plan endnu, kun næste møde", "Ingen skriftlig plan ännu, bara nästa möte",
      "Ingen skriftlig plan ennå, bare neste møte", "No written plan yet, only the next meeting"}},
    // plan_agreed
    {{"Kunden godkendte planen og tilføjede egne milepæle @",
      "Kunden godkände planen och lade till egna milstolpar @",
      "Kunden godtok planen og la til egne milepæler @",
      "Customer accepted the plan and added their own milestones on @"},
     {"Planen er sendt; kunden har ikke bekræftet datoerne",
      "Planen är skickad; kunden har inte bekräftat datumen",
      "Planen er sendt; kunden har ikke bekreftet datoene",
      "Plan sent; the customer has not committed to the dates"}},
    // decision_process_known
    {{"Beslutning i ledelsesgruppen, dato aftalt @",
      "Beslut i ledningsgruppen, datum överenskommet @", "Beslutning i ledergruppen, dato avtalt @",
      "Decision by the management group, date agreed on @"},
     {"Uklart hvem der skriver under og hvornår", "Oklart vem som skriver under och när",
      "Uklart hvem som signerer og når", "Unclear who signs and when"}},
    // value_mapped
    {{"Værdiforslaget koblet til deres problem i tilbuddet @",
      "Värdeerbjudandet kopplat till deras problem i offerten @",
      "Verdiforslaget koblet til problemet deres i tilbudet @",
      "Value proposition mapped to their issue in the proposal of @"},
     {"Generel præsentation indtil videre, ikke koblet til deres problem",
      "Generell presentation hittills, inte kopplad till deras problem",
      "Generell presentasjon så langt, ikke koblet til problemet deres",
      "Generic pitch so far, not tied to their issue"}},
    // difference_acknowledged
    {{"Kunden nævnte vores lokale support som grund til at vælge os (@)",
      "Kunden nämnde vår lokala support som skäl att välja oss (@)",
      "Kunden nevnte vår lokale støtte som grunn til å velge oss (@)",
      "Customer named our local support as the reason to choose us (@)"},
     {"De ser os som én af flere ens leverandører",
      "De ser oss som en av flera likartade leverantörer",
      "De ser oss som én av flere like leverandører",
      "They see us as one of several similar suppliers"}},
    // business_case_agreed
    {{"Business case godkendt af økonomi @", "Business case godkänt av ekonomiavdelningen @",
      "Business case godkjent av økonomi @", "Business case approved by finance on @"},
     {"ROI ikke aftalt; økonomi vil have flere tal",
      "ROI inte överenskommet; ekonomi vill ha fler siffror",
      "ROI ikke avtalt; økonomi vil ha flere tall", "ROI not agreed; finance wants more figures"}},
    // budget_confirmed
    {{"Økonomidirektøren bekræftede budgettet på mødet @",
      "Ekonomichefen bekräftade budgeten på mötet @",
      "Økonomisjefen bekreftet budsjettet på møtet @", "CFO confirmed budget in the meeting on @"},
     {"Budgettet er ikke godkendt endnu", "Budgeten är inte godkänd ännu",
      "Budsjettet er ikke godkjent ennå", "Budget not approved yet"}},
    // compelling_event
    {{"Skal i drift før den nye sæson; deadline bekræftet @",
      "Ska vara i drift före nya säsongen; deadline bekräftad @",
      "Må være i drift før ny sesong; frist bekreftet @",
      "Must go live before the new season; deadline confirmed on @"},
     {"Ingen deadline hos kunden", "Ingen deadline hos kunden", "Ingen frist hos kunden",
      "No deadline on their side"}},
    // seen_as_partner
    {{"Inviteret til deres strategiworkshop @", "Inbjudna till deras strategiworkshop @",
      "Invitert til strategiverkstedet deres @", "Invited to their strategy workshop on @"},
     {"Indkøb ser os kun som leverandør", "Inköp ser oss bara som leverantör",
      "Innkjøp ser oss bare som leverandør", "Procurement treats us as a supplier only"}},
};
static_assert(std::size(kOpportunityNotes) == kOpportunityCriterionCount);

constexpr Notes kAccountNotes[] = {
    // plan_exists
    {{"Kundeplan med kundens tre mål opdateret @", "Kundplan med kundens tre mål uppdaterad @",
      "Kundeplan med kundens tre mål oppdatert @",
      "Account plan with the customer's three goals updated on @"},
     {"Ingen kundeplan skrevet", "Ingen kundplan skriven", "Ingen kundeplan skrevet",
      "No account plan written"}},
    // plan_reviewed
    {{"Planen gennemgået med kunden @", "Planen genomgången med kunden @",
      "Planen gjennomgått med kunden @", "Plan reviewed with the customer on @"},
     {"Planen er ikke gennemgået med kunden i år", "Planen är inte genomgången med kunden i år",
      "Planen er ikke gjennomgått med kunden i år",
      "Plan not reviewed with the customer this year"}},
    // priorities_known
    {{"Næste års prioriteter drøftet på forretningsmødet @",
      "Nästa års prioriteringar diskuterade på affärsmötet @",
      "Neste års prioriteringer drøftet på forretningsmøtet @",
      "Next year's priorities discussed at the business review on @"},
     {"Prioriteterne for næste år kendes ikke", "Prioriteringarna för nästa år är okända",
      "Prioriteringene for neste år er ukjente", "Priorities for next year not known"}},
    // buying_process_known
    {{"Rammeaftale og indkøbsproces afdækket med indkøb (@)",
      "Ramavtal och inköpsprocess kartlagda med inköp (@)",
      "Rammeavtale og innkjøpsprosess kartlagt med innkjøp (@)",
      "Frame agreement and purchasing process mapped with procurement (@)"},
     {"Uklart hvordan de køber ud over enkeltordrer", "Oklart hur de köper utöver enstaka order",
      "Uklart hvordan de kjøper utover enkeltordrer", "Unclear how they buy beyond single orders"}},
    // escalation_path
    {{"Eskaleringskontakter aftalt på begge sider @",
      "Eskaleringskontakter överenskomna på båda sidor @",
      "Eskaleringskontakter avtalt på begge sider @",
      "Escalation contacts agreed on both sides on @"},
     {"Ingen aftalt eskaleringsvej", "Ingen överenskommen eskaleringsväg",
      "Ingen avtalt eskaleringsvei", "No agreed escalation path"}},
    // satisfaction_measured
    {{"Tilfredshedsmåling besvaret @", "Nöjdhetsmätning besvarad @", "Tilfredshetsmåling besvart @",
      "Satisfaction survey answered on @"},
     {"Ingen tilfredshedsmåling i år", "Ingen nöjdhetsmätning i år",
      "Ingen tilfredshetsmåling i år", "No satisfaction measurement this year"}},
    // no_open_escalation
    {{"Ingen åbne sager efter gennemgangen @", "Inga öppna ärenden efter genomgången @",
      "Ingen åpne saker etter gjennomgangen @", "No open issues after the review on @"},
     {"Åben eskalering: leveranceforsinkelser, rejst @",
      "Öppen eskalering: leveransförseningar, lyft @",
      "Åpen eskalering: leveranseforsinkelser, meldt @",
      "Open escalation: delivery delays, raised on @"}},
    // value_documented
    {{"Resultater dokumenteret i casebeskrivelsen @", "Resultat dokumenterade i kundcaset @",
      "Resultater dokumentert i kundecaset @", "Results documented in the case summary of @"},
     {"Leveret værdi er ikke dokumenteret", "Levererat värde är inte dokumenterat",
      "Levert verdi er ikke dokumentert", "Value delivered not documented"}},
    // reference
    {{"Har sagt ja til at være reference @", "Har tackat ja till att vara referens @",
      "Har sagt ja til å være referanse @", "Agreed to be a reference on @"},
     {"Ønsker ikke at være reference lige nu", "Vill inte vara referens just nu",
      "Ønsker ikke å være referanse nå", "Does not want to be a reference for now"}},
    // wallet_known
    {{"Andel af kundens køb estimeret sammen med kunden @",
      "Andel av kundens köp uppskattad tillsammans med kunden @",
      "Andel av kundens kjøp anslått sammen med kunden @",
      "Share of wallet estimated with the customer on @"},
     {"Samlet køb i vores kategorier ukendt", "Totala köp i våra kategorier okända",
      "Samlet kjøp i våre kategorier ukjent", "Total spend in our categories unknown"}},
};
static_assert(std::size(kAccountNotes) == kAccountCriterionCount);

constexpr std::string_view kUnknownNotes[4] = {"Ikke afklaret endnu", "Inte klarlagt ännu",
                                               "Ikke avklart ennå", "Not clarified yet"};

constexpr std::string_view kMonths[4][12] = {
    {"januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
     "november", "december"},
    {"januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
     "oktober", "november", "december"},
    {"januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober",
     "november", "desember"},
    {"January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"},
};

// "12. maj" (da, nb), "12 maj" (sv), "12 May" (en).
void AppendDay(int language, Date day, std::string* out) {
  const std::chrono::year_month_day ymd{day};
  *out += std::to_string(static_cast<unsigned>(ymd.day()));
  *out += language == 0 || language == 2 ? ". " : " ";
  *out += kMonths[language][static_cast<unsigned>(ymd.month()) - 1];
}

}  // namespace

void SetAnswerNote(bool account, int criterion, Answer answer, int language, Date day,
                   std::string* out) {
  SB_CHECK(language >= 0 && language <= kEnglish);
  SB_CHECK(criterion >= 0 &&
           criterion < (account ? kAccountCriterionCount : kOpportunityCriterionCount));
  out->clear();
  if (answer == Answer::kUnknown) {
    out->assign(kUnknownNotes[language]);
    return;
  }
  const Notes& notes = account ? kAccountNotes[criterion] : kOpportunityNotes[criterion];
  const std::string_view text = notes[answer == Answer::kYes ? 0 : 1][language];
  for (const char c : text) {
    if (c == '@') {
      AppendDay(language, day, out);
    } else {
      out->push_back(c);
    }
  }
}

}  // namespace salesbox::demo::internal
