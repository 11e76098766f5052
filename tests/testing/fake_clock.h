// SPDX-License-Identifier: MIT
// FakeClock: a Clock that stands still until a test moves it.
#pragma once

#include <chrono>
#include <string_view>

#include "common/check.h"
#include "common/time.h"

namespace salesbox::test {

class FakeClock : public Clock {
 public:
  // REQUIRES: `iso` parses ("2025-03-03T09:00:00Z").
  explicit FakeClock(std::string_view iso) {
    Result<Timestamp> t = ParseTimestamp(iso);
    SB_CHECK(t.ok());
    now_ = *t;
  }
  Timestamp Now() const override { return now_; }
  void Advance(std::chrono::seconds by) { now_ += by; }

 private:
  Timestamp now_;
};

}  // namespace salesbox::test
