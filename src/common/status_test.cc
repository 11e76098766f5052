// SPDX-License-Identifier: MIT
// Tests for Status, Result<T> and the SB_RETURN_IF_ERROR / SB_ASSIGN_OR_RETURN macros.
#include "common/status.h"

#include <memory>
#include <string>
#include <utility>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/result.h"
#include "common/status_macros.h"
#include "testing/status_matchers.h"

namespace salesbox {
namespace {

using ::salesbox::test::StatusIs;
using ::salesbox::test::StatusIsWithMessage;

TEST(StatusTest, CodeNamesAreSnakeCase) {
  const struct {
    StatusCode code;
    std::string_view name;
  } kCases[] = {
      {StatusCode::kOk, "ok"},
      {StatusCode::kInvalidArgument, "invalid_argument"},
      {StatusCode::kNotFound, "not_found"},
      {StatusCode::kAlreadyExists, "already_exists"},
      {StatusCode::kFailedPrecondition, "failed_precondition"},
      {StatusCode::kAborted, "aborted"},
      {StatusCode::kUnauthenticated, "unauthenticated"},
      {StatusCode::kPermissionDenied, "permission_denied"},
      {StatusCode::kResourceExhausted, "resource_exhausted"},
      {StatusCode::kUnavailable, "unavailable"},
      {StatusCode::kUnimplemented, "unimplemented"},
      {StatusCode::kInternal, "internal"},
  };
  for (const auto& c : kCases) {
    EXPECT_EQ(StatusCodeName(c.code), c.name);
  }
}

TEST(StatusTest, NamedConstructorsSetCodeAndMessage) {
  const Status status = Status::NotFound("opportunity 42 does not exist");
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
  EXPECT_EQ(status.message(), "opportunity 42 does not exist");
  EXPECT_EQ(Status::Aborted("x").code(), StatusCode::kAborted);
  EXPECT_EQ(Status::Unavailable("x").code(), StatusCode::kUnavailable);
  EXPECT_TRUE(Status::Ok().ok());
  EXPECT_TRUE(Status().ok());
}

TEST(StatusTest, WithFieldNamesTheFieldAndSurvivesContext) {
  const Status status = Status::InvalidArgument("not a date").WithField("close_date");
  EXPECT_EQ(status.field(), "close_date");
  EXPECT_EQ(status.WithContext("opportunity").field(), "close_date");
  EXPECT_EQ(status.WithContext("opportunity").message(), "opportunity: not a date");
  EXPECT_TRUE(Status::Ok().WithField("x").field().empty());
  EXPECT_NE(status, Status::InvalidArgument("not a date"));
}

TEST(StatusTest, ToStringNamesCodeAndMessage) {
  EXPECT_EQ(Status::NotFound("opportunity 42 does not exist").ToString(),
            "not_found: opportunity 42 does not exist");
  EXPECT_EQ(Status::Ok().ToString(), "ok");
}

TEST(StatusTest, WithContextPrependsContextAndKeepsCode) {
  const Status status = Status::InvalidArgument("bad amount").WithContext("row 7");
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "row 7: bad amount");
  EXPECT_EQ(status.WithContext("import.csv").message(), "import.csv: row 7: bad amount");
}

TEST(StatusTest, WithContextLeavesOkAlone) {
  const Status status = Status::Ok().WithContext("row 7");
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(status.message(), "");
}

TEST(StatusTest, EqualityComparesCodeAndMessage) {
  EXPECT_EQ(Status::NotFound("a"), Status::NotFound("a"));
  EXPECT_FALSE(Status::NotFound("a") == Status::NotFound("b"));
  EXPECT_FALSE(Status::NotFound("a") == Status::Internal("a"));
}

TEST(ResultTest, HoldsValue) {
  Result<int> result = 42;
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.value(), 42);
  EXPECT_EQ(*result, 42);
  EXPECT_TRUE(result.status().ok());
}

TEST(ResultTest, HoldsError) {
  Result<int> result = Status::NotFound("account 7 does not exist");
  EXPECT_FALSE(result.ok());
  EXPECT_THAT(result, StatusIsWithMessage(StatusCode::kNotFound, "account 7"));
}

TEST(ResultTest, ConvertsFromCompatibleValue) {
  Result<std::string> result = "Acme";  // const char* -> std::string
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->size(), 4u);
  EXPECT_EQ(*result, "Acme");
}

TEST(ResultTest, MovesOutMoveOnlyValue) {
  Result<std::unique_ptr<int>> result = std::make_unique<int>(5);
  ASSERT_TRUE(result.ok());
  std::unique_ptr<int> value = std::move(result).value();
  ASSERT_NE(value, nullptr);
  EXPECT_EQ(*value, 5);
}

TEST(ResultDeathTest, ValueOfErrorAborts) {
  Result<int> result = Status::Internal("boom");
  EXPECT_DEATH((void)result.value(), "check failed");
}

Result<int> ParsePositive(int n) {
  if (n <= 0) return Status::InvalidArgument("not positive: " + std::to_string(n));
  return n;
}

// Uses SB_ASSIGN_OR_RETURN with a declaration and with an existing variable.
Result<int> SumOfPositives(int a, int b) {
  SB_ASSIGN_OR_RETURN(int x, ParsePositive(a));
  int y = 0;
  SB_ASSIGN_OR_RETURN(y, ParsePositive(b));
  return x + y;
}

Status CheckBoth(int a, int b) {
  SB_RETURN_IF_ERROR(ParsePositive(a).status());
  SB_RETURN_IF_ERROR(ParsePositive(b).status());
  return Status::Ok();
}

TEST(StatusMacrosTest, AssignOrReturnPassesValues) {
  SB_ASSERT_OK_AND_ASSIGN(int sum, SumOfPositives(2, 3));
  EXPECT_EQ(sum, 5);
}

TEST(StatusMacrosTest, AssignOrReturnReturnsFirstError) {
  EXPECT_THAT(SumOfPositives(-1, 3),
              StatusIsWithMessage(StatusCode::kInvalidArgument, "not positive: -1"));
  EXPECT_THAT(SumOfPositives(1, 0),
              StatusIsWithMessage(StatusCode::kInvalidArgument, "not positive: 0"));
}

TEST(StatusMacrosTest, ReturnIfErrorStopsAtFirstError) {
  SB_EXPECT_OK(CheckBoth(1, 2));
  const Status status = CheckBoth(1, -2);
  EXPECT_THAT(status, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_EQ(status.message(), "not positive: -2");
}

}  // namespace
}  // namespace salesbox
