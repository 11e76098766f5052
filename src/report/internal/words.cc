// SPDX-License-Identifier: MIT
// The report's words in one table, and locale number formatting.
#include "report/internal/words.h"

#include <array>
#include <cmath>

#include "common/check.h"
#include "common/locale_number.h"
#include "common/money.h"

namespace salesbox::report::internal {
namespace {

struct Entry {
  Word word;
  std::array<std::string_view, 4> text;  // en, da, sv, nb
};

// clang-format off
constexpr Entry kWords[] = {
  {Word::kReportTitle, {"Customer and pipeline audit", "Audit af kunder og pipeline",
                        "Revision av kunder och pipeline", "Revisjon av kunder og pipeline"}},
  {Word::kAsOf, {"As of", "Opgjort pr.", "Per datum", "Per dato"}},
  {Word::kScope, {"Scope", "Omfang", "Omfattning", "Omfang"}},
  {Word::kGeneratedAt, {"Generated", "Dannet", "Skapad", "Generert"}},
  {Word::kWholeCompany, {"Whole company", "Hele virksomheden", "Hela företaget", "Hele selskapet"}},
  {Word::kKeyFigures, {"Key figures", "Nøgletal", "Nyckeltal", "Nøkkeltall"}},
  {Word::kItemsAudited, {"Items audited", "Gennemgåede poster", "Granskade poster",
                         "Gjennomgåtte poster"}},
  {Word::kGreen, {"Green", "Grøn", "Grön", "Grønn"}},
  {Word::kYellow, {"Yellow", "Gul", "Gul", "Gul"}},
  {Word::kRed, {"Red", "Rød", "Röd", "Rød"}},
  {Word::kValueAtRisk, {"Value at risk", "Værdi i risiko", "Värde i riskzonen",
                        "Verdi i faresonen"}},
  {Word::kValueAtRiskNote,
   {"Yellow and red items per currency: opportunities at their amount, customers at their "
    "margin over the last 12 months.",
    "Gule og røde poster pr. valuta: salgsmuligheder til deres beløb, kunder til deres "
    "dækningsbidrag de seneste 12 måneder.",
    "Gula och röda poster per valuta: affärsmöjligheter till sitt belopp, kunder till sitt "
    "täckningsbidrag de senaste 12 månaderna.",
    "Gule og røde poster per valuta: salgsmuligheter til beløpet, kunder til "
    "dekningsbidraget de siste 12 månedene."}},
  {Word::kCurrency, {"Currency", "Valuta", "Valuta", "Valuta"}},
  {Word::kOpportunities, {"Opportunities", "Salgsmuligheder", "Affärsmöjligheter",
                          "Salgsmuligheter"}},
  {Word::kCustomers, {"Customers", "Kunder", "Kunder", "Kunder"}},
  {Word::kItems, {"Items", "Poster", "Poster", "Poster"}},
  {Word::kColourByTeam, {"Colour distribution per team", "Farvefordeling pr. team",
                         "Färgfördelning per team", "Fargefordeling per team"}},
  {Word::kColourNote,
   {"Bars show each colour's share of the team's items; the numbers are item counts "
    "(green, yellow, red).",
    "Søjlerne viser hver farves andel af teamets poster; tallene er antal poster "
    "(grøn, gul, rød).",
    "Staplarna visar varje färgs andel av teamets poster; talen är antal poster "
    "(grön, gul, röd).",
    "Stolpene viser hver farges andel av teamets poster; tallene er antall poster "
    "(grønn, gul, rød)."}},
  {Word::kAll, {"All", "Alle", "Alla", "Alle"}},
  {Word::kValueAtRiskByTeam, {"Value at risk per team", "Værdi i risiko pr. team",
                              "Värde i riskzonen per team", "Verdi i faresonen per team"}},
  {Word::kNoValueAtRisk, {"no yellow or red items with a value.",
                          "ingen gule eller røde poster med en værdi.",
                          "inga gula eller röda poster med ett värde.",
                          "ingen gule eller røde poster med en verdi."}},
  {Word::kHeatMap, {"Areas meeting the minimum, per team", "Områder der opfylder minimum, pr. team",
                    "Områden som når miniminivån, per team",
                    "Områder som oppfyller minstekravet, per team"}},
  {Word::kHeatMapNote,
   {"Share of the team's items that meet the area's minimum for their stage or class.",
    "Andel af teamets poster, der opfylder områdets minimum for deres fase eller klasse.",
    "Andel av teamets poster som når områdets miniminivå för sin fas eller klass.",
    "Andel av teamets poster som oppfyller områdets minstekrav for sin fase eller klasse."}},
  {Word::kTeam, {"Team", "Team", "Team", "Team"}},
  {Word::kWorstItems, {"Largest values at risk", "Største værdier i risiko",
                       "Största värden i riskzonen", "Største verdier i faresonen"}},
  {Word::kWorstNote,
   {"The ten yellow and red items with the highest value in this currency.",
    "De ti gule og røde poster med den højeste værdi i denne valuta.",
    "De tio gula och röda poster som har högst värde i denna valuta.",
    "De ti gule og røde postene med høyest verdi i denne valutaen."}},
  {Word::kColour, {"Colour", "Farve", "Färg", "Farge"}},
  {Word::kName, {"Name", "Navn", "Namn", "Navn"}},
  {Word::kOwner, {"Owner", "Ansvarlig", "Ansvarig", "Ansvarlig"}},
  {Word::kStage, {"Stage", "Fase", "Fas", "Fase"}},
  {Word::kValue, {"Value", "Værdi", "Värde", "Verdi"}},
  {Word::kMainReason, {"Main reason", "Vigtigste årsag", "Främsta orsak", "Viktigste årsak"}},
  {Word::kCoaching, {"Weakest area per rep (coaching input)",
                     "Svageste område pr. sælger (input til coaching)",
                     "Svagaste område per säljare (underlag för coachning)",
                     "Svakeste område per selger (innspill til coaching)"}},
  {Word::kCoachingNote,
   {"The area where the rep's average gap to the minimum exceeds the audit's average the "
    "most, and the share of the rep's items that meet it.",
    "Det område, hvor sælgerens gennemsnitlige afstand til minimum overstiger auditens "
    "gennemsnit mest, og andelen af sælgerens poster, der opfylder det.",
    "Det område där säljarens genomsnittliga avstånd till miniminivån överstiger "
    "revisionens genomsnitt mest, och andelen av säljarens poster som når den.",
    "Området der selgerens gjennomsnittlige avstand til minstekravet overstiger "
    "revisjonens snitt mest, og andelen av selgerens poster som oppfyller det."}},
  {Word::kRep, {"Rep", "Sælger", "Säljare", "Selger"}},
  {Word::kWeakestArea, {"Weakest area", "Svageste område", "Svagaste område",
                        "Svakeste område"}},
  {Word::kMeetsMinimum, {"Meets it", "Opfylder", "Når den", "Oppfyller"}},
  {Word::kNoWeakArea, {"none below average", "ingen under gennemsnittet",
                       "inget under genomsnittet", "ingen under snittet"}},
  {Word::kTrend, {"Trend over saved audit runs", "Udvikling over gemte audits",
                  "Utveckling över sparade revisioner", "Utvikling over lagrede revisjoner"}},
  {Word::kTrendNote,
   {"Items per colour in each saved run; the last column is this audit.",
    "Poster pr. farve i hver gemt audit; sidste søjle er denne audit.",
    "Poster per färg i varje sparad revision; sista stapeln är denna revision.",
    "Poster per farge i hver lagrede revisjon; siste stolpe er denne revisjonen."}},
  {Word::kComparedWith, {"Compared with the saved run of {1}", "Sammenlignet med auditten fra {1}",
                         "Jämfört med revisionen från {1}", "Sammenlignet med revisjonen fra {1}"}},
  {Word::kMovedToGreen, {"moved to green", "flyttet til grøn", "flyttade till grönt",
                         "flyttet til grønn"}},
  {Word::kMovedToYellow, {"moved to yellow", "flyttet til gul", "flyttade till gult",
                          "flyttet til gul"}},
  {Word::kMovedToRed, {"moved to red", "flyttet til rød", "flyttade till rött",
                       "flyttet til rød"}},
  {Word::kUnchanged, {"unchanged", "uændrede", "oförändrade", "uendret"}},
  {Word::kNew, {"new", "nye", "nya", "nye"}},
  {Word::kGone, {"gone", "udgået", "borta", "borte"}},
  {Word::kNoHistory,
   {"No saved audit runs yet: save runs to see the trend.",
    "Ingen gemte audits endnu: gem kørsler for at se udviklingen.",
    "Inga sparade revisioner ännu: spara körningar för att se utvecklingen.",
    "Ingen lagrede revisjoner ennå: lagre kjøringer for å se utviklingen."}},
  {Word::kActionPlans, {"Action plans", "Handlingsplaner", "Handlingsplaner",
                        "Handlingsplaner"}},
  {Word::kActions, {"Actions", "Handlinger", "Åtgärder", "Tiltak"}},
  {Word::kDone, {"Done", "Udført", "Utförda", "Utført"}},
  {Word::kOpen, {"Open", "Åbne", "Öppna", "Åpne"}},
  {Word::kOverdue, {"Overdue", "Forfaldne", "Försenade", "Forfalte"}},
  {Word::kGapsClosed, {"Gaps closed", "Lukkede mangler", "Åtgärdade brister", "Lukkede mangler"}},
  {Word::kOpenActions, {"Open actions, earliest due first", "Åbne handlinger, tidligste frist først",
                        "Öppna åtgärder, tidigaste förfallodag först",
                        "Åpne tiltak, tidligste frist først"}},
  {Word::kShownOf, {"{1} of {2} shown.", "{1} af {2} vist.", "{1} av {2} visas.",
                    "{1} av {2} vist."}},
  {Word::kItem, {"Item", "Post", "Post", "Post"}},
  {Word::kGap, {"Gap", "Mangel", "Brist", "Mangel"}},
  {Word::kDue, {"Due", "Frist", "Förfaller", "Frist"}},
  {Word::kGapClosed, {"Gap closed", "Lukket", "Åtgärdad", "Lukket"}},
  {Word::kYes, {"yes", "ja", "ja", "ja"}},
  {Word::kNo, {"no", "nej", "nej", "nei"}},
  {Word::kNoActions, {"No action plans yet.", "Ingen handlingsplaner endnu.",
                      "Inga handlingsplaner ännu.", "Ingen handlingsplaner ennå."}},
  {Word::kRecentActivity, {"Recent activity", "Nylig aktivitet", "Nylig aktivitet",
                           "Nylig aktivitet"}},
  {Word::kNothingToAudit,
   {"Nothing to audit: there are no open opportunities and no customers in this scope as of "
    "this date.",
    "Intet at auditere: der er ingen åbne salgsmuligheder og ingen kunder i dette omfang pr. "
    "denne dato.",
    "Inget att granska: det finns inga öppna affärsmöjligheter och inga kunder i denna "
    "omfattning per detta datum.",
    "Ingenting å revidere: det finnes ingen åpne salgsmuligheter og ingen kunder i dette "
    "omfanget per denne datoen."}},
  {Word::kSectionEmpty, {"Nothing to audit in this part.", "Intet at auditere i denne del.",
                         "Inget att granska i denna del.", "Ingenting å revidere i denne delen."}},
  {Word::kPageOf, {"page {1} of {2}", "side {1} af {2}", "sida {1} av {2}", "side {1} av {2}"}},
  {Word::kContinued, {"(continued)", "(fortsat)", "(forts.)", "(forts.)"}},
  {Word::kNoTeam, {"(no team)", "(uden team)", "(utan team)", "(uten team)"}},
  {Word::kNoOwner, {"(no owner)", "(ingen ansvarlig)", "(ingen ansvarig)", "(ingen ansvarlig)"}},
  {Word::kQualify, {"Qualify", "Kvalificering", "Kvalificering", "Kvalifisering"}},
  {Word::kDiscover, {"Discover", "Afdækning", "Behovsanalys", "Kartlegging"}},
  {Word::kPropose, {"Propose", "Tilbud", "Offert", "Tilbud"}},
  {Word::kNegotiate, {"Negotiate", "Forhandling", "Förhandling", "Forhandling"}},
  {Word::kCommit, {"Commit", "Afslutning", "Avslut", "Avslutning"}},
  {Word::kClass, {"Class {1}", "Klasse {1}", "Klass {1}", "Klasse {1}"}},
};
// clang-format on

constexpr bool InOrder() {
  if (std::size(kWords) != static_cast<size_t>(Word::kCount)) return false;
  for (size_t i = 0; i < std::size(kWords); ++i) {
    if (static_cast<size_t>(kWords[i].word) != i) return false;
  }
  return true;
}
static_assert(InOrder(), "kWords must list every Word once, in the enum's order");

}  // namespace

std::string_view Say(Word word, int locale) {
  SB_CHECK(locale >= 0 && locale < 4);
  return kWords[static_cast<size_t>(word)].text[static_cast<size_t>(locale)];
}

std::string Fill(std::string_view text, std::initializer_list<std::string_view> args) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '{' && i + 2 < text.size() && text[i + 2] == '}' && text[i + 1] >= '1' &&
        text[i + 1] <= '9') {
      const size_t n = static_cast<size_t>(text[i + 1] - '1');
      if (n < args.size()) {
        out += *(args.begin() + n);
        i += 2;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

std::string FormatCount(int64_t value, int locale) { return salesbox::FormatCount(value, locale); }

std::string FormatMoney(int64_t minor_units, std::string_view currency, int locale) {
  Result<Currency> parsed = Currency::Parse(currency);
  const int digits = parsed.ok() ? parsed->minor_digits() : 2;
  int64_t scale = 1;
  for (int i = 0; i < digits; ++i) scale *= 10;
  // Round half away from zero without overflowing near INT64_MIN.
  int64_t major = minor_units / scale;
  const int64_t rest = minor_units % scale;
  if (rest * 2 >= scale) ++major;
  if (rest * 2 <= -scale) --major;
  return FormatCount(major, locale) + std::string(kNoBreakSpace) + std::string(currency);
}

std::string FormatPercent(double share, int locale) {
  return salesbox::FormatPercent(share, locale);
}

}  // namespace salesbox::report::internal
