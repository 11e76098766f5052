// SPDX-License-Identifier: MIT
// The demo's Nordic word lists (see nordic_data.h). Names and places are common ones; companies
// built from them are fictional.
#include "demo/internal/nordic_data.h"

#include "common/check.h"

namespace salesbox::demo::internal {
namespace {

using SV = std::string_view;

// ---- Denmark ----------------------------------------------------------------------------------
constexpr SV kDkFirst[] = {
    "Anders", "Mette", "Lars",      "Hanne",    "Søren",    "Pia",    "Jens",   "Susanne",
    "Niels",  "Lene",  "Morten",    "Camilla",  "Henrik",   "Louise", "Thomas", "Maria",
    "Martin", "Anne",  "Peter",     "Kirsten",  "Rasmus",   "Sofie",  "Mads",   "Ida",
    "Jakob",  "Freja", "Christian", "Julie",    "Frederik", "Emma",   "Kasper", "Cecilie",
    "Mikkel", "Maja",  "Bo",        "Birgitte", "Jørgen",   "Bodil",  "Bjørn",  "Åse",
    "Jørn",   "Kåre",  "Signe",     "Troels",   "Dorthe",   "Ulrik",  "Karen",  "Asger"};
constexpr SV kDkLast[] = {
    "Nielsen",    "Jensen",    "Hansen",    "Pedersen",     "Andersen",  "Christensen",
    "Larsen",     "Sørensen",  "Rasmussen", "Jørgensen",    "Petersen",  "Madsen",
    "Kristensen", "Olsen",     "Thomsen",   "Christiansen", "Poulsen",   "Johansen",
    "Møller",     "Mortensen", "Knudsen",   "Jakobsen",     "Mikkelsen", "Østergaard",
    "Kjær",       "Bækgaard",  "Lund",      "Holm",         "Dam",       "Friis",
    "Skov",       "Bach",      "Nørgaard",  "Søndergaard",  "Fog",       "Vestergaard"};
constexpr SV kDkPrefixes[] = {"Nordisk", "Dansk",     "Vestjysk",   "Fyns",     "Skandinavisk",
                              "Nord",    "Øresund",   "Limfjord",   "Kattegat", "Jysk",
                              "Sydjysk", "Sjællands", "Himmerland", "Østjysk",  "Bornholms"};
constexpr SV kDkPublic[] = {"Teknik og Miljø", "Børn og Unge", "Sundhed og Omsorg",
                            "Digitalisering",  "Ejendomme",    "Forsyning"};

constexpr SV kHovedstaden[] = {"København", "Frederiksberg", "Hillerød", "Ballerup",
                               "Lyngby",    "Gentofte",      "Glostrup"};
constexpr SV kSjaelland[] = {"Roskilde", "Næstved", "Køge", "Holbæk", "Slagelse", "Ringsted"};
constexpr SV kSyddanmark[] = {"Odense",     "Esbjerg",   "Kolding",   "Vejle",
                              "Sønderborg", "Svendborg", "Fredericia"};
constexpr SV kMidtjylland[] = {"Aarhus",  "Herning", "Randers", "Silkeborg",
                               "Horsens", "Viborg",  "Skive"};
constexpr SV kNordjylland[] = {"Aalborg", "Hjørring", "Frederikshavn", "Thisted", "Brønderslev"};

// ---- Sweden -----------------------------------------------------------------------------------
constexpr SV kSeFirst[] = {"Erik",   "Anna",   "Lars",     "Karin",  "Johan",  "Eva",     "Anders",
                           "Maria",  "Per",    "Kristina", "Mikael", "Sara",   "Fredrik", "Emma",
                           "Magnus", "Linnéa", "Björn",    "Åsa",    "Göran",  "Ulla",    "Oskar",
                           "Elin",   "Viktor", "Maja",     "Gustav", "Ebba",   "Jonas",   "Malin",
                           "Håkan",  "Märta",  "Jörgen",   "Sofia",  "Niklas", "Ingrid",  "Mats",
                           "Helena", "Tove",   "Stefan",   "Annika", "Örjan"};
constexpr SV kSeLast[] = {
    "Andersson", "Johansson", "Karlsson",   "Nilsson",    "Eriksson",  "Larsson",   "Olsson",
    "Persson",   "Svensson",  "Gustafsson", "Pettersson", "Jonsson",   "Jansson",   "Hansson",
    "Bengtsson", "Jönsson",   "Lindberg",   "Jakobsson",  "Magnusson", "Lindström", "Lindqvist",
    "Berg",      "Ström",     "Åberg",      "Öberg",      "Sjöberg",   "Wallin",    "Engström",
    "Holmgren",  "Söderberg", "Björk",      "Lundgren",   "Nyström",   "Hedlund",   "Ekström"};
constexpr SV kSePrefixes[] = {"Svensk",    "Nordisk", "Norrlands",   "Skandinavisk", "Väst",
                              "Mälar",     "Göta",    "Bergslagens", "Öresunds",     "Höglands",
                              "Roslagens", "Vänerns", "Smålands",    "Norrköpings",  "Dalarnas"};
constexpr SV kSePublic[] = {"Tekniska förvaltningen", "Barn och utbildning", "Vård och omsorg",
                            "Digitalisering",         "Fastigheter",         "Vatten och avlopp"};

constexpr SV kStockholm[] = {"Stockholm", "Solna", "Södertälje", "Täby", "Nacka", "Sundbyberg"};
constexpr SV kUppsala[] = {"Uppsala", "Enköping", "Knivsta"};
constexpr SV kOstergotland[] = {"Linköping", "Norrköping", "Motala", "Mjölby"};
constexpr SV kVastraGotaland[] = {"Göteborg", "Borås",     "Trollhättan",
                                  "Skövde",   "Uddevalla", "Mölndal"};
constexpr SV kSkane[] = {"Malmö", "Helsingborg", "Lund", "Kristianstad", "Landskrona"};

// ---- Norway -----------------------------------------------------------------------------------
constexpr SV kNoFirst[] = {"Ole",     "Kari",     "Lars",   "Ingrid", "Per",    "Anne",    "Jon",
                           "Marit",   "Knut",     "Silje",  "Håkon",  "Marte",  "Eirik",   "Ida",
                           "Jonas",   "Nora",     "Sindre", "Thea",   "Magnus", "Ingvild", "Bjørn",
                           "Solveig", "Tor",      "Guro",   "Espen",  "Hilde",  "Øyvind",  "Åse",
                           "Trond",   "Ragnhild", "Sigurd", "Tuva",   "Arne",   "Liv",     "Kjetil",
                           "Synnøve", "Geir",     "Turid",  "Stian",  "Åshild"};
constexpr SV kNoLast[] = {
    "Hansen",      "Johansen",  "Olsen",       "Larsen",     "Andersen",  "Pedersen", "Nilsen",
    "Kristiansen", "Jensen",    "Karlsen",     "Johnsen",    "Pettersen", "Eriksen",  "Berg",
    "Haugen",      "Hagen",     "Johannessen", "Andreassen", "Jacobsen",  "Dahl",     "Jørgensen",
    "Halvorsen",   "Henriksen", "Lund",        "Sørensen",   "Jakobsen",  "Moen",     "Gundersen",
    "Iversen",     "Strand",    "Solberg",     "Bakke",      "Lie",       "Haugland", "Sæther",
    "Våge",        "Østby",     "Bråten",      "Aasen",      "Fjeld"};
constexpr SV kNoPrefixes[] = {"Norsk",    "Nordisk",  "Vestlandske",  "Fjord",      "Nordlands",
                              "Trønder",  "Viking",   "Skandinavisk", "Polar",      "Hardanger",
                              "Sunnmøre", "Romerike", "Agder",        "Østlandske", "Lofoten"};
constexpr SV kNoPublic[] = {"Teknisk etat",   "Oppvekst", "Helse og omsorg",
                            "Digitalisering", "Eiendom",  "Vann og avløp"};

constexpr SV kOslo[] = {"Oslo"};
constexpr SV kAkershus[] = {"Lillestrøm", "Sandvika", "Ski", "Asker", "Jessheim"};
constexpr SV kVestland[] = {"Bergen", "Førde", "Stord", "Voss"};
constexpr SV kTrondelag[] = {"Trondheim", "Steinkjer", "Stjørdal", "Levanger"};
constexpr SV kRogaland[] = {"Stavanger", "Sandnes", "Haugesund", "Egersund"};

constexpr CountryData kCountryData[kCountries] = {
    {"DK", "DKK", 1.0, "da", "dk", "+45", "Kommune", kDkFirst, kDkLast, kDkPrefixes, kDkPublic,
     "ApS", "A/S"},
    {"SE", "SEK", 1.55, "sv", "se", "+46", "kommun", kSeFirst, kSeLast, kSePrefixes, kSePublic,
     "AB", "AB"},
    {"NO", "NOK", 1.6, "nb", "no", "+47", "kommune", kNoFirst, kNoLast, kNoPrefixes, kNoPublic,
     "AS", "ASA"},
};

constexpr TeamGroupData kTeamGroupData[kTeamGroups] = {
    {"Danmark Øst", 0},        {"Danmark Vest", 0}, {"Sverige Öst", 1},
    {"Sverige Väst & Syd", 1}, {"Norge", 2},
};

constexpr RegionData kRegions[] = {
    {"Hovedstaden", 0, 0, 14, kHovedstaden},
    {"Sjælland", 0, 0, 6, kSjaelland},
    {"Syddanmark", 0, 1, 8, kSyddanmark},
    {"Midtjylland", 0, 1, 9, kMidtjylland},
    {"Nordjylland", 0, 1, 3, kNordjylland},
    {"Stockholm", 1, 2, 11, kStockholm},
    {"Uppsala", 1, 2, 3, kUppsala},
    {"Östergötland", 1, 2, 4, kOstergotland},
    {"Västra Götaland", 1, 3, 10, kVastraGotaland},
    {"Skåne", 1, 3, 7, kSkane},
    {"Oslo", 2, 4, 8, kOslo},
    {"Akershus", 2, 4, 6, kAkershus},
    {"Vestland", 2, 4, 5, kVestland},
    {"Trøndelag", 2, 4, 3, kTrondelag},
    {"Rogaland", 2, 4, 3, kRogaland},
};

// ---- Industries -------------------------------------------------------------------------------
constexpr SV kIndustryNames[kIndustries] = {
    "Manufacturing", "Logistics",  "Retail",  "IT services",   "Construction",
    "Energy",        "Healthcare", "Finance", "Public sector", "Food & beverage"};
constexpr int kIndustryWeights[kIndustries] = {18, 12, 10, 12, 10, 6, 7, 7, 8, 10};

constexpr SV kDkManufacturing[] = {"Maskinfabrik", "Industri", "Metalvarer", "Plastteknik"};
constexpr SV kDkLogistics[] = {"Logistik", "Transport", "Spedition", "Fragt"};
constexpr SV kDkRetail[] = {"Handel", "Detail", "Varehus", "Isenkram"};
constexpr SV kDkIt[] = {"IT", "Data", "Consult", "Systemer"};
constexpr SV kDkConstruction[] = {"Byg", "Entreprise", "Tømrer & Snedker", "Anlæg"};
constexpr SV kDkEnergy[] = {"Energi", "Vind", "Forsyning", "Kraftvarme"};
constexpr SV kDkHealthcare[] = {"Sundhed", "Medico", "Klinikker", "Care"};
constexpr SV kDkFinance[] = {"Finans", "Invest", "Kapital", "Leasing"};
constexpr SV kDkFood[] = {"Fødevarer", "Mejeri", "Bryghus", "Slagteri"};

constexpr SV kSeManufacturing[] = {"Mekaniska Verkstad", "Industri", "Plast", "Verktyg"};
constexpr SV kSeLogistics[] = {"Logistik", "Åkeri", "Transport", "Frakt"};
constexpr SV kSeRetail[] = {"Handel", "Butiker", "Varuhus", "Järnhandel"};
constexpr SV kSeIt[] = {"IT", "Data", "Konsult", "System"};
constexpr SV kSeConstruction[] = {"Bygg", "Entreprenad", "Snickeri", "Mark & Anläggning"};
constexpr SV kSeEnergy[] = {"Energi", "Kraft", "Vindkraft", "Fjärrvärme"};
constexpr SV kSeHealthcare[] = {"Vård", "Medical", "Hälsa", "Omsorg"};
constexpr SV kSeFinance[] = {"Finans", "Kapital", "Invest", "Leasing"};
constexpr SV kSeFood[] = {"Livsmedel", "Mejeri", "Bryggeri", "Chark"};

constexpr SV kNoManufacturing[] = {"Mekaniske Verksted", "Industri", "Plast", "Stålindustri"};
constexpr SV kNoLogistics[] = {"Logistikk", "Transport", "Shipping", "Frakt"};
constexpr SV kNoRetail[] = {"Handel", "Butikker", "Varehus", "Jernvare"};
constexpr SV kNoIt[] = {"IT", "Data", "Konsult", "Systemer"};
constexpr SV kNoConstruction[] = {"Bygg", "Entreprenør", "Bygg og Anlegg", "Tømrer"};
constexpr SV kNoEnergy[] = {"Energi", "Kraft", "Vannkraft", "Havvind"};
constexpr SV kNoHealthcare[] = {"Helse", "Medisinsk", "Omsorg", "Klinikk"};
constexpr SV kNoFinance[] = {"Finans", "Kapital", "Invest", "Sparebank"};
constexpr SV kNoFood[] = {"Næringsmidler", "Meieri", "Bryggeri", "Sjømat"};

// Public-sector accounts are named after their municipality (see the generator); the noun list
// is only a fallback.
constexpr SV kDkPublicNoun[] = {"Forsyning"};
constexpr SV kSePublicNoun[] = {"Förvaltning"};
constexpr SV kNoPublicNoun[] = {"Forvaltning"};

constexpr std::span<const SV> kNouns[kCountries][kIndustries] = {
    {kDkManufacturing, kDkLogistics, kDkRetail, kDkIt, kDkConstruction, kDkEnergy, kDkHealthcare,
     kDkFinance, kDkPublicNoun, kDkFood},
    {kSeManufacturing, kSeLogistics, kSeRetail, kSeIt, kSeConstruction, kSeEnergy, kSeHealthcare,
     kSeFinance, kSePublicNoun, kSeFood},
    {kNoManufacturing, kNoLogistics, kNoRetail, kNoIt, kNoConstruction, kNoEnergy, kNoHealthcare,
     kNoFinance, kNoPublicNoun, kNoFood},
};

// ---- Titles per buying role (index = BuyingRole) ----------------------------------------------
constexpr SV kDkUnknown[] = {"Medarbejder", "Afdelingsleder"};
constexpr SV kDkEconomic[] = {"Administrerende direktør", "Økonomidirektør"};
constexpr SV kDkDecision[] = {"Driftsdirektør", "Indkøbschef"};
constexpr SV kDkChampion[] = {"Projektleder", "Supply chain-chef"};
constexpr SV kDkInfluencer[] = {"Produktionschef", "Logistikchef"};
constexpr SV kDkUser[] = {"Planlægger", "Koordinator"};
constexpr SV kDkTechnical[] = {"IT-chef", "IT-arkitekt"};
constexpr SV kDkCoach[] = {"Controller", "Forretningsudvikler"};
constexpr SV kDkBlocker[] = {"Indkøber", "Juridisk rådgiver"};

constexpr SV kSeUnknown[] = {"Medarbetare", "Avdelningschef"};
constexpr SV kSeEconomic[] = {"VD", "Ekonomidirektör"};
constexpr SV kSeDecision[] = {"Driftschef", "Inköpschef"};
constexpr SV kSeChampion[] = {"Projektledare", "Supply chain-chef"};
constexpr SV kSeInfluencer[] = {"Produktionschef", "Logistikchef"};
constexpr SV kSeUser[] = {"Planerare", "Koordinator"};
constexpr SV kSeTechnical[] = {"IT-chef", "IT-arkitekt"};
constexpr SV kSeCoach[] = {"Controller", "Affärsutvecklare"};
constexpr SV kSeBlocker[] = {"Inköpare", "Jurist"};

constexpr SV kNoUnknown[] = {"Medarbeider", "Avdelingsleder"};
constexpr SV kNoEconomic[] = {"Daglig leder", "Økonomidirektør"};
constexpr SV kNoDecision[] = {"Driftsdirektør", "Innkjøpssjef"};
constexpr SV kNoChampion[] = {"Prosjektleder", "Supply chain-sjef"};
constexpr SV kNoInfluencer[] = {"Produksjonssjef", "Logistikksjef"};
constexpr SV kNoUser[] = {"Planlegger", "Koordinator"};
constexpr SV kNoTechnical[] = {"IT-sjef", "IT-arkitekt"};
constexpr SV kNoCoach[] = {"Controller", "Forretningsutvikler"};
constexpr SV kNoBlocker[] = {"Innkjøper", "Jurist"};

constexpr std::span<const SV> kTitles[kCountries][9] = {
    {kDkUnknown, kDkEconomic, kDkDecision, kDkChampion, kDkInfluencer, kDkUser, kDkTechnical,
     kDkCoach, kDkBlocker},
    {kSeUnknown, kSeEconomic, kSeDecision, kSeChampion, kSeInfluencer, kSeUser, kSeTechnical,
     kSeCoach, kSeBlocker},
    {kNoUnknown, kNoEconomic, kNoDecision, kNoChampion, kNoInfluencer, kNoUser, kNoTechnical,
     kNoCoach, kNoBlocker},
};

// ---- The fixed staff --------------------------------------------------------------------------
constexpr SV kBaseManagers[kTeamGroups] = {"Mette Kjær", "Henrik Mortensen", "Karin Lindqvist",
                                           "Magnus Berg", "Ingrid Haugen"};
constexpr SV kBaseReps[5 * kTeamGroups] = {
    // Danmark Øst
    "Anders Nielsen", "Sofie Jensen", "Mikkel Hansen", "Louise Pedersen", "Rasmus Andersen",
    // Danmark Vest
    "Camilla Christensen", "Jesper Larsen", "Line Sørensen", "Thomas Rasmussen", "Signe Jørgensen",
    // Sverige Öst
    "Erik Johansson", "Anna Karlsson", "Johan Nilsson", "Emma Eriksson", "Oskar Larsson",
    // Sverige Väst & Syd
    "Elin Andersson", "Fredrik Persson", "Sara Gustafsson", "Viktor Olsson", "Maja Lindström",
    // Norge
    "Kari Johansen", "Håkon Lie", "Silje Kristiansen", "Eirik Bakke", "Marte Solberg"};

}  // namespace

const CountryData& Country(int country) {
  SB_CHECK(country >= 0 && country < kCountries);
  return kCountryData[country];
}

const TeamGroupData& TeamGroup(int group) {
  SB_CHECK(group >= 0 && group < kTeamGroups);
  return kTeamGroupData[group];
}

std::span<const RegionData> Regions() { return kRegions; }

std::string_view IndustryName(int industry) {
  SB_CHECK(industry >= 0 && industry < kIndustries);
  return kIndustryNames[industry];
}

std::span<const int> IndustryWeights() { return kIndustryWeights; }

std::span<const std::string_view> IndustryNouns(int country, int industry) {
  SB_CHECK(country >= 0 && country < kCountries && industry >= 0 && industry < kIndustries);
  return kNouns[country][industry];
}

std::span<const std::string_view> Titles(int country, BuyingRole role) {
  const int index = static_cast<int>(role);
  SB_CHECK(country >= 0 && country < kCountries && index >= 0 && index < 9);
  return kTitles[country][index];
}

std::span<const std::string_view> BaseManagers() { return kBaseManagers; }
std::span<const std::string_view> BaseReps() { return kBaseReps; }

}  // namespace salesbox::demo::internal
