// SPDX-License-Identifier: MIT
// Enum name tables: every value has a unique snake_case name that parses back to it.
#include "domain/enum_names.h"

#include <set>
#include <string>

#include <gtest/gtest.h>

#include "domain/account.h"
#include "domain/activity.h"
#include "domain/lead.h"
#include "domain/opportunity.h"
#include "domain/user.h"
#include "testing/status_matchers.h"

namespace salesbox {
namespace {

using ::salesbox::test::StatusIsWithMessage;

template <typename E>
void ExpectRoundTrip() {
  std::set<std::string_view> seen;
  for (const auto& [value, name] : EnumNames<E>::kNames) {
    EXPECT_TRUE(seen.insert(name).second) << "duplicate name " << name;
    EXPECT_EQ(ToString(value), name);
    SB_ASSERT_OK_AND_ASSIGN(E parsed, ParseEnum<E>(name));
    EXPECT_EQ(parsed, value);
    for (char c : name) EXPECT_TRUE((c >= 'a' && c <= 'z') || c == '_') << name;
  }
}

TEST(EnumNamesTest, EveryEnumRoundTrips) {
  ExpectRoundTrip<Role>();
  ExpectRoundTrip<AccountStatus>();
  ExpectRoundTrip<BuyingRole>();
  ExpectRoundTrip<LeadSource>();
  ExpectRoundTrip<LeadStatus>();
  ExpectRoundTrip<CampaignChannel>();
  ExpectRoundTrip<Stage>();
  ExpectRoundTrip<Outcome>();
  ExpectRoundTrip<ForecastCategory>();
  ExpectRoundTrip<ActivityType>();
  ExpectRoundTrip<ActivityStatus>();
}

TEST(EnumNamesTest, UnknownNameListsTheAllowedOnes) {
  EXPECT_THAT(ParseEnum<Stage>("won"),
              StatusIsWithMessage(StatusCode::kInvalidArgument,
                                  "stage \"won\" is not one of qualify, discover, propose"));
  EXPECT_THAT(ParseEnum<Role>("Rep"), StatusIsWithMessage(StatusCode::kInvalidArgument, "role"));
}

TEST(EnumNamesTest, OutcomeFollowsStage) {
  EXPECT_EQ(OutcomeOf(Stage::kClosedWon), Outcome::kWon);
  EXPECT_EQ(OutcomeOf(Stage::kClosedLost), Outcome::kLost);
  EXPECT_EQ(OutcomeOf(Stage::kCommit), Outcome::kOpen);
  EXPECT_TRUE(IsClosed(Stage::kClosedLost));
  EXPECT_FALSE(IsClosed(Stage::kQualify));
}

}  // namespace
}  // namespace salesbox
