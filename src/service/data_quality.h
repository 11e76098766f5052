// SPDX-License-Identifier: MIT
// The data-quality report: what in the stored data makes the audit's and the forecast's results
// less than they seem (deals without history, an outcome another field gives away, open deals
// the forecast cannot place, no evidence for the audit, owners outside every team, accounts that
// are probably one company twice), with counts and what each means, in the reader's language.
// `salesbox doctor`, every import and GET /api/v1/data-quality show it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "storage/store.h"

namespace salesbox::service {

enum class DataQualityCheck {
  // Closed deals whose history never shows them open: the forecast learns from deals as they
  // were, and the backtest's "stated" and stage baselines read the final stage for these.
  kClosedWithoutHistory,
  // Every lost deal has amount 0 or none (while won deals have amounts): the amount tells the
  // outcome, so a model that uses it learns the export, not the sales.
  kLostWithoutAmount,
  // A field filled on every won deal and on no lost one, or the other way round (`field`).
  kOutcomeInField,
  // Open deals without an expected close date: the forecast cannot place them in a period.
  kOpenWithoutCloseDate,
  // Open deals whose amount is unknown: pipeline and forecast sums leave them out.
  kOpenWithoutAmount,
  // No activities at all: the audit's activity criteria can only say "no evidence".
  kNoActivities,
  // Open deals without any activity linked (reported from a quarter of the open deals on).
  kOpenWithoutActivities,
  // No scorecard answers at all: the criteria people answer are all unanswered.
  kNoAnswers,
  // Users who own deals or accounts but are in no team: team views and managers miss them.
  kOwnersWithoutTeam,
  // Accounts whose names differ only in case, punctuation or a legal form ("Acme A/S", "ACME
  // ApS"): probably one customer twice, which splits its history.
  kNearDuplicateAccounts,
};

// "closed_without_history", ... (the JSON and CLI names).
std::string_view DataQualityCheckName(DataQualityCheck check);

struct DataQualityFinding {
  DataQualityCheck check = DataQualityCheck::kClosedWithoutHistory;
  int64_t count = 0;   // the records the finding is about
  int64_t of = 0;      // out of this many (the population the check looks at)
  std::string field;   // kOutcomeInField: the field ("next_step_date")
  // Up to five examples, for checks about named records: owners' names, or groups of account
  // names joined by " ~ ".
  std::vector<std::string> examples;
};

struct DataQualityReport {
  int64_t opportunities = 0, open = 0, won = 0, lost = 0;
  int64_t accounts = 0, activities = 0, answers = 0, users = 0;
  std::vector<DataQualityFinding> findings;  // in DataQualityCheck order; empty: nothing found
};

// Looks at every record in `store` (counts in SQL; account names are read once). Returns the
// store's error when a read fails.
Result<DataQualityReport> CheckDataQuality(storage::Store& store);

// The finding's headline ("120 of 300 closed deals have no stage history") and what it means
// for the results, in `locale` (an index of analytics::audit::kLocales: en, da, sv, nb), numbers
// grouped as the language does.
std::string DataQualityTitle(const DataQualityFinding& finding, int locale);
std::string DataQualityMeaning(const DataQualityFinding& finding, int locale);

// The whole report as text for a terminal: a heading with the totals, then each finding's
// title, meaning and examples (or a line saying nothing was found).
std::string FormatDataQuality(const DataQualityReport& report, int locale);

// "Acme A/S" and "ACME ApS." -> "acme": lower case, letters and digits only, a trailing legal
// form (a/s, aps, ab, as, asa, oy, oyj, gmbh, inc, ltd, llc, corp, ...) removed. Exposed for
// tests.
std::string AccountNameKey(std::string_view name);

}  // namespace salesbox::service
