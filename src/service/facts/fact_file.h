// SPDX-License-Identifier: MIT
// The live facts on disk: a snapshot's audit and forecast facts and the day's model, written
// beside the database so that a restart reads them back in a fraction of a full load and then
// replays only the change feed since (issue 12's cold start).
#pragma once

#include <memory>
#include <string>

#include "common/result.h"
#include "common/status.h"
#include "common/time.h"
#include "service/facts/live_facts.h"
#include "service/pipeline_audit.h"

namespace salesbox::service::facts {

// Writes the facts of `snapshot` (not what is derived from them: item results, scores, owner
// records, indexes) with `database_id`, the day and the feed position, to `path` through a
// temporary file renamed into place, so a reader never sees half a file. I/O errors as
// kInternal naming the path.
Status WriteFactFile(const FactSnapshot& snapshot, const std::string& database_id,
                     const std::string& path);

// Reads a file WriteFactFile wrote and rebuilds the snapshot (customers classified, items
// audited, open deals scored) with `playbooks` (the database's active ones now). kNotFound when
// there is no file; kFailedPrecondition when it belongs to another database or another format;
// kInvalidArgument when it is damaged (a checksum or a length does not fit). Never crashes on a
// bad file.
Result<std::shared_ptr<FactSnapshot>> ReadFactFile(const std::string& path,
                                                   const std::string& database_id,
                                                   const ActivePlaybooks& playbooks);

}  // namespace salesbox::service::facts
