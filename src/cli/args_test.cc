// SPDX-License-Identifier: MIT
#include "cli/args.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace salesbox::cli {
namespace {

using ::salesbox::test::StatusIsWithMessage;
using ::testing::ElementsAre;

constexpr FlagSpec kFlags[] = {
    {"db", "PATH", "the database"},
    {"dry-run", "", "check only"},
};

Result<Args> Parse(std::vector<std::string> words) { return Args::Parse(words, kFlags); }

TEST(ArgsTest, ReadsValuesFlagsAndPositionals) {
  SB_ASSERT_OK_AND_ASSIGN(Args args, Parse({"--db", "x.db", "file.csv", "--dry-run"}));
  EXPECT_EQ(args.Get("db"), "x.db");
  EXPECT_TRUE(args.Has("dry-run"));
  EXPECT_FALSE(args.help());
  EXPECT_THAT(args.positional(), ElementsAre("file.csv"));
}

TEST(ArgsTest, AcceptsEqualsFormAndDoubleDash) {
  SB_ASSERT_OK_AND_ASSIGN(Args args, Parse({"--db=a=b.db", "--", "--dry-run"}));
  EXPECT_EQ(args.Get("db"), "a=b.db");
  EXPECT_FALSE(args.Has("dry-run"));
  EXPECT_THAT(args.positional(), ElementsAre("--dry-run"));
}

TEST(ArgsTest, RejectsWhatItDoesNotKnow) {
  EXPECT_THAT(Parse({"--bd", "x"}),
              StatusIsWithMessage(StatusCode::kInvalidArgument, "unknown option --bd"));
  EXPECT_THAT(Parse({"--db"}), StatusIsWithMessage(StatusCode::kInvalidArgument, "needs a value"));
  EXPECT_THAT(Parse({"--db", "a", "--db", "b"}),
              StatusIsWithMessage(StatusCode::kInvalidArgument, "given twice"));
  EXPECT_THAT(Parse({"--dry-run=yes"}),
              StatusIsWithMessage(StatusCode::kInvalidArgument, "takes no value"));
  EXPECT_THAT(Parse({"-x"}), StatusIsWithMessage(StatusCode::kInvalidArgument, "unknown option"));
}

TEST(ArgsTest, RequireNamesTheMissingOption) {
  SB_ASSERT_OK_AND_ASSIGN(Args args, Parse({"--help"}));
  EXPECT_TRUE(args.help());
  EXPECT_THAT(args.Require("db"),
              StatusIsWithMessage(StatusCode::kInvalidArgument, "option --db is required"));
}

}  // namespace
}  // namespace salesbox::cli
