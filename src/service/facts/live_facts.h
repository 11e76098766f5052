// SPDX-License-Identifier: MIT
// The live fact model (DESIGN.md section 7, issue 12): the company's audit and forecast facts for
// today, loaded once and then kept current from the store's change feed, published as immutable
// snapshots that readers take without waiting for anything slow.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "common/result.h"
#include "common/time.h"
#include "service/forecast.h"
#include "service/pipeline_audit.h"
#include "storage/store.h"

namespace salesbox::service::facts {

// One published state of the facts. Immutable; shared by every reader that took it.
struct FactSnapshot {
  uint64_t version = 0;   // 1, 2, ... within this process
  int64_t feed_seq = 0;   // the change feed entries it reflects (all with seq <= feed_seq)
  Date day{};             // the audit's as-of day and the model's cutoff
  std::shared_ptr<const AuditData> audit;        // as of `day`, every item audited
  std::shared_ptr<const ForecastData> forecast;
  std::shared_ptr<const ForecastModel> model;    // trained on `forecast` with cutoff `day`
  std::shared_ptr<const ForecastScores> scores;  // the deals open on `day`, scored by `model`
};

struct LiveFactsStats {
  uint64_t full_loads = 0;     // initial, day change, fallback
  uint64_t file_reads = 0;     // starts from the fact file
  double last_file_read_ms = 0;
  double last_file_write_ms = 0;
  uint64_t deltas = 0;         // batches applied as deltas
  uint64_t entries = 0;        // feed entries applied as deltas
  double last_full_load_ms = 0;
  double last_delta_ms = 0;
  std::string last_reload_reason;
};

class LiveFacts {
 public:
  struct Options {
    // Opens another connection to the same database, for the applier's reads (so they never
    // hold the connection requests use). Called once or twice; null: read `store` itself (an
    // in-memory database has no second connection).
    std::function<Result<std::unique_ptr<storage::Store>>()> open_reader;
    std::chrono::milliseconds poll{200};  // how often the feed is read without a Wake()
    size_t max_subset = 4000;   // more touched subjects than this in one batch: reload instead
    int64_t keep_feed = 100'000;  // feed entries kept behind the applied position
    bool train = true;          // train the forecast model with each full load
    // Where to keep the facts between runs (fact_file.h; `salesbox serve` uses DB + ".facts"):
    // read at start when it is today's and this database's, written after each full load, at
    // most every `rewrite_every` while deltas come in, and at Stop(). Empty: none.
    std::string fact_file;
    std::chrono::seconds rewrite_every{600};
    bool write_file = true;  // false: only read it (a CLI command leaves it to the server)
  };

  // REQUIRES: `store` and `clock` outlive this object.
  LiveFacts(storage::Store& store, const Clock& clock, Options options);
  ~LiveFacts();  // stops the applier thread
  LiveFacts(const LiveFacts&) = delete;
  LiveFacts& operator=(const LiveFacts&) = delete;

  // Starts the applier thread, which loads the facts once and then follows the feed.
  void Start();
  void Stop();

  // The newest snapshot; null before the first load finished. Never waits for the applier.
  std::shared_ptr<const FactSnapshot> Current() const;

  // The newest snapshot once it reflects the feed up to `seq` (the writer's own next read sees
  // its write) and exists; waits for the applier at most `timeout`, then answers with what there
  // is (kUnavailable when there is no snapshot yet, the first load's error if it failed).
  Result<std::shared_ptr<const FactSnapshot>> AtLeast(int64_t seq,
                                                      std::chrono::milliseconds timeout);

  // A write committed: read the feed now instead of at the next poll.
  void Wake();

  // Applies everything the feed holds now on the calling thread (the first load included) and
  // returns the snapshot. For tests and the CLI; the thread does the same in a loop.
  Result<std::shared_ptr<const FactSnapshot>> ApplyPending();

  // For a command that wants today's facts only if they are kept (the CLI): reads the fact file
  // and applies the feed since, on the calling thread. kNotFound when there is no usable file
  // (then nothing was loaded); the feed's errors as they come.
  Result<std::shared_ptr<const FactSnapshot>> ResumeFromFile();

  // Reloads everything now (the fallback path), on the calling thread.
  Status Reload(std::string reason);

  LiveFactsStats stats() const;

 private:
  Status Step();  // REQUIRES: apply_mu_ held
  Status FullLoad(const std::string& reason);  // REQUIRES: apply_mu_ held
  Status ApplyDelta(const std::shared_ptr<const FactSnapshot>& base,
                    const std::vector<storage::FeedEntry>& entries);  // REQUIRES: apply_mu_
  void Publish(std::shared_ptr<FactSnapshot> snapshot);
  Status OpenReaders();  // REQUIRES: apply_mu_ held
  // The fact file's snapshot when it is usable for `today`; null otherwise. REQUIRES: apply_mu_.
  std::shared_ptr<FactSnapshot> ReadFile(Date today);
  // Writes the current snapshot to the fact file on a thread of its own (a big company's file
  // takes seconds; deltas go on meanwhile), unless one is being written. `wait`: on this thread.
  // REQUIRES: apply_mu_ held.
  void WriteFile(bool wait = false);
  void Run();

  storage::Store& store_;
  const Clock& clock_;
  const Options options_;

  // Serializes appliers (the thread, ApplyPending, Reload). Readers never take it.
  std::mutex apply_mu_;
  std::unique_ptr<storage::Store> reader_, second_reader_;  // guarded by apply_mu_
  int64_t pruned_through_ = 0;                            // guarded by apply_mu_
  uint64_t written_version_ = 0;   // the snapshot last written to the fact file (apply_mu_)
  std::chrono::steady_clock::time_point written_at_{};    // guarded by apply_mu_
  std::string database_id_;        // read with the readers (apply_mu_)
  std::thread file_thread_;        // the fact file's writer (apply_mu_)
  std::atomic<bool> file_busy_{false};

  // Guards only the pointer swap and the stats; held for nanoseconds.
  mutable std::mutex snapshot_mu_;
  std::condition_variable published_;
  std::shared_ptr<const FactSnapshot> snapshot_;
  Status first_error_;  // the first load's failure, until a load succeeds
  LiveFactsStats stats_;
  uint64_t next_version_ = 1;

  std::mutex wake_mu_;
  std::condition_variable wake_;
  bool woken_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace salesbox::service::facts
