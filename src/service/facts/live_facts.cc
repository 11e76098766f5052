// SPDX-License-Identifier: MIT
// The live fact model (live_facts.h).
//
// Design notes
// (1) One applier at a time (apply_mu_): the background thread, or a caller of ApplyPending or
//     Reload. It reads on its own connections (Options::open_reader), so the store's connection
//     that requests use is never held by a load. Readers take the published snapshot under
//     snapshot_mu_, which guards nothing but the pointer: nothing slow runs under it.
// (2) A delta: the feed entries after the snapshot's position name the touched accounts and
//     opportunities (migration 0007's triggers name every subject a write affects);
//     ExpandSubset closes them, the same loaders gather just those subjects, and MergeAudit /
//     MergeForecast build the next snapshot from the previous one. The result equals a full
//     load of the same data (tests/facts/live_facts_test.cc checks it after 10,000 random
//     writes), except for what is deliberately kept for the day:
//       - the ICP fit scores and the forecast model (with its typical values) are computed with
//         each full load — at start and when the day changes — not per write;
//     so a new account has no fit score until then (the audit's ICP criterion falls back to the
//     core-segment flag for it).
// (3) A full load is the fallback: at start, on a new day, when the feed was pruned past the
//     snapshot, after a bulk load ("*"), when segments or playbooks change (they reach every
//     item), or when one batch touches more than Options::max_subset subjects (a big import
//     is cheaper to reload than to merge piecewise). It runs in the background; readers keep
//     the previous snapshot meanwhile.
// (4) Reads that race a write: a subset is gathered with several queries, so a write committed
//     meanwhile may be half seen. Its feed entries come after the batch's last entry, so the
//     next batch gathers those subjects again: the facts converge to the committed state.
#include "service/facts/live_facts.h"

#include <cstdio>
#include <set>
#include <unordered_set>
#include <utility>

#include "common/status_macros.h"
#include "service/facts/fact_file.h"
#include "service/facts/fact_merge.h"
#include "service/internal/scan.h"

namespace salesbox::service::facts {
namespace {

constexpr int64_t kFeedPage = 100'000;

double MillisecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

}  // namespace

LiveFacts::LiveFacts(storage::Store& store, const Clock& clock, Options options)
    : store_(store), clock_(clock), options_(std::move(options)) {}

LiveFacts::~LiveFacts() { Stop(); }

void LiveFacts::Start() {
  std::lock_guard lock(wake_mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { Run(); });
}

void LiveFacts::Stop() {
  {
    std::lock_guard lock(wake_mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  // Keep what the deltas added, so that the next start replays little of the feed.
  std::lock_guard lock(apply_mu_);
  WriteFile(/*wait=*/true);
}

void LiveFacts::Wake() {
  {
    std::lock_guard lock(wake_mu_);
    woken_ = true;
  }
  wake_.notify_all();
}

void LiveFacts::Run() {
  while (true) {
    {
      std::lock_guard lock(apply_mu_);
      Status status = Step();
      if (!status.ok()) {
        std::fprintf(stderr, "salesbox facts: %s\n", status.ToString().c_str());
        std::lock_guard snapshot_lock(snapshot_mu_);
        if (!snapshot_) first_error_ = status;
        published_.notify_all();
      }
    }
    std::unique_lock lock(wake_mu_);
    wake_.wait_for(lock, options_.poll, [this] { return woken_ || stopping_; });
    if (stopping_) return;
    woken_ = false;
  }
}

std::shared_ptr<const FactSnapshot> LiveFacts::Current() const {
  std::lock_guard lock(snapshot_mu_);
  return snapshot_;
}

Result<std::shared_ptr<const FactSnapshot>> LiveFacts::AtLeast(int64_t seq,
                                                               std::chrono::milliseconds timeout) {
  {
    std::lock_guard lock(snapshot_mu_);
    if (snapshot_ && snapshot_->feed_seq >= seq) return snapshot_;
  }
  Wake();
  std::unique_lock lock(snapshot_mu_);
  // Before the first snapshot there is nothing to answer with: wait for the first load.
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (snapshot_ && snapshot_->feed_seq >= seq) return snapshot_;
    if (!first_error_.ok() && !snapshot_) return first_error_;
    const bool have = snapshot_ != nullptr;
    if (have && std::chrono::steady_clock::now() >= deadline) return snapshot_;
    if (!have && std::chrono::steady_clock::now() >= deadline + std::chrono::minutes(2)) {
      return Status::Unavailable("the analytics facts are still loading; try again shortly");
    }
    published_.wait_for(lock, std::chrono::milliseconds(50));
  }
}

Result<std::shared_ptr<const FactSnapshot>> LiveFacts::ApplyPending() {
  std::lock_guard lock(apply_mu_);
  SB_RETURN_IF_ERROR(OpenReaders());
  storage::Store& reader = reader_ ? *reader_ : store_;
  SB_ASSIGN_OR_RETURN(int64_t head, reader.change_feed().Head());
  while (true) {
    std::shared_ptr<const FactSnapshot> before = Current();
    SB_RETURN_IF_ERROR(Step());
    std::shared_ptr<const FactSnapshot> now = Current();
    if (now && (now->feed_seq >= head || now == before)) return now;
  }
}

Result<std::shared_ptr<const FactSnapshot>> LiveFacts::ResumeFromFile() {
  {
    std::lock_guard lock(apply_mu_);
    if (Current() == nullptr) {
      std::shared_ptr<FactSnapshot> kept = ReadFile(ToDate(clock_.Now()));
      if (kept == nullptr) return Status::NotFound("no usable fact file");
      Publish(std::move(kept));
    }
  }
  return ApplyPending();
}

Status LiveFacts::Reload(std::string reason) {
  std::lock_guard lock(apply_mu_);
  return FullLoad(reason);
}

LiveFactsStats LiveFacts::stats() const {
  std::lock_guard lock(snapshot_mu_);
  return stats_;
}

Status LiveFacts::OpenReaders() {
  if (!options_.open_reader || reader_) return Status::Ok();
  SB_ASSIGN_OR_RETURN(reader_, options_.open_reader());
  Result<std::unique_ptr<storage::Store>> second = options_.open_reader();
  if (second.ok()) second_reader_ = std::move(*second);  // optional: only speeds up loads
  return Status::Ok();
}

Status LiveFacts::Step() {
  std::shared_ptr<const FactSnapshot> base = Current();
  const Date today = ToDate(clock_.Now());
  if (!base) {
    if (std::shared_ptr<FactSnapshot> kept = ReadFile(today)) {
      Publish(std::move(kept));
      written_version_ = Current()->version;  // the file holds it
      written_at_ = std::chrono::steady_clock::now();
      return Status::Ok();  // the next step applies the feed since the file
    }
    return FullLoad("first load");
  }
  if (base->day != today) return FullLoad("a new day");
  SB_RETURN_IF_ERROR(OpenReaders());
  storage::Store& reader = reader_ ? *reader_ : store_;
  SB_ASSIGN_OR_RETURN(storage::FeedPage page, reader.change_feed().Since(base->feed_seq, kFeedPage));
  if (page.gap) return FullLoad("the change feed was pruned past the facts");
  if (page.entries.empty()) return Status::Ok();
  for (const storage::FeedEntry& entry : page.entries) {
    if (entry.entity == "*") return FullLoad("a bulk load");
    if (entry.entity == "segments" || entry.entity == "playbooks") {
      return FullLoad(entry.entity + " changed");
    }
  }
  return ApplyDelta(base, page.entries);
}

Status LiveFacts::FullLoad(const std::string& reason) {
  const auto start = std::chrono::steady_clock::now();
  SB_RETURN_IF_ERROR(OpenReaders());
  storage::Store& reader = reader_ ? *reader_ : store_;
  // Entries up to `head` are reflected by what is read after this (some later ones may be too;
  // gathering their subjects again changes nothing).
  SB_ASSIGN_OR_RETURN(int64_t head, reader.change_feed().Head());
  const Date today = ToDate(clock_.Now());
  auto snapshot = std::make_shared<FactSnapshot>();
  snapshot->feed_seq = head;
  snapshot->day = today;
  AuditLoadOptions audit_options;
  audit_options.parallel_reader = second_reader_.get();
  SB_ASSIGN_OR_RETURN(std::shared_ptr<AuditData> audit,
                      LoadAuditData(reader, today, audit_options));
  ClassifyCustomers(*audit);
  ScoreAuditData(*audit);
  snapshot->audit = std::move(audit);
  ForecastLoadOptions forecast_options;
  forecast_options.parallel_reader = second_reader_.get();
  SB_ASSIGN_OR_RETURN(ForecastData forecast, LoadForecastData(reader, forecast_options));
  auto shared_forecast = std::make_shared<const ForecastData>(std::move(forecast));
  snapshot->forecast = shared_forecast;
  if (options_.train) {
    TrainOptions train;
    train.cutoff = internal::ToDay(today);
    Result<ForecastModel> model = TrainForecast(*shared_forecast, train);
    // Without closed deals there is no model; the forecast says so when asked.
    if (model.ok()) {
      snapshot->model = std::make_shared<const ForecastModel>(std::move(*model));
      snapshot->scores = std::make_shared<const ForecastScores>(
          ScoreOpenDeals(*shared_forecast, *snapshot->model, internal::ToDay(today)));
    }
  }
  Publish(std::move(snapshot));
  {
    std::lock_guard lock(snapshot_mu_);
    ++stats_.full_loads;
    stats_.last_full_load_ms = MillisecondsSince(start);
    stats_.last_reload_reason = reason;
  }
  WriteFile();
  return Status::Ok();
}

std::shared_ptr<FactSnapshot> LiveFacts::ReadFile(Date today) {
  if (options_.fact_file.empty()) return nullptr;
  const auto start = std::chrono::steady_clock::now();
  if (!OpenReaders().ok()) return nullptr;
  storage::Store& reader = reader_ ? *reader_ : store_;
  Result<std::string> id = reader.DatabaseId();
  Result<ActivePlaybooks> playbooks = LoadActivePlaybooks(reader);
  Result<int64_t> head = reader.change_feed().Head();
  if (!id.ok() || !playbooks.ok() || !head.ok()) return nullptr;
  Result<std::shared_ptr<FactSnapshot>> kept = ReadFactFile(options_.fact_file, *id, *playbooks);
  if (!kept.ok()) {
    if (kept.status().code() != StatusCode::kNotFound) {
      std::fprintf(stderr, "salesbox facts: not using %s: %s\n", options_.fact_file.c_str(),
                   kept.status().message().c_str());
    }
    return nullptr;
  }
  // Another day's facts, or a feed that went back (the database was replaced): load anew.
  if ((*kept)->day != today || (*kept)->feed_seq > *head) return nullptr;
  if (options_.train && (*kept)->model == nullptr) return nullptr;
  std::lock_guard lock(snapshot_mu_);
  ++stats_.file_reads;
  stats_.last_file_read_ms = MillisecondsSince(start);
  stats_.last_reload_reason = "read " + options_.fact_file;
  return *std::move(kept);
}

void LiveFacts::WriteFile(bool wait) {
  if (options_.fact_file.empty() || !options_.write_file) return;
  if (file_busy_.load()) {
    if (!wait) return;  // the one being written will do; the next chance writes a newer one
    file_thread_.join();
  }
  if (file_thread_.joinable()) file_thread_.join();
  std::shared_ptr<const FactSnapshot> now = Current();
  if (now == nullptr || now->version == written_version_) return;
  if (database_id_.empty()) {
    if (!OpenReaders().ok()) return;
    storage::Store& reader = reader_ ? *reader_ : store_;
    Result<std::string> id = reader.DatabaseId();
    if (!id.ok()) return;
    database_id_ = *id;
  }
  written_version_ = now->version;
  written_at_ = std::chrono::steady_clock::now();
  file_busy_ = true;
  auto write = [this, now, id = database_id_, path = options_.fact_file] {
    const auto start = std::chrono::steady_clock::now();
    Status written = WriteFactFile(*now, id, path);
    if (!written.ok()) std::fprintf(stderr, "salesbox facts: %s\n", written.ToString().c_str());
    {
      std::lock_guard lock(snapshot_mu_);
      stats_.last_file_write_ms = MillisecondsSince(start);
    }
    file_busy_ = false;
  };
  if (wait) {
    write();
  } else {
    file_thread_ = std::thread(std::move(write));
  }
}

Status LiveFacts::ApplyDelta(const std::shared_ptr<const FactSnapshot>& base,
                             const std::vector<storage::FeedEntry>& entries) {
  const auto start = std::chrono::steady_clock::now();
  std::set<int64_t> accounts, deals;
  for (const storage::FeedEntry& entry : entries) {
    if (entry.entity == "accounts") accounts.insert(entry.entity_id);
    if (entry.entity == "opportunities") deals.insert(entry.entity_id);
    // "contacts", "users", "teams": the subjects they touch are listed beside them, and the
    // small tables are gathered whole with every delta.
  }
  if (accounts.size() + deals.size() > options_.max_subset) {
    return FullLoad(std::to_string(accounts.size() + deals.size()) + " subjects changed at once");
  }
  storage::Store& reader = reader_ ? *reader_ : store_;
  internal::PhaseTimer trace("SALESBOX_FACTS_TRACE", "facts delta");
  SB_ASSIGN_OR_RETURN(FactSubset subset, ExpandSubset(reader, accounts, deals));
  trace.Mark("subset");
  if (subset.accounts.size() + subset.opportunities.size() > 4 * options_.max_subset) {
    return FullLoad("the changed subjects reach too many others");
  }
  AuditLoadOptions audit_options;
  audit_options.subset = &subset;
  audit_options.fits = base->audit->fits;
  SB_ASSIGN_OR_RETURN(std::shared_ptr<AuditData> fresh_audit,
                      LoadAuditData(reader, base->day, audit_options));
  trace.Mark("gather audit");
  ForecastLoadOptions forecast_options;
  forecast_options.subset = &subset;
  SB_ASSIGN_OR_RETURN(ForecastData fresh_forecast, LoadForecastData(reader, forecast_options));
  trace.Mark("gather forecast");

  auto snapshot = std::make_shared<FactSnapshot>();
  snapshot->feed_seq = entries.back().seq;
  snapshot->day = base->day;
  snapshot->audit = MergeAudit(*base->audit, *fresh_audit, subset);
  trace.Mark("merge audit");
  snapshot->forecast = MergeForecast(*base->forecast, fresh_forecast, subset);
  trace.Mark("merge forecast");
  snapshot->model = base->model;
  if (base->model != nullptr && base->scores != nullptr) {
    // Rescored: the re-gathered deals, and every deal of an owner whose record (win rate) may
    // have moved with them.
    const std::unordered_set<int64_t> changed(subset.opportunities.begin(),
                                              subset.opportunities.end());
    std::unordered_set<int64_t> owners;
    for (const ForecastData* data : {base->forecast.get(), snapshot->forecast.get()}) {
      for (int64_t id : subset.opportunities) {
        if (const ForecastDealFacts* deal = data->Deal(id)) owners.insert(deal->owner_id);
      }
    }
    snapshot->scores = std::make_shared<const ForecastScores>(
        UpdateScores(*base->scores, *base->forecast, *snapshot->forecast, *base->model, changed,
                     owners));
  }
  trace.Mark("rescore");
  const int64_t seq = snapshot->feed_seq;
  Publish(std::move(snapshot));
  {
    std::lock_guard lock(snapshot_mu_);
    ++stats_.deltas;
    stats_.entries += entries.size();
    stats_.last_delta_ms = MillisecondsSince(start);
  }
  if (std::chrono::steady_clock::now() - written_at_ > options_.rewrite_every) WriteFile();
  // Keep the feed short; a reader (another process) this far behind reloads.
  if (options_.keep_feed > 0 && seq - pruned_through_ > 2 * options_.keep_feed) {
    if (reader.change_feed().Prune(seq - options_.keep_feed).ok()) {
      pruned_through_ = seq - options_.keep_feed;
    }
  }
  return Status::Ok();
}

void LiveFacts::Publish(std::shared_ptr<FactSnapshot> snapshot) {
  std::lock_guard lock(snapshot_mu_);
  snapshot->version = next_version_++;
  snapshot_ = std::move(snapshot);
  first_error_ = Status::Ok();
  published_.notify_all();
}

}  // namespace salesbox::service::facts
