// SPDX-License-Identifier: MIT
// The document as one self-contained HTML page: inline CSS, charts as inline SVG, no scripts,
// no external resources. Every text is escaped (names may hold <, &, quotes). The page prints
// on A4: headings keep with what follows, charts and table rows do not split, table headers
// repeat on every printed page.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>

#include "report/internal/document.h"
#include "report/internal/words.h"

namespace salesbox::report::internal {
namespace {

constexpr std::string_view kStyle = R"css(
@page { size: A4 portrait; margin: 14mm 12mm 16mm 12mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; color: #212121;
       font-size: 10pt; line-height: 1.35; max-width: 190mm; margin: 0 auto; padding: 10mm 6mm; }
header.title { border-bottom: 3px solid #263238; padding-bottom: 10px; margin-bottom: 8px; }
header.title .company { font-size: 12pt; font-weight: bold; color: #455a64; }
header.title h1 { font-size: 22pt; margin: 2px 0 10px; }
dl.facts { display: flex; flex-wrap: wrap; gap: 6px 36px; margin: 0; }
dl.facts dt { font-size: 7.5pt; color: #607d8b; text-transform: uppercase; letter-spacing: .04em; }
dl.facts dd { margin: 0; font-weight: bold; }
h2 { font-size: 15pt; margin: 26px 0 2px; padding-bottom: 3px; border-bottom: 1px solid #cfd8dc;
     break-after: avoid; page-break-after: avoid; }
p.subtitle { color: #546e7a; font-size: 8.5pt; margin: 2px 0 10px; }
h3 { font-size: 10.5pt; margin: 16px 0 2px; break-after: avoid; page-break-after: avoid; }
p.note { color: #607d8b; font-size: 8pt; margin: 0 0 6px; }
p.text { margin: 6px 0 10px; }
section.block { break-inside: avoid; page-break-inside: avoid; }
.figures { display: flex; gap: 10px; margin: 10px 0 14px; }
.figure { flex: 1; border: 1px solid #cfd8dc; border-left: 6px solid #90a4ae; border-radius: 3px;
          padding: 6px 10px; break-inside: avoid; }
.figure .label { font-size: 8pt; color: #607d8b; }
.figure .value { font-size: 18pt; font-weight: bold; }
.figure .detail { font-size: 8pt; color: #455a64; }
.legend { font-size: 8pt; color: #455a64; margin: 2px 0 4px; }
.legend span { margin-right: 14px; white-space: nowrap; }
.swatch { display: inline-block; width: 9px; height: 9px; border-radius: 2px; margin-right: 5px; }
.heatscale { display: inline-block; width: 90px; height: 9px; vertical-align: middle;
             margin: 0 5px; background: linear-gradient(to right, #e66101, #f7f7f7, #2166ac); }
table { border-collapse: collapse; width: 100%; font-size: 8.5pt; margin: 2px 0 12px; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th { background: #eceff1; text-align: left; padding: 4px 6px; vertical-align: bottom; }
td { padding: 3px 6px; border-bottom: 1px solid #eceff1; vertical-align: top; }
th.num, td.num { text-align: right; white-space: nowrap; }
table.heat td.cell { text-align: center; font-weight: bold; vertical-align: middle; }
table.heat th.area { text-align: center; font-size: 7.5pt; }
table.heat td:first-child { min-width: 9em; }
svg { display: block; width: 100%; height: auto; margin: 2px 0 12px; }
svg text { font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; font-size: 13px; }
)css";

std::string Escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// At most `max` code points, the last replaced by "…" when shortened.
std::string Shorten(const std::string& text, size_t max) {
  size_t points = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xc0) != 0x80 && ++points == max) {
      size_t end = i + 1;
      while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xc0) == 0x80) ++end;
      if (end >= text.size()) return text;
      return text.substr(0, i) + "…";
    }
  }
  return text;
}

std::string Num(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", v);
  return text;
}

class HtmlWriter {
 public:
  explicit HtmlWriter(const Document& doc) : doc_(doc) {}

  std::string Write() {
    out_ += "<!DOCTYPE html>\n<html lang=\"" + Escape(doc_.lang) + "\">\n<head>\n";
    out_ += "<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width\">\n";
    out_ += "<title>" + Escape(doc_.title) + "</title>\n<style>";
    out_ += kStyle;
    out_ += "</style>\n</head>\n<body>\n";
    for (const Block& block : doc_.blocks) {
      std::visit([this](const auto& b) { Render(b); }, block);
    }
    out_ += "</body>\n</html>\n";
    return std::move(out_);
  }

 private:
  void Render(const TitleBlock& b) {
    out_ += "<header class=\"title\">\n";
    if (!b.company.empty()) out_ += "<div class=\"company\">" + Escape(b.company) + "</div>\n";
    out_ += "<h1>" + Escape(b.title) + "</h1>\n<dl class=\"facts\">\n";
    for (const auto& [label, value] : b.facts) {
      out_ += "<div><dt>" + Escape(label) + "</dt><dd>" + Escape(value) + "</dd></div>\n";
    }
    out_ += "</dl>\n</header>\n";
  }

  void Render(const Heading& b) {
    const char* tag = b.level == 1 ? "h2" : "h3";
    out_ += std::string("<") + tag + ">" + Escape(b.text) + "</" + tag + ">\n";
    if (!b.subtitle.empty()) out_ += "<p class=\"subtitle\">" + Escape(b.subtitle) + "</p>\n";
  }

  void Render(const Paragraph& b) { out_ += "<p class=\"text\">" + Escape(b.text) + "</p>\n"; }

  void Render(const KeyFigures& b) {
    out_ += "<div class=\"figures\">\n";
    for (const KeyFigure& f : b.figures) {
      out_ += "<div class=\"figure\"";
      if (f.tone != Tone::kNone)
        out_ += " style=\"border-left-color:" + ToneFill(f.tone).Hex() + "\"";
      out_ += "><div class=\"label\">" + Escape(f.label) + "</div><div class=\"value\">" +
              Escape(f.value) + "</div>";
      if (!f.detail.empty()) out_ += "<div class=\"detail\">" + Escape(f.detail) + "</div>";
      out_ += "</div>\n";
    }
    out_ += "</div>\n";
  }

  void Title(const std::string& title, const std::string& note) {
    if (!title.empty()) out_ += "<h3>" + Escape(title) + "</h3>\n";
    if (!note.empty()) out_ += "<p class=\"note\">" + Escape(note) + "</p>\n";
  }

  void Legend(std::initializer_list<Tone> tones) {
    out_ += "<div class=\"legend\">";
    for (Tone t : tones) {
      out_ += "<span><i class=\"swatch\" style=\"background:" + ToneFill(t).Hex() + "\"></i>" +
              Escape(doc_.colour_names[static_cast<size_t>(t)]) + "</span>";
    }
    out_ += "</div>\n";
  }

  // An SVG text element; `anchor` is start, middle or end.
  // `size` 0 keeps the stylesheet's size.
  void Text(double x, double y, const std::string& text, const char* anchor = "start",
            const std::string& fill = "#212121", bool bold = false, double size = 0) {
    out_ += "<text x=\"" + Num(x) + "\" y=\"" + Num(y) + "\" text-anchor=\"" + anchor +
            "\" fill=\"" + fill + "\"" + (bold ? " font-weight=\"bold\"" : "") +
            (size > 0 ? " style=\"font-size:" + Num(size) + "px\"" : "") + ">" + Escape(text) +
            "</text>";
  }

  // A row label, shortened to fit, with the full text as a tooltip.
  void Label(double x, double y, const std::string& text, bool bold) {
    const std::string shown = Shorten(text, 24);
    out_ += "<g>";
    if (shown != text) out_ += "<title>" + Escape(text) + "</title>";
    Text(x, y, shown, "start", "#212121", bold);
    out_ += "</g>";
  }

  void Rect(double x, double y, double w, double h, const std::string& fill) {
    out_ += "<rect x=\"" + Num(x) + "\" y=\"" + Num(y) + "\" width=\"" + Num(w) + "\" height=\"" +
            Num(h) + "\" fill=\"" + fill + "\"/>";
  }

  void Render(const StackedBars& b) {
    out_ += "<section class=\"block\">\n";
    Title(b.title, b.note);
    Legend({Tone::kGreen, Tone::kYellow, Tone::kRed});
    constexpr double kWidth = 760, kRow = 26, kBarX = 210, kBarW = 420, kBarH = 18;
    const double height = kRow * static_cast<double>(b.rows.size()) + 6;
    out_ += "<svg viewBox=\"0 0 " + Num(kWidth) + " " + Num(height) +
            "\" role=\"img\" aria-label=\"" + Escape(b.title) + "\">";
    for (size_t i = 0; i < b.rows.size(); ++i) {
      const auto& row = b.rows[i];
      const double y = 3 + kRow * static_cast<double>(i);
      if (row.total) {
        out_ += "<line x1=\"0\" x2=\"" + Num(kWidth) + "\" y1=\"" + Num(y - 2) + "\" y2=\"" +
                Num(y - 2) + "\" stroke=\"#90a4ae\"/>";
      }
      Label(0, y + 15, row.label, row.total);
      const int64_t n = row.counts[0] + row.counts[1] + row.counts[2];
      double x = kBarX;
      for (int c = 0; c < 3 && n > 0; ++c) {
        if (row.counts[c] == 0) continue;
        const double w = kBarW * static_cast<double>(row.counts[c]) / static_cast<double>(n);
        const Tone tone = static_cast<Tone>(c);
        out_ += "<g><title>" + Escape(doc_.colour_names[c]) + ": " +
                Escape(FormatCount(row.counts[c], doc_.locale)) + "</title>";
        Rect(x, y + 2, w, kBarH, ToneFill(tone).Hex());
        const std::string count = FormatCount(row.counts[c], doc_.locale);
        if (w >= 8.5 * static_cast<double>(count.size()) + 6) {
          Text(x + w / 2, y + 15, count, "middle", ToneInk(tone).Hex(), true);
        }
        out_ += "</g>";
        x += w;
      }
      if (n == 0) Rect(kBarX, y + 2, kBarW, kBarH, ToneFill(Tone::kNone).Hex());
      Text(kWidth, y + 15,
           FormatCount(row.counts[0], doc_.locale) + " · " +
               FormatCount(row.counts[1], doc_.locale) + " · " +
               FormatCount(row.counts[2], doc_.locale),
           "end", "#455a64", row.total);
    }
    out_ += "</svg>\n</section>\n";
  }

  void Render(const ValueBars& b) {
    out_ += "<section class=\"block\">\n";
    Title(b.title, "");
    Legend({Tone::kYellow, Tone::kRed});
    constexpr double kWidth = 760, kRow = 24, kBarX = 210, kBarW = 390, kBarH = 16;
    double y = 2;
    std::string svg;
    out_.swap(svg);  // draw into a fresh buffer: the height is known only at the end
    for (size_t i = 0; i < b.rows.size(); ++i) {
      const auto& row = b.rows[i];
      if (row.group) {
        if (i > 0) y += 6;
        Text(0, y + 16, row.label, "start", "#212121", true);
        Text(kBarX, y + 16, row.text, "start", "#455a64", true);
        y += kRow;
        continue;
      }
      Label(12, y + 15, row.label, false);
      double x = kBarX;
      for (int part = 0; part < 2; ++part) {
        const double w = kBarW * row.share[part];
        if (w <= 0) continue;
        Rect(x, y + 2, w, kBarH, ToneFill(part == 0 ? Tone::kYellow : Tone::kRed).Hex());
        x += w;
      }
      Text(x + 6, y + 15, row.text, "start", "#212121", false);
      y += kRow;
    }
    out_.swap(svg);
    out_ += "<svg viewBox=\"0 0 " + Num(kWidth) + " " + Num(y + 2) +
            "\" role=\"img\" aria-label=\"" + Escape(b.title) + "\">" + svg;
    out_ += "</svg>\n</section>\n";
  }

  void Render(const HeatMap& b) {
    out_ += "<section class=\"block\">\n";
    Title(b.title, b.note);
    out_ += "<div class=\"legend\">0 %<i class=\"heatscale\"></i>100 %</div>\n";
    out_ += "<table class=\"heat\">\n<thead><tr><th>" + Escape(b.row_header) + "</th>";
    for (const std::string& column : b.columns) {
      out_ += "<th class=\"area\">" + Escape(column) + "</th>";
    }
    out_ += "<th class=\"num\">" + Escape(b.count_header) + "</th></tr></thead>\n<tbody>\n";
    for (const auto& row : b.rows) {
      out_ += "<tr><td>" + Escape(row.label) + "</td>";
      for (double share : row.share) {
        out_ += "<td class=\"cell\" style=\"background:" + HeatFill(share).Hex() +
                ";color:" + HeatInk(share).Hex() + "\">" +
                Escape(FormatPercent(share, doc_.locale)) + "</td>";
      }
      out_ += "<td class=\"num\">" + Escape(row.count) + "</td></tr>\n";
    }
    out_ += "</tbody>\n</table>\n</section>\n";
  }

  void Render(const Table& b) {
    Title(b.title, b.note);
    double total = 0;
    for (const auto& c : b.columns) total += c.width;
    out_ += "<table>\n<colgroup>";
    for (const auto& c : b.columns) {
      out_ += "<col style=\"width:" + Num(100.0 * c.width / total) + "%\">";
    }
    out_ += "</colgroup>\n<thead><tr>";
    for (const auto& c : b.columns) {
      out_ += std::string(c.numeric ? "<th class=\"num\">" : "<th>") + Escape(c.header) + "</th>";
    }
    out_ += "</tr></thead>\n<tbody>\n";
    for (const auto& row : b.rows) {
      out_ += "<tr>";
      for (size_t i = 0; i < row.size() && i < b.columns.size(); ++i) {
        out_ += b.columns[i].numeric ? "<td class=\"num\">" : "<td>";
        if (row[i].tone != Tone::kNone) {
          out_ +=
              "<i class=\"swatch\" style=\"background:" + ToneFill(row[i].tone).Hex() + "\"></i>";
        }
        out_ += Escape(row[i].text) + "</td>";
      }
      out_ += "</tr>\n";
    }
    out_ += "</tbody>\n</table>\n";
  }

  void Render(const TrendChart& b) {
    out_ += "<section class=\"block\">\n";
    Title(b.title, b.note);
    if (!b.columns.empty()) {
      Legend({Tone::kGreen, Tone::kYellow, Tone::kRed});
      constexpr double kWidth = 760, kHeight = 250, kLeft = 56, kTop = 18, kPlotH = 190;
      int64_t max = 1;
      for (const auto& c : b.columns) max = std::max(max, c.counts[0] + c.counts[1] + c.counts[2]);
      const int64_t step = NiceStep(max);
      const int64_t top = (max + step - 1) / step * step;
      out_ += "<svg viewBox=\"0 0 " + Num(kWidth) + " " + Num(kHeight) +
              "\" role=\"img\" aria-label=\"" + Escape(b.title.empty() ? b.note : b.title) + "\">";
      for (int64_t v = 0; v <= top; v += step) {
        const double y = kTop + kPlotH * (1.0 - static_cast<double>(v) / static_cast<double>(top));
        out_ += "<line x1=\"" + Num(kLeft) + "\" x2=\"" + Num(kWidth) + "\" y1=\"" + Num(y) +
                "\" y2=\"" + Num(y) + "\" stroke=\"#e0e0e0\"/>";
        Text(kLeft - 6, y + 4, FormatCount(v, doc_.locale), "end", "#607d8b");
      }
      const double slot = (kWidth - kLeft) / static_cast<double>(b.columns.size());
      const double bar = std::min(56.0, slot * 0.6);
      for (size_t i = 0; i < b.columns.size(); ++i) {
        const auto& column = b.columns[i];
        const double cx = kLeft + slot * (static_cast<double>(i) + 0.5);
        double y = kTop + kPlotH;
        for (int c = 0; c < 3; ++c) {
          const double h =
              kPlotH * static_cast<double>(column.counts[c]) / static_cast<double>(top);
          if (h <= 0) continue;
          y -= h;
          const Tone tone = static_cast<Tone>(c);
          Rect(cx - bar / 2, y, bar, h, ToneFill(tone).Hex());
          if (h >= 14) {
            Text(cx, y + h / 2 + 4, FormatCount(column.counts[c], doc_.locale), "middle",
                 ToneInk(tone).Hex(), true);
          }
        }
        Text(cx, y - 4,
             FormatCount(column.counts[0] + column.counts[1] + column.counts[2], doc_.locale),
             "middle", "#212121", true);
        // Dates shrink to their slot (a date is about 6.2 font sizes wide).
        Text(cx, kTop + kPlotH + 18, column.label, "middle", "#455a64", false,
             std::clamp((slot - 4) / 6.2, 8.0, 13.0));
      }
      out_ += "</svg>\n";
    }
    for (const std::string& line : b.lines) out_ += "<p class=\"text\">" + Escape(line) + "</p>\n";
    out_ += "</section>\n";
  }

  const Document& doc_;
  std::string out_;
};

}  // namespace

std::string RenderHtml(const Document& document) { return HtmlWriter(document).Write(); }

}  // namespace salesbox::report::internal
