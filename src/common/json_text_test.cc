// SPDX-License-Identifier: MIT
#include "common/json_text.h"

#include <gtest/gtest.h>

namespace salesbox {
namespace {

TEST(JsonTextTest, EscapesQuotesBackslashesAndControlsAndKeepsUtf8) {
  EXPECT_EQ(JsonString(""), "\"\"");
  EXPECT_EQ(JsonString("Mette Kjær"), "\"Mette Kjær\"");
  EXPECT_EQ(JsonString("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(JsonString("line\nnext\r\ttab"), "\"line\\nnext\\r\\ttab\"");
  EXPECT_EQ(JsonString(std::string_view("\x01\x1f", 2)), "\"\\u0001\\u001f\"");
}

}  // namespace
}  // namespace salesbox
