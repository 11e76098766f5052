// SPDX-License-Identifier: MIT
// The report's own words in en, da, sv and nb (the playbook brings the area names and titles),
// and numbers, money and shares written the way each language writes them.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace salesbox::report::internal {

// One entry per phrase of the report; kWords in words.cc holds the texts in this order.
enum class Word {
  kReportTitle,
  kAsOf,
  kScope,
  kGeneratedAt,
  kWholeCompany,
  kKeyFigures,
  kItemsAudited,
  kGreen,
  kYellow,
  kRed,
  kValueAtRisk,
  kValueAtRiskNote,
  kCurrency,
  kOpportunities,
  kCustomers,
  kItems,
  kColourByTeam,
  kColourNote,
  kAll,
  kValueAtRiskByTeam,
  kNoValueAtRisk,
  kHeatMap,
  kHeatMapNote,
  kTeam,
  kWorstItems,
  kWorstNote,
  kColour,
  kName,
  kOwner,
  kStage,
  kValue,
  kMainReason,
  kCoaching,
  kCoachingNote,
  kRep,
  kWeakestArea,
  kMeetsMinimum,
  kNoWeakArea,
  kTrend,
  kTrendNote,
  kComparedWith,
  kMovedToGreen,
  kMovedToYellow,
  kMovedToRed,
  kUnchanged,
  kNew,
  kGone,
  kNoHistory,
  kActionPlans,
  kActions,
  kDone,
  kOpen,
  kOverdue,
  kGapsClosed,
  kOpenActions,
  kShownOf,
  kItem,
  kGap,
  kDue,
  kGapClosed,
  kYes,
  kNo,
  kNoActions,
  kRecentActivity,
  kNothingToAudit,
  kSectionEmpty,
  kPageOf,
  kContinued,
  kNoTeam,
  kNoOwner,
  kQualify,
  kDiscover,
  kPropose,
  kNegotiate,
  kCommit,
  kClass,
  kCount  // not a word: the number of words
};

// The text of `word` in `locale` (an index of analytics::audit::kLocales).
// REQUIRES: 0 <= locale < 4.
std::string_view Say(Word word, int locale);

// `text` with "{1}", "{2}", ... replaced by `args` in order.
std::string Fill(std::string_view text, std::initializer_list<std::string_view> args);

// 1234567 as "1,234,567" (en), "1.234.567" (da, nb), "1 234 567" (sv; the space is a
// no-break space U+00A0, so a number never breaks across lines).
std::string FormatCount(int64_t value, int locale);

// Minor units as whole major units, rounded half away from zero, with the currency code:
// 123456789 "DKK" -> "1.234.568 DKK" (da). A no-break space separates number and code.
std::string FormatMoney(int64_t minor_units, std::string_view currency, int locale);

// A share in [0, 1] as a whole percentage: "38%" (en), "38 %" (da, sv, nb; no-break space).
std::string FormatPercent(double share, int locale);

}  // namespace salesbox::report::internal
