// SPDX-License-Identifier: MIT
// The sales audit as a service (DESIGN.md section 2): playbooks stored and versioned, scorecard
// answers recorded with their date, the facts of every open opportunity and customer gathered
// from the store as they stood on a date, the audit run over them (analytics/audit), saved
// runs, and action items. (service/change_log.h is something else: the log of changes.)
//
// This is the public header. The parts are in service/audit/:
//   playbooks.h  the playbooks, stored and versioned                       playbooks.cc
//   answers.h    scorecard answers recorded with their date                answers.cc
//   facts.h      the facts as of a day, with the design notes 1-4          facts.cc
//   run.h        auditing the facts, a scope's report, saved runs          run.cc
//   actions.h    action items: a planned task tied to a criterion          actions.cc
// The audit pages' JSON is service/audit_views.h (audit/views.cc).
#pragma once

#include "service/audit/actions.h"    // IWYU pragma: export
#include "service/audit/answers.h"    // IWYU pragma: export
#include "service/audit/facts.h"      // IWYU pragma: export
#include "service/audit/playbooks.h"  // IWYU pragma: export
#include "service/audit/run.h"        // IWYU pragma: export
