// SPDX-License-Identifier: MIT
#include "service/audit.h"

#include <sodium.h>

namespace salesbox::service {

Status AppendAudit(storage::Store& store, Timestamp at, std::optional<UserId> who,
                   std::string_view action, std::string_view entity, int64_t entity_id,
                   std::string changes) {
  if (sodium_init() < 0) return Status::Internal("libsodium failed to initialise");
  unsigned char raw[16];
  randombytes_buf(raw, sizeof(raw));
  char hex[sizeof(raw) * 2 + 1];
  sodium_bin2hex(hex, sizeof(hex), raw, sizeof(raw));
  AuditEntry entry;
  entry.event_id = hex;
  entry.at = at;
  entry.user_id = who;
  entry.action = std::string(action);
  entry.entity = std::string(entity);
  entry.entity_id = entity_id;
  entry.changes = std::move(changes);
  return store.audit_log().Insert(entry).status();
}

}  // namespace salesbox::service
