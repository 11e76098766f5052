// SPDX-License-Identifier: MIT
// XLSX reading with libzip (the archive) and expat (the XML), both Debian packages.
//
// Design notes.
//  * An .xlsx is a zip of XML parts: _rels/.rels names the workbook part (xl/workbook.xml),
//    whose <sheet name r:id> entries its own .rels file maps to sheet parts; xl/sharedStrings.xml
//    holds the strings cells refer to by index; xl/styles.xml says which cell style (<xf> in
//    <cellXfs>) has which number format, and a number is a date only through its format.
//  * The workbook, shared strings and styles are read whole when the workbook is opened (each is
//    refused over kMaxPartBytes). A sheet is streamed: Next feeds expat 64 KiB of the inflated
//    part at a time until a row is complete, so memory stays flat however long the sheet is.
//  * Element names are compared without their namespace prefix (some writers use "x:row").
//  * Dates: a serial number counts days since 1899-12-30 (1900 system; serials below 61 are
//    one day later because Excel counts the 29th of February 1900, which did not exist) or since
//    1904-01-01 (workbookPr date1904); the fraction is the time of day.
//  * Errors name file, sheet, row and column ("deals.xlsx, sheet "Deals", row 7, column C: ...").
#include "csv/xlsx_reader.h"

#include <expat.h>
#include <zip.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <deque>
#include <fstream>
#include <optional>
#include <unordered_map>
#include <utility>

#include "common/status_macros.h"
#include "common/time.h"

namespace salesbox::csv {

std::string ColumnLetters(int64_t column) {
  std::string letters;
  while (column > 0) {
    const int64_t rest = (column - 1) % 26;
    letters.insert(letters.begin(), static_cast<char>('A' + rest));
    column = (column - 1) / 26;
  }
  return letters;
}

namespace {

constexpr zip_uint64_t kMaxPartBytes = 256ull << 20;
constexpr size_t kChunkBytes = 64 * 1024;
constexpr int64_t kMaxColumns = 16384;  // XFD, Excel's last column

// The element's name without a namespace prefix.
std::string_view Local(const XML_Char* name) {
  std::string_view n(name);
  size_t colon = n.rfind(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

// The value of attribute `local` (prefix ignored); nullptr when absent.
const char* Attr(const XML_Char** attrs, std::string_view local, bool prefixed = false) {
  for (int i = 0; attrs[i] != nullptr; i += 2) {
    std::string_view n(attrs[i]);
    size_t colon = n.rfind(':');
    if (prefixed && colon == std::string_view::npos) continue;
    if ((colon == std::string_view::npos ? n : n.substr(colon + 1)) == local) return attrs[i + 1];
  }
  return nullptr;
}

struct ZipCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};
struct ZipFileCloser {
  void operator()(zip_file_t* f) const { zip_fclose(f); }
};
struct ParserFree {
  void operator()(XML_Parser p) const { XML_ParserFree(p); }
};
using Parser = std::unique_ptr<std::remove_pointer_t<XML_Parser>, ParserFree>;

// Decodes OOXML's _xHHHH_ escapes (Excel writes a carriage return as _x000D_).
void DecodeEscapes(std::string& text) {
  if (text.find("_x") == std::string::npos) return;
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '_' && i + 6 < text.size() && text[i + 1] == 'x' && text[i + 6] == '_') {
      unsigned code = 0;
      auto [end, ec] = std::from_chars(text.data() + i + 2, text.data() + i + 6, code, 16);
      if (ec == std::errc() && end == text.data() + i + 6) {
        if (code < 0x80) {
          out += static_cast<char>(code);
        } else if (code < 0x800) {
          out += static_cast<char>(0xC0 | (code >> 6));
          out += static_cast<char>(0x80 | (code & 0x3F));
        } else {
          out += static_cast<char>(0xE0 | (code >> 12));
          out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
          out += static_cast<char>(0x80 | (code & 0x3F));
        }
        i += 6;
        continue;
      }
    }
    out += text[i];
  }
  text = std::move(out);
}

// Whether a number format code shows a date or time: a d, m, y, h or s outside quoted text,
// escaped characters and [brackets] (colours, locales; [h] elapsed hours count).
bool IsDateFormat(std::string_view code) {
  bool quoted = false;
  for (size_t i = 0; i < code.size(); ++i) {
    const char c = code[i];
    if (quoted) {
      if (c == '"') quoted = false;
      continue;
    }
    if (c == '"') {
      quoted = true;
    } else if (c == '\\' || c == '_' || c == '*') {
      ++i;  // the next character is literal (or padding)
    } else if (c == '[') {
      size_t close = code.find(']', i);
      if (close == std::string_view::npos) return false;
      std::string_view inside = code.substr(i + 1, close - i - 1);
      if (!inside.empty() && (inside[0] == 'h' || inside[0] == 'H' || inside[0] == 'm' ||
                              inside[0] == 'M' || inside[0] == 's' || inside[0] == 'S')) {
        return true;
      }
      i = close;
    } else if (c == ';') {
      return false;  // only the first section decides
    } else {
      switch (std::tolower(static_cast<unsigned char>(c))) {
        case 'd':
        case 'm':
        case 'y':
        case 'h':
        case 's':
          return true;
        default:
          break;
      }
    }
  }
  return false;
}

bool IsBuiltinDateFormat(int id) {
  return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
         (id >= 50 && id <= 58);
}

// "12", "0.3", "1234567.89": a number as people write it, without binary noise.
std::string FormatNumber(double value) {
  char buffer[64];
  if (std::fabs(value) < 1e15 && value == std::floor(value)) {
    std::snprintf(buffer, sizeof buffer, "%.0f", value);
  } else {
    std::snprintf(buffer, sizeof buffer, "%.15g", value);
  }
  std::string out(buffer);
  if (out == "-0") out = "0";
  return out;
}

// A serial date-time as ISO text: a date, a date with a time, or a time of day alone.
std::string FormatSerial(double serial, bool date1904) {
  int64_t seconds = std::llround(serial * 86400.0);
  const int64_t day = seconds >= 0 ? seconds / 86400 : -((-seconds + 86399) / 86400);
  const int64_t second_of_day = seconds - day * 86400;
  if (serial < 1.0 && !date1904) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%02d:%02d:%02d", static_cast<int>(second_of_day / 3600),
                  static_cast<int>(second_of_day / 60 % 60), static_cast<int>(second_of_day % 60));
    return buffer;
  }
  const Date epoch = date1904 ? MakeDate(1904, 1, 1) : MakeDate(1899, 12, day < 61 ? 31 : 30);
  const Date date = epoch + std::chrono::days(day);
  if (second_of_day == 0) return FormatDate(date);
  return FormatTimestamp(StartOf(date) + std::chrono::seconds(second_of_day));
}

// Reads a whole part (at most kMaxPartBytes); nullopt when the archive has no such part.
Result<std::optional<std::string>> ReadPart(zip_t* zip, const std::string& part,
                                            const std::string& file) {
  zip_stat_t stat;
  zip_stat_init(&stat);
  if (zip_stat(zip, part.c_str(), 0, &stat) != 0) return std::optional<std::string>();
  if ((stat.valid & ZIP_STAT_SIZE) == 0 || stat.size > kMaxPartBytes) {
    return Status::InvalidArgument(file + ": the part " + part + " is larger than 256 MiB");
  }
  std::unique_ptr<zip_file_t, ZipFileCloser> in(zip_fopen(zip, part.c_str(), 0));
  if (!in) return Status::InvalidArgument(file + ": cannot read the part " + part);
  std::string text(stat.size, '\0');
  zip_int64_t got = zip_fread(in.get(), text.data(), text.size());
  if (got < 0 || static_cast<zip_uint64_t>(got) != stat.size) {
    return Status::InvalidArgument(file + ": the part " + part + " is damaged");
  }
  return std::optional<std::string>(std::move(text));
}

// Parses `text` with the given handlers and `user` data; kInvalidArgument names file and part.
template <typename User>
Status ParseWhole(const std::string& text, User* user, XML_StartElementHandler start,
                  XML_EndElementHandler end, XML_CharacterDataHandler chars,
                  const std::string& what) {
  Parser parser(XML_ParserCreate("UTF-8"));
  if (!parser) return Status::Internal("expat: out of memory");
  XML_SetUserData(parser.get(), user);
  XML_SetElementHandler(parser.get(), start, end);
  if (chars != nullptr) XML_SetCharacterDataHandler(parser.get(), chars);
  if (XML_Parse(parser.get(), text.data(), static_cast<int>(text.size()), XML_TRUE) !=
      XML_STATUS_OK) {
    return Status::InvalidArgument(what + ": not valid XML at line " +
                                   std::to_string(XML_GetCurrentLineNumber(parser.get())) + ": " +
                                   XML_ErrorString(XML_GetErrorCode(parser.get())));
  }
  return Status::Ok();
}

// The directory part of a part name ("xl/workbook.xml" -> "xl/").
std::string DirOf(const std::string& part) {
  size_t slash = part.rfind('/');
  return slash == std::string::npos ? std::string() : part.substr(0, slash + 1);
}

// A relationship target relative to `dir`, normalised ("../x" and "/xl/x" handled).
std::string Resolve(const std::string& dir, std::string target) {
  if (!target.empty() && target[0] == '/') return target.substr(1);
  std::string base = dir;
  while (target.rfind("../", 0) == 0) {
    target.erase(0, 3);
    if (!base.empty()) base.pop_back();
    size_t slash = base.rfind('/');
    base = slash == std::string::npos ? std::string() : base.substr(0, slash + 1);
  }
  return base + target;
}

// Relationship id -> target of a .rels part.
struct Rels {
  std::unordered_map<std::string, std::string> targets;
  std::string office_document;  // the target of type .../officeDocument
  static void Start(void* data, const XML_Char* name, const XML_Char** attrs) {
    auto* rels = static_cast<Rels*>(data);
    if (Local(name) != "Relationship") return;
    const char* id = Attr(attrs, "Id");
    const char* target = Attr(attrs, "Target");
    const char* type = Attr(attrs, "Type");
    if (id == nullptr || target == nullptr) return;
    rels->targets[id] = target;
    if (type != nullptr && std::string_view(type).ends_with("/officeDocument")) {
      rels->office_document = target;
    }
  }
  static void End(void*, const XML_Char*) {}
};

struct SheetEntry {
  std::string name;
  std::string part;
};

struct WorkbookXml {
  bool date1904 = false;
  std::vector<std::pair<std::string, std::string>> sheets;  // name, relationship id
  static void Start(void* data, const XML_Char* name, const XML_Char** attrs) {
    auto* wb = static_cast<WorkbookXml*>(data);
    const std::string_view local = Local(name);
    if (local == "workbookPr") {
      const char* d = Attr(attrs, "date1904");
      wb->date1904 = d != nullptr && (std::strcmp(d, "1") == 0 || std::strcmp(d, "true") == 0);
    } else if (local == "sheet") {
      const char* sheet_name = Attr(attrs, "name");
      const char* id = Attr(attrs, "id", /*prefixed=*/true);
      if (sheet_name != nullptr && id != nullptr) wb->sheets.emplace_back(sheet_name, id);
    }
  }
  static void End(void*, const XML_Char*) {}
};

struct SharedStrings {
  std::vector<std::string> strings;
  std::string current;
  int in_t = 0;
  int in_rph = 0;
  bool in_si = false;
  static void Start(void* data, const XML_Char* name, const XML_Char**) {
    auto* s = static_cast<SharedStrings*>(data);
    const std::string_view local = Local(name);
    if (local == "si") {
      s->in_si = true;
      s->current.clear();
    } else if (local == "t") {
      ++s->in_t;
    } else if (local == "rPh") {
      ++s->in_rph;
    }
  }
  static void End(void* data, const XML_Char* name) {
    auto* s = static_cast<SharedStrings*>(data);
    const std::string_view local = Local(name);
    if (local == "si") {
      DecodeEscapes(s->current);
      s->strings.push_back(std::move(s->current));
      s->current.clear();
      s->in_si = false;
    } else if (local == "t") {
      --s->in_t;
    } else if (local == "rPh") {
      --s->in_rph;
    }
  }
  static void Chars(void* data, const XML_Char* text, int len) {
    auto* s = static_cast<SharedStrings*>(data);
    if (s->in_si && s->in_t > 0 && s->in_rph == 0) s->current.append(text, len);
  }
};

struct Styles {
  std::unordered_map<int, bool> custom_is_date;  // numFmtId -> date?
  std::vector<int> xf_formats;                   // cellXfs order -> numFmtId
  bool in_cell_xfs = false;
  static void Start(void* data, const XML_Char* name, const XML_Char** attrs) {
    auto* s = static_cast<Styles*>(data);
    const std::string_view local = Local(name);
    if (local == "numFmt") {
      const char* id = Attr(attrs, "numFmtId");
      const char* code = Attr(attrs, "formatCode");
      if (id != nullptr && code != nullptr) s->custom_is_date[std::atoi(id)] = IsDateFormat(code);
    } else if (local == "cellXfs") {
      s->in_cell_xfs = true;
    } else if (local == "xf" && s->in_cell_xfs) {
      const char* id = Attr(attrs, "numFmtId");
      s->xf_formats.push_back(id == nullptr ? 0 : std::atoi(id));
    }
  }
  static void End(void* data, const XML_Char* name) {
    if (Local(name) == "cellXfs") static_cast<Styles*>(data)->in_cell_xfs = false;
  }
};

}  // namespace

struct XlsxWorkbook::Data {
  std::string name;
  std::unique_ptr<zip_t, ZipCloser> zip;
  std::vector<SheetEntry> sheets;
  std::vector<std::string> sheet_names;
  std::vector<std::string> shared_strings;
  std::vector<bool> date_styles;  // per cell style index
  bool date1904 = false;
};

bool LooksLikeXlsx(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char magic[4] = {};
  if (!in.read(magic, 4)) return false;
  return magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
}

XlsxWorkbook::XlsxWorkbook(std::shared_ptr<Data> data) : data_(std::move(data)) {}
XlsxWorkbook::XlsxWorkbook(XlsxWorkbook&&) noexcept = default;
XlsxWorkbook& XlsxWorkbook::operator=(XlsxWorkbook&&) noexcept = default;
XlsxWorkbook::~XlsxWorkbook() = default;

const std::string& XlsxWorkbook::name() const { return data_->name; }
const std::vector<std::string>& XlsxWorkbook::sheet_names() const { return data_->sheet_names; }

Result<XlsxWorkbook> XlsxWorkbook::Open(const std::string& path, std::string display_name) {
  auto data = std::make_shared<Data>();
  data->name = display_name.empty() ? path : std::move(display_name);
  const std::string& file = data->name;
  {
    std::ifstream probe(path, std::ios::binary);
    if (!probe) return Status::NotFound(file + ": no such file");
  }
  int error = 0;
  data->zip.reset(zip_open(path.c_str(), ZIP_RDONLY, &error));
  if (!data->zip) {
    return Status::InvalidArgument(file + ": not an XLSX workbook (not a zip archive)");
  }
  std::string workbook_part = "xl/workbook.xml";
  SB_ASSIGN_OR_RETURN(std::optional<std::string> root_rels,
                      ReadPart(data->zip.get(), "_rels/.rels", file));
  if (root_rels) {
    Rels rels;
    SB_RETURN_IF_ERROR(
        ParseWhole(*root_rels, &rels, Rels::Start, Rels::End, nullptr, file + ": _rels/.rels"));
    if (!rels.office_document.empty()) workbook_part = Resolve("", rels.office_document);
  }
  SB_ASSIGN_OR_RETURN(std::optional<std::string> workbook_xml,
                      ReadPart(data->zip.get(), workbook_part, file));
  if (!workbook_xml) {
    return Status::InvalidArgument(file + ": not an XLSX workbook (it has no " + workbook_part +
                                   ")");
  }
  WorkbookXml workbook;
  SB_RETURN_IF_ERROR(ParseWhole(*workbook_xml, &workbook, WorkbookXml::Start, WorkbookXml::End,
                                nullptr, file + ": " + workbook_part));
  data->date1904 = workbook.date1904;
  const std::string dir = DirOf(workbook_part);
  Rels rels;
  const std::string rels_part = dir + "_rels/" + workbook_part.substr(dir.size()) + ".rels";
  SB_ASSIGN_OR_RETURN(std::optional<std::string> rels_xml,
                      ReadPart(data->zip.get(), rels_part, file));
  if (rels_xml) {
    SB_RETURN_IF_ERROR(
        ParseWhole(*rels_xml, &rels, Rels::Start, Rels::End, nullptr, file + ": " + rels_part));
  }
  for (const auto& [sheet_name, id] : workbook.sheets) {
    auto it = rels.targets.find(id);
    if (it == rels.targets.end()) continue;
    data->sheets.push_back({sheet_name, Resolve(dir, it->second)});
    data->sheet_names.push_back(sheet_name);
  }
  if (data->sheets.empty()) {
    return Status::InvalidArgument(file + ": the workbook has no sheets");
  }
  SB_ASSIGN_OR_RETURN(std::optional<std::string> strings_xml,
                      ReadPart(data->zip.get(), dir + "sharedStrings.xml", file));
  if (strings_xml) {
    SharedStrings strings;
    SB_RETURN_IF_ERROR(ParseWhole(*strings_xml, &strings, SharedStrings::Start, SharedStrings::End,
                                  SharedStrings::Chars, file + ": " + dir + "sharedStrings.xml"));
    data->shared_strings = std::move(strings.strings);
  }
  SB_ASSIGN_OR_RETURN(std::optional<std::string> styles_xml,
                      ReadPart(data->zip.get(), dir + "styles.xml", file));
  if (styles_xml) {
    Styles styles;
    SB_RETURN_IF_ERROR(ParseWhole(*styles_xml, &styles, Styles::Start, Styles::End, nullptr,
                                  file + ": " + dir + "styles.xml"));
    for (int id : styles.xf_formats) {
      auto custom = styles.custom_is_date.find(id);
      data->date_styles.push_back(custom != styles.custom_is_date.end() ? custom->second
                                                                        : IsBuiltinDateFormat(id));
    }
  }
  return XlsxWorkbook(std::move(data));
}

// --- the sheet reader ------------------------------------------------------------------------

struct XlsxSheetReader::State {
  std::shared_ptr<const XlsxWorkbook::Data> book;
  std::string sheet;
  std::unique_ptr<zip_file_t, ZipFileCloser> in;
  Parser parser;
  size_t max_field_bytes = kDefaultMaxFieldBytes;
  bool eof = false;
  bool broken = false;

  // One parsed row, or a problem found in it.
  struct Item {
    int64_t row = 0;
    std::vector<std::string> cells;
    std::string error;  // non-empty: the row is refused with this message
  };
  std::deque<Item> ready;

  // While parsing.
  bool in_sheet_data = false;
  Item row;
  int64_t last_row = 0;
  int64_t column = 0;  // 1-based, of the current cell
  int64_t last_column = 0;
  std::string type;
  int style = -1;
  bool in_cell = false;
  int in_value = 0;   // <v>
  int in_inline = 0;  // <is>
  int in_t = 0;
  int in_rph = 0;
  std::string text;

  std::string Where(int64_t row_number, int64_t column_number) const {
    std::string where = book->name + ", sheet \"" + sheet + "\", row " + std::to_string(row_number);
    if (column_number > 0) where += ", column " + ColumnLetters(column_number);
    return where;
  }

  void Fail(std::string message) {
    if (row.error.empty()) row.error = Where(row.row, column) + ": " + std::move(message);
  }

  void StartRow(const XML_Char** attrs) {
    row = Item{};
    const char* r = Attr(attrs, "r");
    row.row = r != nullptr ? std::atoll(r) : last_row + 1;
    if (row.row <= last_row) row.row = last_row + 1;
    last_row = row.row;
    last_column = 0;
  }

  void StartCell(const XML_Char** attrs) {
    in_cell = true;
    text.clear();
    const char* r = Attr(attrs, "r");
    column = last_column + 1;
    if (r != nullptr) {
      int64_t c = 0;
      for (const char* p = r; *p != '\0' && std::isalpha(static_cast<unsigned char>(*p)); ++p) {
        c = c * 26 + (std::toupper(static_cast<unsigned char>(*p)) - 'A' + 1);
        if (c > kMaxColumns) break;
      }
      if (c > 0) column = c;
    }
    last_column = column;
    const char* t = Attr(attrs, "t");
    type = t != nullptr ? t : "n";
    const char* s = Attr(attrs, "s");
    style = s != nullptr ? std::atoi(s) : -1;
  }

  void EndCell() {
    in_cell = false;
    if (column > kMaxColumns) {
      Fail("a cell beyond column XFD");
      return;
    }
    std::string value;
    if (type == "s") {
      if (text.empty()) return;
      size_t index = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), index);
      if (ec != std::errc() || end != text.data() + text.size() ||
          index >= book->shared_strings.size()) {
        Fail("the cell refers to shared string " + text + ", which the workbook does not have");
        return;
      }
      value = book->shared_strings[index];
    } else if (type == "inlineStr" || type == "str" || type == "d") {
      value = std::move(text);
      DecodeEscapes(value);
    } else if (type == "b") {
      value = text == "1" ? "true" : text == "0" ? "false" : text;
    } else if (type == "e") {
      Fail("the cell holds the spreadsheet error " + text);
      return;
    } else {  // a number
      if (text.empty()) return;
      char* end = nullptr;
      const double number = std::strtod(text.c_str(), &end);
      if (end == text.c_str() || *end != '\0' || !std::isfinite(number)) {
        value = std::move(text);
      } else if (style >= 0 && static_cast<size_t>(style) < book->date_styles.size() &&
                 book->date_styles[style] && number >= 0 && number < 2958466) {
        value = FormatSerial(number, book->date1904);
      } else {
        value = FormatNumber(number);
      }
    }
    if (value.find('\0') != std::string::npos) {
      Fail("the cell holds a NUL character");
      return;
    }
    if (value.size() > max_field_bytes) {
      Fail("the cell is longer than " + std::to_string(max_field_bytes / 1024) + " KiB (" +
           std::to_string(value.size()) + " bytes)");
      return;
    }
    if (value.empty()) return;
    if (row.cells.size() < static_cast<size_t>(column)) row.cells.resize(column);
    row.cells[column - 1] = std::move(value);
  }

  void EndRow() {
    if (!row.error.empty() || !row.cells.empty()) ready.push_back(std::move(row));
    row = Item{};
  }

  static void Start(void* data, const XML_Char* name, const XML_Char** attrs) {
    auto* s = static_cast<State*>(data);
    const std::string_view local = Local(name);
    if (local == "sheetData") {
      s->in_sheet_data = true;
    } else if (!s->in_sheet_data) {
      return;
    } else if (local == "row") {
      s->StartRow(attrs);
    } else if (local == "c") {
      s->StartCell(attrs);
    } else if (!s->in_cell) {
      return;
    } else if (local == "v") {
      ++s->in_value;
    } else if (local == "is") {
      ++s->in_inline;
    } else if (local == "t") {
      ++s->in_t;
    } else if (local == "rPh") {
      ++s->in_rph;
    }
  }
  static void End(void* data, const XML_Char* name) {
    auto* s = static_cast<State*>(data);
    const std::string_view local = Local(name);
    if (local == "sheetData") {
      s->in_sheet_data = false;
    } else if (!s->in_sheet_data) {
      return;
    } else if (local == "row") {
      s->EndRow();
    } else if (local == "c") {
      s->EndCell();
    } else if (local == "v") {
      --s->in_value;
    } else if (local == "is") {
      --s->in_inline;
    } else if (local == "t") {
      --s->in_t;
    } else if (local == "rPh") {
      --s->in_rph;
    }
  }
  static void Chars(void* data, const XML_Char* text, int len) {
    auto* s = static_cast<State*>(data);
    if (!s->in_cell) return;
    const bool value = s->in_value > 0 && s->type != "inlineStr";
    const bool inline_text = s->in_inline > 0 && s->in_t > 0 && s->in_rph == 0;
    if (value || inline_text) {
      // A runaway cell is cut here and refused in EndCell.
      if (s->text.size() <= s->max_field_bytes) s->text.append(text, len);
    }
  }

  // Feeds the parser until a row is ready or the part ends.
  Status Fill() {
    std::vector<char> buffer(kChunkBytes);
    while (ready.empty() && !eof) {
      zip_int64_t got = zip_fread(in.get(), buffer.data(), buffer.size());
      if (got < 0) {
        broken = true;
        return Status::InvalidArgument(book->name + ", sheet \"" + sheet +
                                       "\": the sheet's part is damaged");
      }
      eof = got == 0;
      if (XML_Parse(parser.get(), buffer.data(), static_cast<int>(got),
                    eof ? XML_TRUE : XML_FALSE) != XML_STATUS_OK) {
        broken = true;
        return Status::InvalidArgument(
            book->name + ", sheet \"" + sheet + "\": not valid XML at line " +
            std::to_string(XML_GetCurrentLineNumber(parser.get())) +
            " of its part: " + XML_ErrorString(XML_GetErrorCode(parser.get())));
      }
    }
    return Status::Ok();
  }
};

Result<std::unique_ptr<XlsxSheetReader>> XlsxWorkbook::Sheet(std::string_view sheet,
                                                             const XlsxOptions& options) const {
  const SheetEntry* found = sheet.empty() ? &data_->sheets.front() : nullptr;
  auto lower = [](std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  };
  for (const SheetEntry& entry : data_->sheets) {
    if (found == nullptr && entry.name == sheet) found = &entry;
  }
  for (const SheetEntry& entry : data_->sheets) {
    if (found == nullptr && lower(entry.name) == lower(sheet)) found = &entry;
  }
  if (found == nullptr) {
    std::string names;
    for (const std::string& name : data_->sheet_names) {
      names += (names.empty() ? "\"" : ", \"") + name + "\"";
    }
    return Status::InvalidArgument(data_->name + " has no sheet \"" + std::string(sheet) +
                                   "\"; its sheets are " + names);
  }
  auto reader = std::unique_ptr<XlsxSheetReader>(new XlsxSheetReader());
  reader->sheet_ = found->name;
  auto state = std::make_unique<XlsxSheetReader::State>();
  state->book = data_;
  state->sheet = found->name;
  state->max_field_bytes = options.max_field_bytes;
  state->in.reset(zip_fopen(data_->zip.get(), found->part.c_str(), 0));
  if (!state->in) {
    return Status::InvalidArgument(data_->name + ", sheet \"" + found->name + "\": its part " +
                                   found->part + " is missing");
  }
  state->parser.reset(XML_ParserCreate("UTF-8"));
  if (!state->parser) return Status::Internal("expat: out of memory");
  XML_SetUserData(state->parser.get(), state.get());
  XML_SetElementHandler(state->parser.get(), XlsxSheetReader::State::Start,
                        XlsxSheetReader::State::End);
  XML_SetCharacterDataHandler(state->parser.get(), XlsxSheetReader::State::Chars);
  reader->state_ = std::move(state);
  return reader;
}

XlsxSheetReader::~XlsxSheetReader() = default;

const std::string& XlsxSheetReader::name() const { return state_->book->name; }

Result<bool> XlsxSheetReader::Next(CsvRecord* record) {
  State& s = *state_;
  if (s.broken) return false;
  SB_RETURN_IF_ERROR(s.Fill());
  if (s.ready.empty()) return false;
  State::Item item = std::move(s.ready.front());
  s.ready.pop_front();
  if (!item.error.empty()) return Status::InvalidArgument(std::move(item.error));
  // The fields are views into `scratch`, which holds the row's cells one after another.
  record->scratch.clear();
  size_t total = 0;
  for (const std::string& cell : item.cells) total += cell.size();
  record->scratch.reserve(total);
  std::vector<size_t> offsets;
  offsets.reserve(item.cells.size());
  for (const std::string& cell : item.cells) {
    offsets.push_back(record->scratch.size());
    record->scratch += cell;
  }
  record->fields.clear();
  record->field_lines.assign(item.cells.size(), item.row);
  for (size_t i = 0; i < item.cells.size(); ++i) {
    record->fields.emplace_back(record->scratch.data() + offsets[i], item.cells[i].size());
  }
  record->line = item.row;
  return true;
}

}  // namespace salesbox::csv
