// SPDX-License-Identifier: MIT
#include "service/stats_service.h"

#include <chrono>

#include "common/status_macros.h"

namespace salesbox::service {

Result<Stats> StatsService::Compute(Date today) {
  Stats stats;
  storage::ListQuery all;
  auto count = [&](std::string name, auto& repository) -> Status {
    SB_ASSIGN_OR_RETURN(int64_t n, repository.Count(all));
    stats.counts.emplace_back(std::move(name), n);
    return Status::Ok();
  };
  SB_RETURN_IF_ERROR(count("teams", store_.teams()));
  SB_RETURN_IF_ERROR(count("users", store_.users()));
  SB_RETURN_IF_ERROR(count("segments", store_.segments()));
  SB_RETURN_IF_ERROR(count("accounts", store_.accounts()));
  SB_RETURN_IF_ERROR(count("contacts", store_.contacts()));
  SB_RETURN_IF_ERROR(count("campaigns", store_.campaigns()));
  SB_RETURN_IF_ERROR(count("leads", store_.leads()));
  SB_RETURN_IF_ERROR(count("opportunities", store_.opportunities()));
  SB_RETURN_IF_ERROR(count("opportunity-history", store_.opportunity_changes()));
  SB_RETURN_IF_ERROR(count("activities", store_.activities()));
  SB_RETURN_IF_ERROR(count("orders", store_.orders()));

  for (Stage stage : {Stage::kQualify, Stage::kDiscover, Stage::kPropose, Stage::kNegotiate,
                      Stage::kCommit}) {
    stats.open_pipeline.push_back(StageTotal{std::string(ToString(stage)), 0, {}});
  }
  const Date year_ago = today - std::chrono::days(365);
  SB_RETURN_IF_ERROR(store_.opportunities().Scan(all, [&](const Opportunity& o) {
    std::string currency(o.amount.currency.code());
    if (!IsClosed(o.stage)) {
      StageTotal& total = stats.open_pipeline[static_cast<size_t>(o.stage)];
      ++total.count;
      total.amount_minor[currency] += o.amount.minor_units;
      if (o.close_on && *o.close_on < today) ++stats.open_overdue;
    } else if (o.closed_on && *o.closed_on > year_ago && *o.closed_on <= today) {
      if (o.stage == Stage::kClosedWon) {
        ++stats.won_last_year;
        stats.won_amount_last_year[currency] += o.amount.minor_units;
      } else {
        ++stats.lost_last_year;
      }
    }
    return Status::Ok();
  }));

  Date first{}, last{};
  bool any = false;
  SB_RETURN_IF_ERROR(store_.orders().Scan(all, [&](const Order& o) {
    if (!any || o.ordered_on < first) first = o.ordered_on;
    if (!any || o.ordered_on > last) last = o.ordered_on;
    any = true;
    if (o.ordered_on > year_ago && o.ordered_on <= today) {
      std::string currency(o.revenue.currency.code());
      stats.order_revenue_last_year[currency] += o.revenue.minor_units;
      stats.order_margin_last_year[currency] += o.margin.minor_units;
    }
    return Status::Ok();
  }));
  if (any) {
    stats.first_order_on = FormatDate(first);
    stats.last_order_on = FormatDate(last);
  }
  return stats;
}

}  // namespace salesbox::service
