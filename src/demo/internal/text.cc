// SPDX-License-Identifier: MIT
// Text builders for the demo generator (see text.h).
//
// Organisation numbers are made unique by construction rather than by remembering the ones
// already used: the serial is mapped through a bijection of [0, 900000) onto six digits, one
// further digit is chosen so that the modulus-11 check digit exists (weight 2 is invertible
// modulo 11, so at most one of its ten values is unusable), and the check digit follows.
#include "demo/internal/text.h"

#include "common/check.h"

namespace salesbox::demo::internal {
namespace {

constexpr int64_t kSerialRange = 900000;

// A bijection of [0, kSerialRange): multiplication by a unit modulo the range, plus an offset.
int64_t Permute(int64_t serial, uint64_t salt) {
  const int64_t offset = static_cast<int64_t>(salt % static_cast<uint64_t>(kSerialRange));
  return (serial * 7919 + offset) % kSerialRange;  // 7919 is prime and coprime to 900000
}

void PutDigits(int64_t value, int count, char* out) {
  for (int i = count - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

int Digit(char c) { return c - '0'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Modulus-11 check digit for `digits` with `weights`; -1 when the remainder makes it 10.
int Mod11Check(const char* digits, const int* weights, int count) {
  int sum = 0;
  for (int i = 0; i < count; ++i) sum += Digit(digits[i]) * weights[i];
  const int check = (11 - sum % 11) % 11;
  return check == 10 ? -1 : check;
}

constexpr int kCvrWeights[8] = {2, 7, 6, 5, 4, 3, 2, 1};
constexpr int kBrregWeights[8] = {3, 2, 7, 6, 5, 4, 3, 2};

int LuhnCheck(const char* digits, int count) {
  int sum = 0;
  for (int i = 0; i < count; ++i) {
    int d = Digit(digits[i]) * (i % 2 == 0 ? 2 : 1);
    sum += d > 9 ? d - 9 : d;
  }
  return (10 - sum % 10) % 10;
}

}  // namespace

void AppendAsciiLower(std::string_view text, std::string* out, char space, bool keep_hyphen) {
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (c >= 'A' && c <= 'Z') {
        out->push_back(static_cast<char>(c - 'A' + 'a'));
      } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        out->push_back(static_cast<char>(c));
      } else if (c == ' ') {
        if (space != '\0') out->push_back(space);
      } else if (c == '-' && keep_hyphen) {
        out->push_back('-');
      }
      continue;
    }
    if (c == 0xC3 && i + 1 < text.size()) {
      const unsigned char d = static_cast<unsigned char>(text[++i]) | 0x20;  // fold case
      switch (d) {
        case 0xA6:  // æ Æ
          out->append("ae");
          break;
        case 0xB8:  // ø Ø
          out->append("oe");
          break;
        case 0xA5:  // å Å
          out->append("aa");
          break;
        case 0xA4:  // ä Ä
          out->push_back('a');
          break;
        case 0xB6:  // ö Ö
          out->push_back('o');
          break;
        case 0xBC:  // ü Ü
          out->push_back('u');
          break;
        case 0xA9:  // é É
        case 0xA8:  // è È
          out->push_back('e');
          break;
        default:
          break;
      }
      continue;
    }
    // Other multi-byte sequences: skip their continuation bytes.
    while (i + 1 < text.size() && (static_cast<unsigned char>(text[i + 1]) & 0xC0) == 0x80) ++i;
  }
}

void AppendPadded(int64_t number, int width, std::string* out) {
  SB_CHECK(number >= 0);
  char buffer[24];
  int n = 0;
  do {
    buffer[n++] = static_cast<char>('0' + number % 10);
    number /= 10;
  } while (number != 0);
  for (int i = n; i < width; ++i) out->push_back('0');
  while (n > 0) out->push_back(buffer[--n]);
}

void SetRecordNumber(std::string_view prefix, int64_t number, int width, std::string* out) {
  out->assign(prefix);
  AppendPadded(number, width, out);
}

void SetOrgNumber(int country, int64_t serial, uint64_t salt, std::string* out) {
  SB_CHECK(serial >= 0 && serial < kSerialRange);
  const int64_t body = 100000 + Permute(serial, salt);  // six digits, first one 1..9
  char digits[10];
  if (country == 0) {
    // CVR: d1..d6 body, d7 free, d8 check; weights 2 7 6 5 4 3 2 1, sum divisible by 11.
    PutDigits(body, 6, digits);
    for (int k = 0; k < 10; ++k) {
      digits[6] = static_cast<char>('0' + (body + k) % 10);
      const int check = Mod11Check(digits, kCvrWeights, 7);
      if (check >= 0) {
        digits[7] = static_cast<char>('0' + check);
        break;
      }
    }
    out->assign(digits, 8);
  } else if (country == 1) {
    // Organisationsnummer: "556" + six digits + Luhn check over the first nine.
    digits[0] = '5';
    digits[1] = '5';
    digits[2] = '6';
    PutDigits(body, 6, digits + 3);
    digits[9] = static_cast<char>('0' + LuhnCheck(digits, 9));
    out->assign(digits, 6);
    out->push_back('-');
    out->append(digits + 6, 4);
  } else {
    // Organisasjonsnummer: '9' + six digits + one free digit + modulus-11 check.
    digits[0] = '9';
    PutDigits(body, 6, digits + 1);
    for (int k = 0; k < 10; ++k) {
      digits[7] = static_cast<char>('0' + (body + k) % 10);
      const int check = Mod11Check(digits, kBrregWeights, 8);
      if (check >= 0) {
        digits[8] = static_cast<char>('0' + check);
        break;
      }
    }
    out->assign(digits, 9);
  }
}

bool IsValidOrgNumber(int country, std::string_view number) {
  char digits[10];
  int n = 0;
  for (const char c : number) {
    if (IsDigit(c)) {
      if (n == 10) return false;
      digits[n++] = c;
    } else if (c != '-') {
      return false;
    }
  }
  if (country == 0) {
    if (n != 8) return false;
    int sum = 0;
    for (int i = 0; i < 8; ++i) sum += Digit(digits[i]) * kCvrWeights[i];
    return sum % 11 == 0;
  }
  if (country == 1) return n == 10 && LuhnCheck(digits, 9) == Digit(digits[9]);
  if (n != 9) return false;
  const int check = Mod11Check(digits, kBrregWeights, 8);
  return check >= 0 && check == Digit(digits[8]);
}

void SetPhone(int country, Random& random, std::string* out) {
  char digits[8];
  for (char& d : digits) d = static_cast<char>('0' + random.Below(10));
  if (country == 0) {
    // +45 2X XX XX XX: Danish mobile numbers start with 2, 3, 4, 5, 6, 7 or 9 (here 2..7).
    digits[0] = static_cast<char>('2' + random.Below(6));
    out->assign("+45 ");
    for (int i = 0; i < 8; ++i) {
      if (i > 0 && i % 2 == 0) out->push_back(' ');
      out->push_back(digits[i]);
    }
  } else if (country == 1) {
    // +46 7X XXX XX XX
    out->assign("+46 7");
    out->push_back(static_cast<char>("02369"[random.Below(5)]));
    out->push_back(' ');
    out->append(digits, 3);
    out->push_back(' ');
    out->append(digits + 3, 2);
    out->push_back(' ');
    out->append(digits + 5, 2);
  } else {
    // +47 4XX XX XXX or 9XX XX XXX
    digits[0] = random.Chance(0.5) ? '4' : '9';
    out->assign("+47 ");
    out->append(digits, 3);
    out->push_back(' ');
    out->append(digits + 3, 2);
    out->push_back(' ');
    out->append(digits + 5, 3);
  }
}

}  // namespace salesbox::demo::internal
