// SPDX-License-Identifier: MIT
// The canonical CSV columns of every record kind, with the header aliases of Excel, Salesforce and
// HubSpot exports and Danish/Swedish/Norwegian words, and the enum value aliases those files use.
//
// Design notes:
// (1) Cells are parsed by small templates over pointers to members (TextIn<&Account::name>), so a
//     table row states the field, its aliases and its rules, and nothing else.
// (2) Money columns read their currency from the record, so the currency column is `early`: it is
//     parsed before the amounts whatever its place in the file. Without a currency column the
//     record's existing currency (on update) or ImportOptions::default_currency applies.
// (3) A probability cell is a fraction ("0.4") unless it has a '%' or is above 1 ("40", "40 %"):
//     Salesforce writes percentages, our export writes fractions.
// (4) References are written by export as the referenced record's external id (or name/e-mail),
//     which is exactly what import resolves, so an export imports back unchanged.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <optional>
#include <string>
#include <type_traits>

#include "common/country.h"
#include "common/status_macros.h"
#include "service/pipeline_audit.h"
#include "service/transfer_internal.h"

namespace salesbox::service::internal {
namespace {

// --- generic cell parsers and formatters ---------------------------------------------------

template <typename M>
struct MemberOf;
template <typename C, typename F>
struct MemberOf<F C::*> {
  using Class = C;
  using Field = F;
};
template <auto M>
using ClassOf = typename MemberOf<decltype(M)>::Class;
template <auto M>
using FieldOf = typename MemberOf<decltype(M)>::Field;

template <typename>
inline constexpr bool kIsOptional = false;
template <typename X>
inline constexpr bool kIsOptional<std::optional<X>> = true;

Status Bad(std::string_view cell, std::string_view problem) {
  std::string message = "\"";
  message += cell;
  message += "\" ";
  message += problem;
  return Status::InvalidArgument(std::move(message));
}

template <auto M>
Status TextIn(std::string_view cell, ClassOf<M>& record, ParseContext&) {
  (record.*M).assign(cell.data(), cell.size());
  return Status::Ok();
}
template <auto M>
Status TextOut(const ClassOf<M>& record, Lookups&, std::string& out) {
  out += record.*M;
  return Status::Ok();
}

Status CheckEmail(std::string_view cell) {
  size_t at = cell.find('@');
  if (at == std::string_view::npos || at == 0 || cell.find('.', at) == std::string_view::npos ||
      cell.back() == '.' || cell.find_first_of(" ,;<>") != std::string_view::npos) {
    return Bad(cell, "is not an e-mail address");
  }
  return Status::Ok();
}

template <auto M>
Status EmailIn(std::string_view cell, ClassOf<M>& record, ParseContext&) {
  if (!cell.empty()) SB_RETURN_IF_ERROR(CheckEmail(cell));
  std::string& field = record.*M;
  field.assign(cell.data(), cell.size());
  for (char& c : field) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  return Status::Ok();
}

// A whole number in [lo, hi]; thousands separators allowed ("1.200" employees).
Result<int64_t> ParseWhole(std::string_view cell, ParseContext& context, int64_t lo, int64_t hi) {
  Result<int64_t> hundredths = ParseDecimal(cell, 2, context.decimal);
  if (!hundredths.ok()) return Bad(cell, "is not a whole number");
  if (*hundredths % 100 != 0) return Bad(cell, "is not a whole number");
  int64_t value = *hundredths / 100;
  if (value < lo || value > hi) {
    return Bad(cell, "is out of range " + std::to_string(lo) + ".." + std::to_string(hi));
  }
  return value;
}

template <auto M, int64_t Lo, int64_t Hi>
Status OptionalWholeIn(std::string_view cell, ClassOf<M>& record, ParseContext& context) {
  if (cell.empty()) {
    record.*M = std::nullopt;
    return Status::Ok();
  }
  SB_ASSIGN_OR_RETURN(record.*M, ParseWhole(cell, context, Lo, Hi));
  return Status::Ok();
}
template <auto M>
Status OptionalWholeOut(const ClassOf<M>& record, Lookups&, std::string& out) {
  if (record.*M) out += std::to_string(*(record.*M));
  return Status::Ok();
}

template <auto M, const auto& Aliases>
Status EnumIn(std::string_view cell, ClassOf<M>& record, ParseContext&) {
  if (cell.empty()) return Status::Ok();  // keep the default / existing value
  using E = FieldOf<M>;
  SB_ASSIGN_OR_RETURN(record.*M, ParseEnumAlias<E>(cell, std::span<const EnumAlias<E>>(Aliases)));
  return Status::Ok();
}
template <auto M>
Status EnumOut(const ClassOf<M>& record, Lookups&, std::string& out) {
  out += ToString(record.*M);
  return Status::Ok();
}

std::string_view DateOrderName(DateOrder order) {
  switch (order) {
    case DateOrder::kDayFirst:
      return "dmy";
    case DateOrder::kMonthFirst:
      return "mdy";
    case DateOrder::kYearFirst:
      return "ymd";
  }
  return "dmy";
}

// Says why `cell` is not `what` ("a date") in the import's date order, which other order would
// read it, and which orders there are.
Status NotADate(std::string_view cell, const Status& why, const ParseContext& context,
                std::string_view what) {
  std::string problem = why.message();
  const size_t quoted = problem.find("\": ");
  if (quoted != std::string::npos) problem.erase(0, quoted + 3);
  std::string message = "is not ";
  message += what;
  message += " in the order ";
  message += DateOrderName(context.date_order);
  message += ": " + problem;
  for (DateOrder other : {DateOrder::kDayFirst, DateOrder::kMonthFirst, DateOrder::kYearFirst}) {
    if (other == context.date_order) continue;
    Result<Date> date = ParseDate(cell, DateReading{other, true});
    if (date.ok()) {
      message += "; --date-order " + std::string(DateOrderName(other)) + " reads it as " +
                 FormatDate(*date);
      break;
    }
  }
  message += " (--date-order is dmy, mdy or ymd; YYYY-MM-DD always works)";
  return Bad(cell, message);
}

template <auto M>
Status DateIn(std::string_view cell, ClassOf<M>& record, ParseContext& context) {
  if constexpr (kIsOptional<FieldOf<M>>) {
    if (cell.empty()) {
      record.*M = std::nullopt;
      return Status::Ok();
    }
  } else {
    if (cell.empty()) return Status::Ok();  // required columns are checked by the importer
  }
  Result<Date> date = ParseDate(cell, DateReading{context.date_order, true});
  if (!date.ok()) return NotADate(cell, date.status(), context, "a date");
  record.*M = *date;
  return Status::Ok();
}
template <auto M>
Status DateOut(const ClassOf<M>& record, Lookups&, std::string& out) {
  if constexpr (kIsOptional<FieldOf<M>>) {
    if (record.*M) out += FormatDate(*(record.*M));
  } else {
    out += FormatDate(record.*M);
  }
  return Status::Ok();
}

template <auto M>
Status TimestampIn(std::string_view cell, ClassOf<M>& record, ParseContext& context) {
  if (cell.empty()) return Status::Ok();
  Result<Timestamp> at = ParseTimestamp(cell, DateReading{context.date_order, true});
  if (!at.ok()) return NotADate(cell, at.status(), context, "a date and time");
  record.*M = *at;
  return Status::Ok();
}
template <auto M>
Status TimestampOut(const ClassOf<M>& record, Lookups&, std::string& out) {
  out += FormatTimestamp(record.*M);
  return Status::Ok();
}

template <auto M>
Status ProbabilityIn(std::string_view cell, ClassOf<M>& record, ParseContext& context) {
  if (cell.empty()) {
    record.*M = std::nullopt;
    return Status::Ok();
  }
  std::string_view number = cell;
  bool percent = false;
  if (!number.empty() && number.back() == '%') {
    percent = true;
    number = Trim(number.substr(0, number.size() - 1));
  }
  Result<int64_t> millionths = ParseDecimal(number, 6, context.decimal);
  if (!millionths.ok()) return Bad(cell, "is not a probability (use 0.4 or 40%)");
  double value = static_cast<double>(*millionths) / 1e6;
  if (percent || value > 1.0) value /= 100.0;
  if (value < 0.0 || value > 1.0) return Bad(cell, "is not a probability between 0 and 100%");
  record.*M = value;
  return Status::Ok();
}
template <auto M>
Status ProbabilityOut(const ClassOf<M>& record, Lookups&, std::string& out) {
  if (!(record.*M)) return Status::Ok();
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), *(record.*M));
  out.append(buffer, end);
  return Status::Ok();
}

template <auto M>
Status CurrencyIn(std::string_view cell, ClassOf<M>& record, ParseContext&) {
  if (cell.empty()) return Status::Ok();
  Result<Currency> currency = Currency::Parse(cell);
  if (!currency.ok()) return Bad(cell, "is not an ISO 4217 currency code (DKK, SEK, NOK, EUR)");
  (record.*M).currency = *currency;
  return Status::Ok();
}
template <auto M>
Status CurrencyOut(const ClassOf<M>& record, Lookups&, std::string& out) {
  out += (record.*M).currency.code();
  return Status::Ok();
}

// The ISO code written in an amount ("1,234.50 USD", "EUR 99"), if any.
std::optional<Currency> CurrencyInCell(std::string_view cell) {
  auto letters = [](std::string_view word) {
    return word.size() == 3 && std::all_of(word.begin(), word.end(), [](char c) {
             return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
           });
  };
  std::string_view word;
  if (cell.size() >= 3 && letters(cell.substr(0, 3)) &&
      (cell.size() == 3 || !std::isalpha(static_cast<unsigned char>(cell[3])))) {
    word = cell.substr(0, 3);
  } else if (cell.size() >= 3 && letters(cell.substr(cell.size() - 3)) &&
             (cell.size() == 3 ||
              !std::isalpha(static_cast<unsigned char>(cell[cell.size() - 4])))) {
    word = cell.substr(cell.size() - 3);
  }
  if (word.empty()) return std::nullopt;
  Result<Currency> currency = Currency::Parse(word);
  if (!currency.ok()) return std::nullopt;
  return *currency;
}

// "-", "$-", "$ -", "kr -": how spreadsheets' accounting format writes nothing.
bool IsAccountingDash(std::string_view cell) {
  std::string rest;
  for (size_t i = 0; i < cell.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(cell[i]);
    if (c == ' ' || c == '$' || c == '.' || std::isalpha(c)) continue;
    rest += cell[i];
  }
  return rest == "-" || rest == "\xE2\x80\x93" /* – */ || rest == "\xE2\x80\x94" /* — */ ||
         rest == "\xE2\x82\xAC-" || rest == "-\xE2\x82\xAC" || rest == "\xC2\xA3-";
}

Status ParseMoneyCell(std::string_view cell, Money& money, ParseContext& context) {
  // A code in the cell says the currency when nothing else does, and must agree with it.
  const std::optional<Currency> written = CurrencyInCell(cell);
  if (written && money.currency != Currency() && *written != money.currency) {
    return Bad(cell, "is in " + written->ToString() + " but the record's currency is " +
                         money.currency.ToString());
  }
  if (money.currency == Currency() && written) money.currency = *written;
  if (money.currency == Currency()) money.currency = context.default_currency;
  if (money.currency == Currency()) {
    return Bad(cell, "has no currency: add a currency column or pass --currency");
  }
  Result<int64_t> minor = ParseMinorUnits(cell, money.currency, context.decimal);
  if (!minor.ok()) return Bad(cell, "is not an amount");
  money.minor_units = *minor;
  return Status::Ok();
}

template <auto M>
Status MoneyIn(std::string_view cell, ClassOf<M>& record, ParseContext& context) {
  if (cell.empty() || IsAccountingDash(cell)) {
    (record.*M).minor_units = 0;
    return Status::Ok();
  }
  return ParseMoneyCell(cell, record.*M, context);
}
template <auto M>
Status MoneyOut(const ClassOf<M>& record, Lookups&, std::string& out) {
  const Money& money = record.*M;
  out += FormatMinorUnits(money.minor_units, money.currency.minor_digits());
  return Status::Ok();
}

// An opportunity's amount: an empty cell (or an accounting dash) is unknown, not 0.
Status OpportunityAmountIn(std::string_view cell, Opportunity& record, ParseContext& context) {
  if (cell.empty() || IsAccountingDash(cell)) {
    record.amount.minor_units = 0;
    record.amount_known = false;
    return Status::Ok();
  }
  record.amount_known = true;
  return ParseMoneyCell(cell, record.amount, context);
}
Status OpportunityAmountOut(const Opportunity& record, Lookups& lookups, std::string& out) {
  if (!record.amount_known) return Status::Ok();
  return MoneyOut<&Opportunity::amount>(record, lookups, out);
}

template <auto M, auto Find>
Status RefIn(std::string_view cell, ClassOf<M>& record, ParseContext& context) {
  if (cell.empty()) {
    if constexpr (kIsOptional<FieldOf<M>>) record.*M = std::nullopt;
    return Status::Ok();
  }
  SB_ASSIGN_OR_RETURN(record.*M, (context.lookups->*Find)(cell));
  return Status::Ok();
}
template <auto M, auto Label>
Status RefOut(const ClassOf<M>& record, Lookups& lookups, std::string& out) {
  if constexpr (kIsOptional<FieldOf<M>>) {
    if (!(record.*M)) return Status::Ok();
    SB_ASSIGN_OR_RETURN(std::string label, (lookups.*Label)(*(record.*M)));
    out += label;
  } else {
    SB_ASSIGN_OR_RETURN(std::string label, (lookups.*Label)(record.*M));
    out += label;
  }
  return Status::Ok();
}

// An owner column: a user by e-mail or name; on import a name no user has creates one who
// cannot sign in (Lookups::OwnerOrNew).
template <auto M>
Status OwnerIn(std::string_view cell, ClassOf<M>& record, ParseContext& context) {
  if (cell.empty()) {
    record.*M = std::nullopt;
    return Status::Ok();
  }
  if (context.create_owners) {
    SB_ASSIGN_OR_RETURN(record.*M, context.lookups->OwnerOrNew(cell, context.now));
  } else {
    SB_ASSIGN_OR_RETURN(record.*M, context.lookups->User(cell));
  }
  return Status::Ok();
}

template <auto M>
Status BoolIn(std::string_view cell, ClassOf<M>& record, ParseContext&) {
  if (cell.empty()) return Status::Ok();
  std::string n = NormalizeName(cell);
  if (MatchesAlias(n, "1|true|yes|y|ja|j|x|active|aktiv")) {
    record.*M = true;
  } else if (MatchesAlias(n, "0|false|no|n|nej|nei|inactive|inaktiv")) {
    record.*M = false;
  } else {
    return Bad(cell, "is not yes/no (true/false, 1/0)");
  }
  return Status::Ok();
}
template <auto M>
Status BoolOut(const ClassOf<M>& record, Lookups&, std::string& out) {
  out += (record.*M) ? "true" : "false";
  return Status::Ok();
}

std::string ExternalKey(std::string_view external_id) { return std::string(external_id); }

// --- enum aliases ---------------------------------------------------------------------------

constexpr EnumAlias<Role> kRoleAliases[] = {
    {Role::kRep, "salesrep|seller|salesperson|accountmanager|ae|sdr|saelger|saljare|selger"},
    {Role::kManager, "salesmanager|teamlead|teamleader|salgschef|saljchef|salgssjef"},
    {Role::kExecutive, "director|salesdirector|ceo|vp|vpsales|management|ledelse|ledning"},
    {Role::kMarketing, "marketer|marketingmanager|marketingspecialist"},
    {Role::kAdmin, "administrator|sysadmin"},
};

constexpr EnumAlias<AccountStatus> kAccountStatusAliases[] = {
    {AccountStatus::kProspect, "lead|prospekt|emne|potential|potentialcustomer|opportunity"},
    {AccountStatus::kCustomer, "kunde|kund|active|activecustomer|client|existingcustomer"},
    {AccountStatus::kFormer, "churned|lost|inactive|tidligere|tidigare|formercustomer|exkund"},
};

constexpr EnumAlias<BuyingRole> kBuyingRoleAliases[] = {
    {BuyingRole::kUnknown, "none|na|ukendt|okand|ukjent"},
    {BuyingRole::kEconomicBuyer, "eb|economic|budgetholder|budgetowner|okonomiskkoeber"},
    {BuyingRole::kDecisionMaker,
     "dm|decider|beslutningstager|beslutsfattare|beslutningstaker|beslutningstakar"},
    {BuyingRole::kChampion, "ambassador|ambassador|sponsor|internalchampion"},
    {BuyingRole::kInfluencer, "influence|paavirker|paverkare|pavirker"},
    {BuyingRole::kUser, "enduser|bruger|anvandare|bruker"},
    {BuyingRole::kTechnical, "technicalbuyer|technicalevaluator|it|tech|teknisk"},
    {BuyingRole::kCoach, "ally|coachally|guide|mentor"},
    {BuyingRole::kBlocker, "opponent|detractor|antisponsor|modstander|motstandare|motstander"},
};

constexpr EnumAlias<LeadSource> kLeadSourceAliases[] = {
    {LeadSource::kCampaign, "email|newsletter|emailcampaign|marketingcampaign|kampagne|kampanj"},
    {LeadSource::kTradeShow, "tradeshow|fair|messe|massa|expo|exhibition|event|conference"},
    {LeadSource::kWeb,
     "website|inbound|webform|organicsearch|paidsearch|socialmedia|directtraffic|online"},
    {LeadSource::kReferral, "partner|partnerreferral|customerreferral|anbefaling|rekommendation"},
    {LeadSource::kOutbound, "coldcall|prospecting|outboundcall|salesgenerated"},
    {LeadSource::kOther, "offline|unknown|annet|andet|ovrigt|annat"},
};

constexpr EnumAlias<LeadStatus> kLeadStatusAliases[] = {
    {LeadStatus::kNew, "open|ny|opennotcontacted|unworked"},
    {LeadStatus::kWorking, "contacted|attemptedtocontact|inprogress|workingcontacted|kontaktet"},
    {LeadStatus::kWarm, "nurturing|engaged|interested|varm"},
    {LeadStatus::kQualified, "converted|sql|mql|salesqualified|kvalificeret|kvalificerad"},
    {LeadStatus::kDisqualified, "unqualified|junk|closednotconverted|bad|rejected|diskvalificeret"},
};

constexpr EnumAlias<CampaignChannel> kChannelAliases[] = {
    {CampaignChannel::kEmail, "newsletter|mail|emailmarketing|nyhedsbrev|nyhetsbrev"},
    {CampaignChannel::kEvent, "seminar|conference|breakfastmeeting|arrangement"},
    {CampaignChannel::kTradeShow, "tradeshow|fair|expo|messe|massa|exhibition"},
    {CampaignChannel::kWebinar, "webcast|onlineevent"},
    {CampaignChannel::kPhone, "telemarketing|call|calls|coldcalling|telefon"},
    {CampaignChannel::kAds, "advertising|advertisement|paid|banner|linkedin|socialads|annoncer"},
    {CampaignChannel::kOther, "directmail|print|andet|annat|annet"},
};

constexpr EnumAlias<Stage> kStageAliases[] = {
    {Stage::kQualify,
     "qualification|prospecting|lead|new|appointmentscheduled|qualifiedtobuy|kvalificering|"
     "kvalificera|kvalifisering|prospektering"},
    {Stage::kDiscover,
     "discovery|needsanalysis|valueproposition|iddecisionmakers|perceptionanalysis|"
     "presentationscheduled|analysis|behovsanalyse|behovsanalys|afdaekning"},
    {Stage::kPropose,
     "proposal|proposalpricequote|quote|decisionmakerboughtin|tilbud|offert|offer|tilbudsendt|"
     "offertskickad|proposalsent"},
    {Stage::kNegotiate, "negotiation|negotiationreview|contractsent|forhandling|forhandlingar"},
    {Stage::kCommit, "verbalcommit|commitment|verbal|verbalagreement|closing"},
    {Stage::kClosedWon, "won|closedwon|vundet|vunnen|vunnet|vunnit|wonclosed"},
    {Stage::kClosedLost, "lost|closedlost|tabt|forlorad|forlorat|tapt|lostclosed"},
};

constexpr EnumAlias<ForecastCategory> kForecastAliases[] = {
    {ForecastCategory::kPipeline, "open|pipe"},
    {ForecastCategory::kBestCase, "bestcase|upside|best"},
    {ForecastCategory::kCommit, "mostlikely|committed|forecast"},
    {ForecastCategory::kOmitted, "omit|excluded|none"},
    {ForecastCategory::kClosed, "won|closedwon"},
};

constexpr EnumAlias<ActivityType> kActivityTypeAliases[] = {
    {ActivityType::kCall, "phone|phonecall|opkald|samtal|telefon|telefonsamtale|samtale"},
    {ActivityType::kMeeting,
     "mode|moede|moete|mote|visit|besog|besoeg|customervisit|m\xc3\xb8"
     "de|"
     "m\xc3\xb6te|m\xc3\xb8te"},
    {ActivityType::kEmail, "mail|epost|emailsent|sentemail"},
    {ActivityType::kProposal, "quote|tilbud|offert|offer|proposalsent"},
    {ActivityType::kDemo, "demonstration|presentation|productdemo|praesentation"},
    {ActivityType::kEvent, "webinar|fair|tradeshow|seminar|conference|arrangement"},
    {ActivityType::kTask, "todo|opgave|uppgift|oppgave|followup"},
};

constexpr EnumAlias<ActivityStatus> kActivityStatusAliases[] = {
    {ActivityStatus::kPlanned,
     "open|notstarted|scheduled|inprogress|deferred|waitingonsomeoneelse|planlagt|planerad|"
     "planlagd|todo"},
    {ActivityStatus::kCompleted,
     "done|complete|held|closed|finished|gennemfort|genomford|utfort|afsluttet|klar"},
};

constexpr EnumAlias<Outcome> kOutcomeAliases[] = {
    {Outcome::kOpen, "pending|active|aaben|oppen|apen"},
    {Outcome::kWon, "closedwon|vundet|vunnen|vunnet|win"},
    {Outcome::kLost, "closedlost|tabt|forlorad|tapt|loss"},
};

// A country by its ISO 3166-1 code or its name in English, Danish, Swedish or Norwegian
// (common/country.h); any other two letters are taken as a code (XK, EU).
Status CountryIn(std::string_view cell, Account& record, ParseContext&) {
  if (cell.empty()) {
    record.country.clear();
    return Status::Ok();
  }
  if (std::optional<std::string_view> code = CountryCode(cell)) {
    record.country = *code;
    return Status::Ok();
  }
  if (cell.size() == 2 && std::isalpha(static_cast<unsigned char>(cell[0])) &&
      std::isalpha(static_cast<unsigned char>(cell[1]))) {
    record.country = {static_cast<char>(std::toupper(static_cast<unsigned char>(cell[0]))),
                      static_cast<char>(std::toupper(static_cast<unsigned char>(cell[1])))};
    return Status::Ok();
  }
  return Bad(cell,
             "is not a country (use an ISO code such as DK, SE, NO, or the name in "
             "English, Danish, Swedish or Norwegian)");
}

// --- teams ----------------------------------------------------------------------------------

// A team may have several managers (domain/user.h). manager_email is the first; the managers
// column lists them all (or, beside manager_email, the others: a file with "Manager" and
// "Manager 2" columns), separated by ';' or '|' (or ',' when every part is an e-mail address,
// since "Berg, Anna" is one name). Each is a user's e-mail or a name only one user has.

Status ManagerEmailIn(std::string_view cell, Team& record, ParseContext& context) {
  context.manager_given = true;
  return RefIn<&Team::manager_id, &Lookups::User>(cell, record, context);
}

std::vector<std::string_view> SplitManagers(std::string_view cell) {
  std::vector<std::string_view> parts;
  auto split = [&parts](std::string_view text, std::string_view separators) {
    parts.clear();
    size_t start = 0;
    while (start <= text.size()) {
      size_t end = text.find_first_of(separators, start);
      if (end == std::string_view::npos) end = text.size();
      std::string_view part = Trim(text.substr(start, end - start));
      if (!part.empty()) parts.push_back(part);
      start = end + 1;
    }
  };
  split(cell, ";|\n");
  if (parts.size() == 1 && parts[0].find(',') != std::string_view::npos) {
    std::vector<std::string_view> kept = parts;
    split(kept[0], ",");
    const bool emails = std::all_of(parts.begin(), parts.end(), [](std::string_view part) {
      return part.find('@') != std::string_view::npos;
    });
    if (!emails) parts = std::move(kept);
  }
  return parts;
}

Status ManagersIn(std::string_view cell, Team& record, ParseContext& context) {
  (void)record;  // Finish puts manager_id first
  context.managers_given = true;
  context.managers.clear();
  for (std::string_view ref : SplitManagers(cell)) {
    Result<UserId> user = context.lookups->User(ref);
    if (!user.ok()) return user.status();
    if (std::find(context.managers.begin(), context.managers.end(), *user) ==
        context.managers.end()) {
      context.managers.push_back(*user);
    }
  }
  return Status::Ok();
}

Status ManagersOut(const Team& record, Lookups& lookups, std::string& out) {
  SB_ASSIGN_OR_RETURN(std::vector<UserId> managers, lookups.TeamManagers(record));
  for (size_t i = 0; i < managers.size(); ++i) {
    if (i > 0) out += "; ";
    SB_ASSIGN_OR_RETURN(std::string email, lookups.UserRef(managers[i]));
    out += email;
  }
  return Status::Ok();
}

// The managers column decides the first manager unless the row has a manager_email cell, which
// then comes first.
Status TeamFinish(Team& record, ParseContext& context, Date today) {
  (void)today;
  if (!context.managers_given) return Status::Ok();
  if (!context.manager_given) {
    record.manager_id =
        context.managers.empty() ? std::nullopt : std::optional<UserId>(context.managers[0]);
  }
  if (record.manager_id) {
    auto it = std::find(context.managers.begin(), context.managers.end(), *record.manager_id);
    if (it != context.managers.end()) context.managers.erase(it);
    context.managers.insert(context.managers.begin(), *record.manager_id);
  }
  return Status::Ok();
}

// The team's stored managers, by id.
Result<std::vector<TeamManager>> StoredManagers(storage::Store& store, TeamId team) {
  storage::ListQuery query;
  query.filters.push_back(storage::Match("team_id", storage::FilterOp::kEq, {team.value}));
  return store.team_managers().List(query);
}

Result<bool> TeamManagersChanged(const Team& record, ParseContext& context) {
  if (!context.managers_given) return false;
  SB_ASSIGN_OR_RETURN(std::vector<TeamManager> stored,
                      StoredManagers(context.lookups->store(), record.id));
  if (stored.size() != context.managers.size()) return true;
  for (const TeamManager& m : stored) {
    if (std::find(context.managers.begin(), context.managers.end(), m.user_id) ==
        context.managers.end()) {
      return true;
    }
  }
  return false;
}

// Makes the row's managers the team's (the first one the store has already from manager_id).
Status TeamManagersWritten(const Team& record, ParseContext& context) {
  if (!context.managers_given) return Status::Ok();
  storage::Store& store = context.lookups->store();
  SB_ASSIGN_OR_RETURN(std::vector<TeamManager> stored, StoredManagers(store, record.id));
  for (const TeamManager& m : stored) {
    if (std::find(context.managers.begin(), context.managers.end(), m.user_id) ==
        context.managers.end()) {
      SB_RETURN_IF_ERROR(store.team_managers().Delete(m.id));
    }
  }
  for (UserId user : context.managers) {
    const bool have = std::any_of(stored.begin(), stored.end(),
                                  [user](const TeamManager& m) { return m.user_id == user; });
    if (have || (record.manager_id && *record.manager_id == user)) continue;
    TeamManager m;
    m.team_id = record.id;
    m.user_id = user;
    m.created_at = context.now;
    m.note = context.manager_note;
    SB_RETURN_IF_ERROR(store.team_managers().Insert(m).status());
  }
  return Status::Ok();
}

constexpr ColumnSpec<Team> kTeamColumns[] = {
    {.name = "name",
     .aliases = "team|teamname|hold|salgsteam",
     .required = true,
     .parse = TextIn<&Team::name>,
     .format = TextOut<&Team::name>},
    {.name = "manager_email",
     .aliases = "manager|manageremail|teamlead|teamleader|leder|chef",
     .parse = ManagerEmailIn,
     .format = RefOut<&Team::manager_id, &Lookups::UserRef>},
    {.name = "managers",
     .aliases = "manageremails|teamleads|teamleaders|manager2|secondmanager|comanager|"
                "deputymanager|ledere|chefer|chefar",
     .parse = ManagersIn,
     .format = ManagersOut},
};

const KindSpec<Team, TeamId> kTeamSpec = {
    .kind = Kind::kTeams,
    .what = "team",
    .columns = kTeamColumns,
    .repository = [](storage::Store& s) -> storage::TeamRepository& { return s.teams(); },
    .finish = TeamFinish,
    .key = [](const Team& t) { return t.name; },
    .key_columns = "name",
    .after_write = TeamManagersWritten,
    .side_changed = TeamManagersChanged,
};

// --- segments -------------------------------------------------------------------------------

constexpr ColumnSpec<Segment> kSegmentColumns[] = {
    {.name = "name",
     .aliases = "segment|segmentname|navn|namn",
     .required = true,
     .parse = TextIn<&Segment::name>,
     .format = TextOut<&Segment::name>},
    {.name = "rule",
     .aliases = "definition|filter|criteria|regel",
     .parse = TextIn<&Segment::rule>,
     .format = TextOut<&Segment::rule>},
    {.name = "core",
     .aliases = "iscore|coresegment|focus|kerne|karna|kjerne",
     .parse = BoolIn<&Segment::core>,
     .format = BoolOut<&Segment::core>},
};

const KindSpec<Segment, SegmentId> kSegmentSpec = {
    .kind = Kind::kSegments,
    .what = "segment",
    .columns = kSegmentColumns,
    .repository = [](storage::Store& s) -> storage::SegmentRepository& { return s.segments(); },
    .finish = nullptr,
    .key = [](const Segment& segment) { return segment.name; },
    .key_columns = "name",
};

// --- users ----------------------------------------------------------------------------------

constexpr ColumnSpec<User> kUserColumns[] = {
    {.name = "email",
     .aliases = "emailaddress|mail|epost|username|login",
     .required = true,
     .parse = EmailIn<&User::email>,
     .format = TextOut<&User::email>},
    {.name = "name",
     .aliases = "fullname|username|navn|namn",
     .required = true,
     .parse = TextIn<&User::name>,
     .format = TextOut<&User::name>},
    {.name = "role",
     .aliases = "userrole|profile|rolle|roll",
     .required = true,
     .parse = EnumIn<&User::role, kRoleAliases>,
     .format = EnumOut<&User::role>},
    {.name = "team",
     .aliases = "teamname|salesteam|hold",
     .parse = RefIn<&User::team_id, &Lookups::TeamOrNew>,
     .format = RefOut<&User::team_id, &Lookups::TeamRef>},
    {.name = "locale",
     .aliases = "language|sprog|sprak|sprak",
     .parse =
         [](std::string_view cell, User& r, ParseContext&) {
           if (cell.empty()) return Status::Ok();
           std::string n = NormalizeName(cell);
           if (MatchesAlias(n, "en|english|engelsk")) {
             r.locale = "en";
           } else if (MatchesAlias(n, "da|dansk|danish|dk")) {
             r.locale = "da";
           } else if (MatchesAlias(n, "sv|svenska|swedish|se")) {
             r.locale = "sv";
           } else if (MatchesAlias(n, "nb|no|norsk|norwegian|bokmal")) {
             r.locale = "nb";
           } else {
             return Bad(cell, "is not a supported locale (en, da, sv, nb)");
           }
           return Status::Ok();
         },
     .format = TextOut<&User::locale>},
    {.name = "active",
     .aliases = "enabled|isactive|aktiv",
     .parse = BoolIn<&User::active>,
     .format = BoolOut<&User::active>},
};

const KindSpec<User, UserId> kUserSpec = {
    .kind = Kind::kUsers,
    .what = "user",
    .columns = kUserColumns,
    .repository = [](storage::Store& s) -> storage::UserRepository& { return s.users(); },
    .finish = nullptr,
    .key = [](const User& u) { return u.email; },
    .key_columns = "email",
    .adoptable_name =
        [](const User& u) {
          return u.email.ends_with("@" + std::string(kNoEmailDomain)) ? u.name : std::string();
        },
};

// --- accounts -------------------------------------------------------------------------------

constexpr ColumnSpec<Account> kAccountColumns[] = {
    {.name = "external_id",
     .aliases = "id|accountid|externalid|recordid|companyid|customerid|customernumber|"
                "customerno|kundenr|kundenummer|kundnummer|kundnr",
     .parse = TextIn<&Account::external_id>,
     .format = TextOut<&Account::external_id>},
    {.name = "name",
     .aliases = "accountname|company|companyname|kunde|kund|firma|firmanavn|navn|namn|"
                "customer|customername|foretag|foretagsnamn",
     .required = true,
     .parse = TextIn<&Account::name>,
     .format = TextOut<&Account::name>},
    {.name = "industry",
     .aliases = "branche|bransch|bransje|sector|sektor|industrysector",
     .parse = TextIn<&Account::industry>,
     .format = TextOut<&Account::industry>},
    {.name = "employees",
     .aliases = "numberofemployees|ansatte|anstallda|antalansatte|antallansatte|headcount|"
                "companysize|noofemployees",
     .numeric = true,
     .parse = OptionalWholeIn<&Account::employees, 0, 10'000'000>,
     .format = OptionalWholeOut<&Account::employees>},
    {.name = "region",
     .aliases = "state|billingstate|stateregion|billingstateprovince|landsdel|lan|fylke|"
                "province",
     .parse = TextIn<&Account::region>,
     .format = TextOut<&Account::region>},
    {.name = "country",
     .aliases = "billingcountry|countryregion|land|countrycode",
     .parse = CountryIn,
     .format = TextOut<&Account::country>},
    {.name = "org_number",
     .aliases = "orgnumber|organizationnumber|organisationnumber|orgnr|cvr|cvrnr|cvrnummer|"
                "organisationsnummer|organisasjonsnummer|vatnumber|vat|registrationnumber|"
                "companyregistrationnumber",
     .parse = TextIn<&Account::org_number>,
     .format = TextOut<&Account::org_number>},
    {.name = "owner_email",
     .aliases = "owner|owneremail|accountowner|accountowneremail|companyowner|"
                "companyowneremail|ansvarlig|saljare|selger|kundeansvarlig",
     .parse = OwnerIn<&Account::owner_id>,
     .format = RefOut<&Account::owner_id, &Lookups::UserRef>},
    {.name = "status",
     .aliases = "accountstatus|type|accounttype|lifecyclestage|kundestatus|kundstatus",
     .parse = EnumIn<&Account::status, kAccountStatusAliases>,
     .format = EnumOut<&Account::status>},
};

const KindSpec<Account, AccountId> kAccountSpec = {
    .kind = Kind::kAccounts,
    .what = "account",
    .columns = kAccountColumns,
    .repository = [](storage::Store& s) -> storage::AccountRepository& { return s.accounts(); },
    .finish = nullptr,
    .key = [](const Account& a) { return ExternalKey(a.external_id); },
    .key_columns = "external_id",
    .strong_key = [](const Account& a) { return NormalizeName(a.org_number); },
    .strong_column = "org_number",
    .name_key = [](const Account& a) { return a.name; },
    .name_column = "name",
};

// --- contacts -------------------------------------------------------------------------------

constexpr ColumnSpec<Contact> kContactColumns[] = {
    {.name = "external_id",
     .aliases = "id|contactid|externalid|recordid",
     .parse = TextIn<&Contact::external_id>,
     .format = TextOut<&Contact::external_id>},
    {.name = "account",
     .aliases = "accountid|accountname|company|companyname|associatedcompany|kunde|kund|firma|"
                "foretag|customer",
     .required = true,
     .parse = RefIn<&Contact::account_id, &Lookups::Account>,
     .format = RefOut<&Contact::account_id, &Lookups::AccountRef>},
    {.name = "name",
     .aliases = "fullname|contactname|navn|namn|kontaktperson",
     .parse = TextIn<&Contact::name>,
     .format = TextOut<&Contact::name>},
    {.name = "first_name",
     .aliases = "firstname|givenname|fornavn|fornamn",
     .exported = false,
     .parse =
         [](std::string_view cell, Contact&, ParseContext& context) {
           context.given_name = cell;
           return Status::Ok();
         },
     .format = nullptr},
    {.name = "last_name",
     .aliases = "lastname|surname|familyname|efternavn|efternamn|etternavn",
     .exported = false,
     .parse =
         [](std::string_view cell, Contact&, ParseContext& context) {
           context.family_name = cell;
           return Status::Ok();
         },
     .format = nullptr},
    {.name = "title",
     .aliases = "jobtitle|position|stilling|befattning|titel|tittel",
     .parse = TextIn<&Contact::title>,
     .format = TextOut<&Contact::title>},
    {.name = "email",
     .aliases = "emailaddress|mail|epost",
     .parse = EmailIn<&Contact::email>,
     .format = TextOut<&Contact::email>},
    {.name = "phone",
     .aliases = "phonenumber|mobile|mobilephone|telefon|tlf|mobil|businessphone",
     .parse = TextIn<&Contact::phone>,
     .format = TextOut<&Contact::phone>},
    {.name = "buying_role",
     .aliases = "buyingrole|role|contactrole|rolle|roll|kooprolle",
     .parse = EnumIn<&Contact::buying_role, kBuyingRoleAliases>,
     .format = EnumOut<&Contact::buying_role>},
    {.name = "relationship_strength",
     .aliases = "relationshipstrength|relationship|strength|relation|relationsstyrke",
     .numeric = true,
     .parse = OptionalWholeIn<&Contact::relationship_strength, 0, 4>,
     .format = OptionalWholeOut<&Contact::relationship_strength>},
};

const KindSpec<Contact, ContactId> kContactSpec = {
    .kind = Kind::kContacts,
    .what = "contact",
    .columns = kContactColumns,
    .repository = [](storage::Store& s) -> storage::ContactRepository& { return s.contacts(); },
    .finish =
        [](Contact& c, ParseContext& context, Date) {
          // Salesforce and Outlook split names; salesbox keeps one.
          if (!context.given_name.empty() || !context.family_name.empty()) {
            c.name = context.given_name;
            if (!c.name.empty() && !context.family_name.empty()) c.name += ' ';
            c.name += context.family_name;
          }
          if (c.name.empty()) {
            return Status::InvalidArgument("a contact needs a name (or first_name and last_name)");
          }
          return Status::Ok();
        },
    .key = [](const Contact& c) { return ExternalKey(c.external_id); },
    .key_columns = "external_id",
};

// --- campaigns ------------------------------------------------------------------------------

constexpr ColumnSpec<Campaign> kCampaignColumns[] = {
    {.name = "external_id",
     .aliases = "id|campaignid|externalid|recordid",
     .parse = TextIn<&Campaign::external_id>,
     .format = TextOut<&Campaign::external_id>},
    {.name = "name",
     .aliases = "campaignname|campaign|kampagne|kampanj|navn|namn",
     .required = true,
     .parse = TextIn<&Campaign::name>,
     .format = TextOut<&Campaign::name>},
    {.name = "segment",
     .aliases = "targetsegment|segmentname|malgruppe|malgrupp",
     .parse = RefIn<&Campaign::segment_id, &Lookups::Segment>,
     .format = RefOut<&Campaign::segment_id, &Lookups::SegmentRef>},
    {.name = "channel",
     .aliases = "type|campaigntype|kanal|medium",
     .parse = EnumIn<&Campaign::channel, kChannelAliases>,
     .format = EnumOut<&Campaign::channel>},
    {.name = "start_date",
     .aliases = "startdate|start|startdato|startdatum|from",
     .parse = DateIn<&Campaign::start_on>,
     .format = DateOut<&Campaign::start_on>},
    {.name = "end_date",
     .aliases = "enddate|end|slutdato|slutdatum|sluttdato|to",
     .parse = DateIn<&Campaign::end_on>,
     .format = DateOut<&Campaign::end_on>},
    {.name = "cost",
     .aliases = "actualcost|budgetedcost|budget|omkostning|kostnad|kostnad",
     .numeric = true,
     .parse = MoneyIn<&Campaign::cost>,
     .format = MoneyOut<&Campaign::cost>},
    {.name = "currency",
     .aliases = "currencycode|currencyisocode|valuta",
     .early = true,
     .parse = CurrencyIn<&Campaign::cost>,
     .format = CurrencyOut<&Campaign::cost>},
};

const KindSpec<Campaign, CampaignId> kCampaignSpec = {
    .kind = Kind::kCampaigns,
    .what = "campaign",
    .columns = kCampaignColumns,
    .repository = [](storage::Store& s) -> storage::CampaignRepository& { return s.campaigns(); },
    .finish =
        [](Campaign& c, ParseContext& context, Date) {
          if (c.cost.currency == Currency()) c.cost.currency = context.default_currency;
          if (c.cost.currency == Currency() && c.cost.minor_units != 0) {
            return Status::InvalidArgument("no currency: add a currency column or pass --currency");
          }
          if (c.start_on && c.end_on && *c.end_on < *c.start_on) {
            return Status::InvalidArgument("end_date is before start_date");
          }
          return Status::Ok();
        },
    .key = [](const Campaign& c) { return ExternalKey(c.external_id); },
    .key_columns = "external_id",
};

// --- leads ----------------------------------------------------------------------------------

constexpr ColumnSpec<Lead> kLeadColumns[] = {
    {.name = "external_id",
     .aliases = "id|leadid|externalid|recordid",
     .parse = TextIn<&Lead::external_id>,
     .format = TextOut<&Lead::external_id>},
    {.name = "name",
     .aliases = "fullname|leadname|contactname|navn|namn|person",
     .required = true,
     .parse = TextIn<&Lead::name>,
     .format = TextOut<&Lead::name>},
    {.name = "company",
     .aliases = "companyname|organisation|organization|firma|foretag|virksomhed",
     .parse = TextIn<&Lead::company>,
     .format = TextOut<&Lead::company>},
    {.name = "title",
     .aliases = "jobtitle|position|stilling|befattning|titel",
     .parse = TextIn<&Lead::title>,
     .format = TextOut<&Lead::title>},
    {.name = "email",
     .aliases = "emailaddress|mail|epost",
     .parse = EmailIn<&Lead::email>,
     .format = TextOut<&Lead::email>},
    {.name = "phone",
     .aliases = "phonenumber|mobile|mobilephone|telefon|tlf|mobil",
     .parse = TextIn<&Lead::phone>,
     .format = TextOut<&Lead::phone>},
    {.name = "source",
     .aliases = "leadsource|originalsource|kilde|kalla",
     .parse = EnumIn<&Lead::source, kLeadSourceAliases>,
     .format = EnumOut<&Lead::source>},
    {.name = "campaign",
     .aliases = "campaignid|campaignname|kampagne|kampanj",
     .parse = RefIn<&Lead::campaign_id, &Lookups::Campaign>,
     .format = RefOut<&Lead::campaign_id, &Lookups::CampaignRef>},
    {.name = "status",
     .aliases = "leadstatus|leadstage",
     .parse = EnumIn<&Lead::status, kLeadStatusAliases>,
     .format = EnumOut<&Lead::status>},
    {.name = "owner_email",
     .aliases = "owner|leadowner|owneremail|leadowneremail|ansvarlig",
     .parse = OwnerIn<&Lead::owner_id>,
     .format = RefOut<&Lead::owner_id, &Lookups::UserRef>},
    {.name = "account",
     .aliases = "accountid|accountname|associatedcompany|kunde|kund",
     .parse = RefIn<&Lead::account_id, &Lookups::Account>,
     .format = RefOut<&Lead::account_id, &Lookups::AccountRef>},
    {.name = "created_date",
     .aliases = "createddate|createdate|created|oprettet|skapad|opprettet|date",
     .parse = DateIn<&Lead::created_on>,
     .format = DateOut<&Lead::created_on>},
};

const KindSpec<Lead, LeadId> kLeadSpec = {
    .kind = Kind::kLeads,
    .what = "lead",
    .columns = kLeadColumns,
    .repository = [](storage::Store& s) -> storage::LeadRepository& { return s.leads(); },
    .finish =
        [](Lead& l, ParseContext&, Date today) {
          if (!l.created_on) l.created_on = today;
          return Status::Ok();
        },
    .key = [](const Lead& l) { return ExternalKey(l.external_id); },
    .key_columns = "external_id",
};

// --- opportunities --------------------------------------------------------------------------

Status OutcomeIn(std::string_view cell, Opportunity& r, ParseContext&) {
  if (cell.empty()) return Status::Ok();
  SB_ASSIGN_OR_RETURN(
      Outcome outcome,
      ParseEnumAlias<Outcome>(cell, std::span<const EnumAlias<Outcome>>(kOutcomeAliases)));
  // Applied after the stage column (see finish): remember it in the stage itself when it closes.
  if (outcome == Outcome::kWon) {
    r.stage = Stage::kClosedWon;
  } else if (outcome == Outcome::kLost) {
    r.stage = Stage::kClosedLost;
  } else if (IsClosed(r.stage)) {
    return Bad(cell, "contradicts the closed stage");
  }
  return Status::Ok();
}

constexpr ColumnSpec<Opportunity> kOpportunityColumns[] = {
    {.name = "external_id",
     .aliases = "id|opportunityid|dealid|externalid|recordid|recordiddeal|salgsmulighedid",
     .parse = TextIn<&Opportunity::external_id>,
     .format = TextOut<&Opportunity::external_id>},
    {.name = "account",
     .aliases = "accountid|accountname|company|companyname|associatedcompany|"
                "associatedcompanyprimary|kunde|kund|firma|foretag|customer",
     .required = true,
     .parse = RefIn<&Opportunity::account_id, &Lookups::Account>,
     .format = RefOut<&Opportunity::account_id, &Lookups::AccountRef>},
    {.name = "name",
     .aliases = "opportunityname|dealname|opportunity|deal|salgsmulighed|affarsmojlighet|"
                "salgsmulighet|titel",
     .required = true,
     .parse = TextIn<&Opportunity::name>,
     .format = TextOut<&Opportunity::name>},
    {.name = "owner_email",
     .aliases = "owner|owneremail|opportunityowner|opportunityowneremail|dealowner|"
                "dealowneremail|ansvarlig|saljare|selger",
     .parse = OwnerIn<&Opportunity::owner_id>,
     .format = RefOut<&Opportunity::owner_id, &Lookups::UserRef>},
    {.name = "stage",
     .aliases = "stagename|dealstage|salesstage|fase|steg|stadie|pipelinestage",
     .required = true,
     .parse = EnumIn<&Opportunity::stage, kStageAliases>,
     .format = EnumOut<&Opportunity::stage>},
    {.name = "amount",
     .aliases = "dealamount|value|dealvalue|opportunityamount|belob|belopp|belop|vaerdi|"
                "totalamount|expectedrevenue",
     .numeric = true,
     .parse = OpportunityAmountIn,
     .format = OpportunityAmountOut},
    {.name = "currency",
     .aliases = "currencycode|currencyisocode|opportunitycurrency|dealcurrencycode|valuta",
     .early = true,
     .parse = CurrencyIn<&Opportunity::amount>,
     .format = CurrencyOut<&Opportunity::amount>},
    {.name = "probability",
     .aliases = "probabilitypercent|dealprobability|sandsynlighed|sannolikhet|sannsynlighet|"
                "winprobability",
     .numeric = true,
     .parse = ProbabilityIn<&Opportunity::probability>,
     .format = ProbabilityOut<&Opportunity::probability>},
    {.name = "created_date",
     .aliases = "createddate|createdate|created|oprettet|skapad|opprettet",
     .parse = DateIn<&Opportunity::created_on>,
     .format = DateOut<&Opportunity::created_on>},
    {.name = "close_date",
     .aliases = "closedate|expectedclosedate|expectedclose|forventetlukkedato|"
                "forvantatavslut|forventetavslutning",
     .parse = DateIn<&Opportunity::close_on>,
     .format = DateOut<&Opportunity::close_on>},
    {.name = "closed_date",
     .aliases = "closeddate|dateclosed|actualclosedate|lukket|avslutad|lukketdato",
     .parse = DateIn<&Opportunity::closed_on>,
     .format = DateOut<&Opportunity::closed_on>},
    {.name = "outcome",
     .aliases = "result|wonlost|status|resultat",
     .parse = OutcomeIn,
     .format =
         [](const Opportunity& r, Lookups&, std::string& out) {
           out += ToString(r.outcome());
           return Status::Ok();
         }},
    {.name = "next_step",
     .aliases = "nextstep|naestetrin|nastasteg|nestesteg",
     .parse = TextIn<&Opportunity::next_step>,
     .format = TextOut<&Opportunity::next_step>},
    {.name = "next_step_date",
     .aliases = "nextstepdate|nextactivitydate|naestetrindato|nastastegdatum",
     .parse = DateIn<&Opportunity::next_step_on>,
     .format = DateOut<&Opportunity::next_step_on>},
    {.name = "forecast_category",
     .aliases = "forecastcategory|forecastcategoryname|forecasttype|prognosekategori",
     .parse = EnumIn<&Opportunity::forecast_category, kForecastAliases>,
     .format = EnumOut<&Opportunity::forecast_category>},
    {.name = "product_lines",
     .aliases = "productlines|products|productline|produkter|produktlinjer",
     .parse = TextIn<&Opportunity::product_lines>,
     .format = TextOut<&Opportunity::product_lines>},
    {.name = "competitors",
     .aliases = "competitor|maincompetitors|konkurrenter|konkurrent",
     .parse = TextIn<&Opportunity::competitors>,
     .format = TextOut<&Opportunity::competitors>},
    {.name = "reason",
     .aliases = "lossreason|winreason|closedlostreason|closedwonreason|reasonlost|arsag|orsak",
     .parse = TextIn<&Opportunity::reason>,
     .format = TextOut<&Opportunity::reason>},
};

// The currency most stored opportunities use; XXX when there are none.
Result<Currency> HouseCurrency(ParseContext& context) {
  if (context.house_currency) return *context.house_currency;
  Currency best;
  if (context.store != nullptr) {
    storage::AggregateQuery query;
    query.group_by = {"amount_currency"};
    query.aggregates = {storage::Aggregate{storage::AggregateFn::kCount, ""}};
    int64_t most = 0;
    SB_RETURN_IF_ERROR(
        context.store->opportunities().Aggregate(query, [&](const storage::AggregateRow& row) {
          const auto* code = std::get_if<std::string>(&row.keys[0]);
          const auto* count = std::get_if<int64_t>(&row.values[0]);
          if (code == nullptr || count == nullptr || *count <= most) return Status::Ok();
          Result<Currency> currency = Currency::Parse(*code);
          if (currency.ok()) {
            best = *currency;
            most = *count;
          }
          return Status::Ok();
        }));
  }
  context.house_currency = best;
  return best;
}

Status FinishOpportunity(Opportunity& o, ParseContext& context, Date today) {
  if (o.amount.currency == Currency()) o.amount.currency = context.default_currency;
  if (o.amount.currency == Currency()) {
    // No amount (a file without money columns, or an empty cell): any currency will do, and the
    // company's own keeps the deal out of a currency of its own in the reports.
    if (o.amount.minor_units != 0) {
      return Status::InvalidArgument("no currency: add a currency column or pass --currency")
          .WithField("amount");
    }
    SB_ASSIGN_OR_RETURN(o.amount.currency, HouseCurrency(context));
  }
  if (IsClosed(o.stage)) {
    if (!o.closed_on) o.closed_on = o.close_on ? *o.close_on : today;
    o.forecast_category = ForecastCategory::kClosed;
    if (!o.probability) o.probability = o.stage == Stage::kClosedWon ? 1.0 : 0.0;
  } else if (o.closed_on) {
    return Status::InvalidArgument("closed_date is set but the opportunity is open (stage " +
                                   std::string(ToString(o.stage)) + ")");
  }
  if (o.created_on == Date{}) {
    // Unknown: the earliest date the row knows, so a deal is never created after it closed.
    // Its history, imported later, can move it further back (OpportunityChangeWritten).
    o.created_on = today;
    for (const std::optional<Date>& known : {o.close_on, o.closed_on, o.next_step_on}) {
      if (known && *known < o.created_on) o.created_on = *known;
    }
  }
  if (o.amount.minor_units < 0) {
    return Status::InvalidArgument("amount is negative").WithField("amount");
  }
  return Status::Ok();
}

const KindSpec<Opportunity, OpportunityId> kOpportunitySpec = {
    .kind = Kind::kOpportunities,
    .what = "opportunity",
    .columns = kOpportunityColumns,
    .repository = [](storage::Store& s) -> storage::OpportunityRepository& {
      return s.opportunities();
    },
    .finish = FinishOpportunity,
    .key = [](const Opportunity& o) { return ExternalKey(o.external_id); },
    .key_columns = "external_id",
    // A new deal from a file without an amount column has an unknown amount, not 0.
    .blank = [](Opportunity& o) { o.amount_known = false; },
};

// --- opportunity history --------------------------------------------------------------------

constexpr ColumnSpec<OpportunityChange> kOpportunityChangeColumns[] = {
    {.name = "opportunity",
     .aliases = "opportunityid|dealid|opportunityexternalid|opportunityname",
     .required = true,
     .parse = RefIn<&OpportunityChange::opportunity_id, &Lookups::Opportunity>,
     .format = RefOut<&OpportunityChange::opportunity_id, &Lookups::OpportunityRef>},
    {.name = "changed_at",
     .aliases = "changedat|createddate|date|changedate|timestamp|editdate|modified|dato|datum",
     .required = true,
     .parse = TimestampIn<&OpportunityChange::changed_at>,
     .format = TimestampOut<&OpportunityChange::changed_at>},
    {.name = "stage",
     .aliases = "stagename|dealstage|tostage|newstage|fase|steg",
     .required = true,
     .parse = EnumIn<&OpportunityChange::stage, kStageAliases>,
     .format = EnumOut<&OpportunityChange::stage>},
    {.name = "amount",
     .aliases = "dealamount|value|belob|belopp|belop",
     .numeric = true,
     .parse = MoneyIn<&OpportunityChange::amount>,
     .format = MoneyOut<&OpportunityChange::amount>},
    {.name = "currency",
     .aliases = "currencycode|currencyisocode|valuta",
     .early = true,
     .parse = CurrencyIn<&OpportunityChange::amount>,
     .format = CurrencyOut<&OpportunityChange::amount>},
    {.name = "probability",
     .aliases = "probabilitypercent|sandsynlighed|sannolikhet|sannsynlighet",
     .numeric = true,
     .parse = ProbabilityIn<&OpportunityChange::probability>,
     .format = ProbabilityOut<&OpportunityChange::probability>},
    {.name = "close_date",
     .aliases = "closedate|expectedclosedate",
     .parse = DateIn<&OpportunityChange::close_on>,
     .format = DateOut<&OpportunityChange::close_on>},
    {.name = "changed_by",
     .aliases = "changedby|createdby|user|editedby|lastmodifiedby",
     .parse = RefIn<&OpportunityChange::changed_by, &Lookups::User>,
     .format = RefOut<&OpportunityChange::changed_by, &Lookups::UserRef>},
    {.name = "next_step_date",
     .aliases = "nextstepdate|nextstepon",
     .parse = DateIn<&OpportunityChange::next_step_on>,
     .format = DateOut<&OpportunityChange::next_step_on>},
};

Status FinishOpportunityChange(OpportunityChange& c, ParseContext& context, Date) {
  if (c.amount.currency == Currency()) c.amount.currency = context.default_currency;
  if (c.amount.currency == Currency() && c.opportunity_id.value != 0 && context.store != nullptr) {
    // No amount in the change: the opportunity's currency.
    if (c.amount.minor_units != 0) {
      return Status::InvalidArgument("no currency: add a currency column or pass --currency")
          .WithField("amount");
    }
    SB_ASSIGN_OR_RETURN(Opportunity o, context.store->opportunities().Get(c.opportunity_id));
    c.amount.currency = o.amount.currency;
  }
  return Status::Ok();
}

// A deal cannot change before it exists: a change dated earlier moves created_on back.
Status OpportunityChangeWritten(const OpportunityChange& c, ParseContext& context) {
  const Date changed_on = ToDate(c.changed_at);
  auto known = context.created_on.find(c.opportunity_id.value);
  if (known != context.created_on.end() && known->second <= changed_on) return Status::Ok();
  SB_ASSIGN_OR_RETURN(Opportunity o, context.store->opportunities().Get(c.opportunity_id));
  if (changed_on < o.created_on) {
    o.created_on = changed_on;
    o.updated_at = context.now;
    SB_RETURN_IF_ERROR(context.store->opportunities().Update(o));
  }
  context.created_on[c.opportunity_id.value] = o.created_on;
  return Status::Ok();
}

const KindSpec<OpportunityChange, OpportunityChangeId> kOpportunityChangeSpec = {
    .kind = Kind::kOpportunityHistory,
    .what = "opportunity change",
    .columns = kOpportunityChangeColumns,
    .repository = [](storage::Store& s) -> storage::OpportunityChangeRepository& {
      return s.opportunity_changes();
    },
    .finish = FinishOpportunityChange,
    .key =
        [](const OpportunityChange& c) {
          return std::to_string(c.opportunity_id.value) + "@" + FormatTimestamp(c.changed_at);
        },
    .key_columns = "opportunity and changed_at",
    .after_write = OpportunityChangeWritten,
};

// --- activities -----------------------------------------------------------------------------

constexpr ColumnSpec<Activity> kActivityColumns[] = {
    {.name = "external_id",
     .aliases = "id|activityid|taskid|eventid|externalid|recordid",
     .parse = TextIn<&Activity::external_id>,
     .format = TextOut<&Activity::external_id>},
    {.name = "type",
     .aliases = "activitytype|tasktype|eventtype|subtype|kind|aktivitetstype|typ",
     .required = true,
     .parse = EnumIn<&Activity::type, kActivityTypeAliases>,
     .format = EnumOut<&Activity::type>},
    {.name = "status",
     .aliases = "activitystatus|taskstatus|state",
     .parse = EnumIn<&Activity::status, kActivityStatusAliases>,
     .format = EnumOut<&Activity::status>},
    {.name = "date",
     .aliases = "activitydate|duedate|startdatetime|start|datetime|when|dato|datum|tidspunkt|"
                "completeddate",
     .required = true,
     .parse = TimestampIn<&Activity::at>,
     .format = TimestampOut<&Activity::at>},
    {.name = "owner_email",
     .aliases = "owner|assignedto|owneremail|activityowner|ansvarlig|saljare|selger",
     .parse = OwnerIn<&Activity::owner_id>,
     .format = RefOut<&Activity::owner_id, &Lookups::UserRef>},
    {.name = "account",
     .aliases = "accountid|accountname|company|associatedcompany|kunde|kund|relatedto",
     .parse = RefIn<&Activity::account_id, &Lookups::Account>,
     .format = RefOut<&Activity::account_id, &Lookups::AccountRef>},
    {.name = "contact",
     .aliases = "contactid|associatedcontact|whoid|kontakt|kontaktperson",
     .parse = RefIn<&Activity::contact_id, &Lookups::Contact>,
     .format = RefOut<&Activity::contact_id, &Lookups::ContactRef>},
    {.name = "opportunity",
     .aliases = "opportunityid|dealid|associateddeal|whatid|salgsmulighed",
     .parse = RefIn<&Activity::opportunity_id, &Lookups::Opportunity>,
     .format = RefOut<&Activity::opportunity_id, &Lookups::OpportunityRef>},
    {.name = "lead",
     .aliases = "leadid|emne",
     .parse = RefIn<&Activity::lead_id, &Lookups::Lead>,
     .format = RefOut<&Activity::lead_id, &Lookups::LeadRef>},
    {.name = "outcome",
     .aliases = "result|callresult|calloutcome|meetingoutcome|resultat|udfald|utfall",
     .parse = TextIn<&Activity::outcome>,
     .format = TextOut<&Activity::outcome>},
    {.name = "notes",
     .aliases = "note|description|comments|comment|body|subject|noter|anteckningar|notater",
     .parse = TextIn<&Activity::notes>,
     .format = TextOut<&Activity::notes>},
};

const KindSpec<Activity, ActivityId> kActivitySpec = {
    .kind = Kind::kActivities,
    .what = "activity",
    .columns = kActivityColumns,
    .repository = [](storage::Store& s) -> storage::ActivityRepository& { return s.activities(); },
    .finish =
        [](Activity& a, ParseContext&, Date) {
          if (!a.account_id && !a.contact_id && !a.opportunity_id && !a.lead_id) {
            return Status::InvalidArgument(
                "the activity is linked to nothing: give an account, contact, opportunity or "
                "lead");
          }
          return Status::Ok();
        },
    .key = [](const Activity& a) { return ExternalKey(a.external_id); },
    .key_columns = "external_id",
};

// --- orders ---------------------------------------------------------------------------------

constexpr ColumnSpec<Order> kOrderColumns[] = {
    {.name = "external_id",
     .aliases = "id|orderid|ordernumber|orderno|invoicenumber|invoiceno|ordrenr|ordrenummer|"
                "ordernummer|fakturanr|fakturanummer",
     .parse = TextIn<&Order::external_id>,
     .format = TextOut<&Order::external_id>},
    {.name = "account",
     .aliases = "accountid|accountname|customer|customerid|customernumber|kunde|kund|kundenr|"
                "kundnummer|company",
     .required = true,
     .parse = RefIn<&Order::account_id, &Lookups::Account>,
     .format = RefOut<&Order::account_id, &Lookups::AccountRef>},
    {.name = "date",
     .aliases = "orderdate|invoicedate|ordered|dato|datum|ordredato|orderdatum|fakturadato",
     .required = true,
     .parse = DateIn<&Order::ordered_on>,
     .format = DateOut<&Order::ordered_on>},
    {.name = "revenue",
     .aliases = "amount|sales|net|netamount|total|omsaetning|omsattning|omsetning|belob|belopp",
     .required = true,
     .numeric = true,
     .parse = MoneyIn<&Order::revenue>,
     .format = MoneyOut<&Order::revenue>},
    {.name = "margin",
     .aliases = "grossmargin|profit|grossprofit|db|daekningsbidrag|tackningsbidrag|"
                "dekningsbidrag|bruttoavance",
     .numeric = true,
     .parse = MoneyIn<&Order::margin>,
     .format = MoneyOut<&Order::margin>},
    {.name = "currency",
     .aliases = "currencycode|currencyisocode|valuta",
     .early = true,
     .parse =
         [](std::string_view cell, Order& r, ParseContext& context) {
           SB_RETURN_IF_ERROR(CurrencyIn<&Order::revenue>(cell, r, context));
           r.margin.currency = r.revenue.currency;
           return Status::Ok();
         },
     .format = CurrencyOut<&Order::revenue>},
};

Status FinishOrder(Order& o, ParseContext& context, Date) {
  if (o.revenue.currency == Currency()) o.revenue.currency = context.default_currency;
  if (o.revenue.currency == Currency()) {
    return Status::InvalidArgument("no currency: add a currency column or pass --currency");
  }
  o.margin.currency = o.revenue.currency;
  if (o.margin.minor_units > o.revenue.minor_units && o.revenue.minor_units >= 0) {
    return Status::InvalidArgument(
        "margin " + FormatMinorUnits(o.margin.minor_units, o.margin.currency.minor_digits()) +
        " is larger than revenue " +
        FormatMinorUnits(o.revenue.minor_units, o.revenue.currency.minor_digits()));
  }
  if (o.external_id.empty() && context.occurrences != nullptr) {
    // No order number: derive a stable key from the row, numbered by occurrence in the file,
    // so that re-importing the same file updates instead of duplicating.
    std::string content = std::to_string(o.account_id.value) + "|" + FormatDate(o.ordered_on) +
                          "|" + std::to_string(o.revenue.minor_units) + "|" +
                          std::to_string(o.margin.minor_units) + "|" +
                          std::string(o.revenue.currency.code());
    uint64_t hash = 1469598103934665603ULL;  // FNV-1a
    for (unsigned char c : content) hash = (hash ^ c) * 1099511628211ULL;
    int n = ++(*context.occurrences)[content];
    char buffer[48];
    std::snprintf(buffer, sizeof(buffer), "auto-%016llx-%d", static_cast<unsigned long long>(hash),
                  n);
    o.external_id = buffer;
  }
  return Status::Ok();
}

const KindSpec<Order, OrderId> kOrderSpec = {
    .kind = Kind::kOrders,
    .what = "order",
    .columns = kOrderColumns,
    .repository = [](storage::Store& s) -> storage::OrderRepository& { return s.orders(); },
    .finish = FinishOrder,
    .key = [](const Order& o) { return ExternalKey(o.external_id); },
    .key_columns = "external_id",
};

// --- scorecard answers ----------------------------------------------------------------------

constexpr EnumAlias<SubjectType> kSubjectTypeAliases[] = {
    {SubjectType::kOpportunity, "deal|opportunities|salgsmulighed|affarsmojlighet|salgsmulighet"},
    {SubjectType::kAccount, "customer|accounts|kunde|kund|company"},
};

constexpr EnumAlias<Answer> kAnswerAliases[] = {
    {Answer::kYes, "y|true|1|ja|j|x"},
    {Answer::kNo, "n|false|0|nej|nei"},
    {Answer::kUnknown, "dontknow|na|ukendt|okant|vetej|ukjent"},
};

// The subject by its external id (accounts also by name), as the row's subject type says.
Status SubjectIn(std::string_view cell, ScorecardAnswer& a, ParseContext& context) {
  if (cell.empty()) return Status::Ok();
  if (a.subject_type == SubjectType::kOpportunity) {
    SB_ASSIGN_OR_RETURN(OpportunityId id, context.lookups->Opportunity(cell));
    a.subject_id = id.value;
  } else {
    SB_ASSIGN_OR_RETURN(AccountId id, context.lookups->Account(cell));
    a.subject_id = id.value;
  }
  return Status::Ok();
}
Status SubjectOut(const ScorecardAnswer& a, Lookups& lookups, std::string& out) {
  Result<std::string> ref = a.subject_type == SubjectType::kOpportunity
                                ? lookups.OpportunityRef(OpportunityId{a.subject_id})
                                : lookups.AccountRef(AccountId{a.subject_id});
  SB_RETURN_IF_ERROR(ref.status());
  out += *ref;
  return Status::Ok();
}

constexpr ColumnSpec<ScorecardAnswer> kScorecardAnswerColumns[] = {
    {.name = "subject_type",
     .aliases = "subjecttype|type|subject|kind|objecttype",
     .required = true,
     .early = true,
     .parse = EnumIn<&ScorecardAnswer::subject_type, kSubjectTypeAliases>,
     .format = EnumOut<&ScorecardAnswer::subject_type>},
    {.name = "subject_external_id",
     .aliases = "subjectexternalid|subjectid|externalid|opportunityid|accountid|opportunity|"
                "account|dealid",
     .required = true,
     .parse = SubjectIn,
     .format = SubjectOut},
    {.name = "criterion_id",
     .aliases = "criterion|criterionid|question|kriterium",
     .required = true,
     .parse = TextIn<&ScorecardAnswer::criterion_id>,
     .format = TextOut<&ScorecardAnswer::criterion_id>},
    {.name = "answer",
     .aliases = "value|response|svar",
     .required = true,
     .parse = EnumIn<&ScorecardAnswer::answer, kAnswerAliases>,
     .format = EnumOut<&ScorecardAnswer::answer>},
    {.name = "answered_at",
     .aliases = "answeredat|date|at|timestamp|dato|datum",
     .required = true,
     .parse = TimestampIn<&ScorecardAnswer::answered_at>,
     .format = TimestampOut<&ScorecardAnswer::answered_at>},
    {.name = "note",
     .aliases = "evidence|notes|comment|bemaerkning|kommentar|notat",
     .parse = TextIn<&ScorecardAnswer::note>,
     .format = TextOut<&ScorecardAnswer::note>},
    {.name = "answered_by",
     .aliases = "answeredby|user|by|owner",
     .parse = RefIn<&ScorecardAnswer::answered_by, &Lookups::User>,
     .format = RefOut<&ScorecardAnswer::answered_by, &Lookups::UserRef>},
};

Status FinishScorecardAnswer(ScorecardAnswer& a, ParseContext& context, Date today) {
  if (a.subject_id == 0)
    return Status::InvalidArgument("no subject: the subject_external_id is empty");
  if (ToDate(a.answered_at) > today) {
    return Status::InvalidArgument("answered_at " + FormatTimestamp(a.answered_at) +
                                   " is in the future")
        .WithField("answered_at");
  }
  if (!context.criteria_loaded && context.store != nullptr) {
    SB_ASSIGN_OR_RETURN(ActivePlaybooks playbooks, LoadActivePlaybooks(*context.store));
    for (int k = 0; k < 2; ++k) {
      const ActivePlaybook& active = k == 0 ? playbooks.opportunity : playbooks.account;
      for (const analytics::audit::Criterion& c : active.playbook.criteria) {
        if (!c.auto_rule) context.manual_criteria[k].push_back(c.id);
      }
      context.playbook_labels[k] = active.label();
    }
    context.criteria_loaded = true;
  }
  if (context.criteria_loaded) {
    const int k = a.subject_type == SubjectType::kOpportunity ? 0 : 1;
    const auto& ids = context.manual_criteria[k];
    if (std::find(ids.begin(), ids.end(), a.criterion_id) == ids.end()) {
      std::string list;
      for (const std::string& id : ids) list += (list.empty() ? "" : ", ") + id;
      return Status::InvalidArgument("criterion_id \"" + a.criterion_id +
                                     "\" is not a criterion people answer in the playbook " +
                                     context.playbook_labels[k] + " (" + list + ")")
          .WithField("criterion_id");
    }
  }
  return Status::Ok();
}

const KindSpec<ScorecardAnswer, ScorecardAnswerId> kScorecardAnswerSpec = {
    .kind = Kind::kScorecardAnswers,
    .what = "scorecard answer",
    .columns = kScorecardAnswerColumns,
    .repository = [](storage::Store& s) -> storage::ScorecardAnswerRepository& {
      return s.scorecard_answers();
    },
    .finish = FinishScorecardAnswer,
    .key =
        [](const ScorecardAnswer& a) {
          return std::string(ToString(a.subject_type)) + ":" + std::to_string(a.subject_id) + ":" +
                 a.criterion_id + "@" + FormatTimestamp(a.answered_at);
        },
    .key_columns = "subject_type, subject_external_id, criterion_id and answered_at",
};

// --- objectives -----------------------------------------------------------------------------

constexpr EnumAlias<ObjectiveMetric> kMetricAliases[] = {
    {ObjectiveMetric::kWonAmount, "wonamount|newsales|sales|bookings|salg|forsaljning"},
    {ObjectiveMetric::kGrossMargin, "margin|grossmargin|db|daekningsbidrag|bruttoavance"},
    {ObjectiveMetric::kMarginPct, "marginpercent|marginpct|grossmarginpct|margin%"},
    {ObjectiveMetric::kWinRate, "winrate|hitrate|hitrate%|winpct"},
    {ObjectiveMetric::kNewCustomers, "newcustomers|newaccounts|nyekunder|nyakunder"},
    {ObjectiveMetric::kMeetings, "meetings|moeder|moten|moter"},
    {ObjectiveMetric::kCoreMeetingShare, "coremeetingshare|coremeetings"},
    {ObjectiveMetric::kCoreActivityShare, "coreactivityshare|coreactivities"},
};

// The currency names the money of a money metric (and margin_pct's orders); an empty cell
// clears it.
Status ObjectiveCurrencyIn(std::string_view cell, Objective& o, ParseContext&) {
  if (cell.empty()) {
    o.target_amount.reset();
    return Status::Ok();
  }
  Result<Currency> currency = Currency::Parse(cell);
  if (!currency.ok()) return Bad(cell, "is not an ISO 4217 currency code (DKK, SEK, NOK, EUR)");
  if (!o.target_amount) o.target_amount = Money{};
  o.target_amount->currency = *currency;
  return Status::Ok();
}
Status ObjectiveCurrencyOut(const Objective& o, Lookups&, std::string& out) {
  if (o.target_amount) out += o.target_amount->currency.code();
  return Status::Ok();
}

// A money metric's target is an amount in its currency (parsed after metric and currency, which
// are early columns); the others a plain number.
Status ObjectiveTargetIn(std::string_view cell, Objective& o, ParseContext& context) {
  if (cell.empty()) return Status::Ok();  // required columns are checked by the importer
  const bool has_currency = o.target_amount || context.default_currency != Currency();
  if (UnitOf(o.metric) == MetricUnit::kMoney && has_currency) {
    if (!o.target_amount) o.target_amount = Money{};
    return ParseMoneyCell(cell, *o.target_amount, context);
  }
  // Without a currency a money target is read as a number; FinishObjective then names the
  // missing currency, which is the actual mistake.
  std::string_view number = cell;
  if (!number.empty() && number.back() == '%') number = Trim(number.substr(0, number.size() - 1));
  Result<int64_t> millionths = ParseDecimal(number, 6, context.decimal);
  if (!millionths.ok()) return Bad(cell, "is not a number");
  o.target = static_cast<double>(*millionths) / 1e6;
  return Status::Ok();
}
Status ObjectiveTargetOut(const Objective& o, Lookups&, std::string& out) {
  if (UnitOf(o.metric) == MetricUnit::kMoney) {
    if (o.target_amount) {
      out +=
          FormatMinorUnits(o.target_amount->minor_units, o.target_amount->currency.minor_digits());
    }
    return Status::Ok();
  }
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), o.target);
  out.append(buffer, end);
  return Status::Ok();
}

constexpr ColumnSpec<Objective> kObjectiveColumns[] = {
    {.name = "name",
     .aliases = "objective|objectivename|goal|maal|mal|navn|namn",
     .required = true,
     .parse = TextIn<&Objective::name>,
     .format = TextOut<&Objective::name>},
    {.name = "metric",
     .aliases = "measure|kpi|maaltal|matt",
     .required = true,
     .early = true,
     .parse = EnumIn<&Objective::metric, kMetricAliases>,
     .format = EnumOut<&Objective::metric>},
    {.name = "target",
     .aliases = "goalvalue|targetvalue|value|maalvaerdi|malvarde",
     .required = true,
     .numeric = true,
     .parse = ObjectiveTargetIn,
     .format = ObjectiveTargetOut},
    {.name = "currency",
     .aliases = "currencycode|currencyisocode|valuta",
     .early = true,
     .parse = ObjectiveCurrencyIn,
     .format = ObjectiveCurrencyOut},
    {.name = "period_start",
     .aliases = "start|startdate|from|periodstart|startdato|startdatum",
     .required = true,
     .parse = DateIn<&Objective::period_start>,
     .format = DateOut<&Objective::period_start>},
    {.name = "period_end",
     .aliases = "end|enddate|to|periodend|slutdato|slutdatum|sluttdato",
     .required = true,
     .parse = DateIn<&Objective::period_end>,
     .format = DateOut<&Objective::period_end>},
};

Status FinishObjective(Objective& o, ParseContext& context, Date) {
  const ObjectiveMetric metric = o.metric;
  const std::string name(ToString(metric));
  if (NeedsCurrency(metric) && !o.target_amount && context.default_currency != Currency()) {
    o.target_amount = Money{0, context.default_currency};  // import --currency
  }
  if (NeedsCurrency(metric)) {
    if (!o.target_amount || o.target_amount->currency == Currency()) {
      return Status::InvalidArgument("the metric " + name + " needs a currency")
          .WithField("currency");
    }
  } else if (o.target_amount) {
    return Status::InvalidArgument("the metric " + name +
                                   " is not about money: leave the currency empty")
        .WithField("currency");
  }
  if (UnitOf(metric) == MetricUnit::kMoney) {
    o.target = 0;
    if (o.target_amount->minor_units < 0) {
      return Status::InvalidArgument("the target is negative").WithField("target");
    }
  } else {
    if (o.target_amount) o.target_amount->minor_units = 0;
    if (!std::isfinite(o.target) || o.target < 0) {
      return Status::InvalidArgument("the target is negative").WithField("target");
    }
    if (UnitOf(metric) == MetricUnit::kPercent && o.target > 100) {
      return Status::InvalidArgument("the target of " + name + " is a percentage (0-100)")
          .WithField("target");
    }
    if (UnitOf(metric) == MetricUnit::kCount && o.target != std::floor(o.target)) {
      return Status::InvalidArgument("the target of " + name + " is a whole number")
          .WithField("target");
    }
  }
  if (o.period_end < o.period_start) {
    return Status::InvalidArgument("period_end is before period_start").WithField("period_end");
  }
  return Status::Ok();
}

const KindSpec<Objective, ObjectiveId> kObjectiveSpec = {
    .kind = Kind::kObjectives,
    .what = "objective",
    .columns = kObjectiveColumns,
    .repository = [](storage::Store& s) -> storage::ObjectiveRepository& { return s.objectives(); },
    .finish = FinishObjective,
    .key = [](const Objective& o) { return o.name; },
    .key_columns = "name",
};

// --- value propositions ----------------------------------------------------------------------

constexpr ColumnSpec<ValueProposition> kValuePropositionColumns[] = {
    {.name = "segment",
     .aliases = "segmentname|malgruppe|malgrupp",
     .required = true,
     .parse = RefIn<&ValueProposition::segment_id, &Lookups::Segment>,
     .format = RefOut<&ValueProposition::segment_id, &Lookups::SegmentRef>},
    {.name = "statement",
     .aliases = "valueproposition|proposition|vaerditilbud|vardeerbjudande|verdiforslag",
     .required = true,
     .parse = TextIn<&ValueProposition::statement>,
     .format = TextOut<&ValueProposition::statement>},
    {.name = "key_issues",
     .aliases = "keybusinessissues|issues|businessissues|pains",
     .parse = TextIn<&ValueProposition::key_issues>,
     .format = TextOut<&ValueProposition::key_issues>},
    {.name = "discovery_questions",
     .aliases = "questions|discovery|spoergsmaal|fragor|sporsmal",
     .parse = TextIn<&ValueProposition::discovery_questions>,
     .format = TextOut<&ValueProposition::discovery_questions>},
    {.name = "proof_points",
     .aliases = "proof|references|cases|referencer|referenser",
     .parse = TextIn<&ValueProposition::proof_points>,
     .format = TextOut<&ValueProposition::proof_points>},
};

const KindSpec<ValueProposition, ValuePropositionId> kValuePropositionSpec = {
    .kind = Kind::kValuePropositions,
    .what = "value proposition",
    .columns = kValuePropositionColumns,
    .repository = [](storage::Store& s) -> storage::ValuePropositionRepository& {
      return s.value_propositions();
    },
    .finish =
        [](ValueProposition& v, ParseContext&, Date) {
          if (v.segment_id.value == 0) {
            return Status::InvalidArgument("no segment").WithField("segment");
          }
          return Status::Ok();
        },
    .key = [](const ValueProposition& v) { return std::to_string(v.segment_id.value); },
    .key_columns = "segment",
};

}  // namespace

const KindSpec<Team, TeamId>& TeamSpec() { return kTeamSpec; }
const KindSpec<Segment, SegmentId>& SegmentSpec() { return kSegmentSpec; }
const KindSpec<User, UserId>& UserSpec() { return kUserSpec; }
const KindSpec<Account, AccountId>& AccountSpec() { return kAccountSpec; }
const KindSpec<Contact, ContactId>& ContactSpec() { return kContactSpec; }
const KindSpec<Campaign, CampaignId>& CampaignSpec() { return kCampaignSpec; }
const KindSpec<Lead, LeadId>& LeadSpec() { return kLeadSpec; }
const KindSpec<Opportunity, OpportunityId>& OpportunitySpec() { return kOpportunitySpec; }
const KindSpec<OpportunityChange, OpportunityChangeId>& OpportunityChangeSpec() {
  return kOpportunityChangeSpec;
}
const KindSpec<Activity, ActivityId>& ActivitySpec() { return kActivitySpec; }
const KindSpec<Order, OrderId>& OrderSpec() { return kOrderSpec; }
const KindSpec<ScorecardAnswer, ScorecardAnswerId>& ScorecardAnswerSpec() {
  return kScorecardAnswerSpec;
}
const KindSpec<Objective, ObjectiveId>& ObjectiveSpec() { return kObjectiveSpec; }
const KindSpec<ValueProposition, ValuePropositionId>& ValuePropositionSpec() {
  return kValuePropositionSpec;
}

}  // namespace salesbox::service::internal
