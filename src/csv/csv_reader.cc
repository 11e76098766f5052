// SPDX-License-Identifier: MIT
// CsvReader: decoding (UTF-8, UTF-16, Windows-1252) and the record splitter, plus the writer's
// quoting rule.
//
// Design notes
// (1) The input is read whole and decoded to UTF-8 once, so the splitter works on one contiguous
//     buffer and unquoted fields, and quoted fields without "" or CR, are string_views into it:
//     the common record costs two vector push_backs per field and no allocation.
// (2) A quoted field that must be rewritten ("" -> ", CR/CRLF -> LF) is appended to
//     record->scratch. Since scratch may reallocate while later fields are appended, such a field
//     is first stored as a placeholder view of the right length that starts at its opening quote
//     in the input; no other field view can start with '"' and be non-empty (an unquoted field
//     never starts with '"', and a non-empty quoted field without escapes starts after the
//     quote with a character other than '"'). When the record is complete the placeholders are
//     replaced, in order, by views into the final scratch.
// (3) Lines are counted as the splitter passes LF, CRLF or a lone CR, inside quotes too, so
//     field_lines are physical line numbers even after multi-line fields.
// (4) Errors: an unterminated quote is reported at the line of its opening quote and reading
//     resumes on the next physical line after it; text after a closing quote is reported at the
//     line of that text and reading resumes on the line after it.
// (5) Encoding detection validates UTF-8 with an 8-bytes-at-a-time ASCII fast path.
// (6) A complete record is checked field by field for a NUL byte and for its length
//     (CsvOptions::max_field_bytes): text never holds NUL, and a field of megabytes is a broken
//     quote or not CSV at all. Either refuses the whole record at the field's line and column;
//     reading resumes after the record.
#include "csv/csv_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace salesbox::csv {
namespace {

// Windows-1252 0x80..0x9F. The five bytes the code page leaves undefined (0x81, 0x8D, 0x8F,
// 0x90, 0x9D) map to the C1 control with the same number, as Windows' MultiByteToWideChar does.
// 0xA0..0xFF are Latin-1, i.e. the code point equals the byte.
constexpr char16_t kCp1252High[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,  // 0x80
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,  // 0x88
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,  // 0x90
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,  // 0x98
};

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
constexpr std::string_view kUtf16LeBom = "\xFF\xFE";
constexpr std::string_view kUtf16BeBom = "\xFE\xFF";

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

// Appends the UTF-8 encoding of `cp` (a Unicode scalar value) at `out`; returns the end.
inline char* PutUtf8(char32_t cp, char* out) {
  if (cp < 0x80) {
    *out++ = static_cast<char>(cp);
  } else if (cp < 0x800) {
    *out++ = static_cast<char>(0xC0 | (cp >> 6));
    *out++ = static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *out++ = static_cast<char>(0xE0 | (cp >> 12));
    *out++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out++ = static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    *out++ = static_cast<char>(0xF0 | (cp >> 18));
    *out++ = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    *out++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out++ = static_cast<char>(0x80 | (cp & 0x3F));
  }
  return out;
}

inline char32_t Cp1252ToCodePoint(unsigned char b) {
  return (b >= 0x80 && b < 0xA0) ? kCp1252High[b - 0x80] : b;
}

inline uint64_t Load64(const unsigned char* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof(v));
  return v;
}

// True if `s` is well-formed UTF-8 (no overlongs, surrogates or code points above U+10FFFF).
bool IsValidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const unsigned char* const end = p + s.size();
  while (p != end) {
    if (end - p >= 8 && (Load64(p) & 0x8080808080808080ULL) == 0) {
      p += 8;
      continue;
    }
    const unsigned char b = *p;
    if (b < 0x80) {
      ++p;
      continue;
    }
    int length = 0;
    unsigned char lo = 0x80;  // allowed range of the second byte
    unsigned char hi = 0xBF;
    if (b >= 0xC2 && b <= 0xDF) {
      length = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
      length = 3;
      if (b == 0xE0) lo = 0xA0;  // overlong
      if (b == 0xED) hi = 0x9F;  // surrogates
    } else if (b >= 0xF0 && b <= 0xF4) {
      length = 4;
      if (b == 0xF0) lo = 0x90;  // overlong
      if (b == 0xF4) hi = 0x8F;  // above U+10FFFF
    } else {
      return false;
    }
    if (end - p < length) return false;
    if (p[1] < lo || p[1] > hi) return false;
    for (int i = 2; i < length; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
    }
    p += length;
  }
  return true;
}

std::string DecodeWindows1252(std::string_view in) {
  size_t size = in.size();
  for (unsigned char b : in) {
    if (b >= 0x80) size += (b < 0xA0 && Cp1252ToCodePoint(b) >= 0x800) ? 2 : 1;
  }
  std::string out(size, '\0');
  char* w = out.data();
  for (unsigned char b : in) {
    if (b < 0x80) {
      *w++ = static_cast<char>(b);
    } else {
      w = PutUtf8(Cp1252ToCodePoint(b), w);
    }
  }
  return out;
}

// Decodes UTF-16 (no BOM) to UTF-8. `bom_size` only shifts the byte offsets in messages.
Result<std::string> DecodeUtf16(std::string_view in, bool big_endian, size_t bom_size,
                                const std::string& name) {
  auto invalid = [&](size_t offset, std::string_view problem) {
    std::string message = name;
    message += ": invalid UTF-16: ";
    message += problem;
    message += " at byte ";
    message += std::to_string(offset + bom_size);
    return Status::InvalidArgument(std::move(message));
  };
  if (in.size() % 2 != 0) return invalid(in.size() - 1, "odd number of bytes");
  const auto* p = reinterpret_cast<const unsigned char*>(in.data());
  const size_t units = in.size() / 2;
  auto unit = [&](size_t i) -> char32_t {
    return big_endian ? static_cast<char32_t>((p[2 * i] << 8) | p[2 * i + 1])
                      : static_cast<char32_t>((p[2 * i + 1] << 8) | p[2 * i]);
  };
  std::string out(units * 3, '\0');  // a unit becomes at most 3 bytes; a pair (2 units) 4
  char* w = out.data();
  for (size_t i = 0; i < units; ++i) {
    char32_t cp = unit(i);
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      if (i + 1 == units) return invalid(2 * i, "unpaired high surrogate");
      const char32_t low = unit(i + 1);
      if (low < 0xDC00 || low > 0xDFFF) return invalid(2 * i, "unpaired high surrogate");
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
      ++i;
    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
      return invalid(2 * i, "unpaired low surrogate");
    }
    w = PutUtf8(cp, w);
  }
  out.resize(static_cast<size_t>(w - out.data()));
  return out;
}

// Counts the candidate delimiters outside quotes in the first non-blank record of `data` and
// picks the most frequent (ties: ';', ',', '\t', '|'); ',' when none occurs.
char DetectDelimiter(std::string_view data) {
  static constexpr char kCandidates[] = {';', ',', '\t', '|'};  // in tie-break order
  size_t counts[4] = {0, 0, 0, 0};
  auto candidate = [](char c) {
    switch (c) {
      case ';':
        return 0;
      case ',':
        return 1;
      case '\t':
        return 2;
      case '|':
        return 3;
      default:
        return -1;
    }
  };
  size_t i = 0;
  while (i < data.size() && (data[i] == '\n' || data[i] == '\r')) ++i;
  bool field_start = true;
  while (i < data.size()) {
    const char c = data[i];
    if (c == '\n' || c == '\r') break;
    if (c == '"' && field_start) {
      // A quoted field: skip to its closing quote ("" is an escaped quote).
      ++i;
      while (i < data.size()) {
        if (data[i] == '"') {
          if (i + 1 < data.size() && data[i + 1] == '"') {
            i += 2;
            continue;
          }
          break;
        }
        ++i;
      }
      ++i;
      field_start = false;
      continue;
    }
    const int k = candidate(c);
    if (k >= 0) ++counts[k];
    field_start = k >= 0;
    ++i;
  }
  int best = -1;
  for (int k = 0; k < 4; ++k) {
    if (counts[k] > 0 && (best < 0 || counts[k] > counts[best])) best = k;
  }
  return best < 0 ? ',' : kCandidates[best];
}

// Moves `*p` past the end of the current physical line (LF, CRLF or CR), counting it.
void SkipLine(const char** p, const char* end, int64_t* line) {
  const char* q = *p;
  while (q != end && *q != '\n' && *q != '\r') ++q;
  if (q != end) {
    q += (*q == '\r' && q + 1 != end && q[1] == '\n') ? 2 : 1;
    ++*line;
  }
  *p = q;
}

Status RecordError(const std::string& name, int64_t line, size_t column, std::string_view problem) {
  std::string message = name;
  message += ':';
  message += std::to_string(line);
  message += ':';
  message += std::to_string(column);
  message += ": ";
  message += problem;
  return Status::InvalidArgument(std::move(message));
}

// " (64 KiB)" for whole KiB, else "".
std::string LimitInKib(size_t bytes) {
  if (bytes == 0 || bytes % 1024 != 0) return "";
  return " (" + std::to_string(bytes / 1024) + " KiB)";
}

}  // namespace

std::string_view EncodingName(Encoding encoding) {
  switch (encoding) {
    case Encoding::kUtf8:
      return "utf-8";
    case Encoding::kUtf8Bom:
      return "utf-8-bom";
    case Encoding::kUtf16Le:
      return "utf-16le";
    case Encoding::kUtf16Be:
      return "utf-16be";
    case Encoding::kWindows1252:
      return "windows-1252";
  }
  return "utf-8";
}

Result<CsvReader> CsvReader::Open(const std::string& path, const CsvOptions& options) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int error = errno;
    if (error == ENOENT || error == ENOTDIR) return Status::NotFound(path + ": no such file");
    return Status::Internal(path + ": " + std::generic_category().message(error));
  }
  std::string data;
  struct stat info;
  if (::fstat(fd, &info) == 0 && S_ISREG(info.st_mode) && info.st_size > 0) {
    // One spare byte, so that the read that sees EOF needs no reallocation.
    data.reserve(static_cast<size_t>(info.st_size) + 1);
  }
  // Read until EOF rather than trusting st_size: the file may grow, or be a pipe.
  constexpr size_t kChunk = size_t{1} << 20;
  for (;;) {
    const size_t old_size = data.size();
    const size_t want = data.capacity() > old_size ? data.capacity() - old_size : kChunk;
    data.resize(old_size + want);
    const ssize_t got = ::read(fd, data.data() + old_size, want);
    if (got < 0) {
      const int error = errno;
      if (error == EINTR) {
        data.resize(old_size);
        continue;
      }
      ::close(fd);
      return Status::Internal(path + ": " + std::generic_category().message(error));
    }
    data.resize(old_size + static_cast<size_t>(got));
    if (got == 0) break;
  }
  ::close(fd);
  return FromString(std::move(data), path, options);
}

Result<CsvReader> CsvReader::FromString(std::string data, std::string name,
                                        const CsvOptions& options) {
  const char delimiter = options.delimiter;
  if (delimiter == '"' || delimiter == '\r' || delimiter == '\n') {
    return Status::InvalidArgument(name + ": a quote or line end cannot be the delimiter");
  }

  CsvReader reader;
  reader.name_ = std::move(name);
  reader.max_field_bytes_ = options.max_field_bytes;
  Encoding encoding;
  if (options.encoding.has_value()) {
    encoding = *options.encoding;
  } else if (StartsWith(data, kUtf8Bom)) {
    encoding = Encoding::kUtf8Bom;
  } else if (StartsWith(data, kUtf16LeBom)) {
    encoding = Encoding::kUtf16Le;
  } else if (StartsWith(data, kUtf16BeBom)) {
    encoding = Encoding::kUtf16Be;
  } else if (IsValidUtf8(data)) {
    encoding = Encoding::kUtf8;
  } else {
    encoding = Encoding::kWindows1252;
  }
  reader.encoding_ = encoding;

  switch (encoding) {
    case Encoding::kUtf8:
    case Encoding::kUtf8Bom:
      if (StartsWith(data, kUtf8Bom)) data.erase(0, kUtf8Bom.size());
      reader.data_ = std::move(data);
      break;
    case Encoding::kUtf16Le:
    case Encoding::kUtf16Be: {
      const bool big_endian = encoding == Encoding::kUtf16Be;
      const std::string_view bom = big_endian ? kUtf16BeBom : kUtf16LeBom;
      std::string_view text = data;
      if (StartsWith(text, bom)) text.remove_prefix(bom.size());
      Result<std::string> decoded =
          DecodeUtf16(text, big_endian, data.size() - text.size(), reader.name_);
      if (!decoded.ok()) return std::move(decoded).status();
      reader.data_ = std::move(decoded).value();
      break;
    }
    case Encoding::kWindows1252:
      reader.data_ = DecodeWindows1252(data);
      break;
  }

  // Excel's "sep=X" line: sets the delimiter when detecting, and is never data.
  const std::string_view text = reader.data_;
  char sep_line_delimiter = '\0';
  if (text.size() >= 5 && StartsWith(text, "sep=") && text[4] != '"' && text[4] != '\r' &&
      text[4] != '\n' && (text.size() == 5 || text[5] == '\r' || text[5] == '\n')) {
    sep_line_delimiter = text[4];
    const char* p = text.data() + 5;
    int64_t line = 1;
    SkipLine(&p, text.data() + text.size(), &line);
    reader.pos_ = static_cast<size_t>(p - text.data());
    reader.line_ = 2;
  }
  if (delimiter != '\0') {
    reader.delimiter_ = delimiter;
  } else if (sep_line_delimiter != '\0') {
    reader.delimiter_ = sep_line_delimiter;
  } else {
    reader.delimiter_ = DetectDelimiter(text.substr(reader.pos_));
  }
  return reader;
}

Result<bool> CsvReader::Next(CsvRecord* record) {
  std::vector<std::string_view>& fields = record->fields;
  std::vector<int64_t>& field_lines = record->field_lines;
  std::string& scratch = record->scratch;
  const char* const begin = data_.data();
  const char* const end = begin + data_.size();
  const char* p = begin + pos_;
  const char delimiter = delimiter_;
  int64_t line = line_;

  while (p != end) {
    fields.clear();
    field_lines.clear();
    scratch.clear();
    record->line = line;
    bool any_content = false;
    bool uses_scratch = false;
    for (;;) {  // one field per iteration
      const int64_t field_line = line;
      if (p != end && *p == '"') {
        const char* const quote = p;
        const char* q = p + 1;
        const char* chunk = q;  // start of the text not yet copied to scratch
        const size_t scratch_begin = scratch.size();
        bool rewritten = false;
        for (;;) {
          while (q != end && *q != '"' && *q != '\n' && *q != '\r') ++q;
          if (q == end) {
            const size_t column = fields.size() + 1;
            p = quote;
            line = field_line;
            SkipLine(&p, end, &line);
            pos_ = static_cast<size_t>(p - begin);
            line_ = line;
            fields.clear();
            field_lines.clear();
            return RecordError(name_, field_line, column, "unterminated quoted field");
          }
          if (*q == '"') {
            if (q + 1 != end && q[1] == '"') {  // "" is one quote
              scratch.append(chunk, q + 1);
              q += 2;
              chunk = q;
              rewritten = true;
              continue;
            }
            break;  // the closing quote
          }
          ++line;
          if (*q == '\n') {
            ++q;
            continue;
          }
          // CR or CRLF inside quotes is kept as '\n'.
          scratch.append(chunk, q);
          scratch.push_back('\n');
          q += (q + 1 != end && q[1] == '\n') ? 2 : 1;
          chunk = q;
          rewritten = true;
        }
        if (rewritten) {
          scratch.append(chunk, q);
          fields.emplace_back(quote, scratch.size() - scratch_begin);  // placeholder, note (2)
          uses_scratch = true;
        } else {
          fields.emplace_back(chunk, static_cast<size_t>(q - chunk));
        }
        any_content |= !fields.back().empty();
        p = q + 1;
        if (p != end && *p != delimiter && *p != '\n' && *p != '\r') {
          const size_t column = fields.size();
          const int64_t error_line = line;
          SkipLine(&p, end, &line);
          pos_ = static_cast<size_t>(p - begin);
          line_ = line;
          fields.clear();
          field_lines.clear();
          return RecordError(name_, error_line, column, "unexpected text after the closing quote");
        }
      } else {
        const char* q = p;
        while (q != end && *q != delimiter && *q != '\n' && *q != '\r') ++q;
        fields.emplace_back(p, static_cast<size_t>(q - p));
        any_content |= q != p;
        p = q;
      }
      field_lines.push_back(field_line);
      if (p == end) break;
      if (*p == delimiter) {
        ++p;
        continue;
      }
      p += (*p == '\r' && p + 1 != end && p[1] == '\n') ? 2 : 1;
      ++line;
      break;
    }
    if (!any_content) continue;  // a blank line or only delimiters
    if (uses_scratch) {
      size_t offset = 0;
      for (std::string_view& field : fields) {
        if (!field.empty() && field.front() == '"') {
          field = std::string_view(scratch.data() + offset, field.size());
          offset += field.size();
        }
      }
    }
    pos_ = static_cast<size_t>(p - begin);
    line_ = line;
    for (size_t i = 0; i < fields.size(); ++i) {
      const std::string_view field = fields[i];
      if (field.size() > max_field_bytes_) {
        return RecordError(name_, field_lines[i], i + 1,
                           "the field is " + std::to_string(field.size()) +
                               " bytes long; the limit is " + std::to_string(max_field_bytes_) +
                               " bytes" + LimitInKib(max_field_bytes_) + " per field");
      }
      if (std::memchr(field.data(), '\0', field.size()) != nullptr) {
        return RecordError(name_, field_lines[i], i + 1,
                           "the field holds a NUL byte (character 0), which text never does; is "
                           "this a binary file?");
      }
    }
    return true;
  }
  fields.clear();
  field_lines.clear();
  scratch.clear();
  pos_ = data_.size();
  line_ = line;
  return false;
}

void AppendCsvField(std::string_view field, char delimiter, std::string* out) {
  bool quote =
      !field.empty() && (field.front() == ' ' || field.front() == '\t' || field.back() == ' ' ||
                         field.back() == '\t' || StartsWith(field, "sep="));
  if (!quote) {
    for (char c : field) {
      if (c == delimiter || c == '"' || c == '\n' || c == '\r') {
        quote = true;
        break;
      }
    }
  }
  if (!quote) {
    out->append(field);
    return;
  }
  out->push_back('"');
  size_t start = 0;
  for (size_t i = 0; i < field.size(); ++i) {
    if (field[i] == '"') {
      out->append(field, start, i + 1 - start);  // the quote itself, then its double
      out->push_back('"');
      start = i + 1;
    }
  }
  out->append(field, start, std::string_view::npos);
  out->push_back('"');
}

}  // namespace salesbox::csv
