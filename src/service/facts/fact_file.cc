// SPDX-License-Identifier: MIT
// The fact file (fact_file.h).
//
// Design notes
// (1) Layout: "SBFACTS" + format version, the database's id, the day, the feed position, then
//     the audit's facts, the forecast's facts and the model, each array as a length and its
//     elements (plain structs as their bytes: the file is read back by the same build on the
//     same machine, and the format version changes with any of those structs), and last a
//     64-bit checksum of everything before it.
// (2) Nothing derived is stored: customers are classified, items audited and open deals scored
//     again after reading (they are quick next to reading the store), so the file cannot
//     disagree with the code that derives them.
// (3) A reader never trusts a length: each is checked against what is left of the file before
//     anything is allocated, and a wrong checksum rejects the whole file (the caller then loads
//     from the store).
#include "service/facts/fact_file.h"

#include <sys/stat.h>

#include <array>
#include <cstdio>
#include <cstring>
#include <map>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/status_macros.h"
#include "service/internal/scan.h"

namespace salesbox::service::facts {
namespace {

namespace audit = analytics::audit;

constexpr char kMagic[8] = {'S', 'B', 'F', 'A', 'C', 'T', 'S', '\0'};
// Bump with any change to the layout or to a struct written as bytes.
constexpr uint32_t kFormat = 3;  // 2: a deal's amount_known; 3: Platt or isotonic calibration

static_assert(std::is_trivially_copyable_v<audit::AccountFacts>);
static_assert(std::is_trivially_copyable_v<audit::OpportunityFacts>);
static_assert(std::is_trivially_copyable_v<audit::AnswerFact>);
static_assert(std::is_trivially_copyable_v<ForecastChange>);
static_assert(std::is_trivially_copyable_v<ForecastActivity>);
static_assert(std::is_trivially_copyable_v<ForecastAnswer>);

// A 64-bit checksum fed in pieces (word-wise multiply-xorshift; not cryptographic).
class Checksum {
 public:
  void Add(const void* data, size_t size) {
    const auto* p = static_cast<const unsigned char*>(data);
    for (size_t i = 0; i < size; ++i) {
      word_ |= static_cast<uint64_t>(p[i]) << (8 * filled_);
      if (++filled_ == 8) Mix();
    }
  }
  uint64_t Value() {
    if (filled_ > 0) Mix();
    return state_;
  }

 private:
  void Mix() {
    state_ ^= word_ + 0x9e3779b97f4a7c15ULL + (state_ << 6) + (state_ >> 2);
    state_ *= 0xff51afd7ed558ccdULL;
    state_ ^= state_ >> 33;
    word_ = 0;
    filled_ = 0;
  }
  uint64_t state_ = 0x84222325cbf29ce4ULL;
  uint64_t word_ = 0;
  int filled_ = 0;
};

class Writer {
 public:
  explicit Writer(std::FILE* file) : file_(file) {}
  void Bytes(const void* data, size_t size) {
    if (size == 0) return;
    checksum_.Add(data, size);
    if (std::fwrite(data, 1, size, file_) != size) ok_ = false;
  }
  template <typename T>
  void Pod(const T& value) {
    static_assert(std::is_trivially_copyable_v<T>);
    Bytes(&value, sizeof(T));
  }
  template <typename T>
  void Pods(const std::vector<T>& values) {
    Pod(static_cast<uint64_t>(values.size()));
    Bytes(values.data(), values.size() * sizeof(T));
  }
  template <typename T>
  void Pods(const CowVector<T>& values) {
    static_assert(std::is_trivially_copyable_v<T>);
    Pod(static_cast<uint64_t>(values.size()));
    values.ForEachChunk([this](const T* data, size_t n) { Bytes(data, n * sizeof(T)); });
  }
  void Text(const std::string& text) {
    Pod(static_cast<uint64_t>(text.size()));
    Bytes(text.data(), text.size());
  }
  template <typename Strings>
  void Texts(const Strings& texts) {
    Pod(static_cast<uint64_t>(texts.size()));
    for (const std::string& t : texts) Text(t);
  }
  template <typename K, typename V, typename Map>
  void PodMap(const Map& map) {
    Pod(static_cast<uint64_t>(map.size()));
    for (const auto& [key, value] : map) {
      Pod(static_cast<K>(key));
      Pod(static_cast<V>(value));
    }
  }
  template <typename Map>
  void TextMap(const Map& map) {
    Pod(static_cast<uint64_t>(map.size()));
    for (const auto& [key, value] : map) {
      Pod(static_cast<int64_t>(key));
      Text(value);
    }
  }
  bool Finish() {
    const uint64_t sum = checksum_.Value();
    if (std::fwrite(&sum, 1, sizeof(sum), file_) != sizeof(sum)) ok_ = false;
    return ok_;
  }

 private:
  std::FILE* file_;
  Checksum checksum_;
  bool ok_ = true;
};

class Reader {
 public:
  Reader(std::FILE* file, uint64_t size) : file_(file), left_(size) {}
  bool ok() const { return ok_; }
  void Bytes(void* data, size_t size) {
    if (!ok_ || size > left_) {
      ok_ = false;
      return;
    }
    if (size == 0) return;
    if (std::fread(data, 1, size, file_) != size) {
      ok_ = false;
      return;
    }
    left_ -= size;
    checksum_.Add(data, size);
  }
  template <typename T>
  T Pod() {
    T value{};
    Bytes(&value, sizeof(T));
    return value;
  }
  // A count of elements of `each` bytes, checked against what is left.
  uint64_t Count(size_t each) {
    const uint64_t n = Pod<uint64_t>();
    if (!ok_ || (each > 0 && n > left_ / each)) {
      ok_ = false;
      return 0;
    }
    return n;
  }
  template <typename T>
  std::vector<T> Pods() {
    std::vector<T> values(Count(sizeof(T)));
    Bytes(values.data(), values.size() * sizeof(T));
    return values;
  }
  template <typename T>
  CowVector<T> CowPods() {
    CowVector<T> values;
    uint64_t n = Count(sizeof(T));
    std::vector<T> buffer;
    while (n > 0 && ok_) {
      buffer.resize(std::min<uint64_t>(n, CowVector<T>::kChunkSize));
      Bytes(buffer.data(), buffer.size() * sizeof(T));
      values.AppendRange(buffer.data(), buffer.size());
      n -= buffer.size();
    }
    return values;
  }
  std::string Text() {
    std::string text(Count(1), '\0');
    Bytes(text.data(), text.size());
    return text;
  }
  std::vector<std::string> Texts() {
    std::vector<std::string> texts(Count(sizeof(uint64_t)));
    for (std::string& t : texts) t = Text();
    return texts;
  }
  CowVector<std::string> CowTexts() {
    CowVector<std::string> texts;
    const uint64_t n = Count(sizeof(uint64_t));
    for (uint64_t i = 0; i < n && ok_; ++i) texts.push_back(Text());
    return texts;
  }
  template <typename K, typename V, typename Map>
  void PodMap(Map& map) {
    const uint64_t n = Count(sizeof(K) + sizeof(V));
    map.reserve(n);
    for (uint64_t i = 0; i < n && ok_; ++i) {
      const K key = Pod<K>();
      map[key] = Pod<V>();
    }
  }
  template <typename Map>
  void TextMap(Map& map) {
    const uint64_t n = Count(sizeof(int64_t) + sizeof(uint64_t));
    for (uint64_t i = 0; i < n && ok_; ++i) {
      const int64_t key = Pod<int64_t>();
      map[key] = Text();
    }
  }
  // The checksum of everything read matches the one stored after it, which ends the file.
  bool Verify() {
    const uint64_t want = checksum_.Value();
    uint64_t stored = 0;
    // Everything but the checksum was read (the reader was given the size without it).
    if (!ok_ || left_ != 0 || std::fread(&stored, 1, sizeof(stored), file_) != sizeof(stored)) {
      return false;
    }
    return stored == want;
  }

 private:
  std::FILE* file_;
  uint64_t left_;
  Checksum checksum_;
  bool ok_ = true;
};

// Answers per item as one flat array and its lengths.
void WriteAnswers(Writer& w, const CowVector<std::vector<audit::AnswerFact>>& lists) {
  std::vector<uint32_t> sizes;
  std::vector<audit::AnswerFact> all;
  for (const auto& list : lists) {
    sizes.push_back(static_cast<uint32_t>(list.size()));
    all.insert(all.end(), list.begin(), list.end());
  }
  w.Pods(sizes);
  w.Pods(all);
}

CowVector<std::vector<audit::AnswerFact>> ReadAnswers(Reader& r) {
  const std::vector<uint32_t> sizes = r.Pods<uint32_t>();
  const std::vector<audit::AnswerFact> all = r.Pods<audit::AnswerFact>();
  CowVector<std::vector<audit::AnswerFact>> lists;
  size_t at = 0;
  for (size_t i = 0; i < sizes.size() && r.ok(); ++i) {
    if (sizes[i] > all.size() - at) return {};
    lists.push_back(
        std::vector<audit::AnswerFact>(all.begin() + static_cast<std::ptrdiff_t>(at),
                                       all.begin() + static_cast<std::ptrdiff_t>(at + sizes[i])));
    at += sizes[i];
  }
  return lists;
}

void WriteModel(Writer& w, const ForecastModel& m) {
  w.Pod(static_cast<int32_t>(m.method));
  w.Text(m.method_reason);
  w.Pod(m.closed_deals);
  w.Pod(m.examples);
  w.Pod(m.sampled_examples);
  w.Pod(m.fitted_examples);
  w.Pod(m.calibration_examples);
  w.Pod(m.typical.median_days_in_stage);
  w.Pod(static_cast<uint64_t>(m.typical.median_amount.size()));
  for (const auto& [currency, amount] : m.typical.median_amount) {
    w.Text(currency);
    w.Pod(amount);
  }
  w.Pod(m.typical.owner_prior);
  const auto& l = m.logistic;
  w.Pod(l.intercept);
  w.Pods(l.coefficients);
  w.Pod(l.standardized_intercept);
  w.Pods(l.standardized_coefficients);
  w.Pods(l.means);
  w.Pods(l.sds);
  w.Pod(l.lambda);
  w.Pod(l.iterations);
  w.Pod(l.step_halvings);
  w.Pod(l.log_likelihood);
  w.Pod(l.penalized_log_likelihood);
  w.Pod(static_cast<int32_t>(m.calibration_method));
  w.Pod(static_cast<int32_t>(m.calibration_choice));
  w.Pod(m.calibration_brier_platt);
  w.Pod(m.calibration_brier_isotonic);
  w.Pod(static_cast<uint8_t>(m.platt.has_value()));
  if (m.platt) {
    w.Pod(m.platt->slope);
    w.Pod(m.platt->intercept);
    w.Pod(m.platt->epsilon);
  }
  w.Pod(static_cast<uint8_t>(m.isotonic.has_value()));
  if (m.isotonic) {
    w.Pods(m.isotonic->knots);
    w.Pods(m.isotonic->rates);
    w.Pod(static_cast<int32_t>(m.isotonic->interpolation));
    w.Pod(m.isotonic->epsilon);
  }
  w.Pod(m.stage_rate);
  w.Pod(m.slip_quarter);
  w.Pod(m.slip_month);
}

ForecastModel ReadModel(Reader& r) {
  ForecastModel m;
  m.method = r.Pod<int32_t>() == 0 ? ForecastMethod::kModel : ForecastMethod::kStageRates;
  m.method_reason = r.Text();
  m.closed_deals = r.Pod<int64_t>();
  m.examples = r.Pod<int64_t>();
  m.sampled_examples = r.Pod<int64_t>();
  m.fitted_examples = r.Pod<int64_t>();
  m.calibration_examples = r.Pod<int64_t>();
  m.typical.median_days_in_stage = r.Pod<std::array<double, 5>>();
  const uint64_t currencies = r.Count(sizeof(uint64_t) + sizeof(double));
  for (uint64_t i = 0; i < currencies && r.ok(); ++i) {
    std::string currency = r.Text();
    m.typical.median_amount[currency] = r.Pod<double>();
  }
  m.typical.owner_prior = r.Pod<double>();
  auto& l = m.logistic;
  l.intercept = r.Pod<double>();
  l.coefficients = r.Pods<double>();
  l.standardized_intercept = r.Pod<double>();
  l.standardized_coefficients = r.Pods<double>();
  l.means = r.Pods<double>();
  l.sds = r.Pods<double>();
  l.lambda = r.Pod<double>();
  l.iterations = r.Pod<int>();
  l.step_halvings = r.Pod<int>();
  l.log_likelihood = r.Pod<double>();
  l.penalized_log_likelihood = r.Pod<double>();
  const int32_t method = r.Pod<int32_t>();
  m.calibration_method = method == 1   ? CalibrationMethod::kPlatt
                         : method == 2 ? CalibrationMethod::kIsotonic
                                       : CalibrationMethod::kNone;
  const int32_t choice = r.Pod<int32_t>();
  m.calibration_choice = choice == 1   ? CalibrationChoice::kFewRecent
                         : choice == 2 ? CalibrationChoice::kPlattNotBeaten
                         : choice == 3 ? CalibrationChoice::kIsotonicBetter
                                       : CalibrationChoice::kTooFewRecent;
  m.calibration_brier_platt = r.Pod<double>();
  m.calibration_brier_isotonic = r.Pod<double>();
  if (r.Pod<uint8_t>() != 0) {
    analytics::forecast::PlattCalibration p;
    p.slope = r.Pod<double>();
    p.intercept = r.Pod<double>();
    p.epsilon = r.Pod<double>();
    m.platt = p;
  }
  if (r.Pod<uint8_t>() != 0) {
    analytics::forecast::IsotonicCalibration c;
    c.knots = r.Pods<double>();
    c.rates = r.Pods<double>();
    c.interpolation = r.Pod<int32_t>() == 0 ? analytics::forecast::Interpolation::kStep
                                            : analytics::forecast::Interpolation::kLinear;
    c.epsilon = r.Pod<double>();
    m.isotonic = std::move(c);
  }
  m.stage_rate = r.Pod<std::array<double, 5>>();
  m.slip_quarter = r.Pod<std::array<double, 6>>();
  m.slip_month = r.Pod<std::array<double, 6>>();
  return m;
}

static_assert(static_cast<int>(ForecastMethod::kModel) == 0);
static_assert(static_cast<int>(analytics::forecast::Interpolation::kStep) == 0);

}  // namespace

Status WriteFactFile(const FactSnapshot& snapshot, const std::string& database_id,
                     const std::string& path) {
  if (snapshot.audit == nullptr || snapshot.forecast == nullptr) {
    return Status::FailedPrecondition("no facts to write");
  }
  const std::string temporary = path + ".tmp";
  std::FILE* file = std::fopen(temporary.c_str(), "wb");
  if (file == nullptr) {
    return Status::Internal("cannot write " + temporary + ": " + std::strerror(errno));
  }
  Writer w(file);
  w.Bytes(kMagic, sizeof(kMagic));
  w.Pod(kFormat);
  w.Text(database_id);
  w.Pod(static_cast<int32_t>(internal::ToDay(snapshot.day)));
  w.Pod(snapshot.feed_seq);
  w.Text(snapshot.audit->playbooks.label());

  const AuditData& a = *snapshot.audit;
  w.Pods(a.input.accounts);
  w.Pods(a.input.opportunities);
  WriteAnswers(w, a.input.opportunity_answers);
  WriteAnswers(w, a.input.account_answers);
  w.Texts(a.labels.opportunity_external_ids);
  w.Texts(a.labels.opportunity_names);
  w.Texts(a.labels.account_external_ids);
  w.Texts(a.labels.account_names);
  w.Pod(static_cast<uint64_t>(a.labels.people.size()));
  for (const auto& [id, person] : a.labels.people) {
    w.Pod(id);
    w.Text(person.name);
    w.Text(person.email);
    w.Pod(person.team_id);
  }
  w.TextMap(a.labels.teams);
  w.TextMap(a.labels.segments);
  w.Pods(a.stored_abc_class);
  w.PodMap<int64_t, double>(*a.fits);

  const ForecastData& f = *snapshot.forecast;
  w.Pod(static_cast<uint64_t>(f.deals.size()));
  for (const ForecastDealFacts& d : f.deals) {
    w.Pod(d.id);
    w.Pod(d.account_id);
    w.Pod(d.owner_id);
    w.Text(d.name);
    w.Pod(d.stage);
    w.Pod(d.amount);
    w.Pod(d.probability);
    w.Pod(d.created_on);
    w.Pod(d.close_on);
    w.Pod(d.closed_on);
    w.Pod(d.next_step_on);
    w.Pod(d.category);
    w.Pod(static_cast<uint8_t>(d.amount_known));
    w.Pod(std::array<uint32_t, 6>{d.changes_begin, d.changes_end, d.activities_begin,
                                  d.activities_end, d.answers_begin, d.answers_end});
  }
  w.Pods(f.changes);
  w.Pods(f.activities);
  w.Pods(f.answers);
  w.PodMap<int64_t, bool>(f.core_account);
  w.PodMap<int64_t, std::array<Day, 3>>(f.first_role_day);
  w.TextMap(f.account_names);
  w.TextMap(f.user_names);
  w.PodMap<int64_t, int64_t>(f.team_of);
  w.TextMap(f.team_names);
  w.Pods(f.criterion_area);
  w.Pod(f.manual_criteria_in_area);
  w.Texts(f.area_ids);
  w.Pod(static_cast<uint64_t>(f.area_names.size()));
  for (const auto& names : f.area_names) {
    for (const std::string& name : names) w.Text(name);
  }
  w.Pod(static_cast<uint8_t>(snapshot.model != nullptr));
  if (snapshot.model != nullptr) WriteModel(w, *snapshot.model);
  const bool written = w.Finish();
  const bool closed = std::fclose(file) == 0;
  if (!written || !closed) {
    std::remove(temporary.c_str());
    return Status::Internal("cannot write " + temporary + " (disk full?)");
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    std::remove(temporary.c_str());
    return Status::Internal("cannot rename " + temporary + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

Result<std::shared_ptr<FactSnapshot>> ReadFactFile(const std::string& path,
                                                   const std::string& database_id,
                                                   const ActivePlaybooks& playbooks) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return Status::NotFound("no fact file " + path);
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return Status::NotFound("cannot open " + path);
  struct Closer {
    std::FILE* file;
    ~Closer() { std::fclose(file); }
  } closer{file};
  const uint64_t size = static_cast<uint64_t>(info.st_size);
  if (size < sizeof(kMagic) + sizeof(uint64_t)) {
    return Status::InvalidArgument(path + ": too short for a fact file");
  }
  Reader r(file, size - sizeof(uint64_t));
  char magic[sizeof(kMagic)] = {};
  r.Bytes(magic, sizeof(magic));
  if (!r.ok() || std::memcmp(magic, kMagic, sizeof(kMagic)) != 0 || r.Pod<uint32_t>() != kFormat) {
    return Status::FailedPrecondition(path + ": not a fact file of this salesbox");
  }
  if (r.Text() != database_id) {
    return Status::FailedPrecondition(path + ": the facts of another database");
  }
  auto snapshot = std::make_shared<FactSnapshot>();
  const Day day = r.Pod<int32_t>();
  snapshot->day = internal::FromDay(day);
  snapshot->feed_seq = r.Pod<int64_t>();
  // Criteria are stored as indexes into the playbooks: only the same revisions can read them.
  if (r.Text() != playbooks.label()) {
    return Status::FailedPrecondition(path + ": the facts of other playbooks");
  }

  auto audit_data = std::make_shared<AuditData>();
  AuditData& a = *audit_data;
  a.as_of = snapshot->day;
  a.playbooks = playbooks;
  a.input.as_of = day;
  a.input.opportunity_playbook = &a.playbooks.opportunity.playbook;
  a.input.account_playbook = &a.playbooks.account.playbook;
  a.input.accounts = r.CowPods<audit::AccountFacts>();
  a.input.opportunities = r.CowPods<audit::OpportunityFacts>();
  a.input.opportunity_answers = ReadAnswers(r);
  a.input.account_answers = ReadAnswers(r);
  a.labels.opportunity_external_ids = r.CowTexts();
  a.labels.opportunity_names = r.CowTexts();
  a.labels.account_external_ids = r.CowTexts();
  a.labels.account_names = r.CowTexts();
  const uint64_t people = r.Count(sizeof(int64_t) * 2 + sizeof(uint64_t) * 2);
  for (uint64_t i = 0; i < people && r.ok(); ++i) {
    const int64_t id = r.Pod<int64_t>();
    audit::Person person;
    person.name = r.Text();
    person.email = r.Text();
    person.team_id = r.Pod<int64_t>();
    a.labels.people[id] = std::move(person);
  }
  r.TextMap(a.labels.teams);
  r.TextMap(a.labels.segments);
  a.stored_abc_class = r.CowPods<char>();
  FitScores fits;
  r.PodMap<int64_t, double>(fits);
  a.fits = std::make_shared<const FitScores>(std::move(fits));

  ForecastData f;
  const uint64_t deals = r.Count(sizeof(int64_t) * 3 + sizeof(uint64_t));
  for (uint64_t i = 0; i < deals && r.ok(); ++i) {
    ForecastDealFacts& d = f.deals.emplace_back();
    d.id = r.Pod<int64_t>();
    d.account_id = r.Pod<int64_t>();
    d.owner_id = r.Pod<int64_t>();
    d.name = r.Text();
    d.stage = r.Pod<Stage>();
    d.amount = r.Pod<Money>();
    d.probability = r.Pod<float>();
    d.created_on = r.Pod<Day>();
    d.close_on = r.Pod<Day>();
    d.closed_on = r.Pod<Day>();
    d.next_step_on = r.Pod<Day>();
    d.category = r.Pod<ForecastCategory>();
    d.amount_known = r.Pod<uint8_t>() != 0;
    const auto ranges = r.Pod<std::array<uint32_t, 6>>();
    d.changes_begin = ranges[0];
    d.changes_end = ranges[1];
    d.activities_begin = ranges[2];
    d.activities_end = ranges[3];
    d.answers_begin = ranges[4];
    d.answers_end = ranges[5];
  }
  f.changes = r.CowPods<ForecastChange>();
  f.activities = r.CowPods<ForecastActivity>();
  f.answers = r.CowPods<ForecastAnswer>();
  r.PodMap<int64_t, bool>(f.core_account);
  r.PodMap<int64_t, std::array<Day, 3>>(f.first_role_day);
  r.TextMap(f.account_names);
  r.TextMap(f.user_names);
  r.PodMap<int64_t, int64_t>(f.team_of);
  r.TextMap(f.team_names);
  f.criterion_area = r.Pods<int>();
  f.manual_criteria_in_area = r.Pod<std::array<int, 5>>();
  f.area_ids = r.Texts();
  const uint64_t areas = r.Count(4 * sizeof(uint64_t));
  f.area_names.resize(areas);
  for (auto& names : f.area_names) {
    for (std::string& name : names) name = r.Text();
  }
  std::optional<ForecastModel> model;
  if (r.Pod<uint8_t>() != 0) model = ReadModel(r);
  if (!r.ok() || !r.Verify()) return Status::InvalidArgument(path + ": damaged (checksum)");

  // Consistency the code relies on (indexes into arrays).
  const size_t accounts = a.input.accounts.size();
  const size_t opportunities = a.input.opportunities.size();
  if (a.input.opportunity_answers.size() != opportunities ||
      a.input.account_answers.size() != accounts ||
      a.labels.opportunity_names.size() != opportunities ||
      a.labels.opportunity_external_ids.size() != opportunities ||
      a.labels.account_names.size() != accounts ||
      a.labels.account_external_ids.size() != accounts || a.stored_abc_class.size() != accounts) {
    return Status::InvalidArgument(path + ": damaged (audit arrays)");
  }
  for (size_t i = 0; i < opportunities; ++i) {
    const int32_t account = a.input.opportunities[i].account;
    if (account >= static_cast<int32_t>(accounts)) {
      return Status::InvalidArgument(path + ": damaged (account index)");
    }
    a.opportunity_index.Set(a.input.opportunities[i].id, static_cast<int32_t>(i));
  }
  for (size_t i = 0; i < accounts; ++i) {
    a.account_index.Set(a.input.accounts[i].id, static_cast<int32_t>(i));
  }
  size_t used = 0;
  for (size_t i = 0; i < f.deals.size(); ++i) {
    const ForecastDealFacts& d = f.deals[i];
    if (d.changes_begin > d.changes_end || d.changes_end > f.changes.size() ||
        d.activities_begin > d.activities_end || d.activities_end > f.activities.size() ||
        d.answers_begin > d.answers_end || d.answers_end > f.answers.size() || d.id <= 0 ||
        d.id > (int64_t{1} << 40)) {
      return Status::InvalidArgument(path + ": damaged (deal ranges)");
    }
    f.index_of.Set(d.id, static_cast<int32_t>(i));
    used += (d.changes_end - d.changes_begin) + (d.activities_end - d.activities_begin) +
            (d.answers_end - d.answers_begin);
  }
  // Rows left behind by merges in place (fact_merge.cc note 5) are kept as they were.
  const size_t rows = f.changes.size() + f.activities.size() + f.answers.size();
  if (used > rows) return Status::InvalidArgument(path + ": damaged (deal ranges overlap)");
  f.unused_rows = rows - used;
  ComputeOwnerRecords(f);

  ClassifyCustomers(a);
  ScoreAuditData(a);
  snapshot->audit = std::move(audit_data);
  auto forecast = std::make_shared<const ForecastData>(std::move(f));
  snapshot->forecast = forecast;
  if (model) {
    snapshot->model = std::make_shared<const ForecastModel>(std::move(*model));
    snapshot->scores =
        std::make_shared<const ForecastScores>(ScoreOpenDeals(*forecast, *snapshot->model, day));
  }
  return snapshot;
}

}  // namespace salesbox::service::facts
