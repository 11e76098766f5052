// SPDX-License-Identifier: MIT
// Private to storage/: how each domain type maps to a table, written once for every backend.
//
// Table<T>::Fields(record, visitor) calls `visitor(name, field)` for every stored field of T in
// column order, except `id` and `version`, which every table has and backends handle themselves.
// A backend supplies visitors that bind fields to a statement, read them from a row, or list
// column names; the field's C++ type tells the visitor how to store it:
//   std::string                 TEXT NOT NULL
//   int64_t / bool / double     INTEGER / INTEGER 0|1 / REAL
//   std::optional<X>            nullable X
//   Id<Tag>                     INTEGER foreign key
//   enum with EnumNames         TEXT snake_case name
//   Date / Timestamp            TEXT "YYYY-MM-DD" / "YYYY-MM-DDTHH:MM:SSZ"
//   Money                       two columns: <name>_minor INTEGER, <name>_currency TEXT
#pragma once

#include <array>
#include <string_view>

#include "domain/access.h"
#include "domain/account.h"
#include "domain/activity.h"
#include "domain/forecast.h"
#include "domain/lead.h"
#include "domain/opportunity.h"
#include "domain/scorecard.h"
#include "domain/strategy.h"
#include "domain/user.h"

namespace salesbox::storage::internal {

template <typename T>
struct Table;

// Common tail of every versioned table.
template <typename R, typename V>
void TimestampFields(R& r, V& v) {
  v("created_at", r.created_at);
  v("updated_at", r.updated_at);
}

template <>
struct Table<Team> {
  static constexpr std::string_view kName = "teams";
  static constexpr std::string_view kWhat = "team";
  static constexpr bool kVersioned = true;
  static constexpr std::array<std::string_view, 1> kKey{"name"};
  template <typename R, typename V>
  static void Fields(R& r, V& v) {
    v("name", r.name);
    v("manager_id", r.manager_id);
    TimestampFields(r, v);
  }
};

template <>
struct Table<TeamManager> {
  static constexpr std::string_view kName = "team_managers";
  static constexpr std::string_view kWhat = "team manager";
  static constexpr bool kVersioned = false;
  static constexpr std::array<std::string_view, 2> kKey{"team_id", "user_id"};
  template <typename R, typename V>
  static void Fields(R& r, V& v) {
    v("team_id", r.team_id);
    v("user_id", r.user_id);
    v("created_at", r.created_at);
    v("note", r.note);
  }
};

template <>
struct Table<User> {
  static constexpr std::string_view kName = "users";
  static constexpr std::string_view kWhat = "user";
  static constexpr bool kVersioned = true;
  static constexpr std::array<std::string_view, 1> kKey{"email"};
  template <typename R, typename V>
  static void Fields(R& r, V& v) {
    v("email", r.email);
    v("name", r.name);
    v("role", r.role);
    v("team_id", r.team_id);
    v("locale", r.locale);
    v("password_hash", r.password_hash);
    v("active", r.active);
    TimestampFields(r, v);
  }
};

template <>
struct Table<Segment> {
  static constexpr std::string_view kName = "segments";
  static constexpr std::string_view kWhat = "segment";
  static constexpr bool kVersioned = true;
  static constexpr std::array<std::string_view, 1> kKey{"name"};
  template <typename R, typename V>
  static void Fields(R& r, V& v) {
    v("name", r.name);
    v("rule", r.rule);
    v("core", r.core);
    TimestampFields(r, v);
  }
};

template <>
struct Table<Account> {
  static constexpr std::string_view kName = "accounts";
  static constexpr std::string_view kWhat = "account";
  static constexpr bool kVersioned = true;
  static constexpr std::array<std::string_view, 1> kKey{"external_id"};
  template <typename R, typename V>
  static void Fields(R& r, V& v) {
    v("external_id", r.external_id);
    v("name", r.name);
    v("org_number", r.org_number);
    v("industry", r.industry);
    v("employees", r.employees);
    v("region", r.region);
    v("country", r.country);
    v("status", r.status);
    v("owner_id", r.owner_id);
    v("segment_id", r.segment_id);
    v("abc_class", r.abc_class);
    TimestampFields(r, v);
  }
};

template <>
struct Table<Contact> {
  static constexpr std::string_view kName = "contacts";
  static constexpr std::string_view kWhat = "contact";
  static constexpr bool kVersioned = true;
  static constexpr std::array<std::string_view, 1> kKey{"external_id"};
  template <typename R, typename V>
  static void Fields(R& r, V& v) {
    v("external_id", r.external_id);
    v("account_id", r.account_id);
    v("name", r.name);
    v("title", r.title);
    v("email", r.email);
    v("phone", r.phone);
    v("buying_role", r.buying_role);
    v("relationship_strength", r.relationship_strength);
    TimestampFields(r, v);
  }
};

template <>
struct Table<Campaign> {
  static constexpr std::string_view kName = "campaigns";
  static constexpr std::string_view kWhat = "campaign";
  static constexpr bool kVersioned = true;
  static constexpr std::array<std::string_view, 1> kKey{"external_id"};
  template <typename R, typename V>
  static void Fields(R& r, V& v) {
    v("external_id", r.external_id);
    v("name", r.name);
    v("segment_id", r.segment_id);
    v("channel", r.channel);
    v("start_on", r.start_on);
    v("end_on", r.end_on);
    v("cost", r.cost);
    TimestampFields(r, v);
  }
};

template <>
struct Table<Lead> {
  static constexpr std::string_view kName = "leads";
  static constexpr std::string_view kWhat = "lead";
  static constexpr bool kVersioned = true;
  static constexpr std::array<std::string_view, 1> kKey{"external_id"};
  template <typename R, typename V>
  static void Fields(R& r, V& v) {
    v("external_id", r.external_id);
    v("name", r.name);
    v("company", r.company);
    v("title", r.title);
    v("email", r.email);
    v("phone", r.phone);
    v("source", r.source);
    v("campaign_id", r.campaign_id);
    v("status", r.status);
    v("owner_id", r.owner_id);
    v("account_id", r.account_id);
    v("created_on", r.created_on);
    TimestampFields(r, v);
  }
};

template <>
struct Table<Opportunity> {
  static constexpr std::string_view kName = "opportunities";
  static constexpr std::string_view kWhat = "opportunity";
  static constexpr bool kVersioned = true;
  static constexpr std::array<std::string_view, 1> kKey{"external_id"};
  template <typename R, typename V>
  static void Fields(R& r, V& v) {
    v("external_id", r.external_id);
    v("account_id", r.account_id);
    v("name", r.name);
    v("owner_id", r.owner_id);
    v("stage", r.stage);
    v("amount", r.amount);
    v("amount_known", r.amount_known);
    v("probability", r.probability);
    v("created_on", r.created_on);
    v("close_on", r.close_on);
    v("closed_on", r.closed_on);
    v("next_step", r.next_step);
    v("next_step_on", r.next_step_on);
    v("forecast_category", r.forecast_category);
    v("product_lines", r.product_lines);
    v("competitors", r.competitors);
    v("reason", r.reason);
    TimestampFields(r, v);
  }
};

template <>
struct Table<OpportunityChange> {
  static constexpr std::string_view kName = "opportunity_changes";
  static constexpr std::string_view kWhat = "opportunity change";
  static constexpr bool kVersioned = false;
  static constexpr std::array<std::string_view, 2> kKey{"opportunity_id", "changed_at"};
  template <typename R, typename V>
  static void Fields(R& r, V& v) {
    v("opportunity_id", r.opportunity_id);
    v("changed_at", r.changed_at);
    v("stage", r.stage);
    v("amount", r.amount);
    v("probability", r.probability);
    v("close_on", r.close_on);
    v("changed_by", r.changed_by);
    v("next_step_on", r.next_step_on);
  }
};

template <>
struct Table<Activity> {
  static constexpr std::string_view kName = "activities";
  static constexpr std::string_view kWhat = "activity";
  static constexpr bool kVersioned = true;
  static constexpr std::array<std::string_view, 1> kKey{"external_id"};
  template <typename R, typename V>
  static void Fields(R& r, V& v) {
    v("external_id", r.external_id);
    v("type", r.type);
    v("status", r.status);
    v("at", r.at);
    v("owner_id", r.owner_id);
    v("account_id", r.account_id);
    v("contact_id", r.contact_id);
    v("opportunity_id", r.opportunity_id);
    v("lead_id", r.lead_id);
    v("outcome", r.outcome);
    v("notes", r.notes);
    TimestampFields(r, v);
  }
};

template <>
struct Table<Order> {
  static constexpr std::string_view kName = "orders";
  static constexpr std::string_view kWhat = "order";
  static constexpr bool kVersioned = true;
  static constexpr std::array<std::string_view, 1> kKey{"external_id"};
  template <typename R, typename V>
  static void Fields(R& r, V& v) {
    v("external_id", r.external_id);
    v("account_id", r.account_id);
    v("ordered_on", r.ordered_on);
    v("revenue", r.revenue);
    v("margin", r.margin);
    TimestampFields(r, v);
  }
};

template <>
struct Table<Objective> {
  static constexpr std::string_view kName = "objectives";
  static constexpr std::string_view kWhat = "objective";
  static constexpr bool kVersioned = true;
  static constexpr std::array<std::string_view, 1> kKey{"name"};
  template <typename R, typename V>
  static void Fields(R& r, V& v) {
    v("name", r.name);
    v("metric", r.metric);
    v("target", r.target);
    v("target_amount", r.target_amount);
    v("period_start", r.period_start);
    v("period_end", r.period_end);
    TimestampFields(r, v);
  }
};

template <>
struct Table<ValueProposition> {
  static constexpr std::string_view kName = "value_propositions";
  static constexpr std::string_view kWhat = "value proposition";
  static constexpr bool kVersioned = true;
  static constexpr std::array<std::string_view, 1> kKey{"segment_id"};
  template <typename R, typename V>
  static void Fields(R& r, V& v) {
    v("segment_id", r.segment_id);
    v("statement", r.statement);
    v("key_issues", r.key_issues);
    v("discovery_questions", r.discovery_questions);
    v("proof_points", r.proof_points);
    TimestampFields(r, v);
  }
};

template <>
struct Table<Session> {
  static constexpr std::string_view kName = "sessions";
  static constexpr std::string_view kWhat = "session";
  static constexpr bool kVersioned = false;
  static constexpr std::array<std::string_view, 1> kKey{"token_hash"};
  template <typename R, typename V>
  static void Fields(R& r, V& v) {
    v("token_hash", r.token_hash);
    v("user_id", r.user_id);
    v("csrf_token", r.csrf_token);
    v("created_at", r.created_at);
    v("last_seen_at", r.last_seen_at);
    v("expires_at", r.expires_at);
    v("remote_address", r.remote_address);
  }
};

template <>
struct Table<AccountShare> {
  static constexpr std::string_view kName = "account_shares";
  static constexpr std::string_view kWhat = "account share";
  static constexpr bool kVersioned = false;
  static constexpr std::array<std::string_view, 2> kKey{"account_id", "user_id"};
  template <typename R, typename V>
  static void Fields(R& r, V& v) {
    v("account_id", r.account_id);
    v("user_id", r.user_id);
    v("created_at", r.created_at);
    v("note", r.note);
  }
};

template <>
struct Table<ChangeLogEntry> {
  static constexpr std::string_view kName = "audit_log";
  static constexpr std::string_view kWhat = "audit entry";
  static constexpr bool kVersioned = false;
  static constexpr std::array<std::string_view, 1> kKey{"event_id"};
  template <typename R, typename V>
  static void Fields(R& r, V& v) {
    v("event_id", r.event_id);
    v("at", r.at);
    v("user_id", r.user_id);
    v("action", r.action);
    v("entity", r.entity);
    v("entity_id", r.entity_id);
    v("changes", r.changes);
  }
};

template <>
struct Table<PlaybookVersion> {
  static constexpr std::string_view kName = "playbooks";
  static constexpr std::string_view kWhat = "playbook";
  static constexpr bool kVersioned = false;
  static constexpr std::array<std::string_view, 2> kKey{"name", "revision"};
  template <typename R, typename V>
  static void Fields(R& r, V& v) {
    v("name", r.name);
    v("revision", r.revision);
    v("subject_type", r.subject_type);
    v("body", r.body);
    v("checksum", r.checksum);
    v("active", r.active);
    v("loaded_by", r.loaded_by);
    v("loaded_at", r.loaded_at);
  }
};

template <>
struct Table<ScorecardAnswer> {
  static constexpr std::string_view kName = "scorecard_answers";
  static constexpr std::string_view kWhat = "scorecard answer";
  static constexpr bool kVersioned = false;
  static constexpr std::array<std::string_view, 4> kKey{"subject_type", "subject_id",
                                                        "criterion_id", "answered_at"};
  template <typename R, typename V>
  static void Fields(R& r, V& v) {
    v("subject_type", r.subject_type);
    v("subject_id", r.subject_id);
    v("criterion_id", r.criterion_id);
    v("answer", r.answer);
    v("note", r.note);
    v("answered_by", r.answered_by);
    v("answered_at", r.answered_at);
  }
};

template <>
struct Table<AuditRun> {
  static constexpr std::string_view kName = "audit_runs";
  static constexpr std::string_view kWhat = "audit run";
  static constexpr bool kVersioned = false;
  static constexpr std::array<std::string_view, 1> kKey{"event_id"};
  template <typename R, typename V>
  static void Fields(R& r, V& v) {
    v("event_id", r.event_id);
    v("as_of", r.as_of);
    v("scope", r.scope);
    v("playbooks", r.playbooks);
    v("items", r.items);
    v("green", r.green);
    v("yellow", r.yellow);
    v("red", r.red);
    v("created_by", r.created_by);
    v("created_at", r.created_at);
    v("report", r.report);
  }
};

template <>
struct Table<ForecastSnapshot> {
  static constexpr std::string_view kName = "forecast_snapshots";
  static constexpr std::string_view kWhat = "forecast snapshot";
  static constexpr bool kVersioned = false;
  static constexpr std::array<std::string_view, 1> kKey{"event_id"};
  template <typename R, typename V>
  static void Fields(R& r, V& v) {
    v("event_id", r.event_id);
    v("as_of", r.as_of);
    v("period", r.period);
    v("method", r.method);
    v("deals", r.deals);
    v("taken_by", r.taken_by);
    v("taken_at", r.taken_at);
    v("items", r.items);
  }
};

template <>
struct Table<ActionItem> {
  static constexpr std::string_view kName = "action_items";
  static constexpr std::string_view kWhat = "action item";
  static constexpr bool kVersioned = false;
  static constexpr std::array<std::string_view, 1> kKey{"activity_id"};
  template <typename R, typename V>
  static void Fields(R& r, V& v) {
    v("activity_id", r.activity_id);
    v("subject_type", r.subject_type);
    v("subject_id", r.subject_id);
    v("criterion_id", r.criterion_id);
    v("run_id", r.run_id);
    v("created_at", r.created_at);  // not last: the upsert keeps it, and binds ?1..?n
    v("created_by", r.created_by);
  }
};

}  // namespace salesbox::storage::internal
