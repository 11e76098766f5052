// SPDX-License-Identifier: MIT
// The data-quality report (data_quality.h).
//
// Design notes:
// (1) Every check is a count in SQL (Store::Count with filters), so the report costs a few
//     indexed queries even at 100,000 deals; only the account names are read, once, to find
//     near-duplicates, and the owners without a team to name them.
// (2) "Without history" means the history never shows the deal in an open stage: a closed deal
//     whose only change is its closing tells the forecast nothing about how it looked while open.
// (3) A field "gives the outcome away" when, among at least five won and five lost deals, it is
//     filled on every won deal and on no lost one (or the reverse). Real data is never that
//     clean, so the check has no false alarms to speak of; it finds exports where a field was
//     set at closing.
#include "service/data_quality.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <initializer_list>
#include <map>
#include <span>
#include <utility>

#include "common/locale_number.h"
#include "common/status_macros.h"

namespace salesbox::service {
namespace {

using storage::Filter;
using storage::FilterOp;
using storage::InSelect;
using storage::ListQuery;
using storage::Match;

constexpr int64_t kMinPerOutcome = 5;  // design note 3
constexpr size_t kMaxExamples = 5;

Filter Closed() { return Match("stage", FilterOp::kIn, {"closed_won", "closed_lost"}); }
Filter Open() {
  return Match("stage", FilterOp::kIn, {"qualify", "discover", "propose", "negotiate", "commit"});
}
Filter Won() { return Match("stage", FilterOp::kEq, {"closed_won"}); }
Filter Lost() { return Match("stage", FilterOp::kEq, {"closed_lost"}); }

template <typename Repository>
Result<int64_t> CountWhere(Repository& repository, std::vector<Filter> filters) {
  ListQuery query;
  query.filters = std::move(filters);
  return repository.Count(query);
}

// A field filled on every deal of one outcome and on none of the other (design note 3).
struct FieldProbe {
  const char* name;  // as the CSV column names it
  Filter filled;
};

using Texts = std::array<const char*, 4>;  // en, da, sv, nb

struct CheckTexts {
  DataQualityCheck check;
  const char* name;
  Texts title;
  Texts meaning;
};

// {1} the count, {2} out of how many, {3} the field.
// clang-format off
const CheckTexts kTexts[] = {
    {DataQualityCheck::kClosedWithoutHistory, "closed_without_history",
     {"{1} of {2} closed deals have no stage history",
      "{1} af {2} lukkede handler har ingen fasehistorik",
      "{1} av {2} stängda affärer saknar steghistorik",
      "{1} av {2} lukkede salg har ingen fasehistorikk"},
     {"The forecast learns from deals as they were while open; for these it sees only the final "
      "stage, so the backtest's \"stated\" and stage baselines are meaningless for them. Import "
      "the stage history (kind opportunity-history) if the old CRM exports it.",
      "Prognosen lærer af handler, som de var, mens de var åbne; for disse ser den kun den "
      "endelige fase, så backtestens \"angivet\"- og fase-baselines er meningsløse for dem. "
      "Importér fasehistorikken (typen opportunity-history), hvis det gamle CRM kan eksportere "
      "den.",
      "Prognosen lär sig av affärer som de var medan de var öppna; för dessa ser den bara "
      "slutsteget, så backtestens \"angiven\"- och stegbaslinjer är meningslösa för dem. "
      "Importera steghistoriken (typen opportunity-history) om det gamla CRM-systemet kan "
      "exportera den.",
      "Prognosen lærer av salg slik de var mens de var åpne; for disse ser den bare den "
      "endelige fasen, så backtestens «oppgitt»- og fase-grunnlinjer er meningsløse for dem. "
      "Importer fasehistorikken (typen opportunity-history) hvis det gamle CRM-et kan eksportere "
      "den."}},
    {DataQualityCheck::kLostWithoutAmount, "lost_without_amount",
     {"All {1} lost deals have amount 0 or none",
      "Alle {1} tabte handler har beløb 0 eller intet beløb",
      "Alla {1} förlorade affärer har beloppet 0 eller inget belopp",
      "Alle {1} tapte salg har beløp 0 eller ikke noe beløp"},
     {"The amount tells won from lost deals here, so it says more about the export than about "
      "the deals: the forecast's backtest looks better than it is and open deals with an amount "
      "score too high. Import the lost deals' amounts, or leave them empty (unknown) where they "
      "are not known.",
      "Her adskiller beløbet vundne fra tabte handler, så det siger mere om eksporten end om "
      "handlerne: prognosens backtest ser bedre ud, end den er, og åbne handler med et beløb "
      "vurderes for højt. Importér de tabte handlers beløb, eller lad dem stå tomme (ukendt), "
      "hvor de ikke kendes.",
      "Här skiljer beloppet vunna från förlorade affärer, så det säger mer om exporten än om "
      "affärerna: prognosens backtest ser bättre ut än den är och öppna affärer med ett belopp "
      "bedöms för högt. Importera de förlorade affärernas belopp, eller lämna dem tomma (okänt) "
      "där de inte är kända.",
      "Her skiller beløpet vunne fra tapte salg, så det sier mer om eksporten enn om salgene: "
      "prognosens backtest ser bedre ut enn den er, og åpne salg med et beløp vurderes for høyt. "
      "Importer de tapte salgenes beløp, eller la dem stå tomme (ukjent) der de ikke er kjent."}},
    {DataQualityCheck::kOutcomeInField, "outcome_in_field",
     {"The field {3} gives the outcome away ({1} of {2} closed deals have it, all with the same "
      "outcome)",
      "Feltet {3} afslører udfaldet ({1} af {2} lukkede handler har det, alle med samme udfald)",
      "Fältet {3} avslöjar utfallet ({1} av {2} stängda affärer har det, alla med samma utfall)",
      "Feltet {3} avslører utfallet ({1} av {2} lukkede salg har det, alle med samme utfall)"},
     {"A field that is filled for one outcome only carries the outcome (often it was set when "
      "the deal was closed). The forecast learns from such a field, and its backtest then looks "
      "better than it is. Check how the old CRM filled it; clear it on closed deals if it was "
      "set at closing.",
      "Et felt, der kun er udfyldt for ét udfald, bærer udfaldet (ofte blev det sat, da handlen "
      "blev lukket). Prognosen lærer af sådan et felt, og dens backtest ser så bedre ud, end den "
      "er. Undersøg, hvordan det gamle CRM udfyldte det; ryd det på lukkede handler, hvis det "
      "blev sat ved lukningen.",
      "Ett fält som bara är ifyllt för ett utfall bär på utfallet (ofta sattes det när affären "
      "stängdes). Prognosen lär sig av ett sådant fält, och dess backtest ser då bättre ut än den "
      "är. Kontrollera hur det gamla CRM-systemet fyllde i det; rensa det på stängda affärer om "
      "det sattes vid stängningen.",
      "Et felt som bare er fylt ut for ett utfall, bærer utfallet (ofte ble det satt da salget "
      "ble lukket). Prognosen lærer av et slikt felt, og backtesten ser da bedre ut enn den er. "
      "Sjekk hvordan det gamle CRM-et fylte det ut; tøm det på lukkede salg hvis det ble satt "
      "ved lukking."}},
    {DataQualityCheck::kOpenWithoutCloseDate, "open_without_close_date",
     {"{1} of {2} open deals have no expected close date",
      "{1} af {2} åbne handler har ingen forventet lukkedato",
      "{1} av {2} öppna affärer saknar förväntat stängningsdatum",
      "{1} av {2} åpne salg har ingen forventet lukkedato"},
     {"The forecast cannot place them in a period: they count in no month or quarter. Give them "
      "a close date (column close_date).",
      "Prognosen kan ikke placere dem i en periode: de tæller ikke med i nogen måned eller noget "
      "kvartal. Giv dem en lukkedato (kolonnen close_date).",
      "Prognosen kan inte placera dem i en period: de räknas inte i någon månad eller något "
      "kvartal. Ge dem ett stängningsdatum (kolumnen close_date).",
      "Prognosen kan ikke plassere dem i en periode: de teller ikke med i noen måned eller noe "
      "kvartal. Gi dem en lukkedato (kolonnen close_date)."}},
    {DataQualityCheck::kOpenWithoutAmount, "open_without_amount",
     {"{1} of {2} open deals have no amount",
      "{1} af {2} åbne handler har intet beløb",
      "{1} av {2} öppna affärer saknar belopp",
      "{1} av {2} åpne salg har ikke noe beløp"},
     {"Their amount is unknown, not 0: the pipeline's and the forecast's sums leave them out, so "
      "the totals are too low by whatever these deals are worth, and the forecast scores them "
      "as the smallest deals.",
      "Deres beløb er ukendt, ikke 0: pipelinens og prognosens summer udelader dem, så "
      "totalerne er for lave med det, handlerne er værd, og prognosen vurderer dem som de "
      "mindste handler.",
      "Deras belopp är okänt, inte 0: pipelinens och prognosens summor utelämnar dem, så "
      "totalerna är för låga med vad affärerna är värda, och prognosen bedömer dem som de minsta "
      "affärerna.",
      "Beløpet er ukjent, ikke 0: pipelinens og prognosens summer utelater dem, så totalene er "
      "for lave med det salgene er verdt, og prognosen vurderer dem som de minste salgene."}},
    {DataQualityCheck::kNoActivities, "no_activities",
     {"No activities are recorded",
      "Der er ingen aktiviteter registreret",
      "Inga aktiviteter är registrerade",
      "Ingen aktiviteter er registrert"},
     {"The audit's criteria that look for meetings, calls and e-mails can only say \"no "
      "evidence\", so they are red everywhere, and the forecast's activity factors are empty. "
      "Import activities (kind activities) to see what really happened.",
      "Auditens kriterier, der leder efter møder, opkald og e-mails, kan kun sige \"ingen "
      "dokumentation\", så de er røde overalt, og prognosens aktivitetsfaktorer er tomme. "
      "Importér aktiviteter (typen activities) for at se, hvad der faktisk skete.",
      "Revisionens kriterier som letar efter möten, samtal och e-post kan bara säga \"inga "
      "belägg\", så de är röda överallt, och prognosens aktivitetsfaktorer är tomma. Importera "
      "aktiviteter (typen activities) för att se vad som faktiskt hände.",
      "Revisjonens kriterier som ser etter møter, samtaler og e-poster, kan bare si «ingen "
      "dokumentasjon», så de er røde overalt, og prognosens aktivitetsfaktorer er tomme. "
      "Importer aktiviteter (typen activities) for å se hva som faktisk skjedde."}},
    {DataQualityCheck::kOpenWithoutActivities, "open_without_activities",
     {"{1} of {2} open deals have no activity linked",
      "{1} af {2} åbne handler har ingen tilknyttet aktivitet",
      "{1} av {2} öppna affärer har ingen kopplad aktivitet",
      "{1} av {2} åpne salg har ingen tilknyttet aktivitet"},
     {"For these deals the audit finds no evidence of meetings or calls and the forecast sees no "
      "engagement. If the old CRM has their activities, import them with the deal's id in the "
      "opportunity column.",
      "For disse handler finder auditten ingen dokumentation for møder eller opkald, og "
      "prognosen ser intet engagement. Har det gamle CRM deres aktiviteter, så importér dem med "
      "handlens id i kolonnen opportunity.",
      "För dessa affärer hittar revisionen inga belägg för möten eller samtal och prognosen ser "
      "inget engagemang. Har det gamla CRM-systemet deras aktiviteter, importera dem med "
      "affärens id i kolumnen opportunity.",
      "For disse salgene finner revisjonen ingen dokumentasjon for møter eller samtaler, og "
      "prognosen ser ikke noe engasjement. Har det gamle CRM-et aktivitetene deres, importer dem "
      "med salgets id i kolonnen opportunity."}},
    {DataQualityCheck::kNoAnswers, "no_answers",
     {"No scorecard answers are recorded",
      "Der er ingen scorecard-svar registreret",
      "Inga scorekortsvar är registrerade",
      "Ingen scorecard-svar er registrert"},
     {"The playbook's criteria that people answer (those no rule can check in the data) are "
      "unanswered on every deal, so the audit scores only what the data shows. Answer them on "
      "the audit page or import them (kind scorecard-answers).",
      "Playbookens kriterier, som folk besvarer (dem, ingen regel kan tjekke i data), er "
      "ubesvarede på alle handler, så auditten scorer kun det, data viser. Besvar dem på "
      "auditsiden, eller importér dem (typen scorecard-answers).",
      "Playbookens kriterier som människor besvarar (de som ingen regel kan kontrollera i data) "
      "är obesvarade på alla affärer, så revisionen poängsätter bara det som data visar. Besvara "
      "dem på revisionssidan eller importera dem (typen scorecard-answers).",
      "Playbookens kriterier som folk besvarer (de ingen regel kan sjekke i dataene), er "
      "ubesvart på alle salg, så revisjonen gir bare poeng for det dataene viser. Besvar dem på "
      "revisjonssiden eller importer dem (typen scorecard-answers)."}},
    {DataQualityCheck::kOwnersWithoutTeam, "owners_without_team",
     {"{1} of {2} owners are in no team",
      "{1} af {2} ejere er ikke i noget team",
      "{1} av {2} ägare är inte med i något team",
      "{1} av {2} eiere er ikke med i noe team"},
     {"Their deals and accounts count for the company but in no team's audit or forecast, and "
      "no manager sees them. Import users with a team column, or set their team.",
      "Deres handler og kunder tæller for virksomheden, men i intet teams audit eller prognose, "
      "og ingen leder ser dem. Importér brugere med en team-kolonne, eller sæt deres team.",
      "Deras affärer och kunder räknas för företaget men inte i något teams revision eller "
      "prognos, och ingen chef ser dem. Importera användare med en team-kolumn eller ange deras "
      "team.",
      "Salgene og kundene deres teller for selskapet, men ikke i noe teams revisjon eller "
      "prognose, og ingen leder ser dem. Importer brukere med en team-kolonne, eller sett teamet "
      "deres."}},
    {DataQualityCheck::kNearDuplicateAccounts, "near_duplicate_accounts",
     {"{1} of {2} accounts share their name with another but for case, punctuation or legal "
      "form",
      "{1} af {2} kunder har samme navn som en anden kunde, bortset fra store og små bogstaver, "
      "tegnsætning eller selskabsform",
      "{1} av {2} kunder har samma namn som en annan kund, frånsett versaler, skiljetecken eller "
      "bolagsform",
      "{1} av {2} kunder har samme navn som en annen kunde, bortsett fra store og små bokstaver, "
      "tegnsetting eller selskapsform"},
     {"Probably one customer entered twice: its deals, orders and activities are split, so its "
      "lifetime value, ABC class and audit each see part of its history. Merge them, or give "
      "them names that tell them apart if they really are different companies.",
      "Sandsynligvis én kunde oprettet to gange: dens handler, ordrer og aktiviteter er delt, så "
      "livstidsværdi, ABC-klasse og audit ser hver en del af historikken. Slå dem sammen, eller "
      "giv dem navne, der skiller dem ad, hvis de virkelig er forskellige virksomheder.",
      "Sannolikt en kund som lagts in två gånger: dess affärer, ordrar och aktiviteter är "
      "uppdelade, så livstidsvärde, ABC-klass och revision ser var sin del av historiken. Slå "
      "ihop dem, eller ge dem namn som skiljer dem åt om de verkligen är olika företag.",
      "Trolig én kunde registrert to ganger: salg, ordrer og aktiviteter er delt, så "
      "livstidsverdi, ABC-klasse og revisjon ser hver sin del av historikken. Slå dem sammen, "
      "eller gi dem navn som skiller dem fra hverandre hvis de virkelig er ulike selskaper."}},
};
// clang-format on

const Texts kHeading = {"Data quality: {1} deals ({2} open), {3} accounts, {4} activities",
                        "Datakvalitet: {1} handler ({2} åbne), {3} kunder, {4} aktiviteter",
                        "Datakvalitet: {1} affärer ({2} öppna), {3} kunder, {4} aktiviteter",
                        "Datakvalitet: {1} salg ({2} åpne), {3} kunder, {4} aktiviteter"};
const Texts kNothing = {"No problems found.", "Ingen problemer fundet.", "Inga problem hittades.",
                        "Ingen problemer funnet."};
const Texts kExamples = {"for example", "for eksempel", "till exempel", "for eksempel"};

const CheckTexts& TextsOf(DataQualityCheck check) {
  for (const CheckTexts& texts : kTexts) {
    if (texts.check == check) return texts;
  }
  return kTexts[0];
}

int Clamp(int locale) { return locale >= 0 && locale < 4 ? locale : 0; }

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

// Legal forms that end company names in the Nordic countries and in English-speaking ones,
// normalised (letters and digits only).
constexpr std::string_view kLegalForms[] = {
    "as",  "aps", "ab",   "asa", "oy",  "oyj", "ivs", "is",   "amba", "gmbh", "ag",
    "inc", "ltd", "llc",  "plc", "corp", "co",  "sa",  "bv",   "nv",   "srl",  "sarl",
    "spa", "kg",  "limited", "incorporated", "corporation", "company", "holding"};

}  // namespace

std::string_view DataQualityCheckName(DataQualityCheck check) { return TextsOf(check).name; }

std::string AccountNameKey(std::string_view name) {
  // Words of letters and digits (ASCII folded to lower case; other bytes kept, so "Ærø" stays).
  std::vector<std::string> words(1);
  for (size_t i = 0; i < name.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(name[i]);
    if (c == 0xC3 && i + 1 < name.size()) {
      // Latin-1 letters (U+00C0..U+00FF) in UTF-8: capitals U+00C0..U+00DE but for the
      // multiplication sign U+00D7 fold to small letters, so "ÆRØ" and "Ærø" agree.
      unsigned char next = static_cast<unsigned char>(name[++i]);
      if (next >= 0x80 && next <= 0x9E && next != 0x97) next = static_cast<unsigned char>(next + 0x20);
      words.back() += static_cast<char>(c);
      words.back() += static_cast<char>(next);
    } else if (std::isalnum(c) || c >= 0x80) {
      words.back() += static_cast<char>(std::tolower(c));
    } else if (c == '/' || c == '.' || c == '&' || c == '\'') {
      // "A/S", "Co.", "Inc." keep their letters together: "as", "co", "inc".
    } else if (!words.back().empty()) {
      words.emplace_back();
    }
  }
  if (words.back().empty()) words.pop_back();
  while (words.size() > 1 &&
         std::find(std::begin(kLegalForms), std::end(kLegalForms), words.back()) !=
             std::end(kLegalForms)) {
    words.pop_back();
  }
  std::string key;
  for (const std::string& word : words) key += word;
  return key;
}

Result<DataQualityReport> CheckDataQuality(storage::Store& store) {
  DataQualityReport report;
  storage::OpportunityRepository& deals = store.opportunities();
  SB_ASSIGN_OR_RETURN(report.opportunities, CountWhere(deals, {}));
  SB_ASSIGN_OR_RETURN(report.open, CountWhere(deals, {Open()}));
  SB_ASSIGN_OR_RETURN(report.won, CountWhere(deals, {Won()}));
  SB_ASSIGN_OR_RETURN(report.lost, CountWhere(deals, {Lost()}));
  SB_ASSIGN_OR_RETURN(report.accounts, CountWhere(store.accounts(), {}));
  SB_ASSIGN_OR_RETURN(report.activities, CountWhere(store.activities(), {}));
  SB_ASSIGN_OR_RETURN(report.answers, CountWhere(store.scorecard_answers(), {}));
  SB_ASSIGN_OR_RETURN(report.users, CountWhere(store.users(), {}));
  const int64_t closed = report.won + report.lost;
  auto add = [&](DataQualityCheck check, int64_t count, int64_t of, std::string field = {},
                 std::vector<std::string> examples = {}) {
    report.findings.push_back({check, count, of, std::move(field), std::move(examples)});
  };

  // Closed deals whose history never shows them open (design note 2).
  if (closed > 0) {
    SB_ASSIGN_OR_RETURN(
        const int64_t with_history,
        CountWhere(deals, {Closed(), InSelect("id", "opportunity_changes", "opportunity_id",
                                              {Open()})}));
    if (with_history < closed) {
      add(DataQualityCheck::kClosedWithoutHistory, closed - with_history, closed);
    }
  }

  // Amounts and other fields that tell won from lost (design note 3).
  const Filter known_amount = Match("amount_known", FilterOp::kEq, {int64_t{1}});
  const Filter positive = Match("amount_minor", FilterOp::kGt, {int64_t{0}});
  if (report.lost > 0) {
    SB_ASSIGN_OR_RETURN(const int64_t lost_with, CountWhere(deals, {Lost(), known_amount, positive}));
    SB_ASSIGN_OR_RETURN(const int64_t won_with, CountWhere(deals, {Won(), known_amount, positive}));
    if (lost_with == 0 && won_with > 0) {
      add(DataQualityCheck::kLostWithoutAmount, report.lost, closed);
    }
  }
  if (report.won >= kMinPerOutcome && report.lost >= kMinPerOutcome) {
    const FieldProbe probes[] = {
        {"close_date", Match("close_on", FilterOp::kNotNull)},
        {"next_step", Match("next_step", FilterOp::kNe, {std::string()})},
        {"next_step_date", Match("next_step_on", FilterOp::kNotNull)},
        {"probability", Match("probability", FilterOp::kNotNull)},
        {"product_lines", Match("product_lines", FilterOp::kNe, {std::string()})},
        {"competitors", Match("competitors", FilterOp::kNe, {std::string()})},
        {"activities", InSelect("id", "activities", "opportunity_id", {})},
    };
    for (const FieldProbe& probe : probes) {
      SB_ASSIGN_OR_RETURN(const int64_t won_with, CountWhere(deals, {Won(), probe.filled}));
      SB_ASSIGN_OR_RETURN(const int64_t lost_with, CountWhere(deals, {Lost(), probe.filled}));
      if (won_with == report.won && lost_with == 0) {
        add(DataQualityCheck::kOutcomeInField, won_with, closed, probe.name);
      } else if (won_with == 0 && lost_with == report.lost) {
        add(DataQualityCheck::kOutcomeInField, lost_with, closed, probe.name);
      }
    }
  }

  if (report.open > 0) {
    SB_ASSIGN_OR_RETURN(const int64_t undated,
                        CountWhere(deals, {Open(), Match("close_on", FilterOp::kIsNull)}));
    if (undated > 0) add(DataQualityCheck::kOpenWithoutCloseDate, undated, report.open);
    SB_ASSIGN_OR_RETURN(
        const int64_t unknown,
        CountWhere(deals, {Open(), Match("amount_known", FilterOp::kEq, {int64_t{0}})}));
    if (unknown > 0) add(DataQualityCheck::kOpenWithoutAmount, unknown, report.open);
  }

  if (report.opportunities > 0 && report.activities == 0) {
    add(DataQualityCheck::kNoActivities, 0, 0);
  } else if (report.open > 0) {
    SB_ASSIGN_OR_RETURN(
        const int64_t touched,
        CountWhere(deals, {Open(), InSelect("id", "activities", "opportunity_id", {})}));
    const int64_t untouched = report.open - touched;
    if (untouched * 4 >= report.open && untouched > 0) {
      add(DataQualityCheck::kOpenWithoutActivities, untouched, report.open);
    }
  }
  if (report.opportunities > 0 && report.answers == 0) add(DataQualityCheck::kNoAnswers, 0, 0);

  // Owners of deals or accounts who are in no team.
  {
    const Filter owns = storage::AnyOf({InSelect("id", "opportunities", "owner_id", {}),
                                        InSelect("id", "accounts", "owner_id", {})});
    SB_ASSIGN_OR_RETURN(const int64_t owners, CountWhere(store.users(), {owns}));
    ListQuery teamless;
    teamless.filters = {owns, Match("team_id", FilterOp::kIsNull)};
    teamless.order_by = "name";
    SB_ASSIGN_OR_RETURN(std::vector<User> users, store.users().List(teamless));
    if (!users.empty()) {
      std::vector<std::string> names;
      for (const User& user : users) {
        if (names.size() < kMaxExamples) names.push_back(user.name.empty() ? user.email : user.name);
      }
      add(DataQualityCheck::kOwnersWithoutTeam, static_cast<int64_t>(users.size()), owners, {},
          std::move(names));
    }
  }

  // Near-duplicate account names.
  {
    std::map<std::string, std::vector<std::string>> by_key;
    SB_RETURN_IF_ERROR(store.accounts().ScanFields(
        ListQuery{}, {"name"}, [&](std::span<const storage::FieldValue> row) {
          if (row[0].kind == storage::FieldValue::Kind::kText) {
            std::string key = AccountNameKey(row[0].text);
            if (!key.empty()) by_key[std::move(key)].emplace_back(row[0].text);
          }
          return Status::Ok();
        }));
    int64_t duplicated = 0;
    std::vector<std::string> groups;
    for (auto& [key, names] : by_key) {
      if (names.size() < 2) continue;
      duplicated += static_cast<int64_t>(names.size());
      if (groups.size() < kMaxExamples) {
        std::sort(names.begin(), names.end());
        std::string group;
        for (const std::string& name : names) group += (group.empty() ? "" : " ~ ") + name;
        groups.push_back(std::move(group));
      }
    }
    if (duplicated > 0) {
      add(DataQualityCheck::kNearDuplicateAccounts, duplicated, report.accounts, {},
          std::move(groups));
    }
  }
  std::stable_sort(report.findings.begin(), report.findings.end(),
                   [](const DataQualityFinding& a, const DataQualityFinding& b) {
                     return static_cast<int>(a.check) < static_cast<int>(b.check);
                   });
  return report;
}

std::string DataQualityTitle(const DataQualityFinding& finding, int locale) {
  locale = Clamp(locale);
  return Fill(TextsOf(finding.check).title[static_cast<size_t>(locale)],
              {FormatCount(finding.count, locale), FormatCount(finding.of, locale),
               finding.field});
}

std::string DataQualityMeaning(const DataQualityFinding& finding, int locale) {
  return TextsOf(finding.check).meaning[static_cast<size_t>(Clamp(locale))];
}

std::string FormatDataQuality(const DataQualityReport& report, int locale) {
  locale = Clamp(locale);
  const size_t l = static_cast<size_t>(locale);
  std::string out = Fill(kHeading[l], {FormatCount(report.opportunities, locale),
                                       FormatCount(report.open, locale),
                                       FormatCount(report.accounts, locale),
                                       FormatCount(report.activities, locale)}) +
                    "\n";
  if (report.findings.empty()) return out + "  " + kNothing[l] + "\n";
  for (const DataQualityFinding& finding : report.findings) {
    out += "  ! " + DataQualityTitle(finding, locale) + "\n";
    out += "    " + DataQualityMeaning(finding, locale) + "\n";
    if (!finding.examples.empty()) {
      out += "    " + std::string(kExamples[l]) + ":";
      for (const std::string& example : finding.examples) out += "\n      " + example;
      out += "\n";
    }
  }
  return out;
}

}  // namespace salesbox::service
