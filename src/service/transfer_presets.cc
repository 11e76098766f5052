// SPDX-License-Identifier: MIT
// --preset: the standard export files of Salesforce, HubSpot, Pipedrive and Microsoft Dynamics
// 365 (transfer.h, PresetMapping). Each entry names one of their headers as the CRM writes it
// and the salesbox column it feeds; value maps translate their default stage, status and type
// names where the built-in aliases (transfer_kinds.cc) do not already. The fixtures in
// tests/data/presets/ carry their header rows.
#include <string>

#include "service/transfer.h"

namespace salesbox::service {
namespace {

struct PresetColumn {
  Kind kind;
  const char* ours;
  const char* theirs;
};

struct PresetValue {
  Kind kind;
  const char* column;
  const char* theirs;
  const char* ours;
};

// Salesforce's Data Export (Setup > Data Export: Account.csv, Contact.csv, Opportunity.csv,
// OpportunityHistory.csv, Task.csv, Event.csv) writes API field names. OwnerId, WhoId and WhatId
// are Salesforce ids of users and of several kinds of record, which salesbox cannot resolve, so
// they are not mapped (their report exports name owners, which the aliases read).
constexpr PresetColumn kSalesforceColumns[] = {
    {Kind::kAccounts, "external_id", "Id"},
    {Kind::kAccounts, "name", "Name"},
    {Kind::kAccounts, "country", "BillingCountry"},
    {Kind::kAccounts, "region", "BillingState"},
    {Kind::kAccounts, "employees", "NumberOfEmployees"},
    {Kind::kContacts, "external_id", "Id"},
    {Kind::kContacts, "account", "AccountId"},
    {Kind::kContacts, "first_name", "FirstName"},
    {Kind::kContacts, "last_name", "LastName"},
    {Kind::kContacts, "phone", "Phone"},
    {Kind::kOpportunities, "external_id", "Id"},
    {Kind::kOpportunities, "account", "AccountId"},
    {Kind::kOpportunities, "stage", "StageName"},
    {Kind::kOpportunities, "amount", "Amount"},
    {Kind::kOpportunities, "currency", "CurrencyIsoCode"},
    {Kind::kOpportunities, "forecast_category", "ForecastCategoryName"},
    {Kind::kOpportunities, "created_date", "CreatedDate"},
    {Kind::kOpportunities, "close_date", "CloseDate"},
    {Kind::kOpportunities, "next_step", "NextStep"},
    {Kind::kOpportunityHistory, "opportunity", "OpportunityId"},
    {Kind::kOpportunityHistory, "changed_at", "CreatedDate"},
    {Kind::kOpportunityHistory, "stage", "StageName"},
    {Kind::kOpportunityHistory, "amount", "Amount"},
    {Kind::kOpportunityHistory, "close_date", "CloseDate"},
    {Kind::kOpportunityHistory, "probability", "Probability"},
    {Kind::kActivities, "external_id", "Id"},
    {Kind::kActivities, "type", "TaskSubtype"},
    {Kind::kActivities, "date", "ActivityDate"},
    {Kind::kActivities, "status", "Status"},
    {Kind::kActivities, "account", "AccountId"},
    {Kind::kActivities, "notes", "Subject"},
};

constexpr PresetValue kSalesforceValues[] = {
    // Account Type's default picklist: partners are companies salesbox sells through or with.
    {Kind::kAccounts, "status", "Prospect", "prospect"},
    {Kind::kAccounts, "status", "Customer - Direct", "customer"},
    {Kind::kAccounts, "status", "Customer - Channel", "customer"},
    {Kind::kAccounts, "status", "Channel Partner / Reseller", "customer"},
    {Kind::kAccounts, "status", "Installation Partner", "customer"},
    {Kind::kAccounts, "status", "Technology Partner", "customer"},
    {Kind::kAccounts, "status", "Other", "prospect"},
    {Kind::kActivities, "type", "ListEmail", "email"},
    {Kind::kActivities, "type", "Cadence", "task"},
    {Kind::kActivities, "type", "LinkedIn", "task"},
};

// HubSpot's exports of a view (CRM > Companies / Contacts / Deals / Activities > Export) use the
// property labels; stages are the default pipeline's labels. Associations are exported by id
// ("Associated Company IDs"), which matches the companies' Record ID.
constexpr PresetColumn kHubSpotColumns[] = {
    {Kind::kAccounts, "external_id", "Record ID"},
    {Kind::kAccounts, "name", "Company name"},
    {Kind::kAccounts, "owner_email", "Company owner"},
    {Kind::kAccounts, "country", "Country/Region"},
    {Kind::kAccounts, "employees", "Number of Employees"},
    {Kind::kContacts, "external_id", "Record ID"},
    {Kind::kContacts, "account", "Associated Company IDs"},
    {Kind::kContacts, "phone", "Phone Number"},
    {Kind::kOpportunities, "external_id", "Record ID"},
    {Kind::kOpportunities, "account", "Associated Company IDs"},
    {Kind::kOpportunities, "owner_email", "Deal owner"},
    {Kind::kOpportunities, "probability", "Deal probability"},
    {Kind::kOpportunities, "forecast_category", "Forecast category"},
    {Kind::kOpportunities, "created_date", "Create Date"},
    {Kind::kOpportunities, "next_step_date", "Next Activity Date"},
    {Kind::kOpportunities, "reason", "Closed Lost Reason"},
    {Kind::kActivities, "external_id", "Record ID"},
    {Kind::kActivities, "date", "Activity date"},
    {Kind::kActivities, "owner_email", "Activity assigned to"},
    {Kind::kActivities, "opportunity", "Associated Deal IDs"},
    {Kind::kActivities, "account", "Associated Company IDs"},
    {Kind::kActivities, "contact", "Associated Contact IDs"},
    {Kind::kActivities, "status", "Meeting outcome"},
    {Kind::kActivities, "notes", "Meeting name"},
};

constexpr PresetValue kHubSpotValues[] = {
    {Kind::kActivities, "status", "Completed", "completed"},
    {Kind::kActivities, "status", "Scheduled", "planned"},
    {Kind::kActivities, "status", "Rescheduled", "planned"},
    {Kind::kActivities, "status", "No show", "completed"},
    {Kind::kActivities, "status", "Canceled", "completed"},
};

// Pipedrive's exports (Deals / Organizations / People / Activities > Export) prefix every header
// with its entity ("Deal - Title"). A closed deal keeps the stage it closed in; its status
// (open, won, lost) gives the outcome.
constexpr PresetColumn kPipedriveColumns[] = {
    {Kind::kAccounts, "external_id", "Organization - ID"},
    {Kind::kAccounts, "name", "Organization - Name"},
    {Kind::kAccounts, "owner_email", "Organization - Owner"},
    {Kind::kAccounts, "country", "Organization - Country of Address"},
    {Kind::kAccounts, "industry", "Organization - Industry"},
    {Kind::kAccounts, "employees", "Organization - Number of employees"},
    {Kind::kContacts, "external_id", "Person - ID"},
    {Kind::kContacts, "name", "Person - Name"},
    {Kind::kContacts, "first_name", "Person - First name"},
    {Kind::kContacts, "last_name", "Person - Last name"},
    {Kind::kContacts, "account", "Organization - ID"},
    {Kind::kContacts, "email", "Person - Email"},
    {Kind::kContacts, "phone", "Person - Phone"},
    {Kind::kContacts, "title", "Person - Job title"},
    {Kind::kOpportunities, "external_id", "Deal - ID"},
    {Kind::kOpportunities, "name", "Deal - Title"},
    {Kind::kOpportunities, "owner_email", "Deal - Owner"},
    {Kind::kOpportunities, "amount", "Deal - Value"},
    {Kind::kOpportunities, "currency", "Deal - Currency"},
    {Kind::kOpportunities, "account", "Organization - ID"},
    {Kind::kOpportunities, "stage", "Deal - Stage"},
    {Kind::kOpportunities, "outcome", "Deal - Status"},
    {Kind::kOpportunities, "created_date", "Deal - Deal created"},
    {Kind::kOpportunities, "close_date", "Deal - Expected close date"},
    {Kind::kOpportunities, "reason", "Deal - Lost reason"},
    {Kind::kOpportunities, "probability", "Deal - Probability"},
    {Kind::kOpportunities, "next_step_date", "Deal - Next activity date"},
    {Kind::kActivities, "external_id", "Activity - ID"},
    {Kind::kActivities, "type", "Activity - Type"},
    {Kind::kActivities, "status", "Activity - Done"},
    {Kind::kActivities, "date", "Activity - Due date"},
    {Kind::kActivities, "owner_email", "Activity - Assigned to user"},
    {Kind::kActivities, "opportunity", "Deal - ID"},
    {Kind::kActivities, "account", "Organization - ID"},
    {Kind::kActivities, "notes", "Activity - Subject"},
};

constexpr PresetValue kPipedriveValues[] = {
    // The default pipeline's stages.
    {Kind::kOpportunities, "stage", "Qualified", "qualify"},
    {Kind::kOpportunities, "stage", "Contact Made", "discover"},
    {Kind::kOpportunities, "stage", "Demo Scheduled", "discover"},
    {Kind::kOpportunities, "stage", "Needs Defined", "discover"},
    {Kind::kOpportunities, "stage", "Proposal Made", "propose"},
    {Kind::kOpportunities, "stage", "Negotiations Started", "negotiate"},
    {Kind::kOpportunities, "outcome", "deleted", "lost"},
    {Kind::kActivities, "status", "Done", "completed"},
    {Kind::kActivities, "status", "To do", "planned"},
    {Kind::kActivities, "type", "Deadline", "task"},
    {Kind::kActivities, "type", "Lunch", "meeting"},
};

// Dynamics 365 Sales' "Export to Excel" (saved as CSV) starts with three hidden columns, the
// first the record's GUID; lookups (Potential Customer, Company Name, Owner) are exported by
// name, currencies by their name.
constexpr PresetColumn kDynamicsColumns[] = {
    {Kind::kAccounts, "external_id", "(Do Not Modify) Account"},
    {Kind::kAccounts, "name", "Account Name"},
    {Kind::kAccounts, "owner_email", "Owner"},
    {Kind::kAccounts, "country", "Address 1: Country/Region"},
    {Kind::kAccounts, "region", "Address 1: State/Province"},
    {Kind::kAccounts, "employees", "Number of Employees"},
    {Kind::kAccounts, "org_number", "Account Number"},
    {Kind::kContacts, "external_id", "(Do Not Modify) Contact"},
    {Kind::kContacts, "name", "Full Name"},
    {Kind::kContacts, "account", "Company Name"},
    {Kind::kContacts, "phone", "Business Phone"},
    {Kind::kContacts, "title", "Job Title"},
    {Kind::kOpportunities, "external_id", "(Do Not Modify) Opportunity"},
    {Kind::kOpportunities, "name", "Topic"},
    {Kind::kOpportunities, "account", "Potential Customer"},
    {Kind::kOpportunities, "owner_email", "Owner"},
    {Kind::kOpportunities, "amount", "Est. Revenue"},
    {Kind::kOpportunities, "close_date", "Est. Close Date"},
    {Kind::kOpportunities, "closed_date", "Actual Close Date"},
    {Kind::kOpportunities, "stage", "Sales Stage"},
    {Kind::kOpportunities, "outcome", "Status"},
    {Kind::kOpportunities, "created_date", "Created On"},
};

constexpr PresetValue kDynamicsValues[] = {
    {Kind::kOpportunities, "stage", "Qualify", "qualify"},
    {Kind::kOpportunities, "stage", "Develop", "discover"},
    {Kind::kOpportunities, "stage", "Propose", "propose"},
    {Kind::kOpportunities, "stage", "Close", "commit"},
    {Kind::kOpportunities, "outcome", "Open", "open"},
    {Kind::kOpportunities, "outcome", "Won", "won"},
    {Kind::kOpportunities, "outcome", "Lost", "lost"},
    {Kind::kOpportunities, "currency", "Danish Krone", "DKK"},
    {Kind::kOpportunities, "currency", "Swedish Krona", "SEK"},
    {Kind::kOpportunities, "currency", "Norwegian Krone", "NOK"},
    {Kind::kOpportunities, "currency", "Euro", "EUR"},
    {Kind::kOpportunities, "currency", "US Dollar", "USD"},
    {Kind::kOpportunities, "currency", "Pound Sterling", "GBP"},
};

template <size_t C, size_t V>
ImportMapping Select(const PresetColumn (&columns)[C], const PresetValue (&values)[V], Kind kind) {
  ImportMapping mapping;
  for (const PresetColumn& c : columns) {
    if (c.kind == kind) mapping.columns.emplace_back(c.ours, c.theirs);
  }
  for (const PresetValue& v : values) {
    if (v.kind == kind) mapping.values.push_back({v.column, v.theirs, v.ours});
  }
  return mapping;
}

}  // namespace

Result<Preset> ParsePreset(std::string_view name) {
  if (name == "salesforce") return Preset::kSalesforce;
  if (name == "hubspot") return Preset::kHubSpot;
  if (name == "pipedrive") return Preset::kPipedrive;
  if (name == "dynamics") return Preset::kDynamics;
  return Status::InvalidArgument("\"" + std::string(name) +
                                 "\" is not one of salesforce, hubspot, pipedrive, dynamics");
}

ImportMapping PresetMapping(Preset preset, Kind kind) {
  switch (preset) {
    case Preset::kSalesforce:
      return Select(kSalesforceColumns, kSalesforceValues, kind);
    case Preset::kHubSpot:
      return Select(kHubSpotColumns, kHubSpotValues, kind);
    case Preset::kPipedrive:
      return Select(kPipedriveColumns, kPipedriveValues, kind);
    case Preset::kDynamics:
      return Select(kDynamicsColumns, kDynamicsValues, kind);
  }
  return {};
}

}  // namespace salesbox::service
