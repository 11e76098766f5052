// SPDX-License-Identifier: MIT
// The document as an A4 PDF drawn with cairo: text with the toy font API (DejaVu Sans covers
// æøåäö), charts as vector paths.
//
// Design notes
// (1) Two passes. Layout walks the blocks with a cursor, measuring text on the PDF surface's
//     own context (so measured and drawn widths agree) and records per page a list of drawing
//     operations at fixed positions. Only then are the pages drawn, so every footer can say
//     "page N of M" with the final M.
// (2) Page breaks. A block is a header (title, note, legend, column heads) followed by rows. A
//     block up to kKeepTogether high moves whole to the next page when it does not fit; a
//     longer one starts where its header and first kFirstRows rows fit, and a row that does
//     not fit starts a new page, which repeats the header marked "(continued)". A heading is
//     placed together with the start of the block after it.
// (3) Nothing runs off the page. Every text is measured: labels are shortened with "…", cells
//     and paragraphs wrap up to a per-column line limit whose last line ends in "…".
#include <cairo-pdf.h>
#include <cairo.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "report/internal/document.h"
#include "report/internal/words.h"

namespace salesbox::report::internal {
namespace {

constexpr double kPageWidth = 595.28;  // A4 in points
constexpr double kPageHeight = 841.89;
constexpr double kLeft = 42.5;
constexpr double kRight = kPageWidth - 42.5;
constexpr double kWidth = kRight - kLeft;
constexpr double kTop = 44;
constexpr double kBottom = kPageHeight - 58;  // content ends here; the footer is below
constexpr double kLabelWidth = 128;           // row labels of the charts
constexpr double kBlockGap = 14;
constexpr double kKeepTogether = 300;  // blocks up to this height are not split
constexpr size_t kFirstRows = 3;       // a split block starts with at least this many rows

struct Font {
  double size = 9;
  bool bold = false;
};
constexpr Font kBody{9, false};
constexpr Font kNote{7.5, false};
constexpr Font kBlockTitle{10, true};
constexpr Font kCell{7.6, false};
constexpr Font kCellBold{7.6, true};
constexpr Font kChart{7.5, false};
constexpr Font kChartBold{7.5, true};

const Rgb kInk{0.129, 0.129, 0.129};
const Rgb kMuted{0.376, 0.49, 0.545};
const Rgb kRule{0.812, 0.847, 0.863};
const Rgb kHeadFill{0.925, 0.937, 0.945};
const Rgb kZebra{0.973, 0.976, 0.98};

double LineHeight(Font font) { return font.size * 1.3; }

void UseFont(cairo_t* cr, Font font) {
  cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                         font.bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, font.size);
}

void UseColour(cairo_t* cr, const Rgb& c) { cairo_set_source_rgb(cr, c.r, c.g, c.b); }

double Advance(cairo_t* cr, Font font, const std::string& text) {
  UseFont(cr, font);
  cairo_text_extents_t extents;
  cairo_text_extents(cr, text.c_str(), &extents);
  return extents.x_advance;
}

// Byte offset of the start of the code point before `end`.
size_t PreviousPoint(const std::string& text, size_t end) {
  size_t i = end;
  while (i > 0) {
    --i;
    if ((static_cast<unsigned char>(text[i]) & 0xc0) != 0x80) break;
  }
  return i;
}

// `text` shortened until `text…` fits `width`.
std::string WithEllipsis(std::string text, cairo_t* cr, Font font, double width) {
  while (!text.empty() && (text.back() == ' ' || Advance(cr, font, text + "…") > width)) {
    text.resize(PreviousPoint(text, text.size()));
  }
  return text + "…";
}

// `text` as is when it fits `width`, else shortened with "…".
std::string Fit(const std::string& text, cairo_t* cr, Font font, double width) {
  if (Advance(cr, font, text) <= width) return text;
  return WithEllipsis(text, cr, font, width);
}

// `text` in lines no wider than `width`, at most `max_lines` (the last ends in "…" when the text
// is longer). Breaks at spaces; a word wider than a line is broken between code points.
std::vector<std::string> Wrap(const std::string& text, cairo_t* cr, Font font, double width,
                              size_t max_lines) {
  std::vector<std::string> lines;
  std::string current;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    std::string word = text.substr(start, end - start);
    start = end + 1;
    if (word.empty()) continue;
    const std::string candidate = current.empty() ? word : current + " " + word;
    if (Advance(cr, font, candidate) <= width) {
      current = candidate;
      continue;
    }
    if (!current.empty()) lines.push_back(current);
    current.clear();
    while (Advance(cr, font, word) > width) {
      size_t cut = word.size();
      while (cut > 0 && Advance(cr, font, word.substr(0, cut)) > width) {
        cut = PreviousPoint(word, cut);
      }
      if (cut == 0) cut = PreviousPoint(word, word.size()) == 0 ? word.size() : 1;
      while (cut < word.size() && (static_cast<unsigned char>(word[cut]) & 0xc0) == 0x80) ++cut;
      lines.push_back(word.substr(0, cut));
      word = word.substr(cut);
    }
    current = word;
  }
  if (!current.empty() || lines.empty()) lines.push_back(current);
  if (max_lines > 0 && lines.size() > max_lines) {
    lines.resize(max_lines);
    lines.back() = WithEllipsis(lines.back(), cr, font, width);
  }
  return lines;
}

enum class Align { kStart, kMiddle, kEnd };

// Draws one line whose box starts at `top`; `x` is the left edge, centre or right edge.
void Show(cairo_t* cr, Font font, const Rgb& colour, double x, double top, const std::string& text,
          Align align = Align::kStart) {
  if (text.empty()) return;
  UseFont(cr, font);
  UseColour(cr, colour);
  double left = x;
  if (align != Align::kStart) {
    cairo_text_extents_t extents;
    cairo_text_extents(cr, text.c_str(), &extents);
    left = align == Align::kEnd ? x - extents.x_advance : x - extents.x_advance / 2;
  }
  cairo_move_to(cr, left, top + font.size);
  cairo_show_text(cr, text.c_str());
}

void ShowLines(cairo_t* cr, Font font, const Rgb& colour, double x, double top,
               const std::vector<std::string>& lines, Align align = Align::kStart) {
  for (size_t i = 0; i < lines.size(); ++i) {
    Show(cr, font, colour, x, top + LineHeight(font) * static_cast<double>(i), lines[i], align);
  }
}

void FillRect(cairo_t* cr, const Rgb& colour, double x, double y, double w, double h) {
  UseColour(cr, colour);
  cairo_rectangle(cr, x, y, w, h);
  cairo_fill(cr);
}

void Line(cairo_t* cr, const Rgb& colour, double width, double x1, double y1, double x2,
          double y2) {
  UseColour(cr, colour);
  cairo_set_line_width(cr, width);
  cairo_move_to(cr, x1, y1);
  cairo_line_to(cr, x2, y2);
  cairo_stroke(cr);
}

using Op = std::function<void(cairo_t*)>;

// A block laid out as a header kept with its first row, then rows (design note 2).
struct Rows {
  std::function<double(bool continued)> header_height;
  std::function<void(cairo_t*, double top, bool continued)> header;
  std::vector<double> heights;
  std::function<void(cairo_t*, size_t row, double top)> row;
  double after = kBlockGap;
};

class Layout {
 public:
  Layout(cairo_t* cr, const Document& doc) : cr_(cr), doc_(doc) { NewPage(); }

  std::vector<std::vector<Op>> Run() {
    for (const Block& block : doc_.blocks) {
      std::visit([this](const auto& b) { Place(b); }, block);
    }
    FlushHeading();
    return std::move(pages_);
  }

 private:
  void NewPage() {
    pages_.emplace_back();
    y_ = kTop;
  }
  bool AtTop() const { return y_ <= kTop + 0.01; }
  double Room() const { return kBottom - y_; }
  void Need(double height) {
    if (height > Room() && !AtTop()) NewPage();
  }
  void Draw(Op op) { pages_.back().push_back(std::move(op)); }

  void Place(Rows rows) {
    auto r = std::make_shared<Rows>(std::move(rows));
    const double header = r->header_height(false);
    // What must fit before the block starts: all of a short block, else its header and first
    // rows (design note 2).
    double whole = header, start = header;
    for (size_t i = 0; i < r->heights.size(); ++i) {
      whole += r->heights[i];
      if (i < kFirstRows) start += r->heights[i];
    }
    const double keep = whole <= kKeepTogether ? whole : start;
    if (heading_) {
      PendingHeading heading = std::move(*heading_);
      heading_.reset();
      Need(heading.space + heading.height + keep);
      const double heading_top = AtTop() ? y_ : y_ + heading.space;
      Draw([heading, heading_top](cairo_t* cr) { heading.draw(cr, heading_top); });
      y_ = heading_top + heading.height;
    } else {
      Need(keep);
    }
    double top = y_;
    Draw([r, top](cairo_t* cr) { r->header(cr, top, false); });
    y_ += header;
    for (size_t i = 0; i < r->heights.size(); ++i) {
      if (r->heights[i] > Room() && !AtTop()) {
        NewPage();
        top = y_;
        Draw([r, top](cairo_t* cr) { r->header(cr, top, true); });
        y_ += r->header_height(true);
      }
      top = y_;
      Draw([r, i, top](cairo_t* cr) { r->row(cr, i, top); });
      y_ += r->heights[i];
    }
    y_ += r->after;
  }

  // A block title with "(continued)" on later pages, and its note; returns the height.
  struct Titled {
    std::vector<std::string> title, title_continued, note;
    double Height(bool continued) const {
      return LineHeight(kBlockTitle) *
                 static_cast<double>((continued ? title_continued : title).size()) +
             (note.empty() ? 0 : LineHeight(kNote) * static_cast<double>(note.size())) + 4;
    }
    double Draw(cairo_t* cr, double top, bool continued) const {
      const auto& lines = continued ? title_continued : title;
      ShowLines(cr, kBlockTitle, kInk, kLeft, top, lines);
      top += LineHeight(kBlockTitle) * static_cast<double>(lines.size());
      ShowLines(cr, kNote, kMuted, kLeft, top, note);
      return top + LineHeight(kNote) * static_cast<double>(note.size()) + 4;
    }
  };
  Titled MakeTitle(const std::string& title, const std::string& note) const {
    Titled t;
    if (!title.empty()) t.title = Wrap(title, cr_, kBlockTitle, kWidth, 2);
    t.title_continued = Wrap(title.empty() ? doc_.continued : title + " " + doc_.continued, cr_,
                             kBlockTitle, kWidth, 2);
    if (!note.empty()) t.note = Wrap(note, cr_, kNote, kWidth, 3);
    return t;
  }

  // Colour swatches with names, one line; returns the height.
  static constexpr double kLegendHeight = 14;
  void DrawLegend(cairo_t* cr, double top, std::initializer_list<Tone> tones) const {
    double x = kLeft;
    for (Tone tone : tones) {
      FillRect(cr, ToneFill(tone), x, top + 2, 8, 8);
      const std::string& name = doc_.colour_names[static_cast<size_t>(tone)];
      Show(cr, kChart, kInk, x + 11, top + 1, name);
      x += 11 + Advance(cr, kChart, name) + 14;
    }
  }

  void Place(const TitleBlock& b) {
    const Font company{11, true}, title{21, true}, label{7, false}, value{9.5, true};
    auto title_lines =
        std::make_shared<std::vector<std::string>>(Wrap(b.title, cr_, title, kWidth, 2));
    const double column = kWidth / static_cast<double>(std::max<size_t>(1, b.facts.size()));
    auto facts = std::make_shared<std::vector<std::pair<std::string, std::string>>>();
    for (const auto& [l, v] : b.facts) {
      facts->push_back({Fit(l, cr_, label, column - 10), Fit(v, cr_, value, column - 10)});
    }
    const std::string name = Fit(b.company, cr_, company, kWidth);
    const double company_h = b.company.empty() ? 0 : LineHeight(company);
    const double height = company_h + LineHeight(title) * static_cast<double>(title_lines->size()) +
                          6 + LineHeight(label) + LineHeight(value) + 10;
    Rows rows;
    rows.header_height = [height](bool) { return height; };
    rows.header = [=](cairo_t* cr, double top, bool) {
      Show(cr, company, Rgb{0.27, 0.353, 0.392}, kLeft, top, name);
      double y = top + company_h;
      ShowLines(cr, title, kInk, kLeft, y, *title_lines);
      y += LineHeight(title) * static_cast<double>(title_lines->size()) + 6;
      for (size_t i = 0; i < facts->size(); ++i) {
        const double x = kLeft + column * static_cast<double>(i);
        Show(cr, label, kMuted, x, y, (*facts)[i].first);
        Show(cr, value, kInk, x, y + LineHeight(label), (*facts)[i].second);
      }
      Line(cr, Rgb{0.149, 0.196, 0.22}, 2.5, kLeft, top + height - 3, kRight, top + height - 3);
    };
    rows.after = 10;
    Place(std::move(rows));
  }

  // A heading waits for the block after it, which places it together with its own start
  // (design note 2).
  void Place(const Heading& b) {
    FlushHeading();
    const Font font{b.level == 1 ? 14.0 : 11.0, true};
    auto text = std::make_shared<std::string>(Fit(b.text, cr_, font, kWidth));
    auto subtitle = std::make_shared<std::vector<std::string>>();
    if (!b.subtitle.empty()) *subtitle = Wrap(b.subtitle, cr_, kNote, kWidth, 3);
    const bool rule = b.level == 1;
    PendingHeading pending;
    pending.space = b.level == 1 ? 12 : 6;
    pending.height =
        LineHeight(font) + 5 + LineHeight(kNote) * static_cast<double>(subtitle->size()) + 4;
    pending.draw = [=](cairo_t* cr, double top) {
      Show(cr, font, kInk, kLeft, top, *text);
      const double line = top + LineHeight(font) + 2;
      if (rule) Line(cr, kRule, 0.8, kLeft, line, kRight, line);
      ShowLines(cr, kNote, Rgb{0.329, 0.431, 0.478}, kLeft, line + 3, *subtitle);
    };
    heading_ = std::move(pending);
  }

  // Places a waiting heading on its own (when nothing follows it).
  void FlushHeading() {
    if (!heading_) return;
    Rows rows;
    rows.header_height = [](bool) { return 0.0; };
    rows.header = [](cairo_t*, double, bool) {};
    rows.after = 0;
    Place(std::move(rows));
  }

  void Place(const Paragraph& b) {
    auto lines = std::make_shared<std::vector<std::string>>(Wrap(b.text, cr_, kBody, kWidth, 40));
    Rows rows;
    rows.header_height = [](bool) { return 2.0; };
    rows.header = [](cairo_t*, double, bool) {};
    rows.heights.assign(lines->size(), LineHeight(kBody));
    rows.row = [lines](cairo_t* cr, size_t i, double top) {
      Show(cr, kBody, kInk, kLeft, top, (*lines)[i]);
    };
    rows.after = 8;
    Place(std::move(rows));
  }

  void Place(const KeyFigures& b) {
    constexpr size_t kPerRow = 5;
    constexpr double kGap = 8, kCardHeight = 58;
    const Font label{7.5, false}, value{16, true}, detail{7.5, false};
    struct Card {
      std::string label, value;
      std::vector<std::string> detail;
      Tone tone;
    };
    const size_t per_row = std::min(kPerRow, std::max<size_t>(1, b.figures.size()));
    const double card_width =
        (kWidth - kGap * static_cast<double>(per_row - 1)) / static_cast<double>(per_row);
    auto cards = std::make_shared<std::vector<Card>>();
    for (const KeyFigure& f : b.figures) {
      cards->push_back({Fit(f.label, cr_, label, card_width - 16),
                        Fit(f.value, cr_, value, card_width - 16),
                        f.detail.empty() ? std::vector<std::string>{}
                                         : Wrap(f.detail, cr_, detail, card_width - 16, 2),
                        f.tone});
    }
    const size_t lines = (cards->size() + per_row - 1) / per_row;
    Rows rows;
    rows.header_height = [](bool) { return 4.0; };
    rows.header = [](cairo_t*, double, bool) {};
    rows.heights.assign(lines, kCardHeight + kGap);
    rows.row = [=](cairo_t* cr, size_t line, double top) {
      for (size_t k = 0; k < per_row; ++k) {
        const size_t i = line * per_row + k;
        if (i >= cards->size()) break;
        const Card& card = (*cards)[i];
        const double x = kLeft + (card_width + kGap) * static_cast<double>(k);
        UseColour(cr, kRule);
        cairo_set_line_width(cr, 0.8);
        cairo_rectangle(cr, x, top, card_width, kCardHeight);
        cairo_stroke(cr);
        FillRect(cr, card.tone == Tone::kNone ? Rgb{0.565, 0.643, 0.682} : ToneFill(card.tone), x,
                 top, 4.5, kCardHeight);
        Show(cr, label, kMuted, x + 11, top + 5, card.label);
        Show(cr, value, kInk, x + 11, top + 5 + LineHeight(label), card.value);
        ShowLines(cr, detail, Rgb{0.27, 0.353, 0.392}, x + 11,
                  top + 5 + LineHeight(label) + LineHeight(value), card.detail);
      }
    };
    rows.after = 6;
    Place(std::move(rows));
  }

  void Place(const StackedBars& b) {
    constexpr double kRow = 17, kBarHeight = 12, kCountsWidth = 78;
    const double bar_x = kLeft + kLabelWidth + 6;
    const double bar_w = kWidth - kLabelWidth - 6 - kCountsWidth;
    auto title = std::make_shared<Titled>(MakeTitle(b.title, b.note));
    struct Row {
      std::string label, counts;
      std::array<int64_t, 3> n;
      std::array<std::string, 3> texts;
      bool total;
    };
    auto rows_data = std::make_shared<std::vector<Row>>();
    for (const auto& row : b.rows) {
      Row r;
      r.label = Fit(row.label, cr_, row.total ? kChartBold : kChart, kLabelWidth);
      r.n = row.counts;
      for (int c = 0; c < 3; ++c) r.texts[c] = FormatCount(row.counts[c], doc_.locale);
      r.counts = Fit(r.texts[0] + " · " + r.texts[1] + " · " + r.texts[2], cr_,
                     row.total ? kChartBold : kChart, kCountsWidth - 6);
      r.total = row.total;
      rows_data->push_back(std::move(r));
    }
    Rows rows;
    rows.header_height = [title](bool continued) {
      return title->Height(continued) + kLegendHeight;
    };
    rows.header = [this, title](cairo_t* cr, double top, bool continued) {
      const double y = title->Draw(cr, top, continued);
      DrawLegend(cr, y, {Tone::kGreen, Tone::kYellow, Tone::kRed});
    };
    for (const auto& r : *rows_data) rows.heights.push_back(r.total ? kRow + 3 : kRow);
    rows.row = [=](cairo_t* cr, size_t i, double top) {
      const Row& r = (*rows_data)[i];
      if (r.total) {
        Line(cr, Rgb{0.565, 0.643, 0.682}, 0.6, kLeft, top + 1, kRight, top + 1);
        top += 3;
      }
      const Font font = r.total ? kChartBold : kChart;
      const double mid = top + (kRow - LineHeight(font)) / 2;
      Show(cr, font, kInk, kLeft, mid, r.label);
      const int64_t n = r.n[0] + r.n[1] + r.n[2];
      double x = bar_x;
      const double bar_top = top + (kRow - kBarHeight) / 2;
      if (n == 0) FillRect(cr, ToneFill(Tone::kNone), bar_x, bar_top, bar_w, kBarHeight);
      for (int c = 0; c < 3 && n > 0; ++c) {
        if (r.n[c] == 0) continue;
        const double w = bar_w * static_cast<double>(r.n[c]) / static_cast<double>(n);
        const Tone tone = static_cast<Tone>(c);
        FillRect(cr, ToneFill(tone), x, bar_top, w, kBarHeight);
        if (Advance(cr, kChartBold, r.texts[c]) + 4 <= w) {
          Show(cr, kChartBold, ToneInk(tone), x + w / 2, mid, r.texts[c], Align::kMiddle);
        }
        x += w;
      }
      Show(cr, font, Rgb{0.27, 0.353, 0.392}, kRight, mid, r.counts, Align::kEnd);
    };
    Place(std::move(rows));
  }

  void Place(const ValueBars& b) {
    constexpr double kRow = 16, kGroupRow = 20, kBarHeight = 11, kValueWidth = 96, kIndent = 10;
    const double bar_x = kLeft + kLabelWidth + 6;
    const double bar_w = kWidth - kLabelWidth - 6 - kValueWidth;
    auto title = std::make_shared<Titled>(MakeTitle(b.title, ""));
    struct Row {
      std::string label, value;
      std::array<double, 2> width;
      bool group;
    };
    auto data = std::make_shared<std::vector<Row>>();
    Rows rows;
    for (const auto& row : b.rows) {
      const Font font = row.group ? kChartBold : kChart;
      data->push_back(
          {Fit(row.label, cr_, font, kLabelWidth - (row.group ? 0 : kIndent)),
           Fit(row.text, cr_, font, row.group ? bar_w : kValueWidth - 6),
           {bar_w * std::clamp(row.share[0], 0.0, 1.0), bar_w * std::clamp(row.share[1], 0.0, 1.0)},
           row.group});
      rows.heights.push_back(row.group ? kGroupRow : kRow);
    }
    rows.header_height = [title](bool continued) {
      return title->Height(continued) + kLegendHeight;
    };
    rows.header = [this, title](cairo_t* cr, double top, bool continued) {
      const double y = title->Draw(cr, top, continued);
      DrawLegend(cr, y, {Tone::kYellow, Tone::kRed});
    };
    rows.row = [=](cairo_t* cr, size_t i, double top) {
      const Row& r = (*data)[i];
      if (r.group) {
        const double text_top = top + kGroupRow - LineHeight(kChartBold) - 2;
        Show(cr, kChartBold, kInk, kLeft, text_top, r.label);
        Show(cr, kChartBold, Rgb{0.27, 0.353, 0.392}, bar_x, text_top, r.value);
        return;
      }
      const double mid = top + (kRow - LineHeight(kChart)) / 2;
      Show(cr, kChart, kInk, kLeft + kIndent, mid, r.label);
      const double bar_top = top + (kRow - kBarHeight) / 2;
      FillRect(cr, ToneFill(Tone::kYellow), bar_x, bar_top, r.width[0], kBarHeight);
      FillRect(cr, ToneFill(Tone::kRed), bar_x + r.width[0], bar_top, r.width[1], kBarHeight);
      Show(cr, kChart, kInk, bar_x + r.width[0] + r.width[1] + 5, mid, r.value);
    };
    Place(std::move(rows));
  }

  void Place(const HeatMap& b) {
    constexpr double kRow = 18, kCountWidth = 40, kHeadFont = 6.8, kScaleHeight = 14;
    const Font head{kHeadFont, true};
    const double label_w = 112;
    const double cell_w = (kWidth - label_w - kCountWidth) /
                          static_cast<double>(std::max<size_t>(1, b.columns.size()));
    auto title = std::make_shared<Titled>(MakeTitle(b.title, b.note));
    auto heads = std::make_shared<std::vector<std::vector<std::string>>>();
    size_t head_lines = 1;
    for (const std::string& column : b.columns) {
      heads->push_back(Wrap(column, cr_, head, cell_w - 6, 4));
      head_lines = std::max(head_lines, heads->back().size());
    }
    const double head_h = LineHeight(head) * static_cast<double>(head_lines) + 6;
    const std::string row_header = Fit(b.row_header, cr_, head, label_w - 4);
    const std::string count_header = Fit(b.count_header, cr_, head, kCountWidth - 4);
    struct Row {
      std::string label, count;
      std::vector<double> share;
      std::vector<std::string> text;
    };
    auto data = std::make_shared<std::vector<Row>>();
    for (const auto& row : b.rows) {
      Row r{Fit(row.label, cr_, kChart, label_w - 4), row.count, {}, {}};
      for (double s : row.share) {
        r.share.push_back(s);
        r.text.push_back(FormatPercent(s, doc_.locale));
      }
      data->push_back(std::move(r));
    }
    Rows rows;
    rows.header_height = [=](bool continued) {
      return title->Height(continued) + kScaleHeight + head_h;
    };
    rows.header = [=, this](cairo_t* cr, double top, bool continued) {
      double y = title->Draw(cr, top, continued);
      // The scale: 0 % … 100 % as a strip of the heat colours.
      const std::string low = FormatPercent(0, doc_.locale), high = FormatPercent(1, doc_.locale);
      Show(cr, kChart, kMuted, kLeft, y, low);
      const double strip_x = kLeft + Advance(cr, kChart, low) + 5;
      for (int k = 0; k < 40; ++k) {
        FillRect(cr, HeatFill(k / 39.0), strip_x + 2.5 * k, y + 2, 2.6, 8);
      }
      Show(cr, kChart, kMuted, strip_x + 105, y, high);
      y += kScaleHeight;
      FillRect(cr, kHeadFill, kLeft, y, kWidth, head_h);
      const double bottom = y + head_h - 3;
      Show(cr, head, kInk, kLeft + 3, bottom - LineHeight(head), row_header);
      for (size_t c = 0; c < heads->size(); ++c) {
        const auto& lines = (*heads)[c];
        const double cx = kLeft + label_w + cell_w * (static_cast<double>(c) + 0.5);
        ShowLines(cr, head, kInk, cx, bottom - LineHeight(head) * static_cast<double>(lines.size()),
                  lines, Align::kMiddle);
      }
      Show(cr, head, kInk, kRight - 3, bottom - LineHeight(head), count_header, Align::kEnd);
    };
    rows.heights.assign(data->size(), kRow);
    rows.row = [=](cairo_t* cr, size_t i, double top) {
      const Row& r = (*data)[i];
      const double mid = top + (kRow - LineHeight(kChart)) / 2;
      Show(cr, kChart, kInk, kLeft + 3, mid, r.label);
      for (size_t c = 0; c < r.share.size(); ++c) {
        const double x = kLeft + label_w + cell_w * static_cast<double>(c);
        FillRect(cr, HeatFill(r.share[c]), x + 0.75, top + 0.75, cell_w - 1.5, kRow - 1.5);
        Show(cr, kChartBold, HeatInk(r.share[c]), x + cell_w / 2, mid, r.text[c], Align::kMiddle);
      }
      Show(cr, kChart, kInk, kRight - 3, mid, r.count, Align::kEnd);
    };
    Place(std::move(rows));
  }

  void Place(const Table& b) {
    constexpr double kPad = 4, kSwatch = 7;
    double total = 0;
    for (const auto& c : b.columns) total += c.width;
    auto x = std::make_shared<std::vector<double>>();
    auto w = std::make_shared<std::vector<double>>();
    double at = kLeft;
    for (const auto& c : b.columns) {
      x->push_back(at);
      w->push_back(kWidth * c.width / total);
      at += w->back();
    }
    auto title = std::make_shared<Titled>(MakeTitle(b.title, b.note));
    auto heads = std::make_shared<std::vector<std::vector<std::string>>>();
    size_t head_lines = 1;
    for (size_t c = 0; c < b.columns.size(); ++c) {
      heads->push_back(Wrap(b.columns[c].header, cr_, kCellBold, (*w)[c] - 2 * kPad, 2));
      head_lines = std::max(head_lines, heads->back().size());
    }
    const double head_h = LineHeight(kCellBold) * static_cast<double>(head_lines) + 6;
    struct Cell {
      std::vector<std::string> lines;
      Tone tone;
    };
    auto cells = std::make_shared<std::vector<std::vector<Cell>>>();
    Rows rows;
    for (const auto& row : b.rows) {
      std::vector<Cell> out;
      size_t lines = 1;
      for (size_t c = 0; c < b.columns.size(); ++c) {
        const Table::Cell cell = c < row.size() ? row[c] : Table::Cell{};
        const double room = (*w)[c] - 2 * kPad - (cell.tone == Tone::kNone ? 0 : kSwatch + 4);
        out.push_back({Wrap(cell.text, cr_, kCell, room,
                            static_cast<size_t>(std::max(1, b.columns[c].max_lines))),
                       cell.tone});
        lines = std::max(lines, out.back().lines.size());
      }
      cells->push_back(std::move(out));
      rows.heights.push_back(LineHeight(kCell) * static_cast<double>(lines) + 5);
    }
    std::vector<bool> numeric;
    for (const auto& c : b.columns) numeric.push_back(c.numeric);
    rows.header_height = [=](bool continued) { return title->Height(continued) + head_h; };
    rows.header = [=](cairo_t* cr, double top, bool continued) {
      const double y = title->Draw(cr, top, continued);
      FillRect(cr, kHeadFill, kLeft, y, kWidth, head_h);
      for (size_t c = 0; c < heads->size(); ++c) {
        const auto& lines = (*heads)[c];
        const double line_top =
            y + head_h - 3 - LineHeight(kCellBold) * static_cast<double>(lines.size());
        if (numeric[c]) {
          ShowLines(cr, kCellBold, kInk, (*x)[c] + (*w)[c] - kPad, line_top, lines, Align::kEnd);
        } else {
          ShowLines(cr, kCellBold, kInk, (*x)[c] + kPad, line_top, lines);
        }
      }
    };
    auto heights = std::make_shared<std::vector<double>>(rows.heights);
    rows.row = [=](cairo_t* cr, size_t i, double top) {
      const double h = (*heights)[i];
      if (i % 2 == 1) FillRect(cr, kZebra, kLeft, top, kWidth, h);
      Line(cr, kHeadFill, 0.5, kLeft, top + h, kRight, top + h);
      for (size_t c = 0; c < (*cells)[i].size(); ++c) {
        const Cell& cell = (*cells)[i][c];
        double left = (*x)[c] + kPad;
        if (cell.tone != Tone::kNone) {
          FillRect(cr, ToneFill(cell.tone), left, top + 3.5, kSwatch, kSwatch);
          left += kSwatch + 4;
        }
        if (numeric[c]) {
          ShowLines(cr, kCell, kInk, (*x)[c] + (*w)[c] - kPad, top + 2.5, cell.lines, Align::kEnd);
        } else {
          ShowLines(cr, kCell, kInk, left, top + 2.5, cell.lines);
        }
      }
    };
    Place(std::move(rows));
  }

  void Place(const TrendChart& b) {
    constexpr double kPlotHeight = 150, kAxisWidth = 40, kDateHeight = 14;
    auto title = std::make_shared<Titled>(MakeTitle(b.title, b.note));
    auto lines = std::make_shared<std::vector<std::string>>();
    for (const std::string& line : b.lines) {
      for (std::string& l : Wrap(line, cr_, kBody, kWidth, 3)) lines->push_back(std::move(l));
    }
    const bool chart = !b.columns.empty();
    const double plot = chart ? kLegendHeight + 14 + kPlotHeight + kDateHeight + 6 : 0;
    const double height =
        title->Height(false) + plot + LineHeight(kBody) * static_cast<double>(lines->size()) + 2;
    int64_t max = 1;
    for (const auto& c : b.columns) max = std::max(max, c.counts[0] + c.counts[1] + c.counts[2]);
    const int64_t step = NiceStep(max);
    const int64_t axis_top = (max + step - 1) / step * step;
    const double slot =
        (kWidth - kAxisWidth) / static_cast<double>(std::max<size_t>(1, b.columns.size()));
    const double bar = std::min(42.0, slot * 0.6);
    struct Column {
      std::string label, total;
      std::array<int64_t, 3> counts;
      std::array<std::string, 3> texts;
    };
    // Dates shrink to fit their slot, down to 5.5 pt, and are shortened below that.
    Font date = kChart;
    for (const auto& c : b.columns) {
      const double need = Advance(cr_, kChart, c.label);
      if (need > slot - 3) date.size = std::min(date.size, kChart.size * (slot - 3) / need);
    }
    date.size = std::max(date.size, 5.5);
    auto columns = std::make_shared<std::vector<Column>>();
    for (const auto& c : b.columns) {
      Column col{Fit(c.label, cr_, date, slot - 2),
                 FormatCount(c.counts[0] + c.counts[1] + c.counts[2], doc_.locale),
                 c.counts,
                 {}};
      for (int k = 0; k < 3; ++k) col.texts[k] = FormatCount(c.counts[k], doc_.locale);
      columns->push_back(std::move(col));
    }
    Rows rows;
    rows.header_height = [height](bool) { return height; };
    rows.header = [=, this](cairo_t* cr, double top, bool continued) {
      double y = title->Draw(cr, top, continued);
      if (chart) {
        DrawLegend(cr, y, {Tone::kGreen, Tone::kYellow, Tone::kRed});
        const double plot_top = y + kLegendHeight + 14;
        const double base = plot_top + kPlotHeight;
        const double left = kLeft + kAxisWidth;
        for (int64_t v = 0; v <= axis_top; v += step) {
          const double gy =
              base - kPlotHeight * static_cast<double>(v) / static_cast<double>(axis_top);
          Line(cr, Rgb{0.88, 0.88, 0.88}, 0.5, left, gy, kRight, gy);
          Show(cr, kChart, kMuted, left - 5, gy - LineHeight(kChart) / 2,
               FormatCount(v, doc_.locale), Align::kEnd);
        }
        for (size_t i = 0; i < columns->size(); ++i) {
          const Column& col = (*columns)[i];
          const double cx = left + slot * (static_cast<double>(i) + 0.5);
          double cy = base;
          for (int k = 0; k < 3; ++k) {
            const double h =
                kPlotHeight * static_cast<double>(col.counts[k]) / static_cast<double>(axis_top);
            if (h <= 0) continue;
            cy -= h;
            const Tone tone = static_cast<Tone>(k);
            FillRect(cr, ToneFill(tone), cx - bar / 2, cy, bar, h);
            if (h >= LineHeight(kChartBold) && Advance(cr, kChartBold, col.texts[k]) + 2 <= bar) {
              Show(cr, kChartBold, ToneInk(tone), cx, cy + (h - LineHeight(kChartBold)) / 2,
                   col.texts[k], Align::kMiddle);
            }
          }
          Show(cr, kChartBold, kInk, cx, cy - LineHeight(kChartBold) - 1, col.total,
               Align::kMiddle);
          Show(cr, date, Rgb{0.27, 0.353, 0.392}, cx, base + 3, col.label, Align::kMiddle);
        }
        Line(cr, kMuted, 0.8, left, base, kRight, base);
        y = base + kDateHeight + 6;
      }
      ShowLines(cr, kBody, kInk, kLeft, y, *lines);
    };
    Place(std::move(rows));
  }

  struct PendingHeading {
    double space = 0;  // above the heading, unless it starts a page
    double height = 0;
    std::function<void(cairo_t*, double top)> draw;
  };

  cairo_t* cr_;
  const Document& doc_;
  std::vector<std::vector<Op>> pages_;
  double y_ = kTop;
  std::optional<PendingHeading> heading_;
};

cairo_status_t Append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

struct SurfaceDeleter {
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct ContextDeleter {
  void operator()(cairo_t* cr) const { cairo_destroy(cr); }
};

void DrawFooter(cairo_t* cr, const Document& doc, size_t page, size_t pages) {
  const double rule = kPageHeight - 40;
  Line(cr, kRule, 0.6, kLeft, rule, kRight, rule);
  const std::string number = Fill(doc.page_of, {std::to_string(page), std::to_string(pages)});
  const double number_width = Advance(cr, kNote, number);
  Show(cr, kNote, kMuted, kLeft, rule + 5, Fit(doc.footer, cr, kNote, kWidth - number_width - 20));
  Show(cr, kNote, kMuted, kRight, rule + 5, number, Align::kEnd);
}

}  // namespace

Result<std::string> RenderPdf(const Document& document) {
  std::string out;
  std::unique_ptr<cairo_surface_t, SurfaceDeleter> surface(
      cairo_pdf_surface_create_for_stream(Append, &out, kPageWidth, kPageHeight));
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return Status::Internal(std::string("audit report PDF: ") +
                            cairo_status_to_string(cairo_surface_status(surface.get())));
  }
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, document.title.c_str());
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "salesbox");
  {
    std::unique_ptr<cairo_t, ContextDeleter> cr(cairo_create(surface.get()));
    // The drawing operations refer to the layout, so it lives until the pages are drawn.
    Layout layout(cr.get(), document);
    const std::vector<std::vector<Op>> pages = layout.Run();
    for (size_t p = 0; p < pages.size(); ++p) {
      for (const Op& op : pages[p]) {
        cairo_save(cr.get());
        op(cr.get());
        cairo_restore(cr.get());
      }
      DrawFooter(cr.get(), document, p + 1, pages.size());
      cairo_show_page(cr.get());
    }
    if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS) {
      return Status::Internal(std::string("audit report PDF: ") +
                              cairo_status_to_string(cairo_status(cr.get())));
    }
  }
  cairo_surface_finish(surface.get());
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return Status::Internal(std::string("audit report PDF: ") +
                            cairo_status_to_string(cairo_surface_status(surface.get())));
  }
  surface.reset();
  return out;
}

}  // namespace salesbox::report::internal
