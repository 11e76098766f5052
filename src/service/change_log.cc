// SPDX-License-Identifier: MIT
#include "service/change_log.h"

#include <sodium.h>

#include "service/auth.h"

namespace salesbox::service {

Status AppendChange(storage::Store& store, Timestamp at, std::optional<UserId> who,
                   std::string_view action, std::string_view entity, int64_t entity_id,
                   std::string changes) {
  if (sodium_init() < 0) return Status::Internal("libsodium failed to initialise");
  ChangeLogEntry entry;
  entry.event_id = RandomHex(16);
  entry.at = at;
  entry.user_id = who;
  entry.action = std::string(action);
  entry.entity = std::string(entity);
  entry.entity_id = entity_id;
  entry.changes = std::move(changes);
  return store.change_log().Insert(entry).status();
}

}  // namespace salesbox::service
