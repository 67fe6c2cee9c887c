// kalm client ... and kalm agreement ...: the CLI over the Store.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <iostream>
#include <sstream>
#include <tuple>

#include "cli/cli.h"
#include "kalm/core/time.h"
#include "kalm/domain/json.h"
#include "kalm/domain/patterns.h"
#include "kalm/domain/timeline.h"
#include "kalm/import/import.h"

namespace kalm::cli {
namespace {

using domain::Agreement;
using domain::AgreementTerms;
using domain::Client;
using domain::Id;
using domain::Store;

// Weekday names in Dutch and English, full and short: 0 = Monday.
int WeekdayOf(std::string w) {
  for (char& c : w)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  static const char* kNames[7][6] = {
      {"ma", "maandag", "mon", "monday", "mo", "maa"},
      {"di", "dinsdag", "tue", "tuesday", "tu", "din"},
      {"wo", "woensdag", "wed", "wednesday", "we", "woe"},
      {"do", "donderdag", "thu", "thursday", "th", "don"},
      {"vr", "vrijdag", "fri", "friday", "fr", "vrij"},
      {"za", "zaterdag", "sat", "saturday", "sa", "zat"},
      {"zo", "zondag", "sun", "sunday", "su", "zon"}};
  for (int d = 0; d < 7; ++d)
    for (const char* n : kNames[d])
      if (w == n) return d;
  return -1;
}

const char* kDayShort[7] = {"ma", "di", "wo", "do", "vr", "za", "zo"};

std::string Minutes(int m) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02d:%02d", m / 60, m % 60);
  return buf;
}

std::vector<std::string> SplitList(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == ';' || c == ',') {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  std::vector<std::string> trimmed;
  for (std::string& x : out) {
    const size_t a = x.find_first_not_of(" \t");
    if (a == std::string::npos) continue;
    const size_t b = x.find_last_not_of(" \t");
    trimmed.push_back(x.substr(a, b - a + 1));
  }
  return trimmed;
}

// "ma,do", "maandag en donderdag", "mon and thu", "end-of-day".
Status ParseUpdates(const std::string& s, AgreementTerms& t) {
  t.update_weekdays.clear();
  t.update_end_of_day = false;
  std::string norm;
  for (char c : s) norm += (c == ',' || c == ';' || c == '/') ? ' ' : c;
  std::istringstream in(norm);
  std::string w;
  while (in >> w) {
    std::string lw = w;
    for (char& c : lw)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lw == "en" || lw == "and" || lw == "&") continue;
    if (lw == "end-of-day" || lw == "eod" || lw == "dagelijks" ||
        lw == "daily" || lw == "einde-dag") {
      t.update_end_of_day = true;
      continue;
    }
    const int d = WeekdayOf(lw);
    if (d < 0)
      return InvalidArgumentError("--updates: '" + w +
                                  "' is not a weekday (ma, di, ... or mon, "
                                  "tue, ...) or end-of-day");
    t.update_weekdays.push_back(d);
  }
  return Status::Ok();
}

std::string UpdatesText(const AgreementTerms& t) {
  std::string out;
  for (int d : t.update_weekdays)
    out += (out.empty() ? "" : ", ") + std::string(kDayShort[d]);
  if (t.update_end_of_day)
    out += (out.empty() ? "" : ", ") + std::string("einde van de dag");
  return out;
}

// "ma-vr 09:00-17:00; za 10:00-12:00": consecutive days with the same hours
// are one range.
std::string AvailabilityText(const AgreementTerms& t) {
  std::vector<domain::Window> w = t.availability;
  std::sort(w.begin(), w.end(), [](const auto& a, const auto& b) {
    return std::tie(a.start_minute, a.end_minute, a.weekday) <
           std::tie(b.start_minute, b.end_minute, b.weekday);
  });
  std::string out;
  for (size_t i = 0; i < w.size();) {
    size_t j = i;
    while (j + 1 < w.size() && w[j + 1].start_minute == w[i].start_minute &&
           w[j + 1].end_minute == w[i].end_minute &&
           w[j + 1].weekday == w[j].weekday + 1)
      ++j;
    std::string days = kDayShort[w[i].weekday];
    if (j > i) days += "-" + std::string(kDayShort[w[j].weekday]);
    out += (out.empty() ? "" : "; ") + days + " " + Minutes(w[i].start_minute) +
           "-" + Minutes(w[i].end_minute);
    i = j + 1;
  }
  return out;
}

std::string_view StateText(domain::AgreementState s) {
  switch (s) {
    case domain::AgreementState::kDraft:
      return "concept";
    case domain::AgreementState::kSent:
      return "verstuurd, wacht op bevestiging";
    case domain::AgreementState::kConfirmed:
      return "bevestigd";
    case domain::AgreementState::kSuperseded:
      return "vervangen";
  }
  return "";
}

void PrintTerms(std::ostream& out, const AgreementTerms& t) {
  auto line = [&](const char* k, const std::string& v) {
    if (!v.empty())
      out << "  " << k << std::string(22 - std::strlen(k), ' ') << v << "\n";
  };
  line("tarief", t.rate ? domain::FormatMoney(*t.rate) + " per uur" : "");
  line("buiten de afspraak",
       t.out_of_scope_rate
           ? domain::FormatMoney(*t.out_of_scope_rate) + " per uur"
           : "");
  if (t.hours_budget) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g uur", *t.hours_budget);
    line("urenbudget",
         std::string(buf) + (t.budget_period.empty()
                                 ? ""
                                 : " per " + (t.budget_period == "week"
                                                  ? std::string("week")
                                                  : std::string("maand"))));
  }
  line("bereikbaar", AvailabilityText(t));
  line("reactietijd",
       t.reaction_hours ? std::to_string(*t.reaction_hours) + " uur" : "");
  line("updates", UpdatesText(t));
  std::string channels, scope;
  for (const auto& c : t.channels)
    channels += (channels.empty() ? "" : ", ") + c;
  for (const auto& s : t.scope) scope += (scope.empty() ? "" : "; ") + s;
  line("kanalen", channels);
  line("taken", scope);
  line("betaaltermijn", t.payment_due_days
                            ? std::to_string(*t.payment_due_days) + " dagen"
                            : "");
  line("aanbetaling",
       t.deposit_percent ? std::to_string(*t.deposit_percent) + "%" : "");
  line("termijnen", t.instalments ? std::to_string(*t.instalments) : "");
  line("planning schuift mee", t.late_delivery_shifts_planning
                                   ? "ja, als input van de klant te laat is"
                                   : "nee");
  line("notities", t.notes);
}

void PrintAgreement(std::ostream& out, const Agreement& a) {
  out << "versie " << a.version << " · " << StateText(a.state);
  if (a.sent_at) out << " · verstuurd " << Date(*a.sent_at);
  if (a.confirmed_at)
    out << " · op " << Date(*a.confirmed_at) << " door " << a.confirmed_by
        << " (" << a.confirmed_how << ")";
  out << "\n";
  PrintTerms(out, a.terms);
}

}  // namespace

std::string Date(domain::UnixTime t) {
  const std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
  return buf;
}

StatusOr<Client> ClientNamed(Store& s, Id ws, const std::string& name) {
  if (!name.empty() &&
      name.find_first_not_of("0123456789") == std::string::npos &&
      name.size() < 19) {
    auto byid = s.GetClient(ws, std::stoll(name));
    if (byid.ok()) return byid;
  }
  return s.FindClient(ws, name);
}

std::string DatabaseUrl(const Wiring& wiring, const StoreFlags& f) {
  if (!f.db.empty()) return f.db;
  if (const char* e = std::getenv("KALM_DB"); e != nullptr && *e) return e;
  return wiring.default_db_url();
}

StatusOr<WorkspaceStore> OpenWorkspace(const Wiring& wiring,
                                       const StoreFlags& f, bool create) {
  auto store = wiring.open_store(DatabaseUrl(wiring, f));
  if (!store.ok()) return store.status();
  std::string name = f.workspace;
  if (name.empty())
    if (const char* e = std::getenv("KALM_WORKSPACE"); e != nullptr && *e)
      name = e;
  if (name.empty()) name = "default";
  auto ws = (*store)->FindWorkspace(name);
  // The default workspace is there from the first use; a named one is made
  // by the command that adds to it, so a typo does not start a new one.
  if (!ws.ok() && ws.status().code() == StatusCode::kNotFound &&
      (create || name == "default"))
    ws = (*store)->CreateWorkspace(
        name, static_cast<domain::UnixTime>(std::time(nullptr)));
  if (!ws.ok()) return ws.status();
  return WorkspaceStore{std::move(*store), ws->id};
}

int RunClient(const Wiring& wiring, const ClientFlags& f) {
  auto ws = OpenWorkspace(wiring, f.store, f.action == "add");
  if (!ws.ok()) return Fail(ws.status());
  Store& s = *ws->store;
  const auto now = static_cast<domain::UnixTime>(std::time(nullptr));
  if (f.action == "add") {
    Client c;
    c.name = f.name;
    c.company = f.company;
    c.language = f.lang;
    c.form = f.form;
    if (!f.tz.empty()) c.timezone = f.tz;
    c.channels = SplitList(f.channels);
    c.notes = f.notes;
    if (!c.timezone.empty()) {
      // An unknown zone is refused now, not when a message is checked.
      auto ts = core::ParseTimestamp("2026-01-01T12:00:00Z");
      if (ts.ok() && !core::ToLocal(*ts, c.timezone).ok())
        return Fail(InvalidArgumentError("unknown time zone '" + c.timezone +
                                         "' (use an IANA name such as "
                                         "Europe/Amsterdam)"));
    }
    auto added = s.AddClient(ws->workspace, c, now);
    if (!added.ok()) return Fail(added.status());
    if (f.json) {
      std::cout << domain::ToJson(*added).dump(2) << "\n";
    } else {
      std::cout << "client " << added->id << " added: " << added->name << "\n";
    }
    return 0;
  }
  if (f.action == "list") {
    auto list = s.ListClients(ws->workspace);
    if (!list.ok()) return Fail(list.status());
    if (f.json) {
      nlohmann::json arr = nlohmann::json::array();
      for (const Client& c : *list) arr.push_back(domain::ToJson(c));
      std::cout << arr.dump(2) << "\n";
      return 0;
    }
    if (list->empty())
      std::cerr << "kalm: no clients yet (kalm client add NAME)\n";
    for (const Client& c : *list) {
      std::cout << c.id << "\t" << c.name;
      if (!c.company.empty()) std::cout << " (" << c.company << ")";
      std::cout << "\n";
    }
    return 0;
  }
  // show
  auto c = ClientNamed(s, ws->workspace, f.name);
  if (!c.ok()) return Fail(c.status());
  auto current = s.CurrentAgreement(ws->workspace, c->id);
  if (!current.ok() && current.status().code() != StatusCode::kNotFound)
    return Fail(current.status());
  if (f.json) {
    nlohmann::json j = domain::ToJson(*c);
    j["agreement"] =
        current.ok() ? domain::ToJson(*current) : nlohmann::json(nullptr);
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  std::cout << c->name;
  if (!c->company.empty()) std::cout << " · " << c->company;
  std::cout << "\n  taal "
            << (c->language.empty() ? "automatisch" : c->language)
            << " · aanspreekvorm "
            << (c->form.empty() ? "zoals de klant schrijft" : c->form)
            << " · tijdzone " << c->timezone << "\n";
  if (!c->notes.empty()) std::cout << "  " << c->notes << "\n";
  if (current.ok()) {
    std::cout << "\nAfspraak (bevestigd): ";
    PrintAgreement(std::cout, *current);
  } else {
    std::cout << "\nNog geen bevestigde afspraak (kalm agreement set "
              << c->name << " ...).\n";
  }
  return 0;
}

int RunAgreement(const Wiring& wiring, const AgreementFlags& f) {
  auto ws = OpenWorkspace(wiring, f.store, false);
  if (!ws.ok()) return Fail(ws.status());
  Store& s = *ws->store;
  const Id w = ws->workspace;
  const auto now = static_cast<domain::UnixTime>(std::time(nullptr));
  auto c = ClientNamed(s, w, f.client);
  if (!c.ok()) return Fail(c.status());
  auto history = s.AgreementHistory(w, c->id);
  if (!history.ok()) return Fail(history.status());

  if (f.action == "set") {
    // Start from the newest version, change only what is given.
    AgreementTerms t =
        history->empty() ? AgreementTerms{} : history->front().terms;
    if (f.rate) {
      auto m = domain::ParseMoney(*f.rate);
      if (!m.ok()) return Fail(m.status());
      t.rate = *m;
    }
    if (f.extra_rate) {
      auto m = domain::ParseMoney(*f.extra_rate);
      if (!m.ok()) return Fail(m.status());
      t.out_of_scope_rate = *m;
    }
    if (f.hours) t.hours_budget = *f.hours;
    if (f.per) t.budget_period = *f.per;
    if (f.availability) {
      auto windows = core::ParseAvailability(*f.availability);
      if (!windows.ok()) return Fail(windows.status());
      t.availability.clear();
      for (const auto& aw : *windows)
        for (int d = 0; d < 7; ++d)
          if (aw.weekdays & (1u << d))
            t.availability.push_back({d, aw.start, aw.end});
    }
    if (f.reaction_hours) t.reaction_hours = *f.reaction_hours;
    if (f.updates) {
      Status st = ParseUpdates(*f.updates, t);
      if (!st.ok()) return Fail(st);
    }
    if (f.scope) t.scope = SplitList(*f.scope);
    if (f.channels) t.channels = SplitList(*f.channels);
    if (f.due_days) t.payment_due_days = *f.due_days;
    if (f.deposit) t.deposit_percent = *f.deposit;
    if (f.instalments) t.instalments = *f.instalments;
    if (f.no_shift) t.late_delivery_shifts_planning = false;
    if (f.notes) t.notes = *f.notes;
    auto a = s.SaveDraft(w, c->id, t, now);
    if (!a.ok()) return Fail(a.status());
    if (f.json) {
      std::cout << domain::ToJson(*a).dump(2) << "\n";
    } else {
      std::cout << "Concept opgeslagen: ";
      PrintAgreement(std::cout, *a);
      std::cout << "Laat het je klant bevestigen: kalm agreement confirm "
                << c->name << " --by NAAM --how email\n";
    }
    return 0;
  }
  auto open_version = [&]() -> const Agreement* {
    if (f.version == 0) return domain::OpenVersion(*history);
    for (const Agreement& a : *history)
      if (a.version == f.version) return &a;
    return nullptr;
  };
  if (f.action == "send" || f.action == "confirm") {
    const Agreement* a = open_version();
    if (a == nullptr)
      return Fail(NotFoundError(
          f.version
              ? "no version " + std::to_string(f.version) + " for " + c->name
              : "no draft agreement for " + c->name + " to " + f.action +
                    " (kalm agreement set first)"));
    auto r =
        f.action == "send"
            ? s.MarkSent(w, a->id, now)
            : s.Confirm(w, a->id, now, f.by.empty() ? c->name : f.by, f.how);
    if (!r.ok()) return Fail(r.status());
    if (f.json) {
      std::cout << domain::ToJson(*r).dump(2) << "\n";
    } else {
      PrintAgreement(std::cout, *r);
    }
    return 0;
  }
  if (f.action == "history") {
    if (f.json) {
      nlohmann::json arr = nlohmann::json::array();
      for (const Agreement& a : *history) arr.push_back(domain::ToJson(a));
      std::cout << arr.dump(2) << "\n";
      return 0;
    }
    if (history->empty())
      std::cerr << "kalm: no agreement for " << c->name << " yet\n";
    for (const Agreement& a : *history) {
      PrintAgreement(std::cout, a);
      std::cout << "\n";
    }
    return 0;
  }
  // show: the confirmed version, else the newest.
  const Agreement* shown = domain::ShownVersion(*history);
  if (shown == nullptr)
    return Fail(NotFoundError("no agreement for " + c->name +
                              " yet (kalm agreement set " + c->name + " ...)"));
  if (f.json) {
    std::cout << domain::ToJson(*shown).dump(2) << "\n";
  } else {
    PrintAgreement(std::cout, *shown);
  }
  return 0;
}

}  // namespace kalm::cli

namespace kalm::cli {

int RunImport(const Wiring& wiring, const ImportFlags& f,
              const std::string& data_dir) {
  auto ws = OpenWorkspace(wiring, f.store, false);
  if (!ws.ok()) return Fail(ws.status());
  domain::Store& s = *ws->store;
  auto c = ClientNamed(s, ws->workspace, f.client);
  if (!c.ok()) return Fail(c.status());

  import::Format format;
  if (f.format.empty()) {
    auto detected = import::DetectFormat(f.file);
    if (!detected.ok()) return Fail(detected.status());
    format = *detected;
  } else {
    auto parsed = import::ParseFormat(f.format);
    if (!parsed.ok()) return Fail(parsed.status());
    format = *parsed;
  }
  import::ImportOptions o;
  o.read.me = f.me;
  o.read.tz = f.tz.empty() ? c->timezone : f.tz;
  o.read.date_order = f.date_order;
  if (f.batch > 0) o.batch = static_cast<size_t>(f.batch);
  // The analysis knows the client's agreement: availability, scope.
  std::unique_ptr<core::Analyzer> analyzer;
  if (!f.no_analysis) {
    auto a = MakeAnalyzer(data_dir);
    if (!a.ok()) return Fail(a.status());
    analyzer = std::move(*a);
    o.analyzer = analyzer.get();
    auto current = domain::FindCurrentAgreement(s, ws->workspace, c->id);
    if (!current.ok()) return Fail(current.status());
    o.context = domain::AnalysisContextFor(
        *c, current->has_value() ? &**current : nullptr);
    o.context.timezone = o.read.tz;
  }
  auto report = import::ImportFile(s, ws->workspace, c->id, f.file, format, o);
  if (!report.ok()) return Fail(report.status());
  if (f.json) {
    nlohmann::json j = import::ToJson(*report);
    j["file"] = f.file;
    j["client"] = c->name;
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << f.file << " (" << import::FormatName(report->format) << ") → "
              << c->name << "\n"
              << "  imported   " << report->imported << "\n"
              << "  duplicate  " << report->duplicates << " (already stored)\n"
              << "  skipped    " << report->skipped
              << " (system lines, media, deleted messages)\n"
              << "  rejected   " << report->rejected.size() << "\n";
    if (report->resumed_at > 0)
      std::cout << "  resumed after byte " << report->resumed_at
                << " (an earlier run stored the rest)\n";
    for (const auto& p : report->rejected) {
      std::cout << "    ";
      if (p.line > 0)
        std::cout << "line " << p.line;
      else
        std::cout << "byte " << p.position;
      std::cout << ": " << p.reason << "\n";
    }
    for (const auto& w : report->warnings)
      std::cout << "  warning: " << w << "\n";
  }
  return 0;
}

}  // namespace kalm::cli

namespace kalm::cli {

namespace {

// What the patterns mean, in the words of the method (Dutch, like the rest
// of the timeline report).
void PrintPatterns(std::ostream& out, const domain::Patterns& p) {
  if (p.incoming == 0) return;
  out << "\nPatronen (laatste 12 weken, " << p.incoming
      << " berichten van de klant):\n";
  for (const domain::Pattern& x : p.items) {
    if (x.count == 0) continue;
    std::string what;
    char buf[160];
    if (x.id == "checkins") {
      std::snprintf(buf, sizeof buf,
                    "%d keer gevraagd hoe het ervoor staat (%.1f per week%s)",
                    x.count, x.value,
                    x.agreed > 0 ? (", afgesproken: " +
                                    std::to_string(static_cast<int>(x.agreed)) +
                                    " updates per week")
                                       .c_str()
                                 : "");
      what = buf;
    } else if (x.id == "after_hours") {
      std::snprintf(buf, sizeof buf,
                    "%d berichten buiten je werktijden (%.0f%%)", x.count,
                    x.value * 100);
      what = buf;
    } else if (x.id == "scope") {
      what = std::to_string(x.count) + " vragen buiten de afspraak";
    } else if (x.id == "complaints") {
      what = std::to_string(x.count) + " klachten";
    } else if (x.id == "hostility") {
      what = std::to_string(x.count) + " vijandige berichten";
    } else if (x.id == "tone") {
      std::snprintf(buf, sizeof buf, "de toon wordt negatiever (%+.2f)",
                    x.value);
      what = buf;
    } else if (x.id == "late_payments") {
      what = std::to_string(x.count) + " keer te laat betaald";
    } else if (x.id == "client_late") {
      what = std::to_string(x.count) + " keer input van de klant te laat";
    }
    out << "  " << (x.flagged ? "! " : "  ") << what << "\n";
  }
  static const std::pair<const char*, const char*> kSteps[] = {
      {"observe",
       "Houd het in de gaten; één lastig moment maakt nog geen lastige klant."},
      {"boundaries",
       "Het herhaalt zich: benoem je grens en bied structuur (vaste "
       "updatemomenten, een gedeeld overzicht)."},
      {"ask_change",
       "Meerdere patronen: vraag je klant vriendelijk en duidelijk om iets te "
       "veranderen, en leg het vast."},
      {"adjust_terms",
       "Betalingen of aanleveringen lopen steeds uit: pas de voorwaarden aan "
       "(aanbetaling, termijnen, planning die meeschuift)."},
      {"consider_ending",
       "Vijandigheid naast andere patronen: overweeg de samenwerking netjes af "
       "te ronden, met de deur op een kier."}};
  for (const auto& [id, text] : kSteps)
    if (p.step == id) out << "\nVolgende stap: " << text << "\n";
}

}  // namespace

int RunTimeline(const Wiring& wiring, const TimelineFlags& f) {
  auto ws = OpenWorkspace(wiring, f.store, false);
  if (!ws.ok()) return Fail(ws.status());
  domain::Store& s = *ws->store;
  auto c = ClientNamed(s, ws->workspace, f.client);
  if (!c.ok()) return Fail(c.status());
  if (f.count) {
    auto messages = s.ListMessages(ws->workspace, c->id, {});
    if (!messages.ok()) return Fail(messages.status());
    std::cout << messages->size() << "\n";
    return 0;
  }
  auto timeline = domain::LoadTimeline(s, ws->workspace, c->id);
  if (!timeline.ok()) return Fail(timeline.status());
  if (f.json) {
    std::cout << domain::ToJson(*timeline).dump(2) << "\n";
    return 0;
  }
  const std::vector<domain::Message>* messages = &timeline->messages;
  const domain::Patterns& patterns = timeline->patterns;
  std::cout << c->name << ": " << messages->size() << " berichten\n";
  for (const domain::Message& m : *messages) {
    const std::time_t t =
        static_cast<std::time_t>(m.sent_at + m.utc_offset_minutes * 60);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char when[32];
    std::strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
    std::string flags;
    if (!m.analysis_json.empty()) {
      auto a = nlohmann::json::parse(m.analysis_json, nullptr, false);
      if (!a.is_discarded()) {
        const int level = a.value("escalation_level", 0);
        if (level > 0) flags += " [escalatie " + std::to_string(level) + "]";
        if (a.contains("signals"))
          for (const auto& sig : a["signals"]) {
            const std::string id = sig.value("id", "");
            if (id.rfind("tone.", 0) == 0 || id.rfind("emotion.", 0) == 0)
              continue;
            flags += " " + id;
          }
      }
    }
    std::string first = m.body.substr(0, m.body.find('\n'));
    if (first.size() > 70) {
      size_t cut = 70;
      while (cut > 0 && (static_cast<unsigned char>(first[cut]) & 0xC0) == 0x80)
        --cut;
      first = first.substr(0, cut) + "…";
    }
    std::cout << when
              << (m.direction == domain::Direction::kIncoming ? " ← " : " → ")
              << m.author << ": " << first << flags << "\n";
  }
  PrintPatterns(std::cout, patterns);
  return 0;
}

}  // namespace kalm::cli

namespace kalm::cli {

int RunExport(const Wiring& wiring, const BackupFlags& f) {
  auto ws = OpenWorkspace(wiring, f.store, false);
  if (!ws.ok()) return Fail(ws.status());
  auto dump = ws->store->Dump(ws->workspace);
  if (!dump.ok()) return Fail(dump.status());
  const std::string text = domain::ToJson(*dump).dump(1) + "\n";
  if (f.file.empty() || f.file == "-") {
    std::cout << text;
    return 0;
  }
  // The backup holds client mail and password hashes: owner-only, written
  // whole or not at all.
  const std::string tmp = f.file + ".tmp";
  FILE* out = std::fopen(tmp.c_str(), "wb");
  if (out == nullptr)
    return Fail(
        UnavailableError("cannot write " + tmp + ": " + std::strerror(errno)));
  fchmod(fileno(out), 0600);
  const bool ok =
      std::fwrite(text.data(), 1, text.size(), out) == text.size() &&
      std::fflush(out) == 0 && fsync(fileno(out)) == 0;
  std::fclose(out);
  if (!ok || std::rename(tmp.c_str(), f.file.c_str()) != 0) {
    std::remove(tmp.c_str());
    return Fail(UnavailableError("cannot write " + f.file));
  }
  std::cerr << "kalm: wrote " << f.file << " (" << dump->clients.size()
            << " clients, " << dump->messages.size() << " messages)\n";
  return 0;
}

int RunRestore(const Wiring& wiring, const BackupFlags& f) {
  auto text = ReadInput(f.file, size_t{4} << 30);
  if (!text.ok()) return Fail(text.status());
  auto j = nlohmann::json::parse(*text, nullptr, false);
  if (j.is_discarded())
    return Fail(
        InvalidArgumentError(f.file + " is not JSON (a kalm backup is)"));
  auto dump = domain::DumpFromJson(j);
  if (!dump.ok()) return Fail(dump.status());
  auto store = wiring.open_store(DatabaseUrl(wiring, f.store));
  if (!store.ok()) return Fail(store.status());
  Status st = (*store)->Restore(*dump);
  if (!st.ok()) return Fail(st);
  std::cerr << "kalm: restored workspace '" << dump->workspace.name << "' ("
            << dump->clients.size() << " clients, " << dump->messages.size()
            << " messages)\n";
  return 0;
}

}  // namespace kalm::cli
