// SPDX-License-Identifier: MIT
// tests/demo/text_test.cc: the demo's text builders: transliteration for e-mail addresses,
// record numbers, and Nordic organisation and phone numbers.
#include "demo/internal/text.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace salesbox::demo::internal {
namespace {

TEST(TextTest, AppendAsciiLowerTransliteratesNordicLetters) {
  struct Case {
    const char* in;
    const char* out;
  };
  const Case cases[] = {
      {"Søren", "soeren"},
      {"Ærø", "aeroe"},
      {"Håkon", "haakon"},
      {"Märta Öberg", "martaoberg"},
      {"Linnéa", "linnea"},
      {"ÅSE", "aase"},
      {"Bygg & Anlegg", "bygganlegg"},
      {"Jens-Ole", "jensole"},
      {"A/S 2", "as2"},
  };
  for (const Case& c : cases) {
    std::string out;
    AppendAsciiLower(c.in, &out);
    EXPECT_EQ(out, c.out) << c.in;
  }
  std::string out;
  AppendAsciiLower("Jens-Ole Dam", &out, '.', true);
  EXPECT_EQ(out, "jens-ole.dam");
}

TEST(TextTest, RecordNumbersArePadded) {
  std::string out;
  SetRecordNumber("ACC-", 123, 6, &out);
  EXPECT_EQ(out, "ACC-000123");
  SetRecordNumber("ACT-", 123456789, 8, &out);
  EXPECT_EQ(out, "ACT-123456789");
}

TEST(TextTest, OrgNumbersAreValidAndUnique) {
  for (int country = 0; country < 3; ++country) {
    std::set<std::string> seen;
    std::string number;
    for (int64_t serial = 0; serial < 20000; ++serial) {
      SetOrgNumber(country, serial * 37 % 900000, 12345, &number);
      ASSERT_TRUE(IsValidOrgNumber(country, number)) << country << " " << number;
      ASSERT_TRUE(seen.insert(number).second) << country << " " << number;
    }
  }
  std::string number;
  SetOrgNumber(1, 0, 0, &number);
  EXPECT_EQ(number.substr(0, 3), "556");
  EXPECT_EQ(number[6], '-');
}

TEST(TextTest, IsValidOrgNumberKnowsRealNumbers) {
  EXPECT_TRUE(IsValidOrgNumber(0, "10150817"));  // Novo Nordisk A/S (CVR)
  EXPECT_FALSE(IsValidOrgNumber(0, "10150818"));
  EXPECT_TRUE(IsValidOrgNumber(1, "556016-0680"));  // Telefonaktiebolaget L M Ericsson
  EXPECT_FALSE(IsValidOrgNumber(1, "556016-0681"));
  EXPECT_TRUE(IsValidOrgNumber(2, "923609016"));  // Equinor ASA
  EXPECT_FALSE(IsValidOrgNumber(2, "923609017"));
}

TEST(TextTest, PhoneNumbersHaveTheCountryFormat) {
  Random random(9);
  std::string phone;
  SetPhone(0, random, &phone);
  EXPECT_EQ(phone.size(), std::string("+45 23 45 67 89").size());
  EXPECT_EQ(phone.substr(0, 4), "+45 ");
  SetPhone(1, random, &phone);
  EXPECT_EQ(phone.size(), std::string("+46 70 123 45 67").size());
  EXPECT_EQ(phone.substr(0, 5), "+46 7");
  SetPhone(2, random, &phone);
  EXPECT_EQ(phone.size(), std::string("+47 412 34 567").size());
  EXPECT_EQ(phone.substr(0, 4), "+47 ");
}

}  // namespace
}  // namespace salesbox::demo::internal
