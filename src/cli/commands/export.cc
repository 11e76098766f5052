// SPDX-License-Identifier: MIT
// `salesbox export`: every record of a kind as CSV (what import reads), JSON or an XLSX workbook.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "cli/args.h"
#include "cli/command.h"
#include "common/time.h"
#include "service/transfer.h"
#include "storage/open_store.h"

namespace salesbox::cli {
namespace {

constexpr FlagSpec kFlags[] = {
    {"db", "PATH", "the database (required)"},
    {"kind", "KIND", "what to export (required); see `salesbox import --help`"},
    {"format", "FORMAT",
     "csv (default), json, or xlsx (a workbook with a frozen, filtered header; needs --output)"},
    {"output", "FILE", "write to FILE (replaced only when the export succeeds) instead of stdout"},
};

// An export is written to `temporary` and renamed to `output` only when it succeeded, so a
// failed export leaves no half-written file; returns `status`, or the rename's error.
Status FinishPartial(const std::string& temporary, const std::string& output, Status status) {
  std::error_code ec;
  if (!status.ok()) {
    std::filesystem::remove(temporary, ec);
    return status;
  }
  std::filesystem::rename(temporary, output, ec);
  if (ec) return Status::Internal("cannot rename " + temporary + ": " + ec.message());
  return status;
}

}  // namespace

int RunExport(std::span<const std::string> words) {
  Result<Args> args = Args::Parse(words, kFlags);
  if (!args.ok()) return Fail("export", args.status(), /*usage=*/true);
  if (args->help()) {
    std::printf(
        "usage: salesbox export --db PATH --kind KIND [--format csv|json|xlsx] [--output FILE]"
        "\n\nWrites every record of KIND in the canonical columns, which `salesbox import`"
        "\nreads back unchanged.\n\n%s",
        FormatFlags(kFlags).c_str());
    return kExitOk;
  }
  Result<std::string> db = args->Require("db");
  if (!db.ok()) return Fail("export", db.status(), /*usage=*/true);
  Result<std::string> kind_name = args->Require("kind");
  if (!kind_name.ok()) return Fail("export", kind_name.status(), /*usage=*/true);
  Result<service::Kind> kind = service::ParseKind(*kind_name);
  if (!kind.ok()) return Fail("export", kind.status(), /*usage=*/true);
  std::string format = args->Get("format").value_or("csv");
  if (format != "csv" && format != "json" && format != "xlsx") {
    return Fail("export", Status::InvalidArgument("--format must be csv, json or xlsx"), true);
  }
  if (format == "xlsx" && !args->Has("output")) {
    return Fail("export", Status::InvalidArgument("--format xlsx needs --output FILE.xlsx"), true);
  }
  if (!args->positional().empty()) {
    return Fail("export", Status::InvalidArgument("unexpected argument " + args->positional()[0]),
                true);
  }

  Result<std::unique_ptr<storage::Store>> store = storage::OpenStore(*db);
  if (!store.ok()) return Fail("export", store.status());

  std::FILE* out = stdout;
  std::string output = args->Get("output").value_or("");
  std::string temporary;
  if (format == "xlsx") {
    temporary = output + ".partial";
    std::unique_ptr<service::RowSink> sink =
        service::MakeXlsxSink(temporary, std::string(service::KindName(*kind)));
    SystemClock clock;
    service::TransferService transfer(**store, clock);
    Status status = transfer.Export(*kind, *sink);
    sink.reset();  // closes a workbook left open by a failure
    status = FinishPartial(temporary, output, status);
    if (!status.ok()) return Fail("export", status);
    return kExitOk;
  }
  if (!output.empty()) {
    temporary = output + ".partial";
    out = std::fopen(temporary.c_str(), "wb");
    if (out == nullptr) {
      return Fail("export", Status::InvalidArgument("cannot write " + temporary));
    }
  }
  bool write_failed = false;
  auto write = [&](std::string_view text) {
    if (std::fwrite(text.data(), 1, text.size(), out) != text.size()) write_failed = true;
  };
  std::unique_ptr<service::RowSink> sink =
      format == "json" ? service::MakeJsonSink(write) : service::MakeCsvSink(write);
  SystemClock clock;
  service::TransferService transfer(**store, clock);
  Status status = transfer.Export(*kind, *sink);
  if (std::fflush(out) != 0) write_failed = true;
  if (status.ok() && write_failed) status = Status::Internal("writing the output failed");
  if (!output.empty()) {
    std::fclose(out);
    status = FinishPartial(temporary, output, status);
  }
  if (!status.ok()) return Fail("export", status);
  return kExitOk;
}

}  // namespace salesbox::cli
