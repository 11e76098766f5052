// SPDX-License-Identifier: MIT
// Country names as people write them in CRM exports, to ISO 3166-1 alpha-2 codes.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace salesbox {

// The ISO 3166-1 alpha-2 code ("DK") of a country written as its alpha-2 or alpha-3 code or its
// name in English, Danish, Swedish or Norwegian (bokmål and nynorsk): the short, common and
// official names of every country in the standard ("Germany", "Tyskland", "Österrike",
// "Færøerne", "Korea, Republic of", "Sør-Korea"), plus common ones ("UK", "USA", "Holland",
// "South Korea"). Case, accents, blanks and punctuation do not matter. nullopt when the name is
// unknown or could mean two countries ("Congo").
std::optional<std::string_view> CountryCode(std::string_view name);

// `text` folded as CountryCode compares it: ASCII lower-case letters and digits, Latin letters
// with accents as their ASCII base ("Ø" -> "o", "Æ" -> "ae", "ß" -> "ss"), the rest dropped.
std::string FoldLatin(std::string_view text);

}  // namespace salesbox
