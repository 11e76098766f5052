// SPDX-License-Identifier: MIT
// GoogleTest helpers for Status and Result<T>.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/result.h"
#include "common/status.h"

namespace salesbox::test {

inline const Status& GetStatus(const Status& status) { return status; }
template <typename T>
const Status& GetStatus(const Result<T>& result) {
  return result.status();
}

// Matches a Status or Result<T> whose code is `code`.
MATCHER_P(StatusIs, code, "status code is " + std::string(::salesbox::StatusCodeName(code))) {
  const ::salesbox::Status& status = ::salesbox::test::GetStatus(arg);
  *result_listener << "which is " << status.ToString();
  return status.code() == code;
}

// Matches a Status or Result<T> whose code is `code` and whose message contains `substring`.
MATCHER_P2(StatusIsWithMessage, code, substring,
           "status code is " + std::string(::salesbox::StatusCodeName(code)) +
               " with a message containing \"" + std::string(substring) + "\"") {
  const ::salesbox::Status& status = ::salesbox::test::GetStatus(arg);
  *result_listener << "which is " << status.ToString();
  return status.code() == code && status.message().find(substring) != std::string::npos;
}

}  // namespace salesbox::test

#define SB_ASSERT_OK(expr) \
  SB_TEST_INTERNAL_CHECK_OK(ASSERT_TRUE, SB_TEST_INTERNAL_CONCAT(sb_test_value_, __LINE__), expr)
#define SB_EXPECT_OK(expr) \
  SB_TEST_INTERNAL_CHECK_OK(EXPECT_TRUE, SB_TEST_INTERNAL_CONCAT(sb_test_value_, __LINE__), expr)
#define SB_TEST_INTERNAL_CHECK_OK(check, value, expr)                                \
  do {                                                                               \
    const auto& value = (expr);                                                      \
    check(::salesbox::test::GetStatus(value).ok())                                   \
        << ::salesbox::test::GetStatus(value).ToString();                            \
  } while (false)

#define SB_ASSERT_OK_AND_ASSIGN(lhs, expr)                                                   \
  SB_TEST_INTERNAL_ASSIGN(SB_TEST_INTERNAL_CONCAT(sb_test_result_, __LINE__), lhs, expr)
#define SB_TEST_INTERNAL_CONCAT_IMPL(a, b) a##b
#define SB_TEST_INTERNAL_CONCAT(a, b) SB_TEST_INTERNAL_CONCAT_IMPL(a, b)
#define SB_TEST_INTERNAL_ASSIGN(result, lhs, expr)           \
  auto result = (expr);                                      \
  ASSERT_TRUE(result.ok()) << result.status().ToString();    \
  lhs = std::move(result).value()
