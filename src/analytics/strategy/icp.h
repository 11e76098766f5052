// SPDX-License-Identifier: MIT
// The ideal customer profile (DESIGN.md section 4): for each attribute value (industry, size
// band, region, country, lead source, segment) how much more often it occurs among the
// top-value customers than among all customers (its lift, shrunk towards 1 for small groups),
// and from those lifts an explainable fit score 0–100 for every account and lead
// ("industry=Manufacturing ×2.1, size 50–249 ×1.6").
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "analytics/strategy/strategy_input.h"
#include "common/result.h"

namespace salesbox::analytics::strategy {

enum class IcpAttribute { kIndustry, kSizeBand, kRegion, kCountry, kLeadSource, kSegment };
inline constexpr int kIcpAttributes = 6;

// "industry", "size_band", "region", "country", "lead_source", "segment".
std::string_view IcpAttributeName(IcpAttribute attribute);

// The size band of a head count: "1-9", "10-49", "50-249", "250-999", "1000+"; empty when
// unknown or not positive.
std::string_view SizeBand(std::optional<int64_t> employees);

struct IcpOptions {
  // Orders in this window give each customer's value (its gross margin); open ends: all orders
  // up to as_of. Customers are the accounts with orders in the window.
  Window window;
  // The top-value customers are the first ceil(top_share · n) of the n customers of each
  // currency ranked by value (only customers with a positive value qualify).
  double top_share = 0.20;
  // m in the shrinkage (icp.cc design note 2): the weight, in customers, of the prior that a
  // value is as common among the top as among all.
  double prior_strength = 10;
  // The attributes the fit score combines. The segment is profiled but left out by default: it
  // is itself a function of industry and size.
  std::vector<IcpAttribute> fit_attributes = {IcpAttribute::kIndustry, IcpAttribute::kSizeBand,
                                              IcpAttribute::kRegion, IcpAttribute::kCountry,
                                              IcpAttribute::kLeadSource};
  int top_factors = 3;  // factors named in a fit score's explanation
};

// One attribute value's lift. With n customers having the value, t of them top, and N, T the
// customers and top customers with a known value of the attribute (p = T/N):
//   raw_lift = (t/n) / p,    lift = ((t + m·p) / (n + m)) / p.
struct IcpLift {
  IcpAttribute attribute = IcpAttribute::kIndustry;
  std::string value;
  int64_t customers = 0;      // n: support among all customers
  int64_t top_customers = 0;  // t: support among the top customers
  double share_all = 0;       // n / N
  double share_top = 0;       // t / T
  double raw_lift = 1;
  double lift = 1;
  bool in_fit = false;  // used by the fit score
};

struct IcpProfile {
  std::string value_basis;  // "margin" or "account_value" (StrategyInput::account_values)
  double top_share = 0.20;
  double prior_strength = 10;
  int64_t customers = 0;
  int64_t top_customers = 0;
  // Per attribute (in enum order), values by lift, highest first (ties: by value).
  std::vector<IcpLift> lifts;
  // Fit scaling (icp.cc design note 3): Σ over fit attributes of min(0, min ln lift) and of
  // max(0, max ln lift).
  double log_low = 0;
  double log_high = 0;
  int top_factors = 3;

  // The lift of `value` of `attribute`; nullptr when no customer has it.
  const IcpLift* Find(IcpAttribute attribute, std::string_view value) const;
};

// Profiles the customers of `input` (the segment attribute uses the segments' names).
// kInvalidArgument: top_share not in (0, 1], prior_strength < 0 or not finite.
// kFailedPrecondition: no customer with a positive value.
Result<IcpProfile> BuildIcpProfile(const StrategyInput& input, const IcpOptions& options = {});

struct FitFactor {
  IcpAttribute attribute = IcpAttribute::kIndustry;
  std::string value;
  double lift = 1;
};

struct FitScore {
  int64_t id = 0;                  // account or lead id
  double score = 50;               // 0..100
  std::vector<FitFactor> factors;  // the fit attributes it has, strongest |ln lift| first
  std::string explanation;  // the top factors: "industry=Manufacturing ×2.1, size 50–249 ×1.6"
};

// Every account's fit, parallel to input.accounts. An account's lead source is the source of
// its earliest lead (by created_on, then id).
std::vector<FitScore> ScoreAccounts(const IcpProfile& profile, const StrategyInput& input);

// Every lead's fit, parallel to input.leads: its own source, and the other attributes of its
// account when it is linked to one (a lead without an account is scored by its source alone).
std::vector<FitScore> ScoreLeads(const IcpProfile& profile, const StrategyInput& input);

// "industry=Manufacturing", "size 50–249", "region=Oslo", "country=DK", "source=web",
// "segment=Retail & consumer".
std::string FactorLabel(IcpAttribute attribute, std::string_view value);

}  // namespace salesbox::analytics::strategy
