// SPDX-License-Identifier: MIT
// Opportunities (deals), their stages, and the history of how each one changed over time.
#pragma once

#include <optional>
#include <string>

#include "common/ids.h"
#include "common/money.h"
#include "common/time.h"
#include "domain/enum_names.h"

namespace salesbox {

// The default pipeline (DESIGN.md section 2). Closed stages record the outcome; the stage an
// opportunity was in before it closed is kept in its history.
enum class Stage { kQualify, kDiscover, kPropose, kNegotiate, kCommit, kClosedWon, kClosedLost };

template <>
struct EnumNames<Stage> {
  static constexpr std::string_view kWhat = "stage";
  static constexpr std::array<std::pair<Stage, std::string_view>, 7> kNames{{
      {Stage::kQualify, "qualify"},
      {Stage::kDiscover, "discover"},
      {Stage::kPropose, "propose"},
      {Stage::kNegotiate, "negotiate"},
      {Stage::kCommit, "commit"},
      {Stage::kClosedWon, "closed_won"},
      {Stage::kClosedLost, "closed_lost"},
  }};
};

inline bool IsClosed(Stage stage) {
  return stage == Stage::kClosedWon || stage == Stage::kClosedLost;
}

// The win probability a stage implies when nothing better is known (the classic CRM default,
// which the forecast's "stage default" baseline uses).
inline double DefaultProbability(Stage stage) {
  switch (stage) {
    case Stage::kQualify:
      return 0.1;
    case Stage::kDiscover:
      return 0.2;
    case Stage::kPropose:
      return 0.4;
    case Stage::kNegotiate:
      return 0.6;
    case Stage::kCommit:
      return 0.8;
    case Stage::kClosedWon:
      return 1.0;
    case Stage::kClosedLost:
      return 0.0;
  }
  return 0.0;
}

enum class Outcome { kOpen, kWon, kLost };

template <>
struct EnumNames<Outcome> {
  static constexpr std::string_view kWhat = "outcome";
  static constexpr std::array<std::pair<Outcome, std::string_view>, 3> kNames{{
      {Outcome::kOpen, "open"},
      {Outcome::kWon, "won"},
      {Outcome::kLost, "lost"},
  }};
};

inline Outcome OutcomeOf(Stage stage) {
  if (stage == Stage::kClosedWon) return Outcome::kWon;
  if (stage == Stage::kClosedLost) return Outcome::kLost;
  return Outcome::kOpen;
}

enum class ForecastCategory { kPipeline, kBestCase, kCommit, kOmitted, kClosed };

template <>
struct EnumNames<ForecastCategory> {
  static constexpr std::string_view kWhat = "forecast category";
  static constexpr std::array<std::pair<ForecastCategory, std::string_view>, 5> kNames{{
      {ForecastCategory::kPipeline, "pipeline"},
      {ForecastCategory::kBestCase, "best_case"},
      {ForecastCategory::kCommit, "commit"},
      {ForecastCategory::kOmitted, "omitted"},
      {ForecastCategory::kClosed, "closed"},
  }};
};

struct Opportunity {
  OpportunityId id;
  std::string external_id;
  AccountId account_id;
  std::string name;
  std::optional<UserId> owner_id;
  Stage stage = Stage::kQualify;
  Money amount;
  // False when nobody said what the deal is worth (an empty amount in an import, null through
  // the API): `amount` then holds 0 in the deal's currency, sums of amounts leave the deal out
  // and the data-quality report counts it. Not the same as a deal worth 0.
  bool amount_known = true;
  std::optional<double> probability;  // the rep's stated probability, in [0, 1]
  Date created_on{};
  std::optional<Date> close_on;   // expected close date
  std::optional<Date> closed_on;  // set iff the stage is closed
  std::string next_step;
  std::optional<Date> next_step_on;
  ForecastCategory forecast_category = ForecastCategory::kPipeline;
  std::string product_lines;  // ';'-separated
  std::string competitors;    // ';'-separated
  std::string reason;         // win or loss reason
  Timestamp created_at{};
  Timestamp updated_at{};
  int64_t version = 1;

  Outcome outcome() const { return OutcomeOf(stage); }

  friend bool operator==(const Opportunity&, const Opportunity&) = default;
};

// One change of an opportunity as it was recorded at `changed_at` (Salesforce's
// OpportunityHistory): the values of stage, amount, probability, close date and next-step date
// after the change.
// Used to see each deal as it was, never its final state, when learning the forecast.
struct OpportunityChange {
  OpportunityChangeId id;
  OpportunityId opportunity_id;
  Timestamp changed_at{};
  Stage stage = Stage::kQualify;
  Money amount;
  std::optional<double> probability;
  std::optional<Date> close_on;
  std::optional<UserId> changed_by;
  // The dated next step after the change, when known (recorded from migration 0004 on; empty
  // in older history). The audit reads it to see whether a deal had a dated next step then.
  std::optional<Date> next_step_on;

  friend bool operator==(const OpportunityChange&, const OpportunityChange&) = default;
};

}  // namespace salesbox
