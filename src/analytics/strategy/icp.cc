// SPDX-License-Identifier: MIT
// Design notes
// (1) Customers and value. Customers are the accounts with orders in the window. A customer's
//     value is its gross margin in the window in its main currency (the currency of most of its
//     orders there), or its given account value (e.g. CLV) when StrategyInput::account_values
//     is not empty. Values are never compared across currencies: within each currency the
//     customers are ranked by value (ties: lower id first) and the first ceil(top_share · n)
//     with a positive value are the top customers.
// (2) Lift with shrinkage. For an attribute, N customers have a known value and T of them are
//     top, p = T/N. A value held by n customers, t of them top, has the raw lift (t/n)/p: how
//     many times more likely a customer with it is to be top. Small groups make raw lifts
//     noisy (one top customer out of two is a lift of 2.5 at p = 0.2), so the rate t/n is
//     shrunk towards p by additive smoothing with m pseudo-customers at the base rate:
//       rate = (t + m·p) / (n + m),   lift = rate / p = (t + m·p) / ((n + m)·p).
//     This is the posterior mean of a Beta(m·p, m·(1−p)) prior on the value's top rate (the
//     empirical-Bayes reading: the prior's mean is the observed base rate). n = 0 gives 1; as
//     n grows the lift tends to the raw lift; m = 0 is the raw lift. Default m = 10.
// (3) Fit score. An account's log-score is S = Σ ln lift over the fit attributes, counting 0
//     for an attribute whose value is unknown or held by no customer (lift 1): a naive-Bayes
//     style product of lifts, read additively. It is placed between the worst and the best
//     profile the lifts allow, L = Σ_a min(0, min_v ln lift) and H = Σ_a max(0, max_v ln lift):
//       fit = 100 · (S − L) / (H − L)   (50 when H = L).
//     So 100 is the best value of every attribute, 0 the worst, and an account with nothing
//     known sits where "no information" falls. The explanation lists the attributes with the
//     largest |ln lift|, each as "label ×lift". Inside the logarithms lifts are floored at 0.01
//     (only an unshrunk lift, m = 0, can be 0).
// (4) Lead source. An account's lead source is the source of its earliest lead; a lead has its
//     own source and, when linked to an account, the account's other attributes.
#include "analytics/strategy/icp.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>
#include <unordered_map>

#include "analytics/strategy/internal/order_sums.h"
#include "domain/enum_names.h"

namespace salesbox::analytics::strategy {
namespace {

using Values = std::array<std::string_view, kIcpAttributes>;

// Lifts are floored here inside logarithms (a zero lift, possible only without shrinkage, would
// make a score minus infinity).
constexpr double kMinLift = 0.01;
double LogLift(double lift) { return std::log(std::max(lift, kMinLift)); }

// The fit attributes' lifts by value, pointing into a profile.
using LiftIndex = std::array<std::unordered_map<std::string_view, const IcpLift*>, kIcpAttributes>;

LiftIndex IndexLifts(const IcpProfile& profile) {
  LiftIndex index;
  for (const IcpLift& lift : profile.lifts) {
    if (lift.in_fit) index[static_cast<int>(lift.attribute)][lift.value] = &lift;
  }
  return index;
}

constexpr IcpAttribute kAll[kIcpAttributes] = {IcpAttribute::kIndustry,   IcpAttribute::kSizeBand,
                                               IcpAttribute::kRegion,     IcpAttribute::kCountry,
                                               IcpAttribute::kLeadSource, IcpAttribute::kSegment};

std::string_view SourceName(LeadSource source) {
  for (const auto& [value, name] : EnumNames<LeadSource>::kNames) {
    if (value == source) return name;
  }
  return "other";
}

// Each account's earliest lead's source.
std::unordered_map<int64_t, LeadSource> AccountSources(const StrategyInput& input) {
  std::unordered_map<int64_t, const LeadFacts*> first;
  for (const LeadFacts& lead : input.leads) {
    if (lead.account_id == 0) continue;
    const LeadFacts*& best = first[lead.account_id];
    auto key = [](const LeadFacts* l) {
      return std::make_pair(l->created_on.value_or(Date::max()), l->id);
    };
    if (best == nullptr || key(&lead) < key(best)) best = &lead;
  }
  std::unordered_map<int64_t, LeadSource> out;
  for (const auto& [account, lead] : first) out[account] = lead->source;
  return out;
}

std::unordered_map<int64_t, std::string_view> SegmentNames(const StrategyInput& input) {
  std::unordered_map<int64_t, std::string_view> names;
  for (const SegmentDefinition& s : input.segments) names[s.id] = s.name;
  return names;
}

Values AttributesOf(const AccountFacts& a,
                    const std::unordered_map<int64_t, std::string_view>& segments,
                    std::optional<LeadSource> source) {
  Values v;
  v[static_cast<int>(IcpAttribute::kIndustry)] = a.industry;
  v[static_cast<int>(IcpAttribute::kSizeBand)] = SizeBand(a.employees);
  v[static_cast<int>(IcpAttribute::kRegion)] = a.region;
  v[static_cast<int>(IcpAttribute::kCountry)] = a.country;
  if (source) v[static_cast<int>(IcpAttribute::kLeadSource)] = SourceName(*source);
  auto it = segments.find(a.segment_id);
  if (it != segments.end()) v[static_cast<int>(IcpAttribute::kSegment)] = it->second;
  return v;
}

std::string FormatLift(double lift) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, lift >= 1 ? "×%.1f" : "×%.2f", lift);
  return buffer;
}

FitScore Score(const IcpProfile& profile, const LiftIndex& index, int64_t id,
               const Values& values) {
  FitScore fit;
  fit.id = id;
  double s = 0;
  for (IcpAttribute attribute : kAll) {
    const std::string_view value = values[static_cast<int>(attribute)];
    if (value.empty()) continue;
    const auto& lifts = index[static_cast<int>(attribute)];
    auto it = lifts.find(value);
    if (it == lifts.end()) continue;
    const IcpLift* lift = it->second;
    s += LogLift(lift->lift);
    fit.factors.push_back(FitFactor{attribute, std::string(value), lift->lift});
  }
  const double range = profile.log_high - profile.log_low;
  fit.score = range > 0 ? std::clamp(100 * (s - profile.log_low) / range, 0.0, 100.0) : 50;
  std::stable_sort(fit.factors.begin(), fit.factors.end(),
                   [](const FitFactor& x, const FitFactor& y) {
                     return std::abs(LogLift(x.lift)) > std::abs(LogLift(y.lift));
                   });
  for (size_t i = 0; i < fit.factors.size() && static_cast<int>(i) < profile.top_factors; ++i) {
    if (i > 0) fit.explanation += ", ";
    fit.explanation += FactorLabel(fit.factors[i].attribute, fit.factors[i].value) + " " +
                       FormatLift(fit.factors[i].lift);
  }
  return fit;
}

}  // namespace

std::string_view IcpAttributeName(IcpAttribute attribute) {
  switch (attribute) {
    case IcpAttribute::kIndustry:
      return "industry";
    case IcpAttribute::kSizeBand:
      return "size_band";
    case IcpAttribute::kRegion:
      return "region";
    case IcpAttribute::kCountry:
      return "country";
    case IcpAttribute::kLeadSource:
      return "lead_source";
    case IcpAttribute::kSegment:
      return "segment";
  }
  return "industry";
}

std::string_view SizeBand(std::optional<int64_t> employees) {
  if (!employees || *employees <= 0) return {};
  if (*employees < 10) return "1-9";
  if (*employees < 50) return "10-49";
  if (*employees < 250) return "50-249";
  if (*employees < 1000) return "250-999";
  return "1000+";
}

std::string FactorLabel(IcpAttribute attribute, std::string_view value) {
  switch (attribute) {
    case IcpAttribute::kSizeBand: {
      std::string band(value);
      const size_t dash = band.find('-');
      if (dash != std::string::npos) band.replace(dash, 1, "–");
      return "size " + band;
    }
    case IcpAttribute::kLeadSource:
      return "source=" + std::string(value);
    case IcpAttribute::kIndustry:
    case IcpAttribute::kRegion:
    case IcpAttribute::kCountry:
    case IcpAttribute::kSegment:
      break;
  }
  return std::string(IcpAttributeName(attribute)) + "=" + std::string(value);
}

const IcpLift* IcpProfile::Find(IcpAttribute attribute, std::string_view value) const {
  for (const IcpLift& lift : lifts) {
    if (lift.attribute == attribute && lift.value == value) return &lift;
  }
  return nullptr;
}

Result<IcpProfile> BuildIcpProfile(const StrategyInput& input, const IcpOptions& options) {
  if (!(options.top_share > 0 && options.top_share <= 1)) {
    return Status::InvalidArgument("icp: top share " + std::to_string(options.top_share) +
                                   " is not in (0, 1]");
  }
  if (!(options.prior_strength >= 0) || !std::isfinite(options.prior_strength)) {
    return Status::InvalidArgument("icp: prior strength " + std::to_string(options.prior_strength) +
                                   " must be a finite number >= 0");
  }
  Window window = options.window;
  if (!window.to) window.to = input.as_of;

  std::unordered_map<int64_t, const AccountFacts*> accounts;
  accounts.reserve(input.accounts.size());
  for (const AccountFacts& a : input.accounts) accounts[a.id] = &a;

  // Customers: main currency and value (design note 1).
  struct Customer {
    int64_t id = 0;
    Currency currency;
    int64_t value = 0;
    int64_t orders = 0;
    bool top = false;
  };
  std::vector<Customer> customers;
  for (const internal::AccountCurrencySum& sum :
       internal::SumOrdersByAccount(input.orders, window)) {
    if (!accounts.contains(sum.account_id)) continue;
    if (customers.empty() || customers.back().id != sum.account_id) {
      customers.push_back(Customer{sum.account_id, sum.currency, sum.margin, sum.orders, false});
    } else if (sum.orders > customers.back().orders) {
      customers.back().currency = sum.currency;
      customers.back().value = sum.margin;
      customers.back().orders = sum.orders;
    }
  }
  const bool by_account_value = !input.account_values.empty();
  if (by_account_value) {
    for (Customer& c : customers) {
      auto it = input.account_values.find(c.id);
      c.value = it == input.account_values.end() ? 0 : it->second.minor_units;
      if (it != input.account_values.end()) c.currency = it->second.currency;
    }
  }
  std::map<Currency, std::vector<Customer*>> by_currency;
  for (Customer& c : customers) by_currency[c.currency].push_back(&c);
  int64_t top_total = 0;
  for (auto& [currency, group] : by_currency) {
    std::sort(group.begin(), group.end(), [](const Customer* x, const Customer* y) {
      return x->value != y->value ? x->value > y->value : x->id < y->id;
    });
    const double wanted = options.top_share * static_cast<double>(group.size());
    const size_t k = static_cast<size_t>(std::ceil(wanted - 1e-9));
    for (size_t i = 0; i < k && i < group.size() && group[i]->value > 0; ++i) {
      group[i]->top = true;
      ++top_total;
    }
  }
  if (top_total == 0) {
    return Status::FailedPrecondition(customers.empty()
                                          ? "icp: no customers (no orders in the window)"
                                          : "icp: no customer has a positive value");
  }

  // Counts per attribute value.
  const std::unordered_map<int64_t, LeadSource> sources = AccountSources(input);
  const std::unordered_map<int64_t, std::string_view> segment_names = SegmentNames(input);
  struct Count {
    int64_t n = 0;
    int64_t t = 0;
  };
  std::array<std::map<std::string, Count, std::less<>>, kIcpAttributes> counts;
  for (const Customer& c : customers) {
    const AccountFacts& account = *accounts.at(c.id);
    auto source = sources.find(c.id);
    const Values values = AttributesOf(
        account, segment_names,
        source == sources.end() ? std::nullopt : std::optional<LeadSource>(source->second));
    for (int a = 0; a < kIcpAttributes; ++a) {
      if (values[a].empty()) continue;
      auto it = counts[a].find(values[a]);
      if (it == counts[a].end()) it = counts[a].emplace(std::string(values[a]), Count{}).first;
      ++it->second.n;
      if (c.top) ++it->second.t;
    }
  }

  IcpProfile profile;
  profile.value_basis = by_account_value ? "account_value" : "margin";
  profile.top_share = options.top_share;
  profile.prior_strength = options.prior_strength;
  profile.customers = static_cast<int64_t>(customers.size());
  profile.top_customers = top_total;
  profile.top_factors = options.top_factors;
  const double m = options.prior_strength;
  for (IcpAttribute attribute : kAll) {
    const int a = static_cast<int>(attribute);
    const bool in_fit = std::find(options.fit_attributes.begin(), options.fit_attributes.end(),
                                  attribute) != options.fit_attributes.end();
    int64_t n_all = 0;
    int64_t t_all = 0;
    for (const auto& [value, count] : counts[a]) {
      n_all += count.n;
      t_all += count.t;
    }
    const size_t first = profile.lifts.size();
    const double p = n_all > 0 ? static_cast<double>(t_all) / static_cast<double>(n_all) : 0;
    for (const auto& [value, count] : counts[a]) {
      IcpLift lift;
      lift.attribute = attribute;
      lift.value = value;
      lift.customers = count.n;
      lift.top_customers = count.t;
      lift.share_all = static_cast<double>(count.n) / static_cast<double>(n_all);
      lift.share_top = t_all > 0 ? static_cast<double>(count.t) / static_cast<double>(t_all) : 0;
      if (p > 0) {
        const double n = static_cast<double>(count.n);
        const double t = static_cast<double>(count.t);
        lift.raw_lift = t / n / p;
        lift.lift = n + m > 0 ? (t + m * p) / ((n + m) * p) : 1;
      }
      lift.in_fit = in_fit;
      profile.lifts.push_back(std::move(lift));
    }
    std::sort(profile.lifts.begin() + static_cast<std::ptrdiff_t>(first), profile.lifts.end(),
              [](const IcpLift& x, const IcpLift& y) {
                return x.lift != y.lift ? x.lift > y.lift : x.value < y.value;
              });
    if (!in_fit || first == profile.lifts.size()) continue;
    double low = 0;
    double high = 0;
    for (size_t i = first; i < profile.lifts.size(); ++i) {
      const double l = LogLift(profile.lifts[i].lift);
      low = std::min(low, l);
      high = std::max(high, l);
    }
    profile.log_low += low;
    profile.log_high += high;
  }
  return profile;
}

std::vector<FitScore> ScoreAccounts(const IcpProfile& profile, const StrategyInput& input) {
  const std::unordered_map<int64_t, LeadSource> sources = AccountSources(input);
  const std::unordered_map<int64_t, std::string_view> segment_names = SegmentNames(input);
  const LiftIndex index = IndexLifts(profile);
  std::vector<FitScore> fits;
  fits.reserve(input.accounts.size());
  for (const AccountFacts& a : input.accounts) {
    auto source = sources.find(a.id);
    fits.push_back(
        Score(profile, index, a.id,
              AttributesOf(a, segment_names,
                           source == sources.end() ? std::nullopt
                                                   : std::optional<LeadSource>(source->second))));
  }
  return fits;
}

std::vector<FitScore> ScoreLeads(const IcpProfile& profile, const StrategyInput& input) {
  const std::unordered_map<int64_t, std::string_view> segment_names = SegmentNames(input);
  std::unordered_map<int64_t, const AccountFacts*> accounts;
  accounts.reserve(input.accounts.size());
  for (const AccountFacts& a : input.accounts) accounts[a.id] = &a;
  const LiftIndex index = IndexLifts(profile);
  std::vector<FitScore> fits;
  fits.reserve(input.leads.size());
  const AccountFacts none;
  for (const LeadFacts& lead : input.leads) {
    auto it = accounts.find(lead.account_id);
    const AccountFacts& account = it == accounts.end() ? none : *it->second;
    fits.push_back(
        Score(profile, index, lead.id, AttributesOf(account, segment_names, lead.source)));
  }
  return fits;
}

}  // namespace salesbox::analytics::strategy
