// SPDX-License-Identifier: MIT
// The report as a document model: blocks of finished, localized text and chart data, built once
// from the audit and rendered by html_render.cc and pdf_render.cc. Keeping every decision about
// content here is what makes the HTML page and the PDF say the same thing in the same order.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "analytics/audit/playbook.h"
#include "common/result.h"
#include "report/audit_report.h"

namespace salesbox::report::internal {

// A colour in a table cell or a chart; kNone is no colour.
enum class Tone : uint8_t { kGreen, kYellow, kRed, kNone };

struct Rgb {
  double r = 0, g = 0, b = 0;  // 0..1
  std::string Hex() const;     // "#2e7d32"
};

Rgb ToneFill(Tone tone);  // green #2e7d32, yellow #f9a825, red #c62828, none light grey
Rgb ToneInk(Tone tone);   // readable text on ToneFill(tone)
// The heat map's scale for a share in [0, 1]: orange (0) through near-white (0.5) to blue (1),
// a diverging scale that colour-blind readers can tell apart; HeatInk is the text on it.
Rgb HeatFill(double share);
Rgb HeatInk(double share);

// The step between a chart axis' grid lines: 1, 2 or 5 times a power of ten, giving at most
// five steps up to `max`. REQUIRES: max >= 1.
int64_t NiceStep(int64_t max);

struct TitleBlock {
  std::string company;
  std::string title;
  std::vector<std::pair<std::string, std::string>> facts;  // label, value
};

struct Heading {
  int level = 1;  // 1: a part of the report; 2: a sub-heading
  std::string text;
  std::string subtitle;
};

struct Paragraph {
  std::string text;
};

struct KeyFigure {
  std::string label;
  std::string value;
  std::string detail;
  Tone tone = Tone::kNone;
};

struct KeyFigures {
  std::vector<KeyFigure> figures;
};

// A horizontal 100% stacked bar per row: green, yellow, red counts.
struct StackedBars {
  std::string title;
  std::string note;
  struct Row {
    std::string label;
    std::array<int64_t, 3> counts{};
    bool total = false;  // the summary row, drawn bold below a rule
  };
  std::vector<Row> rows;
};

// Value at risk per row, in groups of one currency each: a group row names the currency and
// its total, then one bar per row with yellow and red parts.
struct ValueBars {
  std::string title;
  struct Row {
    std::string label;              // a team; the currency code on a group row
    std::array<double, 2> share{};  // yellow, red: fractions of the group's longest bar
    std::string text;               // the formatted value
    bool group = false;
  };
  std::vector<Row> rows;
};

// Rows x areas, each cell a share in [0, 1].
struct HeatMap {
  std::string title;
  std::string note;
  std::string row_header;
  std::vector<std::string> columns;
  std::string count_header;
  struct Row {
    std::string label;
    std::array<double, analytics::audit::kAreaCount> share{};
    std::string count;
  };
  std::vector<Row> rows;
};

struct Table {
  std::string title;
  std::string note;
  struct Column {
    std::string header;
    double width = 1;  // relative
    bool numeric = false;
    int max_lines = 2;  // in the PDF, longer texts end in "…"
  };
  std::vector<Column> columns;
  struct Cell {
    std::string text;
    Tone tone = Tone::kNone;  // drawn as a colour swatch before the text
  };
  std::vector<std::vector<Cell>> rows;
};

// Stacked columns of counts per colour, one per run.
struct TrendChart {
  std::string title;
  std::string note;
  struct Column {
    std::string label;
    std::array<int64_t, 3> counts{};
  };
  std::vector<Column> columns;
  std::vector<std::string> lines;  // below the chart: the comparison with the previous run
};

using Block = std::variant<TitleBlock, Heading, Paragraph, KeyFigures, StackedBars, ValueBars,
                           HeatMap, Table, TrendChart>;

struct Document {
  int locale = 0;
  std::string lang;       // "da"
  std::string title;      // the page title and PDF metadata
  std::string footer;     // company, title and date, for every PDF page
  std::string page_of;    // "page {1} of {2}"
  std::string continued;  // "(continued)"
  std::array<std::string, 3> colour_names;
  std::vector<Block> blocks;
};

Document BuildDocument(const analytics::audit::AuditInput& input,
                       const std::vector<analytics::audit::ItemResult>& items,
                       const analytics::audit::Labels& labels,
                       const analytics::audit::Report& report, int locale, const ReportMeta& meta);

std::string RenderHtml(const Document& document);
Result<std::string> RenderPdf(const Document& document);

}  // namespace salesbox::report::internal
