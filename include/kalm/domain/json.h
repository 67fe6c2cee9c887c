// JSON forms of the domain values: what `--json` prints, what the export
// holds and how agreement terms are stored. Field names are part of kalm's
// interface (backups are restored from them); keep them stable.
//
// Pure functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "kalm/core/status.h"
#include "kalm/domain/complaint_case.h"
#include "kalm/domain/model.h"
#include "kalm/domain/patterns.h"
#include "kalm/domain/store.h"
#include "kalm/domain/timeline.h"

namespace kalm::domain {

nlohmann::json ToJson(const Money& m);
nlohmann::json ToJson(const AgreementTerms& t);
nlohmann::json ToJson(const Workspace& w);
nlohmann::json ToJson(const Client& c);
nlohmann::json ToJson(const Agreement& a);
nlohmann::json ToJson(const Message& m);
nlohmann::json ToJson(const Task& t);
nlohmann::json ToJson(const StatusUpdate& u);
// A case with its steps, what the current step still needs ("missing") and
// its content; CaseFromJson reads it back and validates it.
nlohmann::json ToJson(const ComplaintCase& c);
nlohmann::json ToJson(const CaseContent& x);
nlohmann::json ToJson(const JournalEntry& e);
nlohmann::json ToJson(const Journal& j);
nlohmann::json ToJson(const Invoice& i);
nlohmann::json ToJson(const Patterns& p);
// {"client", "messages", "patterns"}: `kalm timeline --json` and the API.
nlohmann::json ToJson(const Timeline& t);
// The same object as ToJson(t).dump(), written without parsing the stored
// analyses again (the timeline route's hot path). An analysis that is not
// valid JSON becomes null, as in ToJson.
void AppendJson(const Timeline& t, std::string* out);
nlohmann::json ToJson(const ClientSummary& s);

// A backup: {"kalm_backup": 1, "workspace": ..., "users": [...], ...}. It
// holds the users' password hashes: write it where only the owner can read.
nlohmann::json ToJson(const WorkspaceDump& d);
// Errors: kInvalidArgument (not a kalm backup, a newer backup format, or a
// field as below).
StatusOr<WorkspaceDump> DumpFromJson(const nlohmann::json& j);

// Errors: kInvalidArgument naming the field that is missing or of the wrong
// type. Unknown fields are ignored (a newer kalm's backup still restores).
StatusOr<Money> MoneyFromJson(const nlohmann::json& j);
StatusOr<AgreementTerms> TermsFromJson(const nlohmann::json& j);
StatusOr<Client> ClientFromJson(const nlohmann::json& j);
StatusOr<Agreement> AgreementFromJson(const nlohmann::json& j);
StatusOr<Message> MessageFromJson(const nlohmann::json& j);
StatusOr<Task> TaskFromJson(const nlohmann::json& j);
StatusOr<StatusUpdate> StatusUpdateFromJson(const nlohmann::json& j);
StatusOr<ComplaintCase> CaseFromJson(const nlohmann::json& j);
// Missing fields keep their defaults (the API merges a change into the
// stored content and reads the result).
StatusOr<CaseContent> CaseContentFromJson(const nlohmann::json& j);
StatusOr<Invoice> InvoiceFromJson(const nlohmann::json& j);

// "€ 45,00"-style amounts: "45", "45.50", "45,50", "€45", "EUR 45", "45 EUR".
// Errors: kInvalidArgument.
StatusOr<Money> ParseMoney(std::string_view text);
std::string FormatMoney(const Money& m);  // "EUR 45.00"

}  // namespace kalm::domain
