// SPDX-License-Identifier: MIT
// The audit's playbooks: the active one per subject type (or the shipped default), and storing
// a new revision.
#include "service/audit/playbooks.h"

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/status_macros.h"
#include "service/auth.h"
#include "service/change_log.h"

namespace salesbox::service {
namespace {

namespace audit = analytics::audit;
using storage::FilterOp;
using storage::ListQuery;
using storage::Match;

}  // namespace

std::string ActivePlaybook::label() const {
  return playbook.name + "@" + (revision > 0 ? std::to_string(revision) : std::string("builtin"));
}

std::string ActivePlaybooks::label() const { return opportunity.label() + "," + account.label(); }

Result<ActivePlaybooks> LoadActivePlaybooks(storage::Store& store) {
  ActivePlaybooks out;
  bool have[2] = {false, false};
  ListQuery query;
  query.filters.push_back(Match("active", FilterOp::kEq, {int64_t{1}}));
  SB_ASSIGN_OR_RETURN(std::vector<PlaybookVersion> active, store.playbooks().List(query));
  for (const PlaybookVersion& stored : active) {
    Result<audit::Playbook> parsed = audit::ParsePlaybook(stored.body);
    if (!parsed.ok()) {
      return Status::FailedPrecondition("stored playbook " + stored.name + "@" +
                                        std::to_string(stored.revision) +
                                        " does not parse: " + parsed.status().message());
    }
    ActivePlaybook& slot =
        stored.subject_type == SubjectType::kOpportunity ? out.opportunity : out.account;
    slot.playbook = std::move(*parsed);
    slot.revision = stored.revision;
    have[stored.subject_type == SubjectType::kOpportunity ? 0 : 1] = true;
  }
  for (const audit::ShippedPlaybook& shipped : audit::ShippedPlaybooks()) {
    const bool opportunity = shipped.name == "default-opportunity";
    const bool account = shipped.name == "default-account";
    if ((opportunity && !have[0]) || (account && !have[1])) {
      SB_ASSIGN_OR_RETURN(audit::Playbook parsed, audit::ParsePlaybook(shipped.json));
      (opportunity ? out.opportunity : out.account).playbook = std::move(parsed);
    }
  }
  return out;
}

Result<PlaybookLoad> LoadPlaybook(storage::Store& store, std::string_view json,
                                  std::optional<UserId> by, Timestamp now, bool activate) {
  SB_ASSIGN_OR_RETURN(audit::Playbook parsed, audit::ParsePlaybook(json));
  PlaybookLoad out;
  Status status = store.Transact([&](storage::Store& s) -> Status {
    ListQuery same;
    same.filters.push_back(Match("name", FilterOp::kEq, {parsed.name}));
    same.order_by = "revision";
    same.descending = true;
    SB_ASSIGN_OR_RETURN(std::vector<PlaybookVersion> versions, s.playbooks().List(same));
    if (!versions.empty() && versions.front().subject_type != parsed.subject_type) {
      return Status::InvalidArgument("playbook: name \"" + parsed.name + "\" is already used by " +
                                     std::string(ToString(versions.front().subject_type)) +
                                     " playbook; choose another name");
    }
    const std::string checksum = Sha256Hex(json);
    PlaybookVersion version;
    if (!versions.empty() && versions.front().checksum == checksum) {
      version = versions.front();
      out.unchanged = true;
    } else {
      version.name = parsed.name;
      version.revision = versions.empty() ? 1 : versions.front().revision + 1;
      version.subject_type = parsed.subject_type;
      version.body = std::string(json);
      version.checksum = checksum;
      version.loaded_by = by;
      version.loaded_at = now;
    }
    if (activate && !version.active) {
      ListQuery current;
      current.filters.push_back(Match("active", FilterOp::kEq, {int64_t{1}}));
      current.filters.push_back(
          Match("subject_type", FilterOp::kEq, {std::string(ToString(parsed.subject_type))}));
      SB_ASSIGN_OR_RETURN(std::vector<PlaybookVersion> active, s.playbooks().List(current));
      for (PlaybookVersion& old : active) {
        old.active = false;
        SB_RETURN_IF_ERROR(s.playbooks().Update(old));
      }
      version.active = true;
      if (out.unchanged) SB_RETURN_IF_ERROR(s.playbooks().Update(version));
    }
    if (!out.unchanged) {
      SB_ASSIGN_OR_RETURN(version.id, s.playbooks().Insert(version));
      SB_RETURN_IF_ERROR(AppendChange(s, now, by, "create", "playbooks", version.id.value,
                                      "{\"name\":[null," + nlohmann::json(version.name).dump() +
                                          "],\"revision\":[null," +
                                          std::to_string(version.revision) + "]}"));
    }
    out.version = version;
    return Status::Ok();
  });
  SB_RETURN_IF_ERROR(status);
  return out;
}

}  // namespace salesbox::service
