// kalm case ... and kalm journal: the complaint case on the command line.
#include <ctime>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/cli.h"
#include "kalm/core/reply.h"
#include "kalm/core/time.h"
#include "kalm/domain/case_texts.h"
#include "kalm/domain/json.h"
#include "kalm/domain/timeline.h"
#include "kalm/import/eml.h"

namespace kalm::cli {
namespace {

using domain::ComplaintCase;
using domain::Id;

int64_t Now() { return static_cast<int64_t>(std::time(nullptr)); }

StatusOr<Id> ParseId(const std::string& s, const char* what) {
  if (s.empty() || s.size() > 18 ||
      s.find_first_not_of("0123456789") != std::string::npos)
    return InvalidArgumentError(std::string(what) + " is a number");
  return std::stoll(s);
}

// "2026-11-27" (17:00 in the client's zone) or a full ISO-8601 time.
StatusOr<int64_t> ParseWhen(const std::string& s, const std::string& tz) {
  if (s.size() == 10 && s[4] == '-' && s[7] == '-') {
    const int y = std::atoi(s.substr(0, 4).c_str());
    const int m = std::atoi(s.substr(5, 2).c_str());
    const int d = std::atoi(s.substr(8, 2).c_str());
    if (m < 1 || m > 12 || d < 1 || d > 31)
      return InvalidArgumentError("'" + s + "' is no date (YYYY-MM-DD)");
    const int64_t local = core::CivilSeconds(y, m, d, 17, 0, 0);
    auto zone = core::Zone::Find(tz.empty() ? "Europe/Amsterdam" : tz);
    if (!zone.ok()) return zone.status();
    return zone->ToUtc(local);
  }
  auto t = core::ParseTimestamp(s);
  if (!t.ok()) return t.status();
  return t->unix_seconds;
}

// The answers given on the command line, onto the case.
Status Apply(const CaseFlags& f, const std::string& tz, ComplaintCase* c) {
  domain::CaseContent& x = c->content;
  if (!f.reaction.empty()) x.reaction = f.reaction;
  if (f.receipt_sent) x.receipt_sent = true;
  for (const std::string& r : f.reflect) {
    const size_t eq = r.find('=');
    if (eq != 1 || r[0] < '1' || r[0] > '6')
      return InvalidArgumentError("--reflect takes N=answer, N from 1 to 6");
    x.reflection[r[0] - '1'] = r.substr(2);
  }
  if (!f.summary.empty()) x.summary = f.summary;
  for (const std::string& q : f.questions) x.questions.push_back(q);
  for (const std::string& fact : f.facts) {
    domain::CaseFact cf;
    const size_t a = fact.find('|');
    cf.text = fact.substr(0, a);
    if (a != std::string::npos) {
      const size_t b = fact.find('|', a + 1);
      cf.clause = fact.substr(a + 1, b == std::string::npos ? b : b - a - 1);
      if (b != std::string::npos)
        cf.agreement_version = std::atoi(fact.substr(b + 1).c_str());
    }
    x.facts.push_back(cf);
  }
  auto cents = [](double eur) {
    return static_cast<int64_t>(eur * 100 + (eur >= 0 ? 0.5 : -0.5));
  };
  if (!f.proposal.empty()) x.proposal.text = f.proposal;
  if (f.proposal_eur) x.proposal.cents = cents(*f.proposal_eur);
  if (f.proposal_hours) x.proposal.hours = *f.proposal_hours;
  if (!f.maximum.empty()) x.maximum.text = f.maximum;
  if (f.max_eur) x.maximum.cents = cents(*f.max_eur);
  if (f.max_hours) x.maximum.hours = *f.max_hours;
  if (!f.notes.empty()) x.notes = f.notes;
  if (!f.outcome.empty()) x.outcome = f.outcome;
  for (const std::string& a : f.actions) {
    domain::AgreedAction act;
    const size_t p1 = a.find('|');
    act.what = a.substr(0, p1);
    act.owner = "me";
    if (p1 != std::string::npos) {
      const size_t p2 = a.find('|', p1 + 1);
      act.owner = a.substr(p1 + 1, p2 == std::string::npos ? p2 : p2 - p1 - 1);
      if (p2 != std::string::npos) {
        auto due = ParseWhen(a.substr(p2 + 1), tz);
        if (!due.ok()) return due.status();
        act.due = *due;
      }
    }
    x.actions.push_back(act);
  }
  if (!f.follow_up.empty()) {
    auto t = ParseWhen(f.follow_up, tz);
    if (!t.ok()) return t.status();
    x.follow_up_at = *t;
  }
  if (!f.next_time.empty()) x.next_time = f.next_time;
  if (!f.trust.empty()) x.trust_myself = f.trust;
  for (const std::string& t : f.triggers) x.triggers.push_back(t);
  if (!f.not_fit.empty()) x.not_fit = f.not_fit;
  if (!f.sooner.empty()) x.sooner = f.sooner;
  return domain::Validate(*c);
}

void PrintCase(std::ostream& out, const ComplaintCase& c,
               const domain::Client& client) {
  static const char* const kSteps[] = {"laten landen", "reflecteren",
                                       "voorbereiden", "het gesprek",
                                       "evalueren"};
  out << "zaak " << c.id << " · " << client.name << " · " << c.title << "\n";
  if (c.closed)
    out << "  gesloten (" << c.close_reason << ")"
        << (c.closed_at ? " op " + Date(*c.closed_at) : "") << "\n";
  for (int i = 0; i < domain::kCaseSteps; ++i) {
    out << (c.step == i + 1 && !c.closed ? "  > " : "    ") << (i + 1) << " "
        << kSteps[i];
    if (c.completed_at[i])
      out << " · klaar " << Date(*c.completed_at[i]);
    else if (c.entered_at[i])
      out << " · begonnen " << Date(*c.entered_at[i]);
    out << "\n";
  }
  const auto missing = domain::MissingForNext(c);
  if (!c.closed && !missing.empty()) {
    out << "  nodig voor de volgende stap:";
    for (const std::string& m : missing) out << " " << m;
    out << "\n";
  }
  const domain::CaseContent& x = c.content;
  if (c.step == 1 && !c.closed) {
    if (x.cool_down_until)
      out << "  afkoelen tot " << Date(*x.cool_down_until) << "\n";
    if (!x.receipt.empty())
      out << "  ontvangstbevestiging: " << x.receipt << "\n";
  }
}

}  // namespace

StatusOr<domain::CaseTexts> MakeCaseTexts(const std::string& dir) {
  std::deque<std::string> storage;
  auto files = LoadDataFiles(dir, &storage, /*with_models=*/false);
  if (!files.ok()) return files.status();
  std::string_view nl, en;
  for (const core::DataFile& f : *files) {
    if (f.path == "case/nl.tsv") nl = f.content;
    if (f.path == "case/en.tsv") en = f.content;
  }
  if (nl.empty() || en.empty())
    return NotFoundError("data/case/nl.tsv or en.tsv is missing");
  return domain::CaseTexts::Parse(nl, en);
}

int RunCase(const Wiring& wiring, const CaseFlags& f,
            const std::string& data_dir) {
  auto ws = OpenWorkspace(wiring, f.store, false);
  if (!ws.ok()) return Fail(ws.status());
  domain::Store& s = *ws->store;
  const Id w = ws->workspace;
  const int64_t now = Now();

  if (f.action == "list") {
    Id client = 0;
    if (!f.id.empty()) {
      auto c = ClientNamed(s, w, f.id);
      if (!c.ok()) return Fail(c.status());
      client = c->id;
    }
    auto list = s.ListCases(w, client);
    if (!list.ok()) return Fail(list.status());
    if (f.json) {
      nlohmann::json arr = nlohmann::json::array();
      for (const ComplaintCase& c : *list) arr.push_back(domain::ToJson(c));
      std::cout << arr.dump(2) << "\n";
      return 0;
    }
    for (const ComplaintCase& c : *list)
      std::cout << c.id << "  stap " << c.step << "/5"
                << (c.closed ? " gesloten" : "") << "  " << c.title << "\n";
    return 0;
  }

  if (f.action == "open") {
    auto client = ClientNamed(s, w, f.id);
    if (!client.ok()) return Fail(client.status());
    std::optional<domain::Message> message;
    if (f.message > 0) {
      auto m = s.GetMessage(w, client->id, f.message);
      if (!m.ok()) return Fail(m.status());
      message = std::move(*m);
    }
    auto coach = MakeCoach(data_dir, /*with_reviewer=*/false);
    if (!coach.ok()) return Fail(coach.status());
    core::ReplyComposer composer(*coach->analyzer, coach->phrases());
    auto c = domain::StartCase(*client, message ? &*message : nullptr, f.title,
                               &composer, now);
    if (!c.ok()) return Fail(c.status());
    auto added = s.AddCase(w, *c);
    if (!added.ok()) return Fail(added.status());
    if (f.json) {
      std::cout << domain::ToJson(*added).dump(2) << "\n";
    } else {
      PrintCase(std::cout, *added, *client);
    }
    return 0;
  }

  auto id = ParseId(f.id, "the case id");
  if (!id.ok()) return Fail(id.status());
  auto c = s.GetCase(w, *id);
  if (!c.ok()) return Fail(c.status());
  auto client = s.GetClient(w, c->client_id);
  if (!client.ok()) return Fail(client.status());

  if (f.action == "set" || f.action == "next" || f.action == "goto" ||
      f.action == "close" || f.action == "reopen") {
    if (Status st = Apply(f, client->timezone, &*c); !st.ok()) return Fail(st);
    c->updated_at = now;
    Status st;
    const bool conversation_done_before = c->completed_at[3].has_value();
    if (f.action == "next") st = domain::Advance(&*c, now);
    if (f.action == "goto") {
      auto step = domain::ParseCaseStep(f.step);
      st = step.ok() ? domain::GoTo(&*c, *step, now) : step.status();
    }
    if (f.action == "close") st = domain::Close(&*c, f.reason, now);
    if (f.action == "reopen") st = domain::Reopen(&*c, now);
    if (!st.ok()) return Fail(st);
    if (Status saved = s.UpdateCase(w, &*c); !saved.ok()) return Fail(saved);
    // The agreed actions become follow-up tasks, once.
    if (!conversation_done_before && c->completed_at[3])
      for (const domain::Task& t : domain::FollowUpTasks(*c, now))
        if (auto added = s.AddTask(w, c->client_id, t, now); !added.ok())
          return Fail(added.status());
    if (f.json)
      std::cout << domain::ToJson(*c).dump(2) << "\n";
    else
      PrintCase(std::cout, *c, *client);
    return 0;
  }

  if (f.action == "show") {
    // The hints for the reflection come from the message and the agreement.
    domain::ReflectionHints hints;
    if (c->message_id) {
      auto m = s.GetMessage(w, c->client_id, *c->message_id);
      if (!m.ok()) return Fail(m.status());
      auto agreement = domain::FindCurrentAgreement(s, w, c->client_id);
      if (!agreement.ok()) return Fail(agreement.status());
      hints = domain::HintsFor(m->body, m->analysis_json,
                               *agreement ? &**agreement : nullptr);
    }
    if (f.json) {
      nlohmann::json j = domain::ToJson(*c);
      nlohmann::json clauses = nlohmann::json::array();
      for (const auto& cl : hints.clauses)
        clauses.push_back(
            {{"key", cl.key}, {"value", cl.value}, {"version", cl.version}});
      j["hints"] = {{"facts", hints.facts},
                    {"judgements", hints.judgements},
                    {"clauses", clauses},
                    {"dominant_emotion", hints.dominant_emotion}};
      std::cout << j.dump(2) << "\n";
      return 0;
    }
    PrintCase(std::cout, *c, *client);
    if (!hints.facts.empty() || !hints.judgements.empty()) {
      std::cout << "  feiten in het bericht:\n";
      for (const auto& x : hints.facts) std::cout << "    - " << x << "\n";
      std::cout << "  oordelen in het bericht:\n";
      for (const auto& x : hints.judgements) std::cout << "    - " << x << "\n";
    }
    if (!hints.dominant_emotion.empty())
      std::cout << "  emotie van de klant: " << hints.dominant_emotion << "\n";
    for (const auto& cl : hints.clauses)
      std::cout << "  afspraak: " << cl.key
                << (cl.value.empty() ? "" : " = " + cl.value) << " (versie "
                << cl.version << ")\n";
    return 0;
  }

  auto texts = MakeCaseTexts(data_dir);
  if (!texts.ok()) return Fail(texts.status());
  if (f.action == "script") {
    std::string emotion;
    if (c->message_id) {
      auto m = s.GetMessage(w, c->client_id, *c->message_id);
      if (!m.ok()) return Fail(m.status());
      emotion =
          domain::HintsFor(m->body, m->analysis_json, nullptr).dominant_emotion;
    }
    const domain::ConversationScript script =
        domain::ComposeScript(*c, *client, emotion, *texts);
    std::cout << script.Text();
    return 0;
  }
  if (f.action == "confirm-mail") {
    const domain::ConfirmationMail mail =
        domain::ComposeConfirmation(*c, *client, f.me, *texts);
    if (!f.eml.empty()) {
      import::OutgoingMail m;
      m.from_name = f.me;
      m.from_address = f.from;
      m.to_name = client->name;
      m.subject = mail.subject;
      m.body = mail.body;
      m.date = now;
      auto eml = import::ComposeEml(m);
      if (!eml.ok()) return Fail(eml.status());
      std::ofstream out(f.eml, std::ios::binary | std::ios::trunc);
      if (!(out << *eml))
        return Fail(UnavailableError("cannot write " + f.eml));
    }
    std::cout << mail.subject << "\n\n" << mail.body;
    return 0;
  }
  return Fail(InvalidArgumentError("unknown case command " + f.action));
}

int RunJournal(const Wiring& wiring, const JournalFlags& f) {
  auto ws = OpenWorkspace(wiring, f.store, false);
  if (!ws.ok()) return Fail(ws.status());
  auto cases = ws->store->ListCases(ws->workspace, 0);
  if (!cases.ok()) return Fail(cases.status());
  auto clients = ws->store->ListClients(ws->workspace);
  if (!clients.ok()) return Fail(clients.status());
  const domain::Journal j = domain::BuildJournal(*cases, *clients, f.search);
  if (f.json) {
    std::cout << domain::ToJson(j).dump(2) << "\n";
    return 0;
  }
  if (j.entries.empty()) {
    std::cout << (f.search.empty() ? "Het dagboek is nog leeg.\n"
                                   : "Niets gevonden.\n");
    return 0;
  }
  for (const domain::JournalEntry& e : j.entries) {
    std::cout << Date(e.at) << " · " << e.client << " · " << e.title << "\n";
    if (!e.next_time.empty())
      std::cout << "  volgende keer: " << e.next_time << "\n";
    if (!e.trust_myself.empty())
      std::cout << "  vertrouwen: " << e.trust_myself << "\n";
    if (!e.not_fit.empty()) std::cout << "  past niet: " << e.not_fit << "\n";
    if (!e.sooner.empty()) std::cout << "  eerder zien: " << e.sooner << "\n";
    if (!e.triggers.empty()) {
      std::cout << "  triggers:";
      for (const std::string& t : e.triggers) std::cout << " [" << t << "]";
      std::cout << "\n";
    }
  }
  if (!j.recurring_triggers.empty()) {
    std::cout << "\nTerugkerende triggers:\n";
    for (const auto& [t, n] : j.recurring_triggers)
      std::cout << "  " << t << " (" << n << "x)\n";
  }
  return 0;
}

}  // namespace kalm::cli
