// SPDX-License-Identifier: MIT
// Small text builders for the demo generator: ASCII transliteration for e-mail addresses and
// domains, zero-padded record numbers, and valid Nordic organisation and phone numbers. They
// append to a caller's buffer so the generator can reuse its strings row after row.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "demo/internal/random.h"

namespace salesbox::demo::internal {

// Appends `text` (UTF-8) lower-cased and transliterated to ASCII: æ -> ae, ø -> oe, å -> aa,
// ä -> a, ö -> o, ü -> u, é/è -> e (either case). ASCII letters and digits are kept; '-' is kept
// when `keep_hyphen`; spaces become `space` unless it is '\0', when they are dropped; anything
// else is dropped.
void AppendAsciiLower(std::string_view text, std::string* out, char space = '\0',
                      bool keep_hyphen = false);

// Appends `number` in decimal, zero-padded to at least `width` digits. REQUIRES: number >= 0.
void AppendPadded(int64_t number, int width, std::string* out);

// Sets `*out` to `prefix` followed by `number` padded to `width` digits ("ACC-000123").
void SetRecordNumber(std::string_view prefix, int64_t number, int width, std::string* out);

// Sets `*out` to a valid organisation number for `country` (0 Denmark: 8-digit CVR with its
// modulus-11 check; 1 Sweden: "556NNN-NNNN" with its Luhn check digit; 2 Norway: 9 digits with
// the Brønnøysund modulus-11 check). Distinct values of `serial` in [0, 900000) give distinct
// numbers for the same `salt`. REQUIRES: 0 <= serial < 900000.
void SetOrgNumber(int country, int64_t serial, uint64_t salt, std::string* out);

// True if `number` passes the country's check (the formats SetOrgNumber writes).
bool IsValidOrgNumber(int country, std::string_view number);

// Sets `*out` to a random phone number in the country's format ("+45 23 45 67 89").
void SetPhone(int country, Random& random, std::string* out);

}  // namespace salesbox::demo::internal
