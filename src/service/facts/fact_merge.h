// SPDX-License-Identifier: MIT
// Applying a delta to the audit's and the forecast's facts: the subjects a batch of writes touched
// are gathered again (with the same loaders, limited to a FactSubset) and merged into the facts
// of the previous snapshot, which stay untouched (readers may still hold them).
#pragma once

#include <cstdint>
#include <memory>
#include <set>

#include "common/result.h"
#include "service/forecast.h"
#include "service/pipeline_audit.h"
#include "storage/store.h"

namespace salesbox::service::facts {

// Closes a set of touched subjects as LoadAuditData's subset requires: the accounts of the
// touched deals join the accounts, and every deal of those accounts joins the deals. Subjects
// that no longer exist stay listed (the merge removes them). Storage errors as they come.
Result<FactSubset> ExpandSubset(storage::Store& store, const std::set<int64_t>& accounts,
                                const std::set<int64_t>& opportunities);

// `old` with the subjects of `subset` replaced by those of `fresh` (LoadAuditData of `subset` on
// the same day with old's fit scores), customers reclassified (ClassifyCustomers), and item
// results carried over where nothing they read changed and audited anew where it did. Items
// keep the order of a full load (by id). REQUIRES: old.scored.
std::shared_ptr<const AuditData> MergeAudit(const AuditData& old, const AuditData& fresh,
                                            const FactSubset& subset);

// `old` with the deals of `subset` replaced by those of `fresh` (LoadForecastData of `subset`),
// the accounts' names, core flags and key-role days replaced for the subset's accounts, people
// and the playbook's areas taken from `fresh`, and the owners' records recomputed. Deals keep
// the order of a full load (by id).
std::shared_ptr<const ForecastData> MergeForecast(const ForecastData& old,
                                                  const ForecastData& fresh,
                                                  const FactSubset& subset);

}  // namespace salesbox::service::facts
