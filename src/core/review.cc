#include "kalm/core/review.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <deque>
#include <map>
#include <set>

#include "lines.h"

namespace kalm::core {
namespace {

using C = Category;

struct CoachHit {
  C cat;
  double w;
  uint32_t first;  // token span
  uint32_t last;
  uint32_t entry;
  bool negated = false;
  bool dropped = false;
};

struct RewriteRule {
  std::string finding;
  std::string replacement;  // "" removes the words
  std::string source;       // "nl/rewrites.tsv:12"
};

struct LangData {
  std::unique_ptr<Lexicon> lex;       // draft.* plus negators, time, persons
  std::unique_ptr<Lexicon> rewrites;  // one pattern per rewrite rule
  std::map<uint32_t, RewriteRule> rule_of_line;  // rewrites.tsv line -> rule
  std::map<std::pair<std::string, std::string>, std::string, std::less<>>
      texts;  // (kind, id) -> text
};

constexpr std::array<std::string_view, 8> kFindingIds = {
    "defensive", "pleasing",          "harsh", "arguing",
    "monologue", "no_acknowledgment", "vague", "boundary_without_alternative"};

constexpr std::array<std::string_view, 7> kGoodIds = {
    "acknowledges",    "concrete_next_step", "boundary_with_alternative",
    "sincere_apology", "short_and_clear",    "polite",
    "offers_choice"};

bool EndsWith(std::string_view s, std::string_view suf) {
  return s.size() >= suf.size() && s.substr(s.size() - suf.size()) == suf;
}

// "{je|u}" alternations chosen by register (English: the first form).
std::string ResolveForms(std::string_view text, Register form) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    const size_t open = text.find('{', i);
    if (open == std::string_view::npos) break;
    const size_t close = text.find('}', open);
    const size_t bar = text.find('|', open);
    if (close == std::string_view::npos || bar == std::string_view::npos ||
        bar > close)
      break;
    out.append(text.substr(i, open - i));
    out.append(form == Register::kU ? text.substr(bar + 1, close - bar - 1)
                                    : text.substr(open + 1, bar - open - 1));
    i = close + 1;
  }
  out.append(text.substr(i));
  return out;
}

// A lexicon source holding only the lines of `content` whose category is one
// of `cats`; the other lines become empty so line numbers (rule ids) stay.
std::string FilterLines(std::string_view content,
                        const std::set<std::string_view>& cats) {
  std::string out;
  size_t pos = 0;
  while (pos <= content.size()) {
    size_t end = content.find('\n', pos);
    if (end == std::string_view::npos) end = content.size();
    const std::string_view line = content.substr(pos, end - pos);
    const size_t t1 = line.find('\t');
    const size_t t2 =
        t1 == std::string_view::npos ? t1 : line.find('\t', t1 + 1);
    if (t1 != std::string_view::npos && !line.empty() && line[0] != '#') {
      const std::string_view cat = line.substr(
          t1 + 1, (t2 == std::string_view::npos ? line.size() : t2) - t1 - 1);
      if (cats.count(cat)) out.append(line);
    }
    out.push_back('\n');
    if (end == content.size()) break;
    pos = end + 1;
  }
  return out;
}

}  // namespace

struct Reviewer::Impl {
  const Analyzer* analyzer = nullptr;
  PhraseLibrary phrases;
  std::array<LangData, 2> lang;
  std::deque<std::string> storage;  // synthesized lexicon sources

  const std::string& Text(Language l, std::string_view kind,
                          std::string_view id) const {
    static const std::string kEmpty;
    const auto& t = lang[static_cast<size_t>(l)].texts;
    auto it = t.find(std::pair<std::string, std::string>(kind, id));
    return it == t.end() ? kEmpty : it->second;
  }
};

Reviewer::Reviewer() : impl_(std::make_unique<Impl>()) {}
Reviewer::~Reviewer() = default;

const PhraseLibrary& Reviewer::phrases() const { return impl_->phrases; }

const Lexicon& Reviewer::coach_lexicon(Language l) const {
  return *impl_->lang[static_cast<size_t>(l)].lex;
}

StatusOr<std::unique_ptr<Reviewer>> Reviewer::Build(
    const Analyzer& analyzer, const std::vector<DataFile>& files) {
  std::unique_ptr<Reviewer> r(new Reviewer());
  Impl& im = *r->impl_;
  im.analyzer = &analyzer;
  auto phrases = PhraseLibrary::Build(files);
  if (!phrases.ok()) return phrases.status();
  im.phrases = std::move(*phrases);

  // From the analyzer's lexicons the reviewer borrows what it needs to read a
  // draft: negators, the reader as a person, and time words.
  const std::set<std::string_view> borrowed = {"negator", "target.person",
                                               "intensifier"};
  // (time.ref comes from data/coach: the analyzer's are spans of waiting.)
  for (const Language l : {Language::kDutch, Language::kEnglish}) {
    const std::string code(LanguageCode(l));
    std::vector<LexiconSource> sources;
    std::string_view rewrites_content, texts_content;
    for (const DataFile& f : files) {
      if (f.path.size() < 4 || f.path.substr(f.path.size() - 4) != ".tsv")
        continue;
      if (f.path.rfind("coach/" + code + "/", 0) == 0) {
        const std::string name = f.path.substr(6);
        if (EndsWith(f.path, "/rewrites.tsv")) {
          rewrites_content = f.content;
        } else if (EndsWith(f.path, "/texts.tsv")) {
          texts_content = f.content;
        } else {
          sources.push_back({name, f.content});
        }
      } else if (f.path.rfind("lexicon/" + code + "/", 0) == 0) {
        im.storage.push_back(FilterLines(f.content, borrowed));
        sources.push_back({f.path.substr(8), im.storage.back()});
      }
    }
    if (sources.empty() || rewrites_content.empty() || texts_content.empty()) {
      return NotFoundError("reply-coach data missing: need data/coach/" + code +
                           "/*.tsv, rewrites.tsv and texts.tsv");
    }
    LangData& ld = im.lang[static_cast<size_t>(l)];
    auto lex = Lexicon::Build(l, sources);
    if (!lex.ok()) return lex.status();
    ld.lex = std::move(*lex);

    // Rewrites: compiled as a lexicon of their patterns, line for line.
    std::string patterns;
    const std::string rw_name = code + "/rewrites.tsv";
    KALM_RETURN_IF_ERROR(ForEachDataLine(
        rewrites_content, [&](std::string_view line, int line_no) -> Status {
          const std::string where =
              "coach/" + rw_name + ":" + std::to_string(line_no) + ": ";
          const std::vector<std::string_view> col = SplitFields(line, 4);
          if (col.size() < 3) {
            return InvalidArgumentError(
                where +
                "expected pattern<TAB>finding<TAB>replacement<TAB>note");
          }
          if (std::find(kFindingIds.begin(), kFindingIds.end(), col[1]) ==
              kFindingIds.end()) {
            return InvalidArgumentError(where + "unknown finding '" +
                                        std::string(col[1]) + "'");
          }
          if (col[0].find("...") != std::string_view::npos) {
            return InvalidArgumentError(where + "no '...' gaps in rewrites");
          }
          std::string_view rep = col[2];
          if (rep == "-") rep = {};
          for (size_t i = rep.find('{'); i != std::string_view::npos;
               i = rep.find('{', i + 1)) {
            const size_t close = rep.find('}', i);
            const size_t bar = rep.find('|', i);
            if (close == std::string_view::npos ||
                bar == std::string_view::npos || bar > close) {
              return InvalidArgumentError(
                  where + "only {je-form|u-form} choices, no placeholders");
            }
          }
          ld.rule_of_line[static_cast<uint32_t>(line_no)] = {
              std::string(col[1]), std::string(rep),
              rw_name + ":" + std::to_string(line_no)};
          // Pad to the same line number, then the pattern as a lexicon line.
          size_t lines = static_cast<size_t>(
              std::count(patterns.begin(), patterns.end(), '\n'));
          while (lines + 1 < static_cast<size_t>(line_no)) {
            patterns.push_back('\n');
            ++lines;
          }
          patterns.append(col[0]);
          patterns.append("\tdraft.defensive\t1\t\n");
          return Status::Ok();
        }));
    im.storage.push_back(std::move(patterns));
    auto rw = Lexicon::Build(l, {{rw_name, im.storage.back()}});
    if (!rw.ok()) return rw.status();
    ld.rewrites = std::move(*rw);

    KALM_RETURN_IF_ERROR(ForEachDataLine(
        texts_content, [&](std::string_view line, int line_no) -> Status {
          const auto col = SplitFields(line, 3);
          if (col.size() != 3) {
            return InvalidArgumentError(
                "coach/" + code + "/texts.tsv:" + std::to_string(line_no) +
                ": expected kind<TAB>id<TAB>text");
          }
          ld.texts[{std::string(col[0]), std::string(col[1])}] =
              std::string(col[2]);
          return Status::Ok();
        }));
    for (std::string_view id : kFindingIds) {
      if (im.Text(l, "finding", id).empty()) {
        return InvalidArgumentError("coach/" + code +
                                    "/texts.tsv: no text for finding " +
                                    std::string(id));
      }
    }
  }
  return r;
}

StatusOr<Review> Reviewer::Run(std::string_view draft,
                               const ReviewContext& ctx) const {
  const Impl& im = *impl_;
  Review out;
  out.reviewer_version = std::string(kReviewerVersion);

  AnalysisContext actx;
  actx.language = ctx.language;
  Tokenized tz;
  auto analysed = im.analyzer->Analyze(draft, actx, &tz);
  if (!analysed.ok()) return analysed.status();
  const Analysis& da = *analysed;
  const Language lang =
      da.advice_language == "en" ? Language::kEnglish : Language::kDutch;
  out.language = std::string(LanguageCode(lang));

  std::optional<Analysis> in;
  Tokenized in_tokens;
  if (!ctx.reply_to.empty()) {
    AnalysisContext ictx;
    ictx.fallback_language = lang;
    auto a = im.analyzer->Analyze(ctx.reply_to, ictx, &in_tokens);
    if (!a.ok()) {
      return Status(a.status().code(), "reply-to: " + a.status().message());
    }
    in = std::move(*a);
    out.reply_to_escalation = in->escalation_level;
  }

  const LangData& ld = im.lang[static_cast<size_t>(lang)];
  const Lexicon& lex = *ld.lex;
  const std::vector<Token>& toks = tz.tokens;
  const size_t n = toks.size();

  // Register: the forms of address the draft uses.
  Register form = Register::kNone;
  if (ctx.form) {
    form = *ctx.form;
  } else if (lang == Language::kDutch) {
    form = DetectRegister(toks);
  }
  out.form = std::string(RegisterName(form));

  // Flemish "ge/gij" drafts: a rewrite never swaps their forms for "je".
  const bool flemish = UsesFlemishForms(toks);

  int words = 0;
  for (const Token& t : toks)
    words += t.kind == TokenKind::kWord || t.kind == TokenKind::kNumber;
  out.words = words;

  // Coach lexicon hits; a longer match of the same category hides a shorter.
  std::vector<CoachHit> hits;
  for (const LexMatch& m : lex.Match(toks)) {
    for (uint32_t ei : lex.EntriesOf(m.pattern)) {
      const LexEntry& e = lex.entry(ei);
      hits.push_back({e.category, e.weight, m.first, m.last, ei});
    }
  }
  // One sweep in (first, longest) order: per category, the hit reaching
  // furthest so far covers every later one that ends inside it (linear in the
  // hits, so a huge draft cannot make it quadratic).
  std::stable_sort(hits.begin(), hits.end(),
                   [](const CoachHit& a, const CoachHit& b) {
                     if (a.first != b.first) return a.first < b.first;
                     return a.last > b.last;
                   });
  {
    struct Reach {
      uint32_t first = 0, last = 0;
      bool any = false;
    };
    std::array<Reach, kCategoryCount> reach{};
    for (CoachHit& h : hits) {
      Reach& r = reach[static_cast<size_t>(h.cat)];
      if (r.any && h.last <= r.last && (r.last - r.first) > (h.last - h.first))
        h.dropped = true;
      if (!r.any || h.last > r.last) r = {h.first, h.last, true};
    }
  }
  std::vector<double> neg(n, 0), person(n, 0);
  for (const CoachHit& h : hits) {
    if (h.dropped) continue;
    for (uint32_t i = h.first; i <= h.last; ++i) {
      if (h.cat == C::kNegator) neg[i] = std::max(neg[i], h.w);
      if (h.cat == C::kTargetPerson) person[i] = std::max(person[i], h.w);
    }
  }
  auto is_word = [&](size_t i) {
    return toks[i].kind == TokenKind::kWord ||
           toks[i].kind == TokenKind::kNumber;
  };
  // Negated within two words before, in the same sentence ("ik begrijp niet",
  // "I don't understand"); Dutch also clause-final ("ik begrijp het niet").
  for (CoachHit& h : hits) {
    if (h.dropped || h.cat == C::kNegator || h.cat == C::kDraftRefusal ||
        h.cat == C::kDraftAbsolute)
      continue;
    int seen = 0;
    for (size_t k = h.first; k > 0 && seen < 2;) {
      --k;
      if (toks[k].sentence != toks[h.first].sentence) break;
      if (toks[k].kind == TokenKind::kPunct) break;  // "niet erg, fijn dat"
      if (!is_word(k)) continue;
      ++seen;
      if (neg[k] > 0) h.negated = true;
    }
    bool inside = false;
    for (uint32_t i = h.first; i <= h.last; ++i) inside = inside || neg[i] > 0;
    if (inside) h.negated = false;  // the pattern holds its own negation
    // A phrase that opens a clause ("ik snap dat je ...") is not negated by
    // what that clause says ("... even geen lucht hebt").
    const std::string_view last_word = toks[h.last].norm;
    const bool opens_clause = last_word == "dat" || last_word == "je" ||
                              last_word == "u" || last_word == "jij" ||
                              last_word == "waarom" || last_word == "hoe" ||
                              last_word == "wat" || h.last - h.first >= 3;
    if (!h.negated && lang == Language::kDutch && !opens_clause &&
        (h.cat == C::kDraftAcknowledge || h.cat == C::kDraftCommit)) {
      int after = 0;
      for (size_t k = h.last + 1; k < n && after < 2; ++k) {
        if (toks[k].sentence != toks[h.first].sentence) break;
        if (toks[k].kind == TokenKind::kPunct) break;
        ++after;
        if (neg[k] > 0) h.negated = true;
      }
    }
  }
  auto active = [&](const CoachHit& h) { return !h.dropped && !h.negated; };
  auto count = [&](C c) {
    int k = 0;
    for (const CoachHit& h : hits) k += active(h) && h.cat == c;
    return k;
  };
  auto first_hit = [&](C c) -> const CoachHit* {
    for (const CoachHit& h : hits)
      if (active(h) && h.cat == c) return &h;
    return nullptr;
  };
  // The reader is the one doing it: "je reageert nooit", "you always change
  // it", "u bent onredelijk" (a subject form up to four words before; "your
  // OK each time" is not about the reader).
  auto aimed = [&](const CoachHit& h) {
    const uint32_t s = toks[h.first].sentence;
    const size_t lo = h.first >= 4 ? h.first - 4 : 0;
    // An offer or a relief is no reproach: "you can always reach me", "je
    // hoeft nooit meer te wachten", "you never have to".
    for (size_t k = lo; k <= std::min(n - 1, size_t{h.last} + 2); ++k) {
      if (toks[k].sentence != s) continue;
      const std::string_view w = toks[k].norm;
      if (w == "can" || w == "could" || w == "kunt" || w == "kan" ||
          w == "kun" || w == "mag" || w == "may" || w == "hoeft" ||
          w == "hoef" || w == "hoeven" || w == "have" || w == "need" ||
          w == "needs")
        return false;
    }
    for (size_t k = lo; k < h.first; ++k) {
      if (toks[k].sentence != s || person[k] <= 0) continue;
      const std::string_view w = toks[k].norm;
      if (w == "you" || w == "you're" || w == "je" || w == "jij" || w == "u" ||
          w == "ge" || w == "gij" || w == "jullie")
        return true;
    }
    // "onredelijk van je", "rude of you": the person right after.
    for (size_t k = h.last + 1; k < n && k <= h.last + 2; ++k)
      if (toks[k].sentence == s && person[k] > 0) return true;
    return false;
  };
  auto has_signal = [&](const Analysis& a, std::string_view id, double min) {
    for (const Signal& s : a.signals)
      if (s.id == id && s.score >= min) return &s;
    return static_cast<const Signal*>(nullptr);
  };

  // Concrete moments: a time.ref word of data/coach of weight >= 0.9 (a
  // weekday, "morgen", "end of day", a month; vague windows such as "deze
  // week" weigh less) or a number shaped like a time or date ("10:00",
  // "14u30", "3pm", "12-03").
  std::vector<bool> time_at(n, false);
  for (const CoachHit& h : hits)
    if (!h.dropped && h.cat == C::kTimeRef && h.w >= 0.9)
      for (uint32_t i = h.first; i <= h.last; ++i) time_at[i] = true;
  for (size_t i = 0; i < n; ++i) {
    const Token& t = toks[i];
    const std::string_view raw = draft.substr(t.start, t.end - t.start);
    if (raw.empty() || !std::isdigit(static_cast<unsigned char>(raw[0])))
      continue;
    if (t.kind == TokenKind::kNumber &&
        raw.find_first_of(":.-/") != std::string_view::npos)
      time_at[i] = true;
    // "10:30": the word breaker splits at the colon.
    if (t.kind == TokenKind::kNumber && i + 2 < n &&
        toks[i + 1].end == toks[i + 2].start && toks[i + 1].start == t.end &&
        draft.substr(toks[i + 1].start, toks[i + 1].end - toks[i + 1].start) ==
            ":" &&
        toks[i + 2].kind == TokenKind::kNumber)
      time_at[i] = time_at[i + 2] = true;
    const std::string_view w = t.norm;
    if (t.kind == TokenKind::kWord &&
        (EndsWith(w, "u") || EndsWith(w, "am") || EndsWith(w, "pm") ||
         EndsWith(w, "h") || w.find('u') != std::string_view::npos))
      time_at[i] = true;
  }
  const bool has_time =
      std::find(time_at.begin(), time_at.end(), true) != time_at.end();

  auto text_of = [&](uint32_t a, uint32_t b) {
    return std::string(draft.substr(a, b - a));
  };
  auto rule_of = [&](const CoachHit& h) {
    return lex.RuleId(lex.entry(h.entry));
  };
  // Rewrite rules over the draft, for replacements and the rewrite.
  struct RwHit {
    uint32_t first, last;
    const RewriteRule* rule;
  };
  std::vector<RwHit> rw_hits;
  for (const LexMatch& m : ld.rewrites->Match(toks)) {
    for (uint32_t ei : ld.rewrites->EntriesOf(m.pattern)) {
      auto it = ld.rule_of_line.find(ld.rewrites->entry(ei).line);
      if (it != ld.rule_of_line.end())
        rw_hits.push_back({m.first, m.last, &it->second});
    }
  }
  // Longest first at each start, then no overlaps.
  std::sort(rw_hits.begin(), rw_hits.end(), [](const RwHit& a, const RwHit& b) {
    if (a.first != b.first) return a.first < b.first;
    return a.last > b.last;
  });
  {
    std::vector<RwHit> kept;
    for (const RwHit& h : rw_hits)
      if (kept.empty() || h.first > kept.back().last) kept.push_back(h);
    rw_hits = std::move(kept);
  }
  auto replacement_in = [&](uint32_t first, uint32_t last,
                            std::string_view finding) -> std::string {
    for (const RwHit& h : rw_hits) {
      if (h.first >= first && h.last <= last && h.rule->finding == finding)
        return ResolveForms(h.rule->replacement, form);
    }
    return {};
  };

  auto add = [&](std::string_view id, std::string severity, uint32_t first_tok,
                 uint32_t last_tok, std::string rule) {
    ReviewFinding f;
    f.id = std::string(id);
    f.severity = std::move(severity);
    if (n > 0) {
      f.start = toks[first_tok].start;
      f.end = toks[last_tok].end;
      f.text = text_of(f.start, f.end);
      f.replacement = replacement_in(first_tok, last_tok, id);
    }
    f.why = im.Text(lang, "finding", id);
    f.rule = std::move(rule);
    out.findings.push_back(std::move(f));
  };
  auto add_hit = [&](std::string_view id, std::string severity,
                     const CoachHit& h) {
    add(id, std::move(severity), h.first, h.last, rule_of(h));
  };
  auto add_signal = [&](std::string_view id, std::string severity,
                        const Signal& s) {
    ReviewFinding f;
    f.id = std::string(id);
    f.severity = std::move(severity);
    if (!s.evidence.empty()) {
      f.start = s.evidence[0].start;
      f.end = s.evidence[0].end;
      f.text = s.evidence[0].text;
      f.rule = s.evidence[0].rule;
      for (uint32_t k = 0; k < n; ++k) {
        if (toks[k].start < f.start || toks[k].end > f.end) continue;
        uint32_t last = k;
        while (last + 1 < n && toks[last + 1].end <= f.end) ++last;
        f.replacement = replacement_in(k, last, id);
        break;
      }
    }
    if (f.rule.empty()) f.rule = s.id;
    // "!!" says it once; capitals say it in lower case (as the rewrite does).
    if (f.replacement.empty() && !f.text.empty()) {
      if (f.text.find_first_not_of("!?") == std::string::npos) {
        f.replacement = f.text.find('?') != std::string::npos ? "?" : "!";
      } else if (s.id == "tone.shouting") {
        f.replacement = f.text;
        for (char& c : f.replacement)
          c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
    }
    f.why = im.Text(lang, "finding", id);
    out.findings.push_back(std::move(f));
  };

  // A library phrase to suggest (in the draft's language and form): the first
  // of `strategy` whose placeholders are all among `wanted` and that uses at
  // least one of them ("Wat wel kan: {day} om {time}" for a boundary).
  auto suggest =
      [&](std::string_view strategy,
          std::initializer_list<std::string_view> wanted) -> std::string {
    for (const Phrase* p : im.phrases.Find(
             lang, strategy, {},
             form == Register::kNone ? std::optional<Register>()
                                     : std::optional<Register>(form))) {
      const auto names = PhraseLibrary::PlaceholdersIn(p->text);
      if (names.empty() || p->tone == "firm") continue;
      bool ok = true;
      for (const std::string& ph : names)
        ok = ok && std::find(wanted.begin(), wanted.end(), ph) != wanted.end();
      if (ok) return p->text;
    }
    return {};
  };

  // The client message's mood.
  // Upset: a feeling to acknowledge, not only a request or a question
  // ("I need it by tomorrow", "why was the post late?").
  const bool upset =
      in && (in->escalation_level >= 2 || in->emotions.at("anger") >= 0.4 ||
             in->emotions.at("disappointment") >= 0.4 ||
             in->emotions.at("anxiety") >= 0.4 ||
             has_signal(*in, "unheard", 0.5) != nullptr ||
             has_signal(*in, "relation.exit", 0.5) != nullptr ||
             (in->emotions.at("stress") >= 0.6 && in->valence < -0.2) ||
             // (A list of details to fix is feedback, not a feeling.)
             (in->complaint >= 0.5 && in->valence < -0.1 &&
              has_signal(*in, "micro.nitpick", 0.3) == nullptr) ||
             (in->escalation_level >= 1 && in->valence < -0.3));
  const bool heated = in && in->escalation_level >= 2;
  // Heated enough to wait with anything but a calm draft: anger or hostility,
  // not a strong disappointment alone.
  const bool angry_client =
      in && (in->escalation_level >= 3 ||
             (in->escalation_level >= 2 && in->emotions.at("anger") >= 0.5));

  // Defensive: contradicting, "as I said", blame.
  {
    const CoachHit* d = first_hit(C::kDraftDefensive);
    const CoachHit* b = first_hit(C::kDraftBlame);
    // "Ik begrijp niet waarom ..." is a counter, not understanding.
    const CoachHit* neg_ack = nullptr;
    for (const CoachHit& h : hits)
      if (!h.dropped && h.negated && h.cat == C::kDraftAcknowledge)
        neg_ack = &h;
    const int k = count(C::kDraftDefensive) + count(C::kDraftBlame) +
                  (neg_ack != nullptr);
    const CoachHit* ev = d != nullptr ? d : (b != nullptr ? b : neg_ack);
    if (ev != nullptr && (ev->w >= 0.5 || k >= 2))
      add_hit("defensive", k >= 2 || heated ? "high" : "medium", *ev);
  }

  // Pleasing: apologising over and over, self-deprecation, free work, limits
  // given up.
  // Apologies: three, or two in different sentences ("Sorry! ... Nogmaals
  // sorry."), is too many; one sincere one is good.
  int apologies = 0;
  bool apologies_repeated = false;
  {
    std::set<uint32_t> sentences;
    for (const CoachHit& h : hits) {
      if (!active(h) || h.cat != C::kDraftApology) continue;
      ++apologies;
      sentences.insert(toks[h.first].sentence);
    }
    apologies_repeated = apologies >= 3 || sentences.size() >= 2;
  }
  {
    const CoachHit* over = first_hit(C::kDraftOverApology);
    const CoachHit* self = first_hit(C::kDraftSelfDeprecation);
    const CoachHit* free = first_hit(C::kDraftFreeWork);
    const CoachHit* limit = first_hit(C::kDraftLimitGiveUp);
    int kinds = (apologies_repeated || over != nullptr) + (self != nullptr) +
                (free != nullptr) + (limit != nullptr);
    const CoachHit* ev = over;
    if (ev == nullptr && apologies_repeated) {
      for (const CoachHit& h : hits)
        if (active(h) && h.cat == C::kDraftApology) {
          ev = &h;
        }
    }
    for (const CoachHit* c : {self, free, limit})
      if (ev == nullptr) ev = c;
    if (ev != nullptr && kinds > 0)
      add_hit("pleasing", kinds >= 2 ? "high" : "medium", *ev);
  }

  // Harsh: shouting, "!!", sarcasm, insults, absolutes and judgements aimed at
  // the client, curt orders.
  bool harsh_high = false;
  {
    const Signal* s = nullptr;
    int k = 0;
    for (const auto& [id, min] :
         std::initializer_list<std::pair<const char*, double>>{
             {"hostility.insult", 0.5},
             {"hostility.threat", 0.5},
             {"hostility.profanity", 0.5},
             {"tone.shouting", 0.5},
             // Irony in a draft needs a clear marker: "thank you for letting
             // me know" is mostly sincere from a VA.
             {"tone.irony", 0.8},
             {"complaint.label", 0.5},
             {"tone.exclamation", 0.6}}) {
      if (const Signal* x = has_signal(da, id, min)) {
        ++k;
        if (s == nullptr) s = x;
        if (std::string_view(id) != "tone.exclamation") harsh_high = true;
      }
    }
    const CoachHit* h = nullptr;
    for (const CoachHit& c : hits) {
      if (!active(c)) continue;
      if (c.w < 0.4) continue;
      if (c.cat == C::kDraftCurt ||
          ((c.cat == C::kDraftAbsolute || c.cat == C::kDraftJudgement) &&
           aimed(c))) {
        ++k;
        if (h == nullptr) h = &c;
      }
    }
    // "??" in a reply reads as exasperation ("Do you really think I'd
    // forget??"); the analyzer only counts "!!" and "?!".
    // In a reply, more signs of heat than in a client message:
    // - a word in capitals for emphasis ("it was YOUR subject line"): a word
    //   the lexicons know, or one of five letters or more ("PDF" is a name);
    // - an eye-roll or angry emoji;
    // - a sentence of one positive word after bad news ("Brilliant.",
    //   "Whatever.").
    const Lexicon* alex = im.analyzer->lexicon(lang);
    const uint64_t heat_bits =
        Lexicon::Bit(C::kIrony) | Lexicon::Bit(C::kAnger);
    const Token* heat = nullptr;
    for (size_t i = 0; i < n && heat == nullptr; ++i) {
      const Token& t = toks[i];
      if (t.kind == TokenKind::kWord && t.caps && t.norm.size() >= 3 &&
          t.alt2.empty() && !da.language.empty()) {
        const bool known = (alex != nullptr && alex->WordCategories(t) != 0) ||
                           lex.WordCategories(t) != 0;
        if (known || t.norm.size() >= 5) heat = &t;
      }
      if ((t.kind == TokenKind::kEmoji || t.kind == TokenKind::kEmoticon) &&
          alex != nullptr && (alex->WordCategories(t) & heat_bits) != 0)
        heat = &t;
    }
    if (heat == nullptr && da.valence <= 0.05) {
      for (const Sentence& sen : tz.sentences) {
        uint32_t only = UINT32_MAX;
        int count_words = 0;
        for (uint32_t q = sen.first_token; q < sen.end_token; ++q)
          if (is_word(q)) {
            ++count_words;
            only = q;
          }
        // A draft that is one word ("Prima.") is an answer, not sarcasm.
        if (count_words != 1 || tz.sentences.size() == 1) continue;
        const std::string_view w = toks[only].norm;
        if (w == "whatever" || w == "brilliant" || w == "great" ||
            w == "fantastic" || w == "lovely" || w == "seriously" ||
            w == "serieus" || w == "geweldig" || w == "prachtig" ||
            w == "fantastisch" || w == "top" || w == "boeiend" ||
            w == "prima" || w == "fine") {
          // Only after something negative in the draft: "Great." alone is
          // just enthusiasm.
          if (da.valence < -0.05 || w == "whatever" || w == "seriously" ||
              w == "serieus" || w == "boeiend")
            heat = &toks[only];
        }
      }
    }
    if (heat != nullptr) ++k;
    const Token* marks = nullptr;
    for (const Token& t : toks) {
      if (t.kind == TokenKind::kPunct &&
          t.norm.find("??") != std::string::npos) {
        marks = &t;
        break;
      }
    }
    if (marks != nullptr) ++k;
    if (h != nullptr && k >= 2) harsh_high = true;
    if (marks == nullptr) marks = heat;
    if (s == nullptr && h == nullptr && marks != nullptr) {
      ReviewFinding f;
      f.id = "harsh";
      f.severity = "medium";
      f.start = marks->start;
      f.end = marks->end;
      f.text = text_of(f.start, f.end);
      f.why = im.Text(lang, "finding", "harsh");
      f.rule = "punctuation-run";
      out.findings.push_back(std::move(f));
    }
    if (s != nullptr && (h == nullptr || !s->evidence.empty()))
      add_signal("harsh", harsh_high ? "high" : "medium", *s);
    else if (h != nullptr)
      add_hit("harsh", harsh_high ? "high" : "medium", *h);
  }

  // Arguing: a string of reasons, or yes-but.
  {
    int reasons = count(C::kDraftJustify);
    const CoachHit* yb = first_hit(C::kDraftYesBut);
    const CoachHit* j = first_hit(C::kDraftJustify);
    // Counter after counter: three "maar"/"but"s, or sentences that pile on
    // ("And ...", "Also ...", "Bovendien ...", "Second, ...") count as reasons.
    int buts = 0, piled = 0;
    uint32_t first_pile = UINT32_MAX;
    for (size_t i = 0; i < n; ++i) {
      const std::string_view w = toks[i].norm;
      if (w == "maar" || w == "but") ++buts;
      const bool opens = i == 0 || toks[i - 1].kind == TokenKind::kPunct;
      if (opens && (w == "and" || w == "also" || w == "en" || w == "ook" ||
                    w == "second" || w == "third" || w == "fourth" ||
                    w == "finally" || w == "secondly" || w == "thirdly" ||
                    w == "bovendien" || w == "daarnaast" || w == "verder" ||
                    w == "tenslotte" || w == "besides" || w == "moreover")) {
        ++piled;
        if (first_pile == UINT32_MAX) first_pile = static_cast<uint32_t>(i);
      }
    }
    // (In a long story every other sentence starts with "and": that is a
    // monologue, judged below, not an argument.)
    if (words <= 150) {
      if (buts >= 3) reasons += buts - 1;
      if (piled >= 2) reasons += piled;
    }
    if (yb != nullptr) {
      add_hit("arguing", reasons >= 2 ? "high" : "medium", *yb);
    } else if (reasons >= 3 || (reasons >= 2 && words > 80)) {
      if (j != nullptr) {
        add_hit("arguing", reasons >= 4 ? "high" : "medium", *j);
      } else {
        const uint32_t at = first_pile != UINT32_MAX ? first_pile : 0;
        add("arguing", reasons >= 4 ? "high" : "medium", at, at,
            "reasons:" + std::to_string(reasons));
      }
    }
  }

  // Monologue: far longer than the situation asks.
  {
    int in_words = 0;
    if (in) {
      for (const Token& t : in_tokens.tokens)
        in_words += t.kind == TokenKind::kWord || t.kind == TokenKind::kNumber;
    }
    const int limit = in ? std::max(150, 3 * in_words + 60) : 200;
    if (words > limit && n > 0) {
      // Evidence: from the first sentence past the limit to the end.
      uint32_t first = 0;
      int seen = 0;
      for (uint32_t i = 0; i < n; ++i) {
        seen += is_word(i);
        if (seen > limit) {
          first =
              tz.sentences.empty() || toks[i].sentence >= tz.sentences.size()
                  ? i
                  : tz.sentences[toks[i].sentence].first_token;
          break;
        }
      }
      add("monologue", words > 2 * limit ? "high" : "medium", first,
          static_cast<uint32_t>(n - 1), "length:" + std::to_string(words));
    }
  }

  // No acknowledgment of an upset client.
  const bool acknowledges = count(C::kDraftAcknowledge) > 0;
  if (upset && !acknowledges && apologies == 0 &&
      first_hit(C::kDraftOverApology) == nullptr && n > 0) {
    uint32_t last = 0;
    while (last + 1 < n && toks[last + 1].sentence == toks[0].sentence) ++last;
    add("no_acknowledgment", heated ? "high" : "medium", 0, last,
        "reply-to:escalation-" + std::to_string(in->escalation_level));
    // What to open with: an acknowledging phrase of the library in the
    // draft's form of address, one that needs no facts filled in.
    const std::string trigger =
        has_signal(*in, "unheard", 0.5) ? "unheard" : "negative_emotion";
    for (const Phrase* p : im.phrases.Find(
             lang, "acknowledge", trigger,
             form == Register::kNone ? std::optional<Register>()
                                     : std::optional<Register>(form))) {
      if (p->trigger != trigger || p->tone != "soft" ||
          !PhraseLibrary::PlaceholdersIn(p->text).empty())
        continue;
      out.findings.back().replacement = p->text;
      break;
    }
  }

  // Vague: a non-committal promise with no moment to hold on to.
  const bool commits = count(C::kDraftCommit) > 0;
  // A window ("deze week", "this week") is a time word but not a moment.
  const CoachHit* window = nullptr;
  for (const CoachHit& h : hits)
    if (active(h) && h.cat == C::kTimeRef && h.w <= 0.45 && window == nullptr)
      window = &h;
  bool asks = false;  // a question to the client is a next step too
  for (const Token& t : toks)
    asks = asks || (t.kind == TokenKind::kPunct &&
                    t.norm.find('?') != std::string::npos);
  const bool offers = count(C::kDraftAlternative) > 0;
  bool will_act = false;
  for (size_t i = 0; i < n; ++i) {
    const std::string_view w = toks[i].norm;
    const std::string_view next =
        i + 1 < n ? std::string_view(toks[i + 1].norm) : "";
    if (w == "i'll" || w == "we'll" || w == "ill" ||
        ((w == "i" || w == "we") && next == "will") ||
        ((w == "ik" || w == "we") &&
         (next == "ga" || next == "zal" || next == "gaan" || next == "zullen")))
      will_act = true;
  }
  // A hedged moment ("hopefully I'll have something before Friday") is no
  // moment to hold on to.
  const CoachHit* hedged = nullptr;
  for (const CoachHit& h : hits) {
    if (!active(h) || h.cat != C::kDraftVague || hedged != nullptr) continue;
    std::string t = text_of(toks[h.first].start, toks[h.last].end);
    for (char& c : t)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (t.find("hope") == std::string::npos &&
        t.find("hoop") == std::string::npos &&
        t.find("try") == std::string::npos &&
        t.find("probeer") == std::string::npos)
      continue;
    for (size_t i = 0; i < n; ++i)
      if (time_at[i] && toks[i].sentence == toks[h.first].sentence) hedged = &h;
  }
  if (const CoachHit* v = first_hit(C::kDraftVague);
      v != nullptr && !has_time) {
    add_hit("vague", "medium", *v);
  } else if (hedged != nullptr) {
    add_hit("vague", "medium", *hedged);
  } else if (commits && window != nullptr && !has_time) {
    // "Ik ga er deze week mee aan de slag": when this week?
    add_hit("vague", "medium", *window);
  } else if (!commits && !has_time && !asks && !offers && n > 0 &&
             count(C::kDraftRefusal) == 0 &&
             std::any_of(
                 out.findings.begin(), out.findings.end(),
                 [](const ReviewFinding& f) { return f.id == "pleasing"; }) &&
             !will_act) {
    // Sorry upon sorry and nothing else: no action (done or to do), moment
    // or question, so the client is left wondering what happens next. (A
    // done action, "I've sent the right address", is a commit in data/coach;
    // any "I'll ..." is a promise of action.)
    add("vague", "medium", 0, static_cast<uint32_t>(n - 1), "no-next-step");
  }
  if (!out.findings.empty() && out.findings.back().id == "vague")
    // A next step with a moment to fill in.
    out.findings.back().replacement =
        suggest("agree_concretely", {"day", "time", "date", "task"});

  // A boundary without an alternative.
  // A flat "Nee." / "No," opening the reply is a refusal too.
  CoachHit opening_no{C::kDraftRefusal, 0.6, 0, 0, UINT32_MAX};
  const CoachHit* refusal = first_hit(C::kDraftRefusal);
  // The last refusal of that sentence ("Nee, sorry, ik werk niet op
  // zaterdag"): what follows it is what counts.
  if (refusal != nullptr) {
    for (const CoachHit& h : hits)
      if (active(h) && h.cat == C::kDraftRefusal &&
          toks[h.first].sentence == toks[refusal->first].sentence &&
          h.last > refusal->last)
        refusal = &h;
  }
  if (refusal == nullptr && n >= 2 && toks[1].kind == TokenKind::kPunct &&
      (toks[0].norm == "nee" || toks[0].norm == "no" || toks[0].norm == "neen"))
    refusal = &opening_no;
  const bool alternative = count(C::kDraftAlternative) > 0;
  // Another moment offered: a time after the refusal or in another sentence
  // ("Vanavond lukt niet" refuses a moment, it does not offer one).
  // A moment right after the refusal is what is refused ("ik werk niet op
  // zaterdag"); an alternative comes after a turn ("..., maar maandag wel",
  // "; tomorrow at 9 works") or in another sentence.
  bool other_moment = false;
  // A moment is offered only when its sentence offers something ("I can do
  // Monday", "morgen lukt wel"); "my hours end at 17:30" and "it's 22:00"
  // state the limit.
  std::vector<bool> offering(tz.sentences.size() + 1, false);
  for (size_t i = 0; i < n; ++i) {
    const std::string_view w = toks[i].norm;
    if (w == "can" || w == "could" || w == "i'll" || w == "will" ||
        w == "works" || w == "available" || w == "free" || w == "happy" ||
        w == "kan" || w == "kun" || w == "kunnen" || w == "lukt" ||
        w == "werkt" || w == "graag" || w == "wel" || w == "beschikbaar" ||
        w == "vrij" || w == "zal" || w == "plan" || w == "schedule" ||
        w == "shall" || w == "zullen" || w == "how" || w == "hoe" ||
        // "morgen begin ik om 7.30", "I start at 9": the writer acts then;
        // a question proposes ("Heb je vrijdag om 15:00 een lijstje?").
        w == "ik" || w == "i" || w == "we" ||
        (toks[i].kind == TokenKind::kPunct &&
         w.find('?') != std::string_view::npos))
      if (toks[i].sentence < offering.size()) offering[toks[i].sentence] = true;
  }
  for (const CoachHit& h : hits)
    if (active(h) &&
        (h.cat == C::kDraftCommit || h.cat == C::kDraftAlternative) &&
        toks[h.first].sentence < offering.size())
      offering[toks[h.first].sentence] = true;
  auto offered = [&](size_t i) {
    return toks[i].sentence < offering.size() && offering[toks[i].sentence];
  };
  if (refusal != nullptr) {
    bool turned = false;
    for (size_t i = refusal->last + 1; i < n; ++i) {
      if (toks[i].sentence != toks[refusal->first].sentence) break;
      const std::string_view w = toks[i].norm;
      if (toks[i].kind == TokenKind::kPunct || w == "maar" || w == "but" ||
          w == "wel" || w == "instead" || w == "dan" || w == "then")
        turned = true;
      if (time_at[i] && turned && offered(i)) other_moment = true;
    }
    // In another sentence a moment is an alternative unless that sentence
    // refuses too ("NIET op zaterdag en NIET op zondag").
    std::vector<bool> negated_sentence(tz.sentences.size() + 1, false);
    for (size_t i = 0; i < n; ++i)
      if (neg[i] > 0 && toks[i].sentence < negated_sentence.size())
        negated_sentence[toks[i].sentence] = true;
    for (size_t i = 0; i < n; ++i)
      if (time_at[i] && toks[i].sentence != toks[refusal->first].sentence &&
          offered(i) &&
          !(toks[i].sentence < negated_sentence.size() &&
            negated_sentence[toks[i].sentence]))
        other_moment = true;
  }
  if (refusal != nullptr && !alternative && !other_moment) {
    if (refusal->entry == UINT32_MAX) {
      add("boundary_without_alternative", "medium", 0, 0, "opening-no");
    } else {
      add_hit("boundary_without_alternative", "medium", *refusal);
    }
    if (out.findings.back().id == "boundary_without_alternative" &&
        out.findings.back().replacement.empty()) {
      // The alternative to add: another moment, or the rate for extra work.
      out.findings.back().replacement =
          suggest("boundary", {"day", "time", "date", "rate", "availability"});
    }
  }

  std::sort(out.findings.begin(), out.findings.end(),
            [](const ReviewFinding& a, const ReviewFinding& b) {
              return a.start < b.start;
            });

  // Politeness: the analyzer's reading of the draft, lowered by harshness.
  bool harsh = false;
  for (const auto& f : out.findings) harsh = harsh || f.id == "harsh";
  out.politeness =
      std::round(std::clamp(da.politeness - (harsh ? 0.2 : 0.0), 0.0, 1.0) *
                 1000) /
      1000;

  // What is good.
  auto good = [&](std::string_view id) {
    out.good.push_back({std::string(id), im.Text(lang, "good", id)});
  };
  auto found = [&](std::string_view id) {
    for (const auto& f : out.findings)
      if (f.id == id) return true;
    return false;
  };
  if (acknowledges && !found("defensive")) good("acknowledges");
  if (commits && has_time && !found("vague")) good("concrete_next_step");
  if (refusal != nullptr && (alternative || other_moment))
    good("boundary_with_alternative");
  if (apologies == 1 && !found("pleasing")) good("sincere_apology");
  if (words > 0 && words <= 120 && out.findings.empty())
    good("short_and_clear");
  if (out.politeness >= 0.6 && !harsh) good("polite");
  if (alternative && refusal == nullptr) good("offers_choice");

  if (ctx.rewrite) {
    std::vector<RewriteEdit> edits;
    std::vector<bool> taken(n, false);
    // Facts stay as they are: numbers, amounts, dates, times, e-mail
    // addresses, URLs and names (a capitalised word inside a sentence).
    auto fact = [&](uint32_t i) {
      const Token& t = toks[i];
      if (t.kind == TokenKind::kNumber) return true;
      const std::string_view raw = draft.substr(t.start, t.end - t.start);
      for (char c : raw)
        if (std::isdigit(static_cast<unsigned char>(c)) || c == '@' ||
            c == '/' || c == '.' || c == '$')
          return true;
      if (t.kind == TokenKind::kWord && t.capitalised && !t.caps) {
        const bool sentence_first = t.sentence < tz.sentences.size() &&
                                    tz.sentences[t.sentence].first_token == i;
        if (!sentence_first && !t.line_start) return true;
      }
      return false;
    };
    auto sentence_first = [&](uint32_t i) {
      return toks[i].line_start ||
             (toks[i].sentence < tz.sentences.size() &&
              tz.sentences[toks[i].sentence].first_token == i);
    };
    for (const RwHit& h : rw_hits) {
      bool blocked = false;
      for (uint32_t i = h.first; i <= h.last; ++i) blocked = blocked || fact(i);
      if (flemish && h.rule->replacement.find('|') != std::string::npos)
        blocked = true;
      if (blocked) continue;
      RewriteEdit e;
      e.start = toks[h.first].start;
      e.end = toks[h.last].end;
      e.after = ResolveForms(h.rule->replacement, form);
      e.why = h.rule->finding;
      const bool upper_first =
          std::isupper(static_cast<unsigned char>(draft[e.start])) != 0;
      if (e.after.empty()) {
        // Removed words take the comma and spaces after them along, and the
        // next word starts the sentence if they did.
        size_t end = e.end;
        while (end < draft.size() &&
               (draft[end] == ',' || draft[end] == ';' || draft[end] == ':'))
          ++end;
        while (end < draft.size() && draft[end] == ' ') ++end;
        e.end = static_cast<uint32_t>(end);
        if (sentence_first(h.first) && end < draft.size() &&
            std::islower(static_cast<unsigned char>(draft[end]))) {
          e.after = std::string(
              1, static_cast<char>(
                     std::toupper(static_cast<unsigned char>(draft[end]))));
          ++e.end;
        }
      } else {
        if (upper_first && sentence_first(h.first) &&
            std::islower(static_cast<unsigned char>(e.after[0]))) {
          e.after[0] = static_cast<char>(
              std::toupper(static_cast<unsigned char>(e.after[0])));
        }
        // A replacement that ends its own sentence ("... willen bekijken?")
        // takes the draft's closing mark along: no "?.".
        const char last = e.after.back();
        if ((last == '?' || last == '!' || last == '.') &&
            e.end < draft.size() &&
            (draft[e.end] == '.' || draft[e.end] == '!' || draft[e.end] == '?'))
          ++e.end;
      }
      for (uint32_t i = h.first; i <= h.last; ++i) taken[i] = true;
      edits.push_back(std::move(e));
    }
    // Shouting: a run of words in capitals (or one long one) in lower case;
    // short ones such as "BTW" or "PDF" are names of things and stay.
    for (uint32_t i = 0; i < n;) {
      if (taken[i] || toks[i].kind != TokenKind::kWord || !toks[i].caps ||
          fact(i)) {
        ++i;
        continue;
      }
      uint32_t j = i;
      while (j + 1 < n && !taken[j + 1] &&
             (toks[j + 1].kind != TokenKind::kWord || toks[j + 1].caps) &&
             toks[j + 1].kind != TokenKind::kPunct && !fact(j + 1))
        ++j;
      while (j > i && toks[j].kind != TokenKind::kWord) --j;
      const bool run = j > i;
      const bool long_word = toks[i].end - toks[i].start >= 4;
      if (run || long_word) {
        RewriteEdit e;
        e.start = toks[i].start;
        e.end = toks[j].end;
        e.before = std::string(draft.substr(e.start, e.end - e.start));
        e.after = e.before;
        for (char& c : e.after)
          c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (sentence_first(i))
          e.after[0] = static_cast<char>(
              std::toupper(static_cast<unsigned char>(e.after[0])));
        e.why = "harsh";
        if (e.after != e.before) edits.push_back(std::move(e));
        for (uint32_t k = i; k <= j; ++k) taken[k] = true;
      }
      i = j + 1;
    }
    // "!!", "?!", "???": one mark says it.
    for (uint32_t i = 0; i < n; ++i) {
      if (taken[i] || toks[i].kind != TokenKind::kPunct) continue;
      const std::string_view raw =
          draft.substr(toks[i].start, toks[i].end - toks[i].start);
      if (raw.size() < 2 ||
          raw.find_first_not_of("!?") != std::string_view::npos)
        continue;
      RewriteEdit e;
      e.start = toks[i].start;
      e.end = toks[i].end;
      e.after = raw.find('?') != std::string_view::npos ? "?" : "!";
      e.why = "harsh";
      edits.push_back(std::move(e));
    }
    std::sort(edits.begin(), edits.end(),
              [](const RewriteEdit& a, const RewriteEdit& b) {
                return a.start < b.start;
              });
    RewriteResult rr;
    size_t at = 0;
    for (RewriteEdit& e : edits) {
      if (e.start < at) continue;  // overlaps an earlier edit
      e.before = std::string(draft.substr(e.start, e.end - e.start));
      rr.text.append(draft.substr(at, e.start - at));
      rr.text.append(e.after);
      at = e.end;
      rr.edits.push_back(e);
    }
    rr.text.append(draft.substr(at));
    out.rewrite = std::move(rr);
  }

  if (ctx.trace) {
    for (const CoachHit& h : hits) {
      if (h.dropped) continue;
      char w[16];
      std::snprintf(w, sizeof w, " %.2f", h.w);
      out.trace.push_back(std::string(CategoryName(h.cat)) + w +
                          (h.negated ? " negated" : "") + " '" +
                          text_of(toks[h.first].start, toks[h.last].end) +
                          "' " + rule_of(h));
    }
    for (const RwHit& h : rw_hits)
      out.trace.push_back(
          "rewrite '" + text_of(toks[h.first].start, toks[h.last].end) +
          "' -> '" + h.rule->replacement + "' " + h.rule->source);
  }

  // Verdict.
  bool serious = false;
  for (const auto& f : out.findings) serious = serious || f.severity != "low";
  // Wait: the draft is written in the heat of the moment (harsh), or it
  // argues back at an angry client. A draft that only misses a step
  // (acknowledgment, a date) is improved, not parked.
  // Not acknowledging a client who shouts or insults needs a pause too.
  const bool shouting_client =
      in && (in->escalation_level >= 3 ||
             has_signal(*in, "tone.shouting", 0.5) != nullptr);
  const bool fighting = found("defensive") || found("arguing") ||
                        found("harsh") ||
                        (found("no_acknowledgment") && shouting_client);
  if (harsh || (angry_client && fighting)) {
    out.verdict = "wait";
    int minutes = 15;
    if (in && in->escalation_level >= 3) minutes = 120;
    if (in && in->escalation_level == 2) minutes = std::max(minutes, 30);
    if (harsh) minutes = std::max(minutes, harsh_high ? 60 : 30);
    out.wait_minutes = minutes;
  } else if (serious) {
    out.verdict = "improve";
  } else {
    out.verdict = "send";
  }
  out.verdict_why = im.Text(lang, "verdict", out.verdict);
  return out;
}

nlohmann::json ToJson(const Review& r) {
  nlohmann::json j;
  j["reviewer_version"] = r.reviewer_version;
  j["language"] = r.language;
  j["register"] = r.form;
  j["verdict"] = r.verdict;
  j["verdict_why"] = r.verdict_why;
  j["wait_minutes"] = r.wait_minutes;
  j["politeness"] = r.politeness;
  j["words"] = r.words;
  if (r.reply_to_escalation >= 0)
    j["reply_to_escalation"] = r.reply_to_escalation;
  j["findings"] = nlohmann::json::array();
  for (const auto& f : r.findings) {
    j["findings"].push_back({{"id", f.id},
                             {"severity", f.severity},
                             {"start", f.start},
                             {"end", f.end},
                             {"text", f.text},
                             {"why", f.why},
                             {"replacement", f.replacement},
                             {"rule", f.rule}});
  }
  j["good"] = nlohmann::json::array();
  for (const auto& g : r.good)
    j["good"].push_back({{"id", g.id}, {"why", g.why}});
  if (!r.trace.empty()) j["trace"] = r.trace;
  if (r.rewrite) {
    nlohmann::json e = nlohmann::json::array();
    for (const auto& x : r.rewrite->edits) {
      e.push_back({{"start", x.start},
                   {"end", x.end},
                   {"before", x.before},
                   {"after", x.after},
                   {"why", x.why}});
    }
    j["rewrite"] = {{"text", r.rewrite->text}, {"edits", e}};
  }
  return j;
}

}  // namespace kalm::core
