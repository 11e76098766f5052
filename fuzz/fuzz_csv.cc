// SPDX-License-Identifier: MIT
// Fuzz target: CsvReader over any bytes, with the options chosen by the first byte. Invariants:
// no crash; a record's fields and their lines agree in number; lines only grow.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "csv/csv_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  salesbox::csv::CsvOptions options;
  const uint8_t choice = data[0];
  if (choice & 1) options.delimiter = ";,\t|"[(choice >> 1) & 3];
  if (choice & 8) options.encoding = static_cast<salesbox::csv::Encoding>((choice >> 4) % 5);
  if (choice & 128) options.max_field_bytes = 16;
  salesbox::Result<salesbox::csv::CsvReader> reader = salesbox::csv::CsvReader::FromString(
      std::string(reinterpret_cast<const char*>(data) + 1, size - 1), "fuzz.csv", options);
  if (!reader.ok()) return 0;
  salesbox::csv::CsvRecord record;
  int64_t last_line = 0;
  for (int i = 0; i < 100000; ++i) {
    salesbox::Result<bool> next = reader->Next(&record);
    if (!next.ok()) continue;
    if (!*next) break;
    if (record.fields.size() != record.field_lines.size() || record.line < last_line) std::abort();
    last_line = record.line;
  }
  return 0;
}
