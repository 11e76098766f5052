// SPDX-License-Identifier: MIT
// The words of findings that are not in the playbook: staleness and its actions, in every
// locale of kLocales. Criterion findings take their words from the playbook.
#include <array>
#include <string>

#include "analytics/audit/audit.h"

namespace salesbox::analytics::audit {
namespace {

using Words = std::array<const char*, kLocales.size()>;

// Templates: {d} is `days`, {l} is `limit`.
constexpr Words kNotMet = {"Not met: ", "Ikke opfyldt: ", "Ej uppfyllt: ", "Ikke oppfylt: "};
constexpr Words kNoActivity = {
    "No completed activity in {d} days (the stage allows {l})",
    "Ingen gennemført aktivitet i {d} dage (fasen tillader {l})",
    "Ingen genomförd aktivitet på {d} dagar (fasen tillåter {l})",
    "Ingen gjennomført aktivitet på {d} dager (fasen tillater {l})"};
constexpr Words kNoActivityAction = {
    "Call the customer this week and agree a dated next step",
    "Ring til kunden i denne uge og aftal et dateret næste skridt",
    "Ring kunden den här veckan och kom överens om ett daterat nästa steg",
    "Ring kunden denne uken og avtal et datert neste steg"};
constexpr Words kNextStepPassed = {
    "The next step's date passed {d} days ago",
    "Næste skridts dato er overskredet for {d} dage siden",
    "Nästa stegs datum passerades för {d} dagar sedan",
    "Neste stegs dato ble passert for {d} dager siden"};
constexpr Words kNextStepAction = {
    "Agree a new dated next step with the customer and record it",
    "Aftal et nyt dateret næste skridt med kunden og registrér det",
    "Kom överens med kunden om ett nytt daterat nästa steg och registrera det",
    "Avtal et nytt datert neste steg med kunden og registrer det"};
constexpr Words kClosePassed = {
    "The expected close date passed {d} days ago",
    "Den forventede lukkedato er overskredet for {d} dage siden",
    "Det förväntade stängningsdatumet passerades för {d} dagar sedan",
    "Forventet lukkedato ble passert for {d} dager siden"};
constexpr Words kCloseAction = {
    "Confirm a realistic close date with the customer, or close the deal as lost",
    "Bekræft en realistisk lukkedato med kunden, eller luk handlen som tabt",
    "Bekräfta ett realistiskt stängningsdatum med kunden, eller stäng affären som förlorad",
    "Bekreft en realistisk lukkedato med kunden, eller lukk salget som tapt"};
constexpr Words kTouchpoints = {
    "{d} touchpoints in the last 12 months (the class's target is {l})",
    "{d} kontaktpunkter de sidste 12 måneder (klassens mål er {l})",
    "{d} kontaktpunkter de senaste 12 månaderna (klassens mål är {l})",
    "{d} kontaktpunkter de siste 12 månedene (klassens mål er {l})"};
constexpr Words kTouchpointsAction = {
    "Plan the missing touchpoints: call or meet the customer within two weeks",
    "Planlæg de manglende kontaktpunkter: ring til eller mød kunden inden for to uger",
    "Planera de saknade kontaktpunkterna: ring eller träffa kunden inom två veckor",
    "Planlegg de manglende kontaktpunktene: ring eller møt kunden innen to uker"};

std::string Fill(const char* text, int32_t days, int32_t limit) {
  std::string out(text);
  auto replace = [&out](const std::string& key, int32_t value) {
    const size_t at = out.find(key);
    if (at != std::string::npos) out.replace(at, key.size(), std::to_string(value));
  };
  replace("{d}", days);
  replace("{l}", limit);
  return out;
}

size_t Index(int locale) {
  return locale >= 0 && static_cast<size_t>(locale) < kLocales.size() ? static_cast<size_t>(locale)
                                                                        : 0;
}

}  // namespace

std::string FindingReason(const Finding& finding, const Playbook& playbook, int locale) {
  const size_t l = Index(locale);
  switch (finding.kind) {
    case FindingKind::kCriterion: {
      const Criterion& criterion = playbook.criteria.at(static_cast<size_t>(finding.criterion));
      return std::string(kNotMet[l]) + criterion.text.In(static_cast<int>(l));
    }
    case FindingKind::kNoRecentActivity:
      return Fill(kNoActivity[l], finding.days, finding.limit);
    case FindingKind::kNextStepPassed:
      return Fill(kNextStepPassed[l], finding.days, finding.limit);
    case FindingKind::kCloseDatePassed:
      return Fill(kClosePassed[l], finding.days, finding.limit);
    case FindingKind::kTouchpointsMissed:
      return Fill(kTouchpoints[l], finding.days, finding.limit);
  }
  return std::string();
}

std::string FindingAction(const Finding& finding, const Playbook& playbook, int locale) {
  const size_t l = Index(locale);
  switch (finding.kind) {
    case FindingKind::kCriterion:
      return playbook.criteria.at(static_cast<size_t>(finding.criterion))
          .action.In(static_cast<int>(l));
    case FindingKind::kNoRecentActivity:
      return kNoActivityAction[l];
    case FindingKind::kNextStepPassed:
      return kNextStepAction[l];
    case FindingKind::kCloseDatePassed:
      return kCloseAction[l];
    case FindingKind::kTouchpointsMissed:
      return kTouchpointsAction[l];
  }
  return std::string();
}

}  // namespace salesbox::analytics::audit
