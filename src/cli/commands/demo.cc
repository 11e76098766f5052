// SPDX-License-Identifier: MIT
// `salesbox demo`: generates the demo company into a database and says how to use it.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "cli/args.h"
#include "cli/command.h"
#include "cli/serve.h"
#include "demo/demo_company.h"
#include "service/auth.h"
#include "storage/open_store.h"

namespace salesbox::cli {
namespace {

constexpr const char* kDemoPassword = "salesbox-demo";

constexpr FlagSpec kFlags[] = {
    {"db", "PATH", "the database file to create (required)"},
    {"seed", "N", "random seed (default 42); the same seed gives the same company"},
    {"scale", "S", "size multiplier (default 1: ~2,000 accounts; 100: ~1M opportunities)"},
    {"today", "DATE", "the demo's today, YYYY-MM-DD (default: today, UTC)"},
    {"replace", "", "delete an existing database file first"},
    {"no-serve", "", "only generate; do not start the web server"},
    {"quiet", "", "no progress lines"},
    {"port", "N", "the web server's port (default 8080)"},
    {"bind", "ADDRESS", "the web server's address (default 127.0.0.1)"},
    {"web", "DIR", "the built web app (default: web/dist next to the source tree)"},
    {"threads", "N", "server threads (default: one per core, at least 2)"},
};

}  // namespace

int RunDemo(std::span<const std::string> words) {
  Result<Args> args = Args::Parse(words, kFlags);
  if (!args.ok()) return Fail("demo", args.status(), /*usage=*/true);
  if (args->help()) {
    std::printf("usage: salesbox demo --db PATH [--seed N] [--scale S] [--replace] [--no-serve]\n"
                "\nGenerates a realistic, deterministic Nordic B2B company (teams, reps, accounts,"
                "\ncontacts, 3 years of orders, opportunities with stage history, activities,"
                "\ncampaigns and leads) with known truths planted for the analytics to find"
                "\n(docs/demo-data.md).\n\n%s",
                FormatFlags(kFlags).c_str());
    return kExitOk;
  }
  Result<std::string> db = args->Require("db");
  if (!db.ok()) return Fail("demo", db.status(), /*usage=*/true);
  Result<ServeOptions> serve_options = ParseServeFlags(*args);
  if (!serve_options.ok()) return Fail("demo", serve_options.status(), /*usage=*/true);
  serve_options->db = *db;

  demo::DemoOptions options;
  if (auto seed = args->Get("seed")) {
    char* end = nullptr;
    options.seed = std::strtoull(seed->c_str(), &end, 10);
    if (end == seed->c_str() || *end != '\0') {
      return Fail("demo", Status::InvalidArgument("--seed must be a whole number"), true);
    }
  }
  if (auto scale = args->Get("scale")) {
    char* end = nullptr;
    options.scale = std::strtod(scale->c_str(), &end);
    if (end == scale->c_str() || *end != '\0' || !(options.scale > 0) || options.scale > 250) {
      return Fail("demo", Status::InvalidArgument("--scale must be a number in (0, 250]"), true);
    }
  }
  options.today = ToDate(SystemClock().Now());
  if (auto today = args->Get("today")) {
    Result<Date> parsed = ParseIsoDate(*today);
    if (!parsed.ok()) {
      return Fail("demo", Status::InvalidArgument("--today: " + parsed.status().message()), true);
    }
    options.today = *parsed;
  }
  const bool quiet = args->Has("quiet");
  if (!quiet) {
    options.progress = [](const std::string& line) { std::fprintf(stderr, "  %s\n", line.c_str()); };
  }

  std::string path = *db;
  if (path.rfind("sqlite:", 0) == 0) path = path.substr(7);
  std::error_code ec;
  if (args->Has("replace") && path != ":memory:") {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix, ec);
  }
  if (std::filesystem::path parent = std::filesystem::path(path).parent_path(); !parent.empty()) {
    std::filesystem::create_directories(parent, ec);
  }

  auto started = std::chrono::steady_clock::now();
  Result<std::unique_ptr<storage::Store>> store = storage::OpenStore(*db);
  if (!store.ok()) return Fail("demo", store.status());
  Result<demo::DemoSummary> summary = demo::GenerateDemoCompany(**store, options);
  if (!summary.ok()) {
    Status status = summary.status();
    if (status.code() == StatusCode::kFailedPrecondition) {
      status = Status::FailedPrecondition(status.message() + " (use --replace to start over)");
    }
    return Fail("demo", status);
  }
  // Every demo user signs in with the same published password: this is a demo.
  Result<std::string> hash = service::HashPassword(kDemoPassword);
  if (!hash.ok()) return Fail("demo", hash.status());
  if (Status set = service::SetAllPasswordHashes(**store, *hash); !set.ok()) {
    return Fail("demo", set);
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  std::printf("Generated the demo company into %s in %.1f s (seed %llu, scale %g, today %s):\n",
              db->c_str(), seconds, static_cast<unsigned long long>(options.seed), options.scale,
              FormatDate(options.today).c_str());
  std::printf("  %lld teams, %lld users, %lld segments, %lld accounts, %lld contacts\n",
              static_cast<long long>(summary->teams), static_cast<long long>(summary->users),
              static_cast<long long>(summary->segments), static_cast<long long>(summary->accounts),
              static_cast<long long>(summary->contacts));
  std::printf("  %lld opportunities with %lld history rows, %lld activities, %lld orders\n",
              static_cast<long long>(summary->opportunities),
              static_cast<long long>(summary->opportunity_changes),
              static_cast<long long>(summary->activities), static_cast<long long>(summary->orders));
  std::printf("  %lld campaigns, %lld leads, %lld scorecard answers\n\n",
              static_cast<long long>(summary->campaigns), static_cast<long long>(summary->leads),
              static_cast<long long>(summary->scorecard_answers));
  std::printf("Demo users, one per role (every demo user's password is %s):\n", kDemoPassword);
  for (const demo::DemoLogin& login : summary->logins) {
    std::printf("  %-10s %-45s %s%s%s\n", login.role.c_str(), login.email.c_str(),
                login.name.c_str(), login.team.empty() ? "" : ", ",
                login.team.c_str());
  }
  // The commands as this shell can run them: the binary's path relative to here.
  std::string self = "salesbox";
  if (std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec); !ec) {
    std::filesystem::path relative = std::filesystem::relative(exe, ec);
    if (!ec && !relative.empty()) {
      self = relative.has_parent_path() ? relative.string() : "./" + relative.string();
    }
  }
  std::printf(
      "\nTry:\n"
      "  %s stats --db %s\n"
      "  %s audit --db %s --team \"Danmark Øst\"\n"
      "  %s audit --db %s --format pdf --out audit.pdf\n"
      "  %s forecast --db %s\n"
      "  %s forecast backtest --db %s\n"
      "  %s export --db %s --kind opportunities > opportunities.csv\n"
      "  %s import --db %s --kind opportunities opportunities.csv --dry-run\n",
      self.c_str(), db->c_str(), self.c_str(), db->c_str(), self.c_str(), db->c_str(),
      self.c_str(), db->c_str(), self.c_str(), db->c_str(), self.c_str(), db->c_str(),
      self.c_str(), db->c_str());
  std::printf("  %s serve --db %s\n", self.c_str(), db->c_str());
  if (args->Has("no-serve")) return kExitOk;
  std::fflush(stdout);
  return Serve(**store, *serve_options, [&](const std::string& url) {
    std::printf("\nServing the demo company at %s\nSign in with one of the users above and the "
                "password %s. Stop with Ctrl-C.\n",
                url.c_str(), kDemoPassword);
  });
}

}  // namespace salesbox::cli
