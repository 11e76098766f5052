// SPDX-License-Identifier: MIT
// tests/demo/demo_measures.h: the planted truths of docs/demo-data.md, measured the way an analyst
// would measure them - from the stored records only (Scan), never from the generator's internals.
// Header-only test helpers for demo_company_test.cc.
#pragma once

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "common/status_macros.h"
#include "common/time.h"
#include "storage/store.h"

namespace salesbox::test {

// Every generated record, loaded into memory (fine at the scales the tests use).
struct DemoData {
  std::vector<Team> teams;
  std::vector<User> users;
  std::vector<Segment> segments;
  std::vector<Account> accounts;
  std::vector<Contact> contacts;
  std::vector<Campaign> campaigns;
  std::vector<Lead> leads;
  std::vector<Opportunity> opportunities;
  std::vector<OpportunityChange> changes;
  std::vector<Activity> activities;
  std::vector<Order> orders;
  std::vector<ScorecardAnswer> answers;
};

template <typename T, typename IdT>
Status ScanAll(storage::Repository<T, IdT>& repository, std::vector<T>* out) {
  out->clear();
  return repository.Scan(storage::ListQuery{}, [out](const T& record) {
    out->push_back(record);
    return Status::Ok();
  });
}

inline Result<DemoData> LoadDemoData(storage::Store& store) {
  DemoData d;
  SB_RETURN_IF_ERROR(ScanAll(store.teams(), &d.teams));
  SB_RETURN_IF_ERROR(ScanAll(store.users(), &d.users));
  SB_RETURN_IF_ERROR(ScanAll(store.segments(), &d.segments));
  SB_RETURN_IF_ERROR(ScanAll(store.accounts(), &d.accounts));
  SB_RETURN_IF_ERROR(ScanAll(store.contacts(), &d.contacts));
  SB_RETURN_IF_ERROR(ScanAll(store.campaigns(), &d.campaigns));
  SB_RETURN_IF_ERROR(ScanAll(store.leads(), &d.leads));
  SB_RETURN_IF_ERROR(ScanAll(store.opportunities(), &d.opportunities));
  SB_RETURN_IF_ERROR(ScanAll(store.opportunity_changes(), &d.changes));
  SB_RETURN_IF_ERROR(ScanAll(store.activities(), &d.activities));
  SB_RETURN_IF_ERROR(ScanAll(store.orders(), &d.orders));
  SB_RETURN_IF_ERROR(ScanAll(store.scorecard_answers(), &d.answers));
  return d;
}

// The demo's fixed exchange rates (docs/demo-data.md): DKK per unit of the currency.
inline double DkkPerUnit(const Currency& currency) {
  if (currency.code() == "SEK") return 1 / 1.55;
  if (currency.code() == "NOK") return 1 / 1.6;
  return 1.0;
}
inline double Dkk(const Money& money) {
  return static_cast<double>(money.minor_units) / 100 * DkkPerUnit(money.currency);
}

// Indexes used by several measures.
struct DemoIndex {
  explicit DemoIndex(const DemoData& d) {
    for (const User& u : d.users) user_email[u.id.value] = u.email;
    for (const Segment& s : d.segments) core_segment[s.id.value] = s.core;
    for (const Account& a : d.accounts) account_pos[a.id.value] = &a;
    for (const Contact& c : d.contacts) contact_role[c.id.value] = c.buying_role;
    for (const OpportunityChange& c : d.changes) history[c.opportunity_id.value].push_back(&c);
    for (auto& [id, rows] : history) {
      std::sort(rows.begin(), rows.end(),
                [](const OpportunityChange* a, const OpportunityChange* b) {
                  return a->changed_at < b->changed_at;
                });
    }
    for (const Activity& a : d.activities) {
      if (a.opportunity_id) deal_activities[a.opportunity_id->value].push_back(&a);
    }
    for (const Opportunity& o : d.opportunities) opportunity_pos[o.id.value] = &o;
  }
  std::unordered_map<int64_t, std::string> user_email;
  std::unordered_map<int64_t, bool> core_segment;
  std::unordered_map<int64_t, const Account*> account_pos;
  std::unordered_map<int64_t, BuyingRole> contact_role;
  std::unordered_map<int64_t, std::vector<const OpportunityChange*>> history;
  std::unordered_map<int64_t, std::vector<const Activity*>> deal_activities;
  std::unordered_map<int64_t, const Opportunity*> opportunity_pos;
};

// ---- Truth 1: core segments are more profitable ----------------------------------------------

struct SegmentProfitability {
  double core_margin = 0;   // sum(margin) / sum(revenue) over orders of core-segment accounts
  double other_margin = 0;  // the same for the other accounts
  // Median revenue (DKK) over the three years per account with orders, among accounts with >= 50
  // employees (core segments require that size, so the comparison is like for like).
  double core_revenue_per_customer = 0;
  double other_revenue_per_customer = 0;
  // The same for gross margin: the profitability of a customer.
  double core_margin_per_customer = 0;
  double other_margin_per_customer = 0;
};

inline SegmentProfitability MeasureSegmentProfitability(const DemoData& d, const DemoIndex& x) {
  double revenue[2] = {0, 0};
  double margin[2] = {0, 0};
  std::unordered_map<int64_t, double> revenue_by_account;
  std::unordered_map<int64_t, double> margin_by_account;
  for (const Order& o : d.orders) {
    const Account* a = x.account_pos.at(o.account_id.value);
    const int core = a->segment_id && x.core_segment.at(a->segment_id->value) ? 1 : 0;
    revenue[core] += Dkk(o.revenue);
    margin[core] += Dkk(o.margin);
    revenue_by_account[o.account_id.value] += Dkk(o.revenue);
    margin_by_account[o.account_id.value] += Dkk(o.margin);
  }
  std::vector<double> per_customer[2];
  std::vector<double> margin_per_customer[2];
  for (const auto& [id, total] : revenue_by_account) {
    const Account* a = x.account_pos.at(id);
    if (a->employees.value_or(0) < 50) continue;
    const int core = a->segment_id && x.core_segment.at(a->segment_id->value) ? 1 : 0;
    per_customer[core].push_back(total);
    margin_per_customer[core].push_back(margin_by_account.at(id));
  }
  auto median = [](std::vector<double>& v) {
    if (v.empty()) return 0.0;
    std::nth_element(v.begin(), v.begin() + static_cast<long>(v.size() / 2), v.end());
    return v[v.size() / 2];
  };
  SegmentProfitability p;
  p.core_margin = margin[1] / revenue[1];
  p.other_margin = margin[0] / revenue[0];
  p.core_revenue_per_customer = median(per_customer[1]);
  p.other_revenue_per_customer = median(per_customer[0]);
  p.core_margin_per_customer = median(margin_per_customer[1]);
  p.other_margin_per_customer = median(margin_per_customer[0]);
  return p;
}

// ---- Truth 2: reps' optimism ------------------------------------------------------------------

// Per rep e-mail: the mean, over every open-stage history row of the rep's closed deals, of the
// stated probability minus the outcome (1 won, 0 lost) - the optimism index of DESIGN.md 3
// computed stage by stage, as each deal was seen at the time.
inline std::map<std::string, double> MeasureOptimism(const DemoData& d, const DemoIndex& x) {
  std::map<std::string, std::pair<double, int64_t>> sums;
  for (const Opportunity& o : d.opportunities) {
    if (!IsClosed(o.stage) || !o.owner_id) continue;
    const double won = o.stage == Stage::kClosedWon ? 1 : 0;
    auto& [sum, count] = sums[x.user_email.at(o.owner_id->value)];
    for (const OpportunityChange* c : x.history.at(o.id.value)) {
      if (IsClosed(c->stage) || !c->probability) continue;
      sum += *c->probability - won;
      ++count;
    }
  }
  std::map<std::string, double> index;
  for (const auto& [email, sc] : sums) index[email] = sc.first / static_cast<double>(sc.second);
  return index;
}

// ---- Truths 3 and 4: scorecard areas in the data ----------------------------------------------

// True when the deal had a completed meeting with an economic-buyer contact, linked to it, no
// later than `until` (its close, or today).
inline bool MetEconomicBuyer(const Opportunity& o, const DemoIndex& x, Timestamp until) {
  auto it = x.deal_activities.find(o.id.value);
  if (it == x.deal_activities.end()) return false;
  for (const Activity* a : it->second) {
    if (a->type == ActivityType::kMeeting && a->status == ActivityStatus::kCompleted &&
        a->contact_id && a->at <= until &&
        x.contact_role.at(a->contact_id->value) == BuyingRole::kEconomicBuyer) {
      return true;
    }
  }
  return false;
}

// A dated next step: for a closed deal, the last agreed next step has a date; for an open one,
// the date is today or later.
inline bool HasDatedNextStep(const Opportunity& o, Date today) {
  if (!o.next_step_on) return false;
  return IsClosed(o.stage) || *o.next_step_on >= today;
}

inline Timestamp EndOfDay(Date d) {
  return StartOf(d) + std::chrono::hours(24) - std::chrono::seconds(1);
}

struct AreaMetrics {
  double relationships = 0;  // share of closed deals with the economic buyer met
  double understanding = 0;  // share of deals reaching propose with >= 2 discovery meetings/demos
  double joint_process = 0;  // share of deals without a dated next step
  double value = 0;          // share of deals with no competitor recorded
  double commitment = 0;     // close-date changes per closed deal
  double discounting = 0;    // share of deals reaching negotiate whose amount fell >= 10% there
  int64_t deals = 0;
};

inline std::map<std::string, AreaMetrics> MeasureAreas(const DemoData& d, const DemoIndex& x,
                                                       Date today) {
  struct Counts {
    int64_t closed = 0, met = 0, proposed = 0, discovered = 0, deals = 0, undated = 0,
            no_competitor = 0, pushes = 0, negotiated = 0, discounted = 0;
  };
  std::map<std::string, Counts> counts;
  for (const Opportunity& o : d.opportunities) {
    if (!o.owner_id) continue;
    Counts& c = counts[x.user_email.at(o.owner_id->value)];
    const auto& rows = x.history.at(o.id.value);
    ++c.deals;
    if (!HasDatedNextStep(o, today)) ++c.undated;
    if (o.competitors.empty()) ++c.no_competitor;
    if (IsClosed(o.stage)) {
      ++c.closed;
      if (MetEconomicBuyer(o, x, EndOfDay(*o.closed_on))) ++c.met;
      for (size_t i = 1; i + 1 < rows.size(); ++i) {
        if (rows[i]->close_on != rows[i - 1]->close_on) ++c.pushes;
      }
    }
    // Discovery before proposing.
    const OpportunityChange* proposed = nullptr;
    for (const OpportunityChange* r : rows) {
      if (r->stage == Stage::kPropose || r->stage == Stage::kNegotiate ||
          r->stage == Stage::kCommit || r->stage == Stage::kClosedWon) {
        proposed = r;
        break;
      }
    }
    if (proposed) {
      ++c.proposed;
      int meetings = 0;
      auto it = x.deal_activities.find(o.id.value);
      if (it != x.deal_activities.end()) {
        for (const Activity* a : it->second) {
          if ((a->type == ActivityType::kMeeting || a->type == ActivityType::kDemo) &&
              a->status == ActivityStatus::kCompleted && a->at < proposed->changed_at) {
            ++meetings;
          }
        }
      }
      if (meetings >= 2) ++c.discovered;
    }
    // Discounts in negotiation.
    std::optional<int64_t> before;
    bool negotiated = false;
    bool discounted = false;
    for (const OpportunityChange* r : rows) {
      if (r->stage == Stage::kNegotiate && !negotiated) {
        negotiated = true;
        before = r->amount.minor_units;
      } else if (negotiated && before &&
                 static_cast<double>(r->amount.minor_units) <= 0.9 * static_cast<double>(*before)) {
        discounted = true;
      }
    }
    if (negotiated) ++c.negotiated;
    if (discounted) ++c.discounted;
  }
  std::map<std::string, AreaMetrics> out;
  auto share = [](int64_t a, int64_t b) { return b == 0 ? 0.0 : static_cast<double>(a) / b; };
  for (const auto& [email, c] : counts) {
    AreaMetrics& m = out[email];
    m.relationships = share(c.met, c.closed);
    m.understanding = share(c.discovered, c.proposed);
    m.joint_process = share(c.undated, c.deals);
    m.value = share(c.no_competitor, c.deals);
    m.commitment = share(c.pushes, c.closed);
    m.discounting = share(c.discounted, c.negotiated);
    m.deals = c.deals;
  }
  return out;
}

struct WinRates {
  double both = 0;  // closed deals with the economic buyer met and a dated next step
  double rest = 0;  // all other closed deals
  int64_t both_deals = 0;
  int64_t rest_deals = 0;
};

inline WinRates MeasureWinRates(const DemoData& d, const DemoIndex& x, Date today) {
  int64_t won[2] = {0, 0};
  int64_t all[2] = {0, 0};
  for (const Opportunity& o : d.opportunities) {
    if (!IsClosed(o.stage)) continue;
    const int both = MetEconomicBuyer(o, x, EndOfDay(*o.closed_on)) && HasDatedNextStep(o, today);
    ++all[both];
    if (o.stage == Stage::kClosedWon) ++won[both];
  }
  return {static_cast<double>(won[1]) / all[1], static_cast<double>(won[0]) / all[0], all[1],
          all[0]};
}

// ---- Truth 3 in the history: next steps after each change -------------------------------------

// True when a history row carries a next step dated after the row's own day.
inline bool NextStepAhead(const OpportunityChange& c) {
  return c.next_step_on && *c.next_step_on > ToDate(c.changed_at);
}

struct NextStepHistory {
  // Over the open-stage history rows: the share whose next step is dated after the row's day.
  double ahead = 0;
  int64_t rows = 0;
};

// Per rep e-mail, over the open-stage rows of the rep's deals.
inline std::map<std::string, NextStepHistory> MeasureNextStepHistory(const DemoData& d,
                                                                     const DemoIndex& x) {
  std::map<std::string, std::pair<int64_t, int64_t>> counts;
  for (const Opportunity& o : d.opportunities) {
    if (!o.owner_id) continue;
    auto& [ahead, rows] = counts[x.user_email.at(o.owner_id->value)];
    for (const OpportunityChange* c : x.history.at(o.id.value)) {
      if (IsClosed(c->stage)) continue;
      ++rows;
      if (NextStepAhead(*c)) ++ahead;
    }
  }
  std::map<std::string, NextStepHistory> out;
  for (const auto& [email, c] : counts) {
    out[email] = {static_cast<double>(c.first) / static_cast<double>(c.second), c.second};
  }
  return out;
}

// ---- Truth 7: scorecard answers -----------------------------------------------------------------

// The manual criteria of the default playbooks (playbooks/default-opportunity.json and
// default-account.json) and their areas, in the playbook's order (0-based).
inline const std::map<std::string, int>& OpportunityManualCriteria() {
  static const std::map<std::string, int> criteria = {
      {"issue_written", 1},           {"impact_quantified", 1}, {"understanding_confirmed", 1},
      {"decision_criteria_known", 1}, {"mutual_plan", 2},       {"plan_agreed", 2},
      {"decision_process_known", 2},  {"value_mapped", 3},      {"difference_acknowledged", 3},
      {"business_case_agreed", 3},    {"budget_confirmed", 4},  {"compelling_event", 4},
      {"seen_as_partner", 4},
  };
  return criteria;
}
inline const std::map<std::string, int>& AccountManualCriteria() {
  static const std::map<std::string, int> criteria = {
      {"plan_exists", 1},          {"plan_reviewed", 1},    {"priorities_known", 1},
      {"buying_process_known", 1}, {"escalation_path", 2},  {"satisfaction_measured", 3},
      {"no_open_escalation", 3},   {"value_documented", 3}, {"reference", 3},
      {"wallet_known", 4},
  };
  return criteria;
}
inline constexpr const char* kOpportunityAreas[5] = {"relationships", "understanding",
                                                     "joint_process", "value", "commitment"};

struct AnswerShares {
  double yes[5] = {};       // per opportunity area: yes answers / answers
  int64_t answers[5] = {};  // answers per area
};

// Per rep e-mail (the deal's owner): the share of "yes" among the answers on the rep's deals,
// per area of the opportunity playbook.
inline std::map<std::string, AnswerShares> MeasureAnswerShares(const DemoData& d,
                                                               const DemoIndex& x) {
  std::map<std::string, std::array<std::pair<int64_t, int64_t>, 5>> counts;
  for (const ScorecardAnswer& a : d.answers) {
    if (a.subject_type != SubjectType::kOpportunity) continue;
    const Opportunity* o = x.opportunity_pos.at(a.subject_id);
    if (!o->owner_id) continue;
    const int area = OpportunityManualCriteria().at(a.criterion_id);
    auto& [yes, all] = counts[x.user_email.at(o->owner_id->value)][static_cast<size_t>(area)];
    ++all;
    if (a.answer == Answer::kYes) ++yes;
  }
  std::map<std::string, AnswerShares> out;
  for (const auto& [email, areas] : counts) {
    AnswerShares& s = out[email];
    for (size_t i = 0; i < 5; ++i) {
      s.answers[i] = areas[i].second;
      s.yes[i] = areas[i].second == 0
                     ? 0.0
                     : static_cast<double>(areas[i].first) / static_cast<double>(areas[i].second);
    }
  }
  return out;
}

// Share of "yes" among the answers on closed deals, won and lost.
struct OutcomeShares {
  double won = 0;
  double lost = 0;
};

inline OutcomeShares MeasureYesByOutcome(const DemoData& d, const DemoIndex& x) {
  int64_t yes[2] = {0, 0};
  int64_t all[2] = {0, 0};
  for (const ScorecardAnswer& a : d.answers) {
    if (a.subject_type != SubjectType::kOpportunity) continue;
    const Opportunity* o = x.opportunity_pos.at(a.subject_id);
    if (!IsClosed(o->stage)) continue;
    const int won = o->stage == Stage::kClosedWon ? 1 : 0;
    ++all[won];
    if (a.answer == Answer::kYes) ++yes[won];
  }
  return {static_cast<double>(yes[1]) / static_cast<double>(all[1]),
          static_cast<double>(yes[0]) / static_cast<double>(all[0])};
}

// Account answers per account id: all of them, and those in the 365 days before today.
struct AccountAnswerCounts {
  std::unordered_map<int64_t, int64_t> all;
  std::unordered_map<int64_t, int64_t> last_year;
};

inline AccountAnswerCounts CountAccountAnswers(const DemoData& d, Date today) {
  AccountAnswerCounts out;
  const Timestamp from = StartOf(today - std::chrono::days(365));
  for (const ScorecardAnswer& a : d.answers) {
    if (a.subject_type != SubjectType::kAccount) continue;
    ++out.all[a.subject_id];
    if (a.answered_at >= from) ++out.last_year[a.subject_id];
  }
  return out;
}

// ---- Truth 5: under-served A-customers --------------------------------------------------------

struct ACustomers {
  std::vector<std::string> a_customers;   // external ids, by margin, highest first
  std::vector<std::string> under_served;  // A-customers with < 4 completed activities in 365 days
  double median_activities_others = 0;    // completed activities in 365 days, other A-customers
  int64_t customers = 0;
};

// A-customers are the customers (status customer) that make the top 80% of the three years'
// gross margin (DKK), ranked by margin.
inline ACustomers MeasureACustomers(const DemoData& d, Date today) {
  std::unordered_map<int64_t, double> margin;
  for (const Order& o : d.orders) margin[o.account_id.value] += Dkk(o.margin);
  std::vector<std::pair<double, const Account*>> ranked;
  double total = 0;
  for (const Account& a : d.accounts) {
    if (a.status != AccountStatus::kCustomer) continue;
    const double m = margin.count(a.id.value) ? margin.at(a.id.value) : 0;
    ranked.push_back({m, &a});
    total += m;
  }
  std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second->id < b.second->id;
  });
  const Timestamp from = StartOf(today - std::chrono::days(365));
  const Timestamp to = StartOf(today);
  std::unordered_map<int64_t, int64_t> recent;
  for (const Activity& a : d.activities) {
    if (a.account_id && a.status == ActivityStatus::kCompleted && a.at >= from && a.at < to) {
      ++recent[a.account_id->value];
    }
  }
  ACustomers out;
  out.customers = static_cast<int64_t>(ranked.size());
  double cumulative = 0;
  std::vector<int64_t> others;
  for (const auto& [m, a] : ranked) {
    if (cumulative >= 0.8 * total) break;
    cumulative += m;
    out.a_customers.push_back(a->external_id);
    const int64_t n = recent.count(a->id.value) ? recent.at(a->id.value) : 0;
    if (n < 4) {
      out.under_served.push_back(a->external_id);
    } else {
      others.push_back(n);
    }
  }
  if (!others.empty()) {
    std::nth_element(others.begin(), others.begin() + static_cast<long>(others.size() / 2),
                     others.end());
    out.median_activities_others = static_cast<double>(others[others.size() / 2]);
  }
  return out;
}

// ---- Truth 6: seasons and campaigns -----------------------------------------------------------

// Completed activities a day in July (and in the rest of the year, excluding December), over
// the whole history.
struct Seasonality {
  double july_per_day = 0;
  double other_per_day = 0;
  double won_in_quarter_end = 0;  // share of won deals closed in the last 14 days of a quarter
};

inline Seasonality MeasureSeasonality(const DemoData& d, Date today) {
  using namespace std::chrono;
  const Date start = today - days(3 * 365);
  double days_in[13] = {};
  for (Date t = start; t < today; t += days(1)) {
    days_in[static_cast<unsigned>(year_month_day(t).month())] += 1;
  }
  double done[13] = {};
  for (const Activity& a : d.activities) {
    if (a.status != ActivityStatus::kCompleted) continue;
    const Date day = ToDate(a.at);
    if (day < start || day >= today) continue;
    done[static_cast<unsigned>(year_month_day(day).month())] += 1;
  }
  Seasonality s;
  s.july_per_day = done[7] / days_in[7];
  double other = 0;
  double other_days = 0;
  for (int m = 1; m <= 11; ++m) {
    if (m == 7) continue;
    other += done[m];
    other_days += days_in[m];
  }
  s.other_per_day = other / other_days;
  int64_t won = 0;
  int64_t late = 0;
  for (const Opportunity& o : d.opportunities) {
    if (o.stage != Stage::kClosedWon) continue;
    ++won;
    const year_month_day ymd{*o.closed_on};
    const unsigned qm = (static_cast<unsigned>(ymd.month()) - 1) / 3 * 3 + 3;
    const Date quarter_end = Date(year_month_day_last(ymd.year(), month_day_last(month(qm))));
    if ((quarter_end - *o.closed_on).count() < 14) ++late;
  }
  s.won_in_quarter_end = static_cast<double>(late) / static_cast<double>(won);
  return s;
}

// Share of a campaign family's leads that are qualified, by campaign name prefix.
inline double QualifiedShare(const DemoData& d, const std::string& name_prefix,
                             int64_t* leads = nullptr) {
  std::set<int64_t> ids;
  for (const Campaign& c : d.campaigns) {
    if (c.name.rfind(name_prefix, 0) == 0) ids.insert(c.id.value);
  }
  int64_t all = 0;
  int64_t qualified = 0;
  for (const Lead& l : d.leads) {
    if (!l.campaign_id || !ids.count(l.campaign_id->value)) continue;
    ++all;
    if (l.status == LeadStatus::kQualified) ++qualified;
  }
  if (leads) *leads = all;
  return all == 0 ? 0 : static_cast<double>(qualified) / static_cast<double>(all);
}

}  // namespace salesbox::test
