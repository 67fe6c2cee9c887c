// `kalm review` and `kalm phrases`.
#include <unistd.h>

#include <algorithm>
#include <iostream>

#include "cli/cli.h"
#include "kalm/core/reply.h"
#include "kalm/core/review.h"

namespace kalm::cli {
namespace {

struct Labels {
  std::string_view verdict, send, improve, wait, minutes, politeness, words,
      form, findings, none, instead, remove, good, rewrite, edits, open_with,
      add;
};

const Labels& LabelsFor(std::string_view lang) {
  static const Labels nl = {"Oordeel",
                            "versturen",
                            "eerst verbeteren",
                            "wacht even",
                            "minuten",
                            "Beleefdheid",
                            "woorden",
                            "aanspreekvorm",
                            "Bevindingen",
                            "geen",
                            "in plaats daarvan",
                            "weglaten",
                            "Goed",
                            "Zachtere versie",
                            "Wijzigingen",
                            "begin bijvoorbeeld met",
                            "voeg bijvoorbeeld toe"};
  static const Labels en = {
      "Verdict",      "send",           "improve first", "wait",
      "minutes",      "Politeness",     "words",         "register",
      "Findings",     "none",           "instead",       "leave out",
      "Good",         "Softer version", "Edits",         "you could open with",
      "you could add"};
  return lang == "en" ? en : nl;
}

void PrintReview(std::ostream& out, const core::Review& r) {
  const Labels& L = LabelsFor(r.language);
  std::string_view v = r.verdict == "send"      ? L.send
                       : r.verdict == "improve" ? L.improve
                                                : L.wait;
  out << L.verdict << ": " << v;
  if (r.wait_minutes > 0)
    out << " (" << r.wait_minutes << " " << L.minutes << ")";
  out << "\n  " << r.verdict_why << "\n";
  out << L.politeness << " " << r.politeness << " · " << r.words << " "
      << L.words;
  if (r.form != "-") out << " · " << L.form << " " << r.form;
  out << "\n\n" << L.findings << ":";
  if (r.findings.empty()) out << " " << L.none;
  out << "\n";
  for (const auto& f : r.findings) {
    out << "  " << f.id << " (" << f.severity << ")";
    if (!f.text.empty() && f.text.size() <= 160)
      out << "  \"" << f.text << "\"";
    out << "\n    " << f.why << "\n";
    if (!f.replacement.empty()) {
      const bool addition =
          f.id == "vague" || f.id == "boundary_without_alternative";
      out << "    "
          << (f.id == "no_acknowledgment" ? L.open_with
              : addition                  ? L.add
                                          : L.instead)
          << ": \"" << f.replacement << "\"\n";
    }
  }
  if (!r.good.empty()) {
    out << "\n" << L.good << ":\n";
    for (const auto& g : r.good) out << "  + " << g.why << "\n";
  }
  if (r.rewrite) {
    out << "\n" << L.rewrite << ":\n" << r.rewrite->text;
    if (r.rewrite->text.empty() || r.rewrite->text.back() != '\n') out << "\n";
    if (!r.rewrite->edits.empty()) {
      out << "\n" << L.edits << ":\n";
      for (const auto& e : r.rewrite->edits) {
        out << "  \"" << e.before << "\" -> ";
        if (e.after.empty())
          out << "(" << L.remove << ")";
        else
          out << "\"" << e.after << "\"";
        out << "  [" << e.why << "]\n";
      }
    }
  }
}

// "je", "u" or empty (detect). Errors: kInvalidArgument for anything else.
StatusOr<std::optional<core::Register>> ParseRegister(const std::string& s) {
  if (s == "je") return std::optional<core::Register>(core::Register::kJe);
  if (s == "u") return std::optional<core::Register>(core::Register::kU);
  if (s.empty()) return std::optional<core::Register>();
  return InvalidArgumentError("--register must be je or u");
}

}  // namespace

StatusOr<std::unique_ptr<core::Reviewer>> MakeReviewer(
    const std::string& dir, const core::Analyzer& analyzer) {
  std::deque<std::string> storage;
  auto files = LoadDataFiles(dir, &storage, /*with_models=*/false);
  if (!files.ok()) return files.status();
  return core::Reviewer::Build(analyzer, *files);
}

int RunReview(const ReviewFlags& f, const std::string& data_dir) {
  core::ReviewContext ctx;
  if (f.lang == "nl") {
    ctx.language = core::Language::kDutch;
  } else if (f.lang == "en") {
    ctx.language = core::Language::kEnglish;
  } else if (f.lang != "auto") {
    return Fail(InvalidArgumentError("--lang must be auto, nl or en"));
  }
  auto form = ParseRegister(f.form);
  if (!form.ok()) return Fail(form.status());
  ctx.form = *form;
  ctx.rewrite = f.rewrite;
  ctx.trace = f.explain;
  auto coach = MakeCoach(data_dir, /*with_reviewer=*/true);
  if (!coach.ok()) return Fail(coach.status());
  auto draft = ReadInput(f.file, core::kMaxMessageBytes);
  if (!draft.ok()) return Fail(draft.status());
  std::string reply_to;
  if (!f.reply_to.empty()) {
    auto r = ReadInput(f.reply_to, core::kMaxMessageBytes);
    if (!r.ok()) return Fail(r.status());
    reply_to = std::move(*r);
    // An empty client message given on purpose is a mistake, not "no message".
    if (Status st = core::CheckMessage(reply_to); !st.ok()) {
      return Fail(Status(st.code(), "reply-to: " + st.message()));
    }
    ctx.reply_to = reply_to;
  }
  auto review = coach->reviewer->Run(*draft, ctx);
  if (!review.ok()) return Fail(review.status());
  if (f.json) {
    std::cout << core::ToJson(*review).dump(2) << "\n";
  } else {
    PrintReview(std::cout, *review);
    if (f.explain) {
      std::cout << "\n";
      for (const std::string& line : review->trace)
        std::cout << "  " << line << "\n";
    }
  }
  return 0;
}

int RunReply(const ReplyFlags& f, const std::string& data_dir) {
  core::ReplyContext ctx;
  AnalyzeFlags af;
  af.lang = f.lang;
  af.at = f.at;
  af.availability = f.availability;
  af.tz = f.tz;
  af.scope = f.scope;
  auto actx = MakeContext(af);
  if (!actx.ok()) return Fail(actx.status());
  ctx.analysis = std::move(*actx);
  auto form = ParseRegister(f.form);
  if (!form.ok()) return Fail(form.status());
  ctx.form = *form;
  for (const auto& [k, v] : f.values)
    if (!v.empty()) ctx.values[k] = v;
  if (!f.availability.empty()) ctx.values["availability"] = f.availability;
  auto coach = MakeCoach(data_dir, /*with_reviewer=*/false);
  if (!coach.ok()) return Fail(coach.status());
  auto message = ReadInput(f.file, core::kMaxMessageBytes);
  if (!message.ok()) return Fail(message.status());
  core::ReplyComposer composer(*coach->analyzer, coach->phrases());
  auto s = composer.Suggest(*message, ctx);
  if (!s.ok()) return Fail(s.status());
  if (f.json) {
    std::cout << core::ToJson(*s).dump(2) << "\n";
    return 0;
  }
  const bool nl = s->language == "nl";
  if (s->cool_down) {
    std::cout << (nl ? "Eerst afkoelen. Stuur nu alleen een korte bevestiging:"
                     : "Cool down first. For now, send only a short receipt:")
              << "\n\n  " << s->receipt << "\n\n"
              << (nl ? "en antwoord later, bijvoorbeeld zo:"
                     : "and reply later, for example like this:")
              << "\n";
  }
  for (const auto& v : s->variants) {
    const std::string_view label = v.id == "short" ? (nl ? "Kort" : "Short")
                                   : v.id == "standard"
                                       ? (nl ? "Standaard" : "Standard")
                                       : (nl ? "Stevig" : "Firm");
    std::cout << "\n== " << label << " ==\n" << v.text << "\n";
    if (!v.missing.empty()) {
      std::cout << (nl ? "(nog invullen: " : "(still to fill in: ");
      for (size_t i = 0; i < v.missing.size(); ++i)
        std::cout << (i ? ", " : "") << "{" << v.missing[i] << "}";
      std::cout << ")\n";
    }
  }
  return 0;
}

int RunPhrases(const PhrasesFlags& f, const std::string& data_dir) {
  std::deque<std::string> storage;
  auto files = LoadDataFiles(data_dir, &storage, /*with_models=*/false);
  if (!files.ok()) return Fail(files.status());
  auto lib = core::PhraseLibrary::Build(*files);
  if (!lib.ok()) return Fail(lib.status());
  auto parsed = ParseRegister(f.form);
  if (!parsed.ok()) return Fail(parsed.status());
  const std::optional<core::Register> form = *parsed;
  if (!f.strategy.empty() &&
      !core::PhraseLibrary::Strategies().count(f.strategy)) {
    std::string known;
    for (const auto& [id, triggers] : core::PhraseLibrary::Strategies())
      known += (known.empty() ? "" : ", ") + id;
    return Fail(InvalidArgumentError("unknown strategy '" + f.strategy +
                                     "' (known: " + known + ")"));
  }
  const auto& situations = core::PhraseLibrary::Situations();
  if (!f.about.empty() && std::find(situations.begin(), situations.end(),
                                    f.about) == situations.end()) {
    std::string known;
    for (const std::string& id : situations)
      known += (known.empty() ? "" : ", ") + id;
    return Fail(InvalidArgumentError("unknown situation '" + f.about +
                                     "' (known: " + known + ")"));
  }
  std::vector<core::Language> langs;
  if (f.lang == "nl" || f.lang.empty()) langs.push_back(core::Language::kDutch);
  if (f.lang == "en" || f.lang.empty())
    langs.push_back(core::Language::kEnglish);
  if (langs.empty())
    return Fail(InvalidArgumentError("--lang must be nl or en"));
  nlohmann::json arr = nlohmann::json::array();
  size_t shown = 0;
  for (core::Language l : langs) {
    for (const core::Phrase* p : lib->Find(l, f.strategy, f.trigger, form)) {
      // --about: the phrases written for that situation, and the general
      // ones that fit any.
      if (!f.about.empty() && !p->about.empty() &&
          std::find(p->about.begin(), p->about.end(), f.about) ==
              p->about.end())
        continue;
      ++shown;
      if (f.json) {
        arr.push_back(core::ToJson(*p));
      } else {
        std::cout << core::LanguageCode(l) << "  " << p->strategy;
        if (p->trigger != "-") std::cout << "/" << p->trigger;
        if (p->form != core::Register::kNone)
          std::cout << "  [" << core::RegisterName(p->form) << "]";
        std::cout << "  (" << p->tone;
        for (size_t i = 0; i < p->about.size(); ++i)
          std::cout << (i == 0 ? "; " : ", ") << p->about[i];
        std::cout << ")\n    " << p->text << "\n";
      }
    }
  }
  if (f.json) std::cout << arr.dump(2) << "\n";
  if (shown == 0 && !f.json) std::cerr << "kalm: no phrases match\n";
  return 0;
}

}  // namespace kalm::cli
