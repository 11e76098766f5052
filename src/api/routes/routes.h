// SPDX-License-Identifier: MIT
// Private to api/: each feature adds its routes to the table, one file per feature under
// routes/. A feature's state (caches of its facts) lives in its file, owned by its handlers.
#pragma once

#include "api/internal/route.h"

namespace salesbox::api::internal {

// Sign in and out, who is signed in, the user's preferences (routes/session.cc).
void AddSessionRoutes(RouteTable& table, const ApiContext& ctx);
// The start page's dashboard (routes/home.cc).
void AddHomeRoutes(RouteTable& table, const ApiContext& ctx);
// Create, read, change and delete every record kind; the change log, an opportunity's history,
// account shares and the stages (routes/records.cc).
void AddRecordRoutes(RouteTable& table, const ApiContext& ctx);
// The pipeline audit: report, items, scorecards, answers, actions, saved runs (routes/audit.cc).
void AddAuditRoutes(RouteTable& table, const ApiContext& ctx);
// The forecast of a period, its backtest, snapshots and what moved (routes/forecast.cc).
void AddForecastRoutes(RouteTable& table, const ApiContext& ctx);
// Lifetime value per customer with ABC classes (routes/customer_value.cc).
void AddCustomerValueRoutes(RouteTable& table, const ApiContext& ctx);
// Segments, profitability, ideal customer profile and alignment; the objectives and value
// propositions cascade (routes/strategy.cc).
void AddStrategyRoutes(RouteTable& table, const ApiContext& ctx);
// The data-quality report (routes/data_quality.cc).
void AddDataQualityRoutes(RouteTable& table, const ApiContext& ctx);

}  // namespace salesbox::api::internal
