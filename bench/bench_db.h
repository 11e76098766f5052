// SPDX-License-Identifier: MIT
// What the benchmarks over a generated company share: the database they read
// (SALESBOX_BENCH_DB), the day they analyse (SALESBOX_BENCH_AS_OF) and the peak memory counter.
#pragma once

#include <sys/resource.h>

#include <cstdlib>
#include <string>

#include "common/time.h"

namespace salesbox::bench {

inline std::string DbPath() {
  const char* path = std::getenv("SALESBOX_BENCH_DB");
  return path ? path : "";
}

inline Date AsOf(const char* fallback) {
  const char* text = std::getenv("SALESBOX_BENCH_AS_OF");
  Result<Date> date = ParseIsoDate(text ? text : fallback);
  if (date.ok()) return *date;
  return *ParseIsoDate(fallback);
}

// Peak resident memory of this process so far, in MB.
inline double MaxRssMb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

}  // namespace salesbox::bench
