// SPDX-License-Identifier: MIT
// CountryCode: ISO 3166-1 codes from names in English and the Nordic languages.
#include "common/country.h"

#include <gtest/gtest.h>

namespace salesbox {
namespace {

TEST(CountryCodeTest, EnglishAndNordicNamesAndCodes) {
  const struct {
    const char* name;
    const char* code;
  } kCases[] = {
      {"Denmark", "DK"},
      {"Danmark", "DK"},
      {"dk", "DK"},
      {"DNK", "DK"},
      {"Sverige", "SE"},
      {"Norge", "NO"},
      {"Noreg", "NO"},
      {"Suomi", "FI"},
      {"Finland", "FI"},
      {"Island", "IS"},
      {"Færøerne", "FO"},
      {"Färöarna", "FO"},
      {"Grønland", "GL"},
      {"Åland Islands", "AX"},
      {"Tyskland", "DE"},
      {"Østrig", "AT"},
      {"Österrike", "AT"},
      {"Schweiz", "CH"},
      {"Frankrig", "FR"},
      {"Frankrike", "FR"},
      {"Spanien", "ES"},
      {"Nederländerna", "NL"},
      {"Holland", "NL"},
      {"Storbritannien", "GB"},
      {"UK", "GB"},
      {"United Kingdom", "GB"},
      {"USA", "US"},
      {"United States of America", "US"},
      {"De forente stater", "US"},
      {"Korea, Republic of", "KR"},
      {"Republic of Korea", "KR"},
      {"South Korea", "KR"},
      {"Sør-Korea", "KR"},
      {"Nordkorea", "KP"},
      {"Kina", "CN"},
      {"Japan", "JP"},
      {"Indien", "IN"},
      {"Brasilien", "BR"},
      {"Sydafrika", "ZA"},
      {"Sør-Afrika", "ZA"},
      {"Côte d'Ivoire", "CI"},
      {"Elfenbenskysten", "CI"},
      {"Türkiye", "TR"},
      {"Tyrkiet", "TR"},
      {"Viet Nam", "VN"},
      {"Vietnam", "VN"},
      {"Tjekkiet", "CZ"},
      {"Czech Republic", "CZ"},
      {"Polen", "PL"},
      {"Rusland", "RU"},
      {"Russian Federation", "RU"},
      {"Holy See (Vatican City State)", "VA"},
      {"Vatikanstaten", "VA"},
      {"  GERMANY ", "DE"},
      {"Hviderusland", "BY"},
      {"Zimbabwe", "ZW"},
  };
  for (const auto& c : kCases) {
    std::optional<std::string_view> code = CountryCode(c.name);
    ASSERT_TRUE(code.has_value()) << c.name;
    EXPECT_EQ(*code, c.code) << c.name;
  }
}

TEST(CountryCodeTest, UnknownAndAmbiguousNamesAreNotGuessed) {
  EXPECT_FALSE(CountryCode("Atlantis").has_value());
  EXPECT_FALSE(CountryCode("").has_value());
  EXPECT_FALSE(CountryCode("Congo").has_value());  // CG or CD
  EXPECT_FALSE(CountryCode("Q").has_value());
}

TEST(FoldLatinTest, FoldsAccentsAndDropsTheRest) {
  EXPECT_EQ(FoldLatin("Ærø-Østergård, Æble"), "aeroostergardaeble");
  EXPECT_EQ(FoldLatin("Straße Łódź"), "strasselodz");
  EXPECT_EQ(FoldLatin("日本 Japan"), "japan");
}

}  // namespace
}  // namespace salesbox
