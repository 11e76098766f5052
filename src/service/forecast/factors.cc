// SPDX-License-Identifier: MIT
// The factors in words: the features that raise and lower a deal's probability most, each said
// from its value on the deal in en, da, sv or nb.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "analytics/forecast/logistic.h"
#include "service/forecast/internal.h"

namespace salesbox::service {
namespace {

namespace fc = analytics::forecast;

// The factor texts in en, da, sv, nb (analytics::audit::kLocales order). %d / %.1f take the
// feature's value in its own terms; the area texts take the area's name first.
struct FactorTexts {
  const char* text[4];
};
constexpr FactorTexts kStageWord = {{"stage", "fase", "fas", "fase"}};
constexpr FactorTexts kStageNames[5] = {
    {{"qualify", "kvalificering", "kvalificering", "kvalifisering"}},
    {{"discover", "afdækning", "behovsanalys", "behovsavklaring"}},
    {{"propose", "tilbud", "offert", "tilbud"}},
    {{"negotiate", "forhandling", "förhandling", "forhandling"}},
    {{"commit", "forpligtelse", "åtagande", "forpliktelse"}}};
constexpr FactorTexts kInStage = {
    {"in its stage %.1f× as long as typical", "i fasen %.1f× så længe som normalt",
     "i fasen %.1f× så länge som normalt", "i fasen %.1f× så lenge som normalt"}};
constexpr FactorTexts kAge = {
    {"%d days old", "%d dage gammel", "%d dagar gammal", "%d dager gammel"}};
constexpr FactorTexts kAmount = {{"amount %.1f× the typical deal", "beløb %.1f× den typiske aftale",
                                  "belopp %.1f× den typiska affären",
                                  "beløp %.1f× den typiske avtalen"}};
constexpr FactorTexts kArea = {{"%s: %d of %d answered yes", "%s: %d af %d besvaret ja",
                                "%s: %d av %d besvarade ja", "%s: %d av %d besvart ja"}};
constexpr FactorTexts kLastActivity = {
    {"last activity %d days ago", "seneste aktivitet for %d dage siden",
     "senaste aktivitet för %d dagar sedan", "siste aktivitet for %d dager siden"}};
constexpr FactorTexts kActivities30 = {
    {"%d activities in the last 30 days", "%d aktiviteter de seneste 30 dage",
     "%d aktiviteter de senaste 30 dagarna", "%d aktiviteter de siste 30 dagene"}};
constexpr FactorTexts kActivities90 = {
    {"%d activities in the last 90 days", "%d aktiviteter de seneste 90 dage",
     "%d aktiviteter de senaste 90 dagarna", "%d aktiviteter de siste 90 dagene"}};
constexpr FactorTexts kRoles = {
    {"%d of 3 key buying roles known (economic buyer, decision maker, champion)",
     "%d af 3 nøgleroller kendt (økonomisk beslutningstager, beslutningstager, champion)",
     "%d av 3 nyckelroller kända (ekonomisk beslutsfattare, beslutsfattare, champion)",
     "%d av 3 nøkkelroller kjent (økonomisk beslutningstaker, beslutningstaker, champion)"}};
constexpr FactorTexts kEconomicBuyer[2] = {
    {{"economic buyer not met", "økonomisk beslutningstager ikke mødt",
      "ekonomisk beslutsfattare inte träffad", "økonomisk beslutningstaker ikke møtt"}},
    {{"economic buyer met", "økonomisk beslutningstager mødt", "ekonomisk beslutsfattare träffad",
      "økonomisk beslutningstaker møtt"}}};
constexpr FactorTexts kNextStep[2] = {
    {{"no dated next step ahead", "intet dateret næste skridt", "inget daterat nästa steg",
      "ingen datert neste steg"}},
    {{"dated next step ahead", "dateret næste skridt planlagt", "daterat nästa steg planerat",
      "datert neste steg planlagt"}}};
constexpr FactorTexts kCloseMoved = {{"close date moved %d times", "lukkedato flyttet %d gange",
                                      "avslutsdatum flyttat %d gånger",
                                      "lukkedato flyttet %d ganger"}};
constexpr FactorTexts kClosePassed[2] = {
    {{"close date ahead", "lukkedatoen ligger forude", "avslutsdatumet ligger framåt",
      "lukkedatoen ligger foran"}},
    {{"close date has passed", "lukkedatoen er overskredet", "avslutsdatumet har passerats",
      "lukkedatoen er passert"}}};
constexpr FactorTexts kCore[2] = {
    {{"not in a core segment", "ikke i et kernesegment", "inte i ett kärnsegment",
      "ikke i et kjernesegment"}},
    {{"in a core segment", "i et kernesegment", "i ett kärnsegment", "i et kjernesegment"}}};
constexpr FactorTexts kOwner = {{"owner's win rate %d%%", "ejerens hitrate %d %%",
                                 "ägarens vinstandel %d %%", "eierens vinnrate %d %%"}};

template <typename... Args>
std::string Format(const FactorTexts& texts, int locale, Args... args) {
  char out[256];
  std::snprintf(out, sizeof out, texts.text[locale], args...);
  return out;
}

int Count(double log1p_value) { return static_cast<int>(std::lround(std::expm1(log1p_value))); }

// A factor in words in the reader's language, from the feature's value on the deal.
std::string FactorLabel(const ForecastData& data, int feature, const double* x, int locale) {
  locale = std::clamp(locale, 0, 3);
  const double v = x[feature];
  switch (feature) {
    case 0:
    case 1:
    case 2:
    case 3: {
      int stage = 0;
      for (int s = 0; s < 4; ++s) {
        if (x[s] == 1) stage = s + 1;
      }
      return std::string(kStageWord.text[locale]) + " " + kStageNames[stage].text[locale];
    }
    case 4:
      return Format(kInStage, locale, std::exp(v));
    case 5:
      return Format(kAge, locale, Count(v));
    case 6:
      return Format(kAmount, locale, std::exp(v));
    case 7:
    case 8:
    case 9:
    case 10:
    case 11: {
      const size_t area = static_cast<size_t>(feature - 7);
      const int n = data.manual_criteria_in_area[area];
      const std::string name =
          area < data.area_names.size() ? data.area_names[area][static_cast<size_t>(locale)] : "";
      return Format(kArea, locale, name.c_str(), static_cast<int>(std::lround(v * n)), n);
    }
    case 12:
      return Format(kLastActivity, locale, Count(v));
    case 13:
      return Format(kActivities30, locale, Count(v));
    case 14:
      return Format(kActivities90, locale, Count(v));
    case 15:
      return Format(kRoles, locale, static_cast<int>(std::lround(v * 3)));
    case 16:
      return kEconomicBuyer[v > 0].text[locale];
    case 17:
      return kNextStep[v > 0].text[locale];
    case 18:
      return Format(kCloseMoved, locale, static_cast<int>(v));
    case 19:
      return kClosePassed[v > 0].text[locale];
    case 20:
      return kCore[v > 0].text[locale];
    case 21:
      return Format(kOwner, locale, static_cast<int>(std::lround(v * 100)));
  }
  return std::string(ForecastFeatureNames()[static_cast<size_t>(feature)]);
}

// The feature's key: its name, with the scorecard areas named by the playbook's area ids.
std::string FeatureKey(const ForecastData& data, int feature) {
  if (feature == 0) return "stage";
  if (feature >= 7 && feature <= 11 && static_cast<size_t>(feature - 7) < data.area_ids.size()) {
    return "area_" + data.area_ids[static_cast<size_t>(feature - 7)];
  }
  return std::string(ForecastFeatureNames()[static_cast<size_t>(feature)]);
}

}  // namespace

namespace internal::forecast {

void Explain(const ForecastData& data, const ForecastModel& model, const double* x, int locale,
             ScoredDeal& s) {
  if (model.method != ForecastMethod::kModel) return;
  Result<fc::PredictionBreakdown> b =
      fc::ExplainPrediction(model.logistic, std::span<const double>(x, kForecastFeatures));
  if (!b.ok()) return;
  // The stage indicators act as one factor.
  std::vector<std::pair<double, int>> effects;
  double stage = 0;
  for (int j = 0; j < 4; ++j) stage += b->contributions[static_cast<size_t>(j)];
  effects.push_back({stage, 0});
  for (int j = 4; j < kForecastFeatures; ++j)
    effects.push_back({b->contributions[static_cast<size_t>(j)], j});
  std::sort(effects.begin(), effects.end());
  for (const auto& [effect, j] : effects) {
    if (effect < -0.05 && s.down.size() < 3) {
      s.down.push_back({FeatureKey(data, j), FactorLabel(data, j, x, locale), effect});
    }
  }
  for (auto it = effects.rbegin(); it != effects.rend(); ++it) {
    if (it->first > 0.05 && s.up.size() < 3) {
      const int j = it->second;
      s.up.push_back({FeatureKey(data, j), FactorLabel(data, j, x, locale), it->first});
    }
  }
}

}  // namespace internal::forecast
}  // namespace salesbox::service
