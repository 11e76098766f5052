// SPDX-License-Identifier: MIT
// The audit's playbooks (part of service/pipeline_audit.h): the active one per subject type, and
// loading a new revision.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "analytics/audit/playbook.h"
#include "common/result.h"
#include "common/time.h"
#include "domain/scorecard.h"
#include "storage/store.h"

namespace salesbox::service {

// The playbooks audits use: the active stored one per subject type, or the shipped default when
// none is stored (then `revision` is 0).
struct ActivePlaybook {
  analytics::audit::Playbook playbook;
  int64_t revision = 0;
  std::string label() const;  // "default-opportunity@2", "default-account@builtin"
};
struct ActivePlaybooks {
  ActivePlaybook opportunity;
  ActivePlaybook account;
  std::string label() const;  // "default-opportunity@2,default-account@builtin"
};
Result<ActivePlaybooks> LoadActivePlaybooks(storage::Store& store);

struct PlaybookLoad {
  PlaybookVersion version;
  bool unchanged = false;  // the same body as the latest revision: nothing stored
};
// Checks `json` (ParsePlaybook's messages), stores it as the next revision of its name, and
// makes it the active playbook of its subject type when `activate`. One transaction.
Result<PlaybookLoad> LoadPlaybook(storage::Store& store, std::string_view json,
                                  std::optional<UserId> by, Timestamp now, bool activate = true);

}  // namespace salesbox::service
