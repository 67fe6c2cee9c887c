#include "kalm/domain/model.h"

#include <sodium.h>

#include <cstdio>

#include "domain/check.h"
#include "kalm/core/text.h"
#include "kalm/domain/store.h"

namespace kalm::domain {

std::string_view AgreementStateName(AgreementState s) {
  switch (s) {
    case AgreementState::kDraft:
      return "draft";
    case AgreementState::kSent:
      return "sent";
    case AgreementState::kConfirmed:
      return "confirmed";
    case AgreementState::kSuperseded:
      return "superseded";
  }
  return "draft";
}

StatusOr<AgreementState> ParseAgreementState(std::string_view name) {
  for (AgreementState s :
       {AgreementState::kDraft, AgreementState::kSent,
        AgreementState::kConfirmed, AgreementState::kSuperseded})
    if (AgreementStateName(s) == name) return s;
  return InvalidArgumentError("unknown agreement state '" + std::string(name) +
                              "'");
}

std::string_view DirectionName(Direction d) {
  return d == Direction::kIncoming ? "incoming" : "outgoing";
}

StatusOr<Direction> ParseDirection(std::string_view name) {
  if (name == "incoming") return Direction::kIncoming;
  if (name == "outgoing") return Direction::kOutgoing;
  return InvalidArgumentError("direction must be incoming or outgoing, not '" +
                              std::string(name) + "'");
}

std::string TimeKey(std::string_view prefix, UnixTime sent_at,
                    std::initializer_list<std::string_view> parts) {
  unsigned char h[16];
  crypto_generichash_state st;
  crypto_generichash_init(&st, nullptr, 0, sizeof h);
  for (std::string_view p : parts) {
    crypto_generichash_update(
        &st, reinterpret_cast<const unsigned char*>(p.data()), p.size());
    crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>("\n"),
                              1);
  }
  crypto_generichash_final(&st, h, sizeof h);
  char stamp[40];
  std::snprintf(stamp, sizeof stamp,
                ":%012llx:", static_cast<unsigned long long>(sent_at));
  std::string key(prefix);
  key += stamp;
  static const char* kHex = "0123456789abcdef";
  for (unsigned char c : h) {
    key += kHex[c >> 4];
    key += kHex[c & 15];
  }
  return key;
}

std::string ContentKey(const Message& m) {
  return TimeKey("sha", m.sent_at,
                 {DirectionName(m.direction), m.author, m.body});
}

std::string NormalizeEmail(std::string_view email) {
  std::string out(email);
  for (char& c : out)
    c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return out;
}

const Agreement* OpenVersion(const std::vector<Agreement>& history) {
  for (const Agreement& a : history)
    if (a.state == AgreementState::kDraft || a.state == AgreementState::kSent)
      return &a;
  return nullptr;
}

const Agreement* ConfirmedVersion(const std::vector<Agreement>& history) {
  for (const Agreement& a : history)
    if (a.state == AgreementState::kConfirmed) return &a;
  return nullptr;
}

const Agreement* ShownVersion(const std::vector<Agreement>& history) {
  if (const Agreement* a = ConfirmedVersion(history)) return a;
  return history.empty() ? nullptr : &history.front();
}

Status CheckText(std::string_view field, std::string_view text, size_t max,
                 bool required) {
  if (required && text.find_first_not_of(" \t\r\n") == std::string_view::npos)
    return InvalidArgumentError(std::string(field) + " is empty");
  if (text.size() > max)
    return ResourceExhaustedError(std::string(field) + " is longer than " +
                                  std::to_string(max) + " bytes");
  if (auto bad = core::FindInvalidUtf8(text))
    return InvalidArgumentError(std::string(field) +
                                " is not valid UTF-8 (byte " +
                                std::to_string(*bad) + ")");
  if (text.find('\0') != std::string_view::npos)
    return InvalidArgumentError(std::string(field) + " holds a NUL byte");
  return Status::Ok();
}

namespace {

Status CheckMoney(std::string_view field, const Money& m) {
  if (m.cents < 0)
    return InvalidArgumentError(std::string(field) + " is negative");
  if (m.currency.size() != 3)
    return InvalidArgumentError(std::string(field) +
                                " needs a three-letter currency code");
  for (char c : m.currency)
    if (c < 'A' || c > 'Z')
      return InvalidArgumentError(std::string(field) +
                                  " needs a currency code in capitals");
  return Status::Ok();
}

}  // namespace

Status Validate(const Client& c) {
  KALM_RETURN_IF_ERROR(CheckText("client name", c.name, kMaxNameBytes, true));
  KALM_RETURN_IF_ERROR(CheckText("company", c.company, kMaxNameBytes, false));
  if (!c.language.empty() && c.language != "nl" && c.language != "en")
    return InvalidArgumentError("language must be nl or en");
  if (!c.form.empty() && c.form != "je" && c.form != "u")
    return InvalidArgumentError("register must be je or u");
  KALM_RETURN_IF_ERROR(CheckText("timezone", c.timezone, 64, false));
  for (const std::string& ch : c.channels)
    KALM_RETURN_IF_ERROR(CheckText("channel", ch, 64, true));
  return CheckText("notes", c.notes, kMaxNotesBytes, false);
}

Status Validate(const AgreementTerms& t) {
  if (t.rate) KALM_RETURN_IF_ERROR(CheckMoney("rate", *t.rate));
  if (t.out_of_scope_rate)
    KALM_RETURN_IF_ERROR(CheckMoney("out-of-scope rate", *t.out_of_scope_rate));
  if (t.hours_budget && !(*t.hours_budget >= 0 && *t.hours_budget < 10000))
    return InvalidArgumentError("hours budget must be 0..10000");
  if (!t.budget_period.empty() && t.budget_period != "week" &&
      t.budget_period != "month")
    return InvalidArgumentError("budget period must be week or month");
  for (const Window& w : t.availability) {
    if (w.weekday < 0 || w.weekday > 6)
      return InvalidArgumentError("availability weekday must be 0..6");
    if (w.start_minute < 0 || w.end_minute > 24 * 60 ||
        w.start_minute >= w.end_minute)
      return InvalidArgumentError(
          "availability window must start before it ends, within a day");
  }
  if (t.reaction_hours && (*t.reaction_hours < 0 || *t.reaction_hours > 720))
    return InvalidArgumentError("reaction time must be 0..720 hours");
  for (int d : t.update_weekdays)
    if (d < 0 || d > 6)
      return InvalidArgumentError("update weekday must be 0..6");
  for (const std::string& ch : t.channels)
    KALM_RETURN_IF_ERROR(CheckText("channel", ch, 64, true));
  if (t.scope.size() > 200)
    return ResourceExhaustedError("more than 200 scope items");
  for (const std::string& s : t.scope)
    KALM_RETURN_IF_ERROR(CheckText("scope item", s, kMaxNameBytes, true));
  if (t.payment_due_days &&
      (*t.payment_due_days < 0 || *t.payment_due_days > 365))
    return InvalidArgumentError("payment term must be 0..365 days");
  if (t.deposit_percent && (*t.deposit_percent < 0 || *t.deposit_percent > 100))
    return InvalidArgumentError("deposit must be 0..100%");
  if (t.instalments && (*t.instalments < 1 || *t.instalments > 60))
    return InvalidArgumentError("instalments must be 1..60");
  return CheckText("notes", t.notes, kMaxNotesBytes, false);
}

Status Validate(const Message& m) {
  KALM_RETURN_IF_ERROR(CheckText("message body", m.body, kMaxBodyBytes, true));
  KALM_RETURN_IF_ERROR(CheckText("author", m.author, kMaxNameBytes, false));
  KALM_RETURN_IF_ERROR(CheckText("channel", m.channel, 64, false));
  KALM_RETURN_IF_ERROR(CheckText("thread", m.thread, 1000, false));
  KALM_RETURN_IF_ERROR(CheckText("source", m.source, 4096, false));
  KALM_RETURN_IF_ERROR(CheckText("dedup key", m.dedup_key, 1000, false));
  if (m.utc_offset_minutes < -14 * 60 || m.utc_offset_minutes > 14 * 60)
    return InvalidArgumentError("UTC offset must be within 14 hours");
  return Status::Ok();
}

Status Validate(const Task& t) {
  return CheckText("task title", t.title, kMaxNameBytes * 5, true);
}

bool IsStatusUpdateKind(std::string_view kind) {
  return kind == "started" || kind == "approach" || kind == "progress" ||
         kind == "delivered";
}

Status Validate(const StatusUpdate& u) {
  if (!IsStatusUpdateKind(u.kind))
    return InvalidArgumentError(
        "status update kind must be started, approach, progress or delivered");
  return CheckText("status update", u.text, 16 * 1024, true);
}

Status Validate(const Invoice& i) {
  KALM_RETURN_IF_ERROR(CheckText("invoice number", i.number, 64, true));
  KALM_RETURN_IF_ERROR(CheckMoney("invoice amount", i.amount));
  if (i.due_at < i.issued_at)
    return InvalidArgumentError("invoice is due before it was issued");
  return Status::Ok();
}

}  // namespace kalm::domain
