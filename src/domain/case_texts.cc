#include "kalm/domain/case_texts.h"

#include <ctime>
#include <nlohmann/json.hpp>

#include "kalm/core/time.h"
#include "kalm/domain/json.h"

namespace kalm::domain {
namespace {

// Keys the composers use; a language without one of them is refused at load.
const char* const kNeeded[] = {
    "script.title",    "script.part.1", "script.part.2",
    "script.part.3",   "script.part.4", "script.part.5",
    "script.safety",   "ack.default",   "check.summary",
    "intent",          "structure",     "structure.short",
    "question",        "fact",          "fact.clause",
    "proposal",        "proposal.none", "limit",
    "limit.none",      "close",         "follow_up",
    "follow_up.none",  "mail.subject",  "mail.greeting",
    "mail.thanks",     "mail.action",   "mail.due",
    "who.me",          "who.client",    "who.both",
    "mail.follow_up",  "mail.check",    "mail.sign",
    "mail.no_actions", "date"};

std::string Fill(std::string s, const std::map<std::string, std::string>& v) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '{') {
      const size_t end = s.find('}', i);
      if (end != std::string::npos) {
        auto it = v.find(s.substr(i + 1, end - i - 1));
        if (it != v.end()) {
          out += it->second;
          i = end;
          continue;
        }
      }
    }
    out += s[i];
  }
  return out;
}

std::string Trim(std::string_view s) {
  const size_t a = s.find_first_not_of(" \t\r\n");
  if (a == std::string_view::npos) return "";
  const size_t b = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(a, b - a + 1));
}

// A sentence ends its text with a full stop (or ? or !) so that the
// templates around it read well.
std::string Sentence(std::string_view s) {
  std::string t = Trim(s);
  if (!t.empty() && t.back() != '.' && t.back() != '?' && t.back() != '!')
    t += '.';
  return t;
}

std::string Lang(std::string_view lang) { return lang == "en" ? "en" : "nl"; }

std::string Money2(int64_t cents) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "EUR %lld.%02lld",
                static_cast<long long>(cents / 100),
                static_cast<long long>(cents % 100));
  return buf;
}

std::string Hours(double h) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", h);
  return buf;
}

// "Een uur gratis (EUR 50.00; 1 uur)": the concession's text with what it
// is worth.
std::string Describe(const Concession& c, std::string_view lang) {
  std::string worth;
  if (c.cents) worth += Money2(*c.cents);
  if (c.hours)
    worth += (worth.empty() ? "" : "; ") + Hours(*c.hours) +
             (lang == "en" ? (*c.hours == 1 ? " hour" : " hours") : " uur");
  std::string t = Trim(c.text);
  if (t.empty()) return worth;
  if (worth.empty()) return t;
  return t + " (" + worth + ")";
}

}  // namespace

StatusOr<CaseTexts> CaseTexts::Parse(std::string_view nl_tsv,
                                     std::string_view en_tsv) {
  CaseTexts out;
  for (const auto& [lang, tsv] :
       {std::pair<std::string, std::string_view>{"nl", nl_tsv},
        {"en", en_tsv}}) {
    size_t line_no = 0, pos = 0;
    while (pos < tsv.size()) {
      const size_t nl = tsv.find('\n', pos);
      std::string_view line =
          tsv.substr(pos, nl == std::string_view::npos ? nl : nl - pos);
      pos = nl == std::string_view::npos ? tsv.size() : nl + 1;
      ++line_no;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.empty() || line[0] == '#') continue;
      const size_t t1 = line.find('\t');
      const size_t t2 =
          t1 == std::string_view::npos ? t1 : line.find('\t', t1 + 1);
      const std::string where =
          "data/case/" + lang + ".tsv:" + std::to_string(line_no);
      if (t2 == std::string_view::npos)
        return InvalidArgumentError(where + ": expected key, form and text");
      const std::string key(line.substr(0, t1));
      const std::string form(line.substr(t1 + 1, t2 - t1 - 1));
      const std::string text(line.substr(t2 + 1));
      if (form != "je" && form != "u" && form != "-")
        return InvalidArgumentError(where + ": the form is je, u or -");
      if (key.empty() || text.empty())
        return InvalidArgumentError(where + ": empty key or text");
      auto& forms = out.texts_[lang][key];
      if (forms.count(form))
        return InvalidArgumentError(where + ": '" + key + "' twice");
      forms[form] = text;
    }
    for (const char* k : kNeeded)
      if (!out.texts_[lang].count(k))
        return InvalidArgumentError("data/case/" + lang + ".tsv: no '" + k +
                                    "'");
  }
  return out;
}

std::string CaseTexts::Text(
    std::string_view lang, std::string_view form, std::string_view key,
    const std::map<std::string, std::string>& vars) const {
  auto l = texts_.find(Lang(lang));
  if (l == texts_.end()) return std::string(key);
  auto k = l->second.find(std::string(key));
  if (k == l->second.end()) return std::string(key);
  const std::string f = form == "u" ? "u" : "je";
  auto it = k->second.find(f);
  if (it == k->second.end()) it = k->second.find("-");
  if (it == k->second.end()) it = k->second.begin();
  return Fill(it->second, vars);
}

std::string CaseTexts::Date(std::string_view lang, UnixTime t,
                            std::string_view timezone) const {
  int offset = 0;
  if (!timezone.empty())
    if (auto z = core::Zone::Find(timezone); z.ok())
      offset = z->OffsetMinutes(t);
  const std::time_t local = static_cast<std::time_t>(t + offset * 60);
  std::tm tm{};
  gmtime_r(&local, &tm);
  const int weekday = (tm.tm_wday + 6) % 7;  // 0 = Monday
  return Text(
      lang, "-", "date",
      {{"weekday", Text(lang, "-", "day." + std::to_string(weekday))},
       {"day", std::to_string(tm.tm_mday)},
       {"month", Text(lang, "-", "month." + std::to_string(tm.tm_mon + 1))}});
}

std::string ConversationScript::Text() const {
  std::string out = title + "\n\n" + safety + "\n";
  for (const ScriptPart& p : parts) {
    out += "\n" + p.title + "\n";
    for (const std::string& l : p.lines) out += "  " + l + "\n";
  }
  out += "\n" + private_note + "\n";
  return out;
}

ConversationScript ComposeScript(const ComplaintCase& c, const Client& client,
                                 std::string_view dominant_emotion,
                                 const CaseTexts& texts) {
  const std::string lang = Lang(client.language);
  const std::string form = client.form == "u" ? "u" : "je";
  const CaseContent& x = c.content;
  auto T = [&](std::string_view key,
               const std::map<std::string, std::string>& v = {}) {
    return texts.Text(lang, form, key, v);
  };
  ConversationScript s;
  s.title = T("script.title", {{"client", client.name}});
  s.safety = T("script.safety");
  s.parts.resize(5);
  for (int i = 0; i < 5; ++i)
    s.parts[i].title = T("script.part." + std::to_string(i + 1));
  // 1. Acknowledge the emotion, summarise the complaint, check.
  const std::string ack = "ack." + std::string(dominant_emotion);
  const std::string acknowledged = T(ack);
  s.parts[0].lines.push_back(acknowledged == ack ? T("ack.default")
                                                 : acknowledged);
  if (!Trim(x.summary).empty())
    s.parts[0].lines.push_back(
        T("check.summary", {{"summary", Sentence(x.summary)}}));
  // 2. The intent to solve it together.
  s.parts[1].lines.push_back(T("intent"));
  // 3. The structure, the questions to ask and the facts to explain.
  s.parts[2].lines.push_back(
      T(x.questions.empty() ? "structure.short" : "structure"));
  for (const std::string& q : x.questions)
    s.parts[2].lines.push_back(T("question", {{"question", Trim(q)}}));
  for (const CaseFact& f : x.facts) {
    if (f.clause.empty()) {
      s.parts[2].lines.push_back(T("fact", {{"fact", Trim(f.text)}}));
      continue;
    }
    const std::string label = T("clause." + f.clause);
    s.parts[2].lines.push_back(
        T("fact.clause",
          {{"fact", Trim(f.text)},
           {"clause", label == "clause." + f.clause ? f.clause : label},
           {"version", std::to_string(f.agreement_version)}}));
  }
  // 4. The proposal; the limit stays private.
  const std::string proposal = Describe(x.proposal, lang);
  s.parts[3].lines.push_back(
      proposal.empty() ? T("proposal.none")
                       : T("proposal", {{"proposal", Sentence(proposal)}}));
  const std::string maximum = Describe(x.maximum, lang);
  s.private_note =
      maximum.empty() ? T("limit.none") : T("limit", {{"maximum", maximum}});
  // 5. Agreements and the follow-up.
  s.parts[4].lines.push_back(T("close"));
  s.parts[4].lines.push_back(
      x.follow_up_at
          ? T("follow_up", {{"follow_up", texts.Date(lang, *x.follow_up_at,
                                                     client.timezone)}})
          : T("follow_up.none"));
  return s;
}

ConfirmationMail ComposeConfirmation(const ComplaintCase& c,
                                     const Client& client, std::string_view me,
                                     const CaseTexts& texts) {
  const std::string lang = Lang(client.language);
  const std::string form = client.form == "u" ? "u" : "je";
  auto T = [&](std::string_view key,
               const std::map<std::string, std::string>& v = {}) {
    return texts.Text(lang, form, key, v);
  };
  const CaseContent& x = c.content;
  ConfirmationMail m;
  m.subject = T("mail.subject");
  // "Hoi Sanne," but "Beste Sanne de Vries,": the first name unless the
  // client is addressed formally.
  std::string name = Trim(client.name);
  if (form != "u" && name.find(' ') != std::string::npos)
    name = name.substr(0, name.find(' '));
  std::string b = T("mail.greeting", {{"client", name}}) + "\n\n";
  if (x.actions.empty()) {
    b += T("mail.no_actions") + "\n";
  } else {
    b += T("mail.thanks") + "\n\n";
    for (const AgreedAction& a : x.actions) {
      const std::string due =
          a.due ? T("mail.due",
                    {{"date", texts.Date(lang, *a.due, client.timezone)}})
                : "";
      b += T("mail.action", {{"what", Trim(a.what)},
                             {"who", T("who." + a.owner)},
                             {"due", due}}) +
           "\n";
    }
  }
  if (x.follow_up_at)
    b +=
        "\n" +
        T("mail.follow_up",
          {{"follow_up", texts.Date(lang, *x.follow_up_at, client.timezone)}}) +
        "\n";
  b += "\n" + T("mail.check") + "\n\n" + T("mail.sign") + "\n" +
       std::string(me) + "\n";
  m.body = std::move(b);
  return m;
}

StatusOr<ComplaintCase> StartCase(const Client& client, const Message* message,
                                  std::string title,
                                  const core::ReplyComposer* composer,
                                  UnixTime now) {
  if (Trim(title).empty() && message != nullptr) {
    std::string first = Trim(message->body.substr(0, message->body.find('\n')));
    if (first.size() > 80) {
      size_t cut = 80;
      while (cut > 0 && (static_cast<unsigned char>(first[cut]) & 0xC0) == 0x80)
        --cut;
      first = first.substr(0, cut) + "…";
    }
    title = first;
  }
  if (Trim(title).empty())
    return InvalidArgumentError("a case needs a title or a message");
  ComplaintCase c = OpenCase(
      client.id, message ? std::optional<Id>(message->id) : std::nullopt,
      Trim(title), now);
  if (message != nullptr && composer != nullptr &&
      message->direction == Direction::kIncoming) {
    core::ReplyContext ctx;
    if (client.form == "u") ctx.form = core::Register::kU;
    if (client.form == "je") ctx.form = core::Register::kJe;
    ctx.values["client"] = client.name;
    auto r = composer->Suggest(message->body, ctx);
    if (!r.ok()) return r.status();
    c.content.receipt = r->receipt;
    if (r->cool_down)
      c.content.cool_down_until =
          now + (r->escalation_level >= 3 ? 2 * 3600 : 30 * 60);
  }
  KALM_RETURN_IF_ERROR(Validate(c));
  return c;
}

ReflectionHints HintsFor(std::string_view message,
                         std::string_view analysis_json,
                         const Agreement* agreement) {
  ReflectionHints h;
  const nlohmann::json a = nlohmann::json::parse(analysis_json, nullptr, false);
  // Judgements: where the words of emotion, labels, tone or hostility are.
  std::vector<std::pair<size_t, size_t>> judged;
  std::vector<std::string> ids;
  if (a.is_object()) {
    h.dominant_emotion = a.value("dominant_emotion", "");
    if (h.dominant_emotion == "neutral") h.dominant_emotion.clear();
    if (a.contains("signals") && a["signals"].is_array())
      for (const auto& s : a["signals"]) {
        const std::string id = s.value("id", "");
        ids.push_back(id);
        const bool judging =
            id.rfind("emotion.", 0) == 0 || id == "complaint.label" ||
            id == "complaint.quality" || id.rfind("tone.", 0) == 0 ||
            id.rfind("hostility.", 0) == 0 || id == "relation.exit";
        if (!judging || !s.contains("evidence")) continue;
        for (const auto& e : s["evidence"])
          judged.push_back(
              {e.value("start", size_t{0}), e.value("end", size_t{0})});
      }
  }
  // Sentences: they end after a run of . ! ? before a space, or at a line
  // end.
  size_t start = 0;
  while (start < message.size()) {
    size_t stop = message.size(), next = message.size();
    for (size_t k = start; k < message.size(); ++k) {
      const char ch = message[k];
      if (ch == '\n') {
        stop = k;
        next = k + 1;
        break;
      }
      if (ch == '.' || ch == '!' || ch == '?') {
        size_t e = k + 1;
        while (e < message.size() &&
               (message[e] == '.' || message[e] == '!' || message[e] == '?'))
          ++e;
        if (e == message.size() || message[e] == ' ' || message[e] == '\n') {
          stop = next = e;
          break;
        }
        k = e - 1;
      }
    }
    const std::string sentence = Trim(message.substr(start, stop - start));
    if (sentence.size() > 2) {
      bool judging = false;
      for (const auto& [j0, j1] : judged)
        if (j0 < stop && j1 > start) judging = true;
      (judging ? h.judgements : h.facts).push_back(sentence);
    }
    start = next > start ? next : start + 1;
  }
  if (agreement == nullptr) return h;
  const AgreementTerms& t = agreement->terms;
  auto has = [&](std::string_view prefix) {
    for (const std::string& id : ids)
      if (id.rfind(prefix, 0) == 0) return true;
    return false;
  };
  auto add = [&](std::string key, std::string value) {
    h.clauses.push_back({std::move(key), std::move(value), agreement->version});
  };
  if ((has("complaint") || has("scope")) && !t.scope.empty()) {
    std::string items;
    for (const std::string& s : t.scope)
      items += (items.empty() ? "" : "; ") + s;
    add("scope", items);
  }
  if ((has("complaint.late") || has("need.speed")) && t.reaction_hours)
    add("reaction_hours", std::to_string(*t.reaction_hours));
  if (has("complaint.late") || has("deadline.client_missed"))
    add("late_delivery", t.late_delivery_shifts_planning ? "yes" : "no");
  if (has("scope.outside") && t.out_of_scope_rate)
    add("out_of_scope_rate", FormatMoney(*t.out_of_scope_rate));
  // Windows and update days are shown from the agreement itself.
  if (has("timing.after_hours") && !t.availability.empty())
    add("availability", "");
  if ((has("micro.checkin") || has("need.certainty") || has("need.control")) &&
      (!t.update_weekdays.empty() || t.update_end_of_day))
    add("updates", "");
  if ((has("payment") || has("demand.compensation")) && t.payment_due_days)
    add("payment_due_days", std::to_string(*t.payment_due_days));
  return h;
}

}  // namespace kalm::domain
