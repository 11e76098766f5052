// SPDX-License-Identifier: MIT
// The word lists the demo company is made of: Danish, Swedish and Norwegian names, regions and
// cities, company name parts, job titles per buying role, and the fixed staff of the demo's
// sales organisation. Plain static arrays; nothing here allocates.
#pragma once

#include <span>
#include <string_view>

#include "domain/account.h"

namespace salesbox::demo::internal {

inline constexpr int kCountries = 3;  // 0 Denmark, 1 Sweden, 2 Norway

struct CountryData {
  std::string_view code;          // ISO 3166-1 alpha-2: "DK"
  std::string_view currency;      // ISO 4217: "DKK"
  double per_dkk;                 // units of `currency` per DKK (the demo's fixed rate)
  std::string_view locale;        // "da", "sv", "nb"
  std::string_view tld;           // "dk"
  std::string_view phone_prefix;  // "+45"
  std::string_view municipality;  // "Kommune", "kommun", "kommune"
  std::span<const std::string_view> first_names;
  std::span<const std::string_view> surnames;
  std::span<const std::string_view> name_prefixes;  // "Nordisk", "Jysk" ...
  std::span<const std::string_view> public_bodies;  // municipal departments
  std::string_view small_legal_form;                // "ApS"
  std::string_view large_legal_form;                // "A/S"
};

// REQUIRES: 0 <= country < kCountries.
const CountryData& Country(int country);

inline constexpr int kTeamGroups = 5;

// A sales territory: the regions one group of teams covers.
struct TeamGroupData {
  std::string_view name;  // "Danmark Øst"
  int country;
};
const TeamGroupData& TeamGroup(int group);

struct RegionData {
  std::string_view name;  // "Midtjylland"
  int country;
  int team_group;  // the territory that covers it
  int weight;      // share of accounts, in percent
  std::span<const std::string_view> cities;
};
std::span<const RegionData> Regions();

inline constexpr int kIndustries = 10;
inline constexpr int kIndustryManufacturing = 0;
inline constexpr int kIndustryLogistics = 1;
inline constexpr int kIndustryRetail = 2;
inline constexpr int kIndustryEnergy = 5;
inline constexpr int kIndustryPublicSector = 8;

std::string_view IndustryName(int industry);
std::span<const int> IndustryWeights();  // percent, indexed by industry
// Nouns that name a company of `industry` in `country`'s language ("Maskinfabrik").
std::span<const std::string_view> IndustryNouns(int country, int industry);

// Job titles for a contact with `role` in `country`'s language; never empty.
std::span<const std::string_view> Titles(int country, BuyingRole role);

// The fixed staff. Each group's first team has a manager and five reps with these names (group
// order, five reps per group); further teams at larger scales get generated names.
std::span<const std::string_view> BaseManagers();  // kTeamGroups names
std::span<const std::string_view> BaseReps();      // 5 * kTeamGroups names

}  // namespace salesbox::demo::internal
