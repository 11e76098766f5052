// SPDX-License-Identifier: MIT
// The default demo company (seed 42, scale 1, today 2025-06-02: the figures of
// docs/demo-data.md) in a fresh in-memory store, for tests that check what analytics find in it.
// Link salesbox_demo.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "common/result.h"
#include "common/status_macros.h"
#include "demo/demo_company.h"
#include "storage/open_store.h"

namespace salesbox::test {

inline Date DemoToday() { return MakeDate(2025, 6, 2); }

inline Result<std::unique_ptr<storage::Store>> DefaultDemoStore() {
  SB_ASSIGN_OR_RETURN(std::unique_ptr<storage::Store> store, storage::OpenStore("sqlite::memory:"));
  demo::DemoOptions options;
  options.seed = 42;
  options.scale = 1;
  options.today = DemoToday();
  SB_RETURN_IF_ERROR(demo::GenerateDemoCompany(*store, options).status());
  return store;
}

// The area each rep neglects (docs/demo-data.md, truth 3), by e-mail name.
inline const std::map<std::string, std::string>& Neglects() {
  static const std::map<std::string, std::string> neglects = {
      {"anders.nielsen", "relationships"},
      {"sofie.jensen", "understanding"},
      {"mikkel.hansen", "joint_process"},
      {"louise.pedersen", "value"},
      {"rasmus.andersen", "commitment"},
      {"camilla.christensen", "understanding"},
      {"jesper.larsen", "joint_process"},
      {"line.soerensen", "value"},
      {"thomas.rasmussen", "commitment"},
      {"signe.joergensen", "relationships"},
      {"erik.johansson", "joint_process"},
      {"anna.karlsson", "value"},
      {"johan.nilsson", "commitment"},
      {"emma.eriksson", "relationships"},
      {"oskar.larsson", "understanding"},
      {"elin.andersson", "value"},
      {"fredrik.persson", "commitment"},
      {"sara.gustafsson", "relationships"},
      {"viktor.olsson", "understanding"},
      {"maja.lindstrom", "joint_process"},
      {"kari.johansen", "commitment"},
      {"haakon.lie", "relationships"},
      {"silje.kristiansen", "understanding"},
      {"eirik.bakke", "joint_process"},
      {"marte.solberg", "value"},
  };
  return neglects;
}

}  // namespace salesbox::test
