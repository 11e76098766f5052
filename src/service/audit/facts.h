// SPDX-License-Identifier: MIT
// The audit's facts (part of service/pipeline_audit.h): every open opportunity and every account
// as they stood on a day, read from the store, for the whole company or a subset.
//
// Design notes
// (1) One pass per table. Facts are gathered with Store::ScanFields over each table once
//     (activities: ~10M rows at --scale 100), into arrays indexed by record id; nothing is
//     loaded as full records.
// (2) As of D. Everything is read as it stood at the end of day D (UTC): activities done by
//     then (by their date), contacts and accounts created by then, the latest scorecard answer
//     by then, orders by then, and each opportunity's stage, amount, close date and next-step
//     date from its history (the last change by then). Fields without a history of their own
//     (an opportunity's competitors, next step, owner and account; a contact's role, strength
//     and account; an account's owner) are rolled back from the change log: the old value of
//     their first change after D. So an audit of a past day gives the same result as a run
//     saved on that day. Not covered: changes that bypass the change log (CSV imports update
//     records without logging each field), and activities logged after D but dated before it.
// (3) Customers as of D are accounts with an order in the 365 days up to D. Their ABC class is
//     the stored one; unclassified customers are classed by their gross margin over the three
//     years up to D within their currency (A: the customers making the top 80%, B: the next
//     15%, C: the rest), as docs/demo-data.md measures it.
// (4) ICP fit: each account's fit score from the ideal customer profile as of D (strategy
//     service's AccountFitScores: the top 20% of customers by three years' margin against all).
//     Without a profile (fewer than 20 customers with a positive margin) the criterion falls back
//     to the core-segment flag.
#pragma once

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "analytics/audit/audit.h"
#include "analytics/audit/report.h"
#include "common/result.h"
#include "common/time.h"
#include "service/audit/playbooks.h"
#include "service/internal/scan.h"
#include "storage/store.h"

namespace salesbox::service {

using FitScores = std::unordered_map<int64_t, double>;  // account id -> ICP fit 0..100

// Everything the audit reads, as of one day, for the whole company.
struct AuditData {
  AuditData() = default;
  // A copy points its input at its own playbooks.
  AuditData(const AuditData& other);
  AuditData& operator=(const AuditData&) = delete;

  Date as_of{};
  ActivePlaybooks playbooks;
  analytics::audit::AuditInput input;  // points into `playbooks`
  analytics::audit::Labels labels;
  internal::IdIndex opportunity_index;  // id -> index in input
  internal::IdIndex account_index;
  // Per account (aligned with input.accounts): the ABC class stored on the account, 0 when
  // unclassified (input's class is then derived, design note 3).
  CowVector<char> stored_abc_class;
  std::shared_ptr<const FitScores> fits;  // the ICP fit scores used (design note 4)
  // Each item audited, aligned with input.opportunities and input.accounts (the latter only
  // meaningful for customers); empty until ScoreAuditData fills them and sets `scored`.
  bool scored = false;
  CowVector<analytics::audit::ItemResult> opportunity_results;
  CowVector<analytics::audit::ItemResult> account_results;
};

// Which subjects to gather: only these accounts and opportunities, with everything their facts
// depend on (the live fact model's delta, service/facts). REQUIRES: closed as ExpandSubset makes
// it (the account of every listed opportunity is listed, and so is every opportunity of every
// listed account), and as_of is not before the day of any write (nothing is rolled back).
struct FactSubset {
  std::vector<int64_t> accounts;
  std::vector<int64_t> opportunities;
};

struct AuditLoadOptions {
  // A second connection to the same database: the scorecard answers are read on it in a second
  // thread while the activities are read on the store.
  storage::Store* parallel_reader = nullptr;
  const FactSubset* subset = nullptr;  // null: every subject
  // The ICP fit scores to use instead of computing them (a subset always needs them).
  std::shared_ptr<const FitScores> fits;
};

// Gathers the facts as of the end of `as_of` (design notes 1-3). A subset's result holds only
// its subjects, ABC classes as stored (ClassifyCustomers derives the rest) and no results.
Result<std::shared_ptr<const AuditData>> LoadAuditData(storage::Store& store, Date as_of,
                                                       storage::Store* parallel_reader = nullptr);
Result<std::shared_ptr<AuditData>> LoadAuditData(storage::Store& store, Date as_of,
                                                 const AuditLoadOptions& options);

// Derives the class of every unclassified customer (design note 3) from `stored_abc_class` and
// the margins; returns the indexes of accounts whose class changed.
std::vector<int32_t> ClassifyCustomers(AuditData& data);

}  // namespace salesbox::service
