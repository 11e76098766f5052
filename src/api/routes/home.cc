// SPDX-License-Identifier: MIT
// The home route: the signed-in user's dashboard (service/home_service.h).
#include <string>

#include <nlohmann/json.hpp>

#include "api/internal/reply.h"
#include "api/routes/routes.h"
#include "service/home_service.h"

namespace salesbox::api::internal {

void AddHomeRoutes(RouteTable& table, const ApiContext& ctx) {
  table.Add({"GET", std::string(kPrefix) + "/home", "The signed-in user's dashboard", "home",
             Access::kSignedIn, std::nullopt, "", 200, false, [ctx](Context& c) {
               return JsonOr(service::Home(ctx.store, ctx.clock, *c.principal));
             }})
      .settle = kDashboardSettle;
}

}  // namespace salesbox::api::internal
