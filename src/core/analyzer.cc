// The message analyzer. See include/kalm/core/analyzer.h and docs/analysis.md.
//
// Steps: own text (quoted history out) -> tokens -> language -> lexicon matches
// -> hits with negation, intensity, contrast, irony, quoting and targets
// resolved
// -> category scores -> signals, valence, emotions, needs, escalation,
// strategies.
#include "kalm/core/analyzer.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <deque>
#include <mutex>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "lines.h"

namespace kalm::core {
namespace {

using C = Category;

// Words that open a new clause: negation and intensity do not reach across
// them. (Function words, not tone: kept here rather than in the reviewed
// lexicons.)
const std::unordered_set<std::string>& ClauseOpeners() {
  static const std::unordered_set<std::string> k = {
      "dat",   "omdat", "want",    "terwijl", "zodat", "hoewel",   "wanneer",
      "als",   "maar",  "die",     "because", "while", "although", "though",
      "which", "who",   "whereas", "but",     "if",    "when",     "unless"};
  return k;
}

// Negators that do not negate what follows ("not only", "niet alleen").
bool NegationException(std::string_view next) {
  return next == "alleen" || next == "only" || next == "just" ||
         next == "enkel" || next == "doubt" || next == "twijfel";
}

// The writer as "I"/"me" ("ik", "mij", "myself", ...).
bool FirstPersonSingular(std::string_view w) {
  return w == "i" || w == "i'm" || w == "ik" || w == "me" || w == "mij" ||
         w == "myself" || w == "mezelf";
}

// Verbs of saying: a negated one ("I never said", "dat heb ik nooit gezegd")
// denies the words that follow it in the sentence.
bool SayingVerb(std::string_view w) {
  return w == "said" || w == "say" || w == "meant" || w == "claimed" ||
         w == "wrote" || w == "zei" || w == "gezegd" || w == "bedoeld" ||
         w == "bedoelde" || w == "beweerd" || w == "geschreven" || w == "zeg";
}

double NoisyOr(double a, double b) { return 1.0 - (1.0 - a) * (1.0 - b); }

double Clamp01(double x) { return std::clamp(x, 0.0, 1.0); }

double Sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

struct Hit {
  C cat;
  double w;        // adjusted weight
  double base;     // lexicon weight
  uint32_t first;  // token span
  uint32_t last;
  uint32_t entry;  // lexicon entry index; UINT32_MAX for a synthetic hit
  uint32_t pattern;
  bool negated = false;
  bool reported = false;
  bool dropped = false;   // superseded by a longer match
  bool softened = false;  // a softener stands before it ("een beetje dom")
  bool denied = false;    // "I never said I was unhappy": not the writer's view
  // Rule id suffix ("~typo") or, for a synthetic hit, the whole rule id; the
  // "file:line" part is made only for evidence that is reported.
  const char* how = "";
};

// Hits in text order, a longer match before a shorter one at the same start.
bool HitOrder(const Hit& a, const Hit& b) {
  if (a.first != b.first) return a.first < b.first;
  return a.last > b.last;
}

bool IsModifier(C c) {
  return c == C::kNegator || c == C::kIntensifier || c == C::kSoftener ||
         c == C::kContrast;
}

// Categories whose meaning a negator reverses or cancels.
bool Negatable(C c) {
  switch (c) {
    case C::kValence:
    case C::kAnger:
    case C::kDisappointment:
    case C::kAnxiety:
    case C::kStress:
    case C::kJoy:
    case C::kComplaintQuality:
    case C::kComplaintLabel:
    case C::kInsult:
    case C::kThreat:
    case C::kRelationExit:
    case C::kDemandCompensation:
    case C::kUnheard:
    case C::kNeedSpeed:
    case C::kPaymentLate:
      return true;
    default:
      return false;
  }
}

struct LinearModel {
  double bias = 0;
  std::vector<double> w;  // aligned with FeatureNames()
  double Apply(const std::vector<double>& f) const {
    double s = bias;
    for (size_t i = 0; i < w.size() && i < f.size(); ++i) s += w[i] * f[i];
    return s;
  }
};

// Names of the fixed features, in the order of Feat below (a static_assert
// keeps the two lists the same length).
constexpr std::array<std::string_view, 24> kFixedFeatureNames = {
    "compound",         "pos_sum",     "neg_sum",       "exclamations",
    "question_marks",   "caps_share",  "shouting",      "question",
    "emoji_pos",        "emoji_neg",   "words_log",     "please_initial",
    "you_initial",      "why_initial", "irony_active",  "negated_positive",
    "negated_negative", "contrast",    "second_person", "first_person_plural",
    "url_or_mention",   "digits",      "insult_aimed",  "long_message"};

enum Feat : size_t {
  kCompound,
  kPosSum,
  kNegSum,
  kExcl,
  kQmarks,
  kCapsShare,
  kShouting,
  kQuestion,
  kEmojiPos,
  kEmojiNeg,
  kWordsLog,
  kPleaseInitial,
  kYouInitial,
  kWhyInitial,
  kIronyActive,
  kNegatedPositive,
  kNegatedNegative,
  kContrastF,
  kSecondPerson,
  kFirstPersonPlural,
  kUrlOrMention,
  kDigits,
  kInsultAimed,
  kLongMessage,
  kCatBase
};
static_assert(kFixedFeatureNames.size() == kCatBase,
              "kFixedFeatureNames and Feat must list the same features");

// Feature names: the fixed ones, then one per category ("cat:valence", ...).
std::vector<std::string> MakeFeatureNames() {
  std::vector<std::string> n(kFixedFeatureNames.begin(),
                             kFixedFeatureNames.end());
  for (int i = 0; i < kCategoryCount; ++i)
    n.push_back("cat:" + std::string(CategoryName(static_cast<C>(i))));
  return n;
}

}  // namespace

struct Analyzer::Impl {
  // Per language: the sources, kept until the lexicon is compiled (once).
  struct Pending {
    std::deque<std::string> storage;
    std::vector<LexiconSource> sources;
  };
  mutable Pending pending[2];  // emptied once compiled
  mutable std::once_flag once[2];
  mutable std::unique_ptr<Lexicon> lex[2];
  mutable Status lex_status[2];

  // The compiled lexicon, or nullptr with lex_status set if it does not
  // compile.
  const Lexicon* Lex(Language l) const {
    const auto i = static_cast<size_t>(l);
    std::call_once(once[i], [&] {
      auto built = Lexicon::Build(l, pending[i].sources);
      if (built.ok()) {
        lex[i] = std::move(*built);
      } else {
        lex_status[i] = built.status();
      }
      pending[i] = Pending();  // the lexicon holds what it needs
    });
    return lex[i].get();
  }
  std::unique_ptr<Tokenizer> tokenizer;
  std::optional<LanguageIdentifier> langid;
  std::map<std::pair<std::string, std::string>, std::string> advice[2];
  std::map<std::string, LinearModel, std::less<>> models;

  const std::string& Advice(Language l, const std::string& strategy,
                            const std::string& trigger) const {
    static const std::string kEmpty;
    auto it = advice[static_cast<size_t>(l)].find({strategy, trigger});
    return it == advice[static_cast<size_t>(l)].end() ? kEmpty : it->second;
  }
};

const std::vector<std::string>& Analyzer::FeatureNames() {
  static const std::vector<std::string> names = MakeFeatureNames();
  return names;
}

Analyzer::Analyzer() : impl_(std::make_unique<Impl>()) {}
Analyzer::~Analyzer() = default;

const Lexicon* Analyzer::lexicon(Language l) const { return impl_->Lex(l); }

StatusOr<std::unique_ptr<Analyzer>> Analyzer::Build(
    const std::vector<DataFile>& files, BuildOptions options) {
  std::unique_ptr<Analyzer> a(new Analyzer());
  Impl& im = *a->impl_;
  std::vector<LexiconSource> nl, en, common;
  std::string_view langid_nl, langid_en;
  for (const DataFile& f : files) {
    auto starts = [&](std::string_view p) { return f.path.rfind(p, 0) == 0; };
    const bool tsv =
        f.path.size() > 4 && f.path.substr(f.path.size() - 4) == ".tsv";
    if (!tsv) continue;
    if (starts("lexicon/nl/")) nl.push_back({f.path.substr(8), f.content});
    if (starts("lexicon/en/")) en.push_back({f.path.substr(8), f.content});
    if (starts("lexicon/common/"))
      common.push_back({f.path.substr(8), f.content});
    if (f.path == "langid/nl.tsv") langid_nl = f.content;
    if (f.path == "langid/en.tsv") langid_en = f.content;
    if (starts("advice/")) {
      const Language l =
          f.path == "advice/nl.tsv" ? Language::kDutch : Language::kEnglish;
      KALM_RETURN_IF_ERROR(ForEachDataLine(
          f.content, [&](std::string_view line, int line_no) -> Status {
            const auto col = SplitFields(line, 3);
            if (col.size() != 3) {
              return InvalidArgumentError(
                  f.path + ":" + std::to_string(line_no) +
                  ": expected strategy<TAB>trigger<TAB>text");
            }
            im.advice[static_cast<size_t>(l)]
                     [{std::string(col[0]), std::string(col[1])}] =
                std::string(col[2]);
            return Status::Ok();
          }));
    }
    if (starts("model/")) {
      const std::string name = f.path.substr(6, f.path.size() - 10);
      LinearModel m;
      m.w.assign(FeatureNames().size(), 0.0);
      KALM_RETURN_IF_ERROR(ForEachDataLine(
          f.content, [&](std::string_view line, int line_no) -> Status {
            const size_t t = line.find('\t');
            const std::string key(line.substr(0, t));
            const std::string val(
                t == std::string_view::npos ? "" : line.substr(t + 1));
            char* endp = nullptr;
            const double v = std::strtod(val.c_str(), &endp);
            if (t == std::string_view::npos || val.empty() ||
                endp != val.c_str() + val.size()) {
              return InvalidArgumentError(f.path + ":" +
                                          std::to_string(line_no) +
                                          ": expected feature<TAB>weight");
            }
            if (key == "bias") {
              m.bias = v;
              return Status::Ok();
            }
            const auto& names = FeatureNames();
            auto it = std::find(names.begin(), names.end(), key);
            if (it == names.end()) {
              return InvalidArgumentError(f.path + ":" +
                                          std::to_string(line_no) +
                                          ": unknown feature '" + key + "'");
            }
            m.w[static_cast<size_t>(it - names.begin())] = v;
            return Status::Ok();
          }));
      im.models[name] = std::move(m);
    }
  }
  if (nl.empty() || en.empty()) {
    return NotFoundError(
        "lexicon files missing: need data/lexicon/nl/*.tsv and "
        "data/lexicon/en/*.tsv");
  }
  if (langid_nl.empty() || langid_en.empty()) {
    return NotFoundError("language profiles missing: data/langid/{nl,en}.tsv");
  }
  for (const auto& c : common) {
    nl.push_back(c);
    en.push_back(c);
  }
  // Emoticons come from the common files only; a small lexicon of those tells
  // the tokenizer which to keep whole.
  auto symbols = Lexicon::Build(Language::kEnglish, common);
  if (!symbols.ok()) return symbols.status();
  std::unordered_set<std::string> emoticons;
  for (const auto& e : (*symbols)->Emoticons()) emoticons.insert(e);
  // The language lexicons are compiled now, or on first use when `lazy` (a
  // one-message command then builds only the language it needs).
  for (size_t l = 0; l < 2; ++l) {
    auto& pending = im.pending[l];
    for (const LexiconSource& src : (l == 0 ? nl : en)) {
      pending.storage.emplace_back(src.content);
      pending.sources.push_back({src.name, pending.storage.back()});
    }
    if (!options.lazy) {
      if (im.Lex(static_cast<Language>(l)) == nullptr) return im.lex_status[l];
    }
  }
  im.tokenizer = std::make_unique<Tokenizer>(std::move(emoticons));
  auto lid = LanguageIdentifier::Build(langid_nl, langid_en);
  if (!lid.ok()) return lid.status();
  im.langid = std::move(*lid);
  return a;
}

StatusOr<Analysis> Analyzer::Analyze(std::string_view text,
                                     const AnalysisContext& ctx,
                                     Tokenized* tokens_out) const {
  KALM_RETURN_IF_ERROR(CheckMessage(text));
  const Impl& im = *impl_;
  Analysis out;
  out.analyzer_version = std::string(kAnalyzerVersion);
  out.analysed = OwnText(text);
  Tokenized tz = im.tokenizer->Tokenize(text, out.analysed);
  std::vector<Token>& toks = tz.tokens;

  // Language.
  Language lang;
  if (ctx.language) {
    lang = *ctx.language;
    out.language = std::string(LanguageCode(lang));
    out.language_confidence = 1.0;
  } else {
    const LanguageGuess g = im.langid->Identify(toks);
    lang = g.language;
    if (!g.determined) {
      // Few function words: let the lexicons' vocabularies decide (this needs
      // both lexicons, also when they are built lazily).
      int nl_known = 0, en_known = 0;
      const Lexicon* lnl = im.Lex(Language::kDutch);
      const Lexicon* len = im.Lex(Language::kEnglish);
      for (const Token& t : toks) {
        if (t.kind != TokenKind::kWord) continue;
        const bool a = lnl != nullptr && lnl->WordCategories(t) != 0;
        const bool b = len != nullptr && len->WordCategories(t) != 0;
        nl_known += a && !b;
        en_known += b && !a;
      }
      if (nl_known != en_known)
        lang = nl_known > en_known ? Language::kDutch : Language::kEnglish;
      else if (ctx.fallback_language)
        lang = *ctx.fallback_language;
    }
    out.language = g.determined ? std::string(LanguageCode(lang)) : "und";
    out.language_confidence = std::round(g.confidence * 1000) / 1000;
  }
  out.advice_language = std::string(LanguageCode(lang));
  const Lexicon* lex_ptr = im.Lex(lang);
  if (lex_ptr == nullptr) return im.lex_status[static_cast<size_t>(lang)];
  const Lexicon& lex = *lex_ptr;
  const size_t n = toks.size();

  // Clause ids: a new clause at , ; : ( ) and at clause-opening words.
  std::vector<uint32_t> clause(n, 0);
  {
    uint32_t c = 0;
    for (size_t i = 0; i < n; ++i) {
      if (i > 0 && toks[i].sentence != toks[i - 1].sentence) ++c;
      const Token& t = toks[i];
      if (t.kind == TokenKind::kPunct &&
          t.norm.find_first_of(",;:()-") != std::string::npos) {
        ++c;
      } else if (t.kind == TokenKind::kWord && ClauseOpeners().count(t.norm)) {
        ++c;
      }
      clause[i] = c;
    }
  }

  // Quoted spans ("...", “...”, „...”, ‘...’) for reported speech.
  std::vector<bool> quoted(n, false);
  {
    bool open = false;
    for (size_t i = 0; i < n; ++i) {
      const Token& t = toks[i];
      if (t.kind == TokenKind::kPunct) {
        const std::string& p = t.norm;
        const bool dq = p.find('"') != std::string::npos;
        const bool lq = p.find("\xE2\x80\x9C") != std::string::npos ||
                        p.find("\xE2\x80\x9E") != std::string::npos ||
                        p.find("\xE2\x80\x98") != std::string::npos;
        const bool rq = p.find("\xE2\x80\x9D") != std::string::npos ||
                        p.find("\xE2\x80\x99") != std::string::npos;
        if (lq)
          open = true;
        else if (rq)
          open = false;
        else if (dq)
          open = !open;
        else if (p.find('\'') != std::string::npos) {
          // A lone ' after a space opens, before a space or punctuation closes.
          const bool after_space = t.start == 0 || text[t.start - 1] == ' ';
          if (after_space && !open)
            open = true;
          else if (open)
            open = false;
        }
        continue;
      }
      quoted[i] = open;
    }
  }

  // Evidence for a hit: its span in the original text and its rule.
  auto evidence_of = [&](const Hit& h) {
    const uint32_t a = toks[h.first].start, b = toks[h.last].end;
    std::string rule = h.entry == UINT32_MAX
                           ? std::string(h.how)
                           : lex.RuleId(lex.entry(h.entry)) + h.how;
    return Evidence{a, b, std::string(text.substr(a, b - a)), std::move(rule)};
  };
  // Matches -> hits.
  std::vector<LexMatch> matches = lex.Match(toks);
  std::vector<Hit> hits;
  hits.reserve(matches.size() * 2);
  for (const LexMatch& m : matches) {
    for (uint32_t ei : lex.EntriesOf(m.pattern)) {
      const LexEntry& e = lex.entry(ei);
      hits.push_back(
          Hit{e.category, e.weight, e.weight, m.first, m.last, ei, m.pattern});
    }
  }
  // Spelling variants of hostile words: one edit away, or split by spaces.
  {
    std::vector<bool> known(n, false);
    for (const Hit& h : hits)
      for (uint32_t i = h.first; i <= h.last; ++i) known[i] = true;
    auto add_pattern_hits = [&](uint32_t pattern, uint32_t first, uint32_t last,
                                const char* how) {
      for (uint32_t ei : lex.EntriesOf(pattern)) {
        const LexEntry& e = lex.entry(ei);
        if (IsModifier(e.category) || e.category == C::kTargetPerson) continue;
        Hit h{e.category, e.weight, e.weight, first, last, ei, pattern};
        h.how = how;
        hits.push_back(h);
      }
    };
    for (uint32_t i = 0; i < n; ++i) {
      const Token& t = toks[i];
      if (t.kind != TokenKind::kWord || known[i]) continue;
      // A capitalised word inside a sentence is most likely a name ("Pieter",
      // "Bos"): not a typo of a lexicon word.
      if (t.capitalised && !t.caps && i > 0 &&
          toks[i - 1].sentence == t.sentence && !t.line_start)
        continue;
      const std::string& w =
          t.alt2.empty() ? (t.alt1.empty() ? t.norm : t.alt1) : t.alt2;
      if (w.size() < 5) continue;
      for (uint32_t p : lex.Fuzzy(w)) add_pattern_hits(p, i, i, "~typo");
    }
    // Words split by spaces: "k u t", "klote zak", "id iot".
    for (uint32_t i = 0; i + 1 < n; ++i) {
      if (toks[i].kind != TokenKind::kWord ||
          toks[i].sentence != toks[i + 1].sentence)
        continue;
      uint32_t j = i;
      std::string joined;
      bool singles = true;
      while (j < n && toks[j].kind == TokenKind::kWord &&
             toks[j].sentence == toks[i].sentence && j - i < 6) {
        if (j > i && toks[j].start != toks[j - 1].end + 1)
          break;  // one space apart
        // Disguises split a word into short pieces.
        if (toks[j].norm.size() > 6 || joined.size() + toks[j].norm.size() > 14)
          break;
        joined += toks[j].norm;
        singles = singles && toks[j].norm.size() == 1;
        ++j;
        if (j - i < 2) continue;
        if (!singles && j - i > 2) break;
        if (joined.size() < (singles ? 3u : 4u)) continue;
        const std::vector<uint32_t> spelled = lex.HostileSpelled(joined);
        const bool any = !spelled.empty();
        if (any) {
          // Only when the parts are not hostile on their own.
          bool part_known = false;
          for (uint32_t k = i; k < j; ++k) part_known = part_known || known[k];
          if (!part_known || singles)
            add_pattern_hits(spelled.front(), i, j - 1, "~joined");
        }
        if (any) break;
      }
    }
  }

  // Hits sorted by first token (longer first), and the longest span: every
  // "which hits lie inside / around this one" question below looks only at a
  // window, so a long message stays linear.
  std::stable_sort(hits.begin(), hits.end(), HitOrder);
  uint32_t max_span = 0;
  for (const Hit& h : hits) max_span = std::max(max_span, h.last - h.first);
  // Index of the first hit whose first token is >= `tok`.
  auto first_at = [&](uint32_t tok) {
    return static_cast<size_t>(
        std::lower_bound(hits.begin(), hits.end(), tok,
                         [](const Hit& h, uint32_t t) { return h.first < t; }) -
        hits.begin());
  };

  // A word spelled out in pieces ("k u t") hides what its pieces matched on
  // their own ("u" as the formal "you").
  for (size_t ji = 0; ji < hits.size(); ++ji) {
    const Hit& j = hits[ji];
    if (std::string_view(j.how) != "~joined") continue;
    for (size_t k = first_at(j.first);
         k < hits.size() && hits[k].first <= j.last; ++k) {
      Hit& h = hits[k];
      if (k != ji && h.last <= j.last && std::string_view(h.how) != "~joined")
        h.dropped = true;
    }
  }

  // A closing line that opens with a greeting ("Warm regards and keep smiling!
  // ☀️") is a sign-off: its friendly words are not the message's tone.
  if (n > 0) {
    size_t last_line = n - 1;
    while (last_line > 0 && !toks[last_line].line_start) --last_line;
    bool signoff = false;
    for (const Hit& h : hits)
      if (!h.dropped && h.cat == C::kGreeting && h.first == last_line &&
          last_line > 0)
        signoff = true;
    if (signoff) {
      for (Hit& h : hits)
        if (h.first >= last_line && (h.cat == C::kValence || h.cat == C::kJoy))
          h.dropped = true;
    }
  }

  // Longer matches win over matches they contain, per category family.
  auto family = [](C c) {
    return IsModifier(c) ? 1 : (c == C::kValence ? 2 : 3);
  };
  for (size_t ai = 0; ai < hits.size(); ++ai) {
    Hit& a = hits[ai];
    const uint32_t from = a.first >= max_span ? a.first - max_span : 0;
    for (size_t bi = first_at(from);
         bi < hits.size() && hits[bi].first <= a.first; ++bi) {
      const Hit& b = hits[bi];
      if (bi == ai || b.dropped) continue;
      // Sign-offs ("fijne dag", "warm regards") are greetings, not tone.
      if (a.cat == C::kValence && b.cat == C::kGreeting && b.first <= a.first &&
          a.last <= b.last) {
        a.dropped = true;
        break;
      }
      // One word, one reading per category: an exact entry ("=lovely") wins
      // over a stem entry matching the same word ("love"), so it is not counted
      // twice.
      if (a.cat == b.cat && a.first == b.first && a.last == b.last &&
          a.pattern != b.pattern && a.entry != UINT32_MAX &&
          b.entry != UINT32_MAX) {
        const bool a_exact = lex.pattern_text(a.pattern).front() == '=';
        const bool b_exact = lex.pattern_text(b.pattern).front() == '=';
        if (b_exact && !a_exact) {
          a.dropped = true;
          break;
        }
      }
      const bool contains = b.first <= a.first && a.last <= b.last &&
                            (b.last - b.first) > (a.last - a.first);
      if (!contains) continue;
      // "te laat" inside "te laat aangeleverd" is the client's own delay, not
      // a complaint about the work.
      // Nor is its "te laat" negative tone towards the reader.
      if ((a.cat == C::kComplaintQuality ||
           (a.cat == C::kValence && a.base < 0)) &&
          b.cat == C::kDeadlineClientMissed) {
        a.dropped = true;
        break;
      }
      // A modifier inside a longer modifier is part of it ("kijk maar even" is
      // a softener, not contrast). Inside a tone phrase it still acts on other
      // words
      // ("not" in "not happy"), but not on that phrase (see the negation
      // window).
      if (family(a.cat) == family(b.cat) &&
          (family(a.cat) != 3 || a.cat == b.cat)) {
        a.dropped = true;
        break;
      }
    }
  }

  // Per-token modifier roles (and, below, per-sentence summaries of them).
  std::vector<double> neg(n, 0), inten(n, 0), soft(n, 0), contrast(n, 0),
      target(n, 0), report(n, 0);
  std::vector<uint32_t> neg_end(n, 0);  // last token of the negator phrase
  for (const Hit& h : hits) {
    if (h.dropped) continue;
    for (uint32_t i = h.first; i <= h.last; ++i) {
      switch (h.cat) {
        case C::kNegator:
          neg[i] = std::max(neg[i], h.base);
          neg_end[i] = std::max(neg_end[i], h.last);
          break;
        case C::kIntensifier:
          inten[i] = std::max(inten[i], h.base);
          break;
        case C::kSoftener:
          soft[i] = std::max(soft[i], h.base);
          break;
        case C::kContrast:
          contrast[i] = std::max(contrast[i], h.base);
          break;
        case C::kTargetPerson:
          target[i] = std::max(target[i], h.base);
          break;
        case C::kReport:
          report[i] = std::max(report[i], h.base);
          break;
        default:
          break;
      }
    }
  }
  std::vector<bool> sentence_has_target(tz.sentences.size(), false);
  std::vector<bool> sentence_has_softener(tz.sentences.size(), false);
  std::vector<bool> sentence_has_intensifier(tz.sentences.size(), false);
  for (size_t k = 0; k < n; ++k) {
    if (toks[k].sentence >= tz.sentences.size()) continue;
    if (target[k] > 0) sentence_has_target[toks[k].sentence] = true;
    if (soft[k] > 0) sentence_has_softener[toks[k].sentence] = true;
    if (inten[k] > 0) sentence_has_intensifier[toks[k].sentence] = true;
  }
  auto sentence_of = [&](uint32_t tok) -> const Sentence* {
    const uint32_t si = toks[tok].sentence;
    return si < tz.sentences.size() ? &tz.sentences[si] : nullptr;
  };
  auto is_word = [&](size_t i) {
    return toks[i].kind == TokenKind::kWord ||
           toks[i].kind == TokenKind::kNumber;
  };
  std::vector<bool> sentiment_at(n, false);
  for (const Hit& h : hits)
    if (!h.dropped && (h.cat == C::kValence || h.cat == C::kAnger ||
                       h.cat == C::kDisappointment || h.cat == C::kJoy))
      for (uint32_t i = h.first; i <= h.last; ++i) sentiment_at[i] = true;

  const bool all_caps_message =
      tz.letters >= 4 && tz.upper_letters * 10 >= tz.letters * 9;
  // Words in capitals that shout. Three or four letters in capitals on their
  // own are mostly names of things ("VAT", "PDF", "HEIC", "HTML"): they shout
  // as a word the lexicon knows ("NIET"), in a run of capitals, or in a
  // message that also shouts in longer words.
  std::vector<bool> shouted(n, false);
  int caps_words = 0;
  {
    std::vector<bool> short_caps(n, false);
    bool sure = false;  // at least one word that surely shouts
    for (size_t i = 0; i < n; ++i) {
      const Token& t = toks[i];
      if (t.kind != TokenKind::kWord || !t.caps || t.norm.size() < 3 ||
          !t.alt2.empty())
        continue;
      if (t.norm.size() <= 4 && !all_caps_message &&
          lex.WordCategories(t) == 0) {
        short_caps[i] = true;
        continue;
      }
      shouted[i] = true;
      sure = true;
    }
    // A run of words in capitals shouts, however short they are ("NOG EEN
    // KEER"); a lone short one only next to a word that surely shouts.
    auto caps_word = [&](size_t k) {
      return toks[k].kind == TokenKind::kWord && toks[k].caps &&
             toks[k].norm.size() >= 2;
    };
    for (size_t i = 0; i < n; ++i) {
      const bool neighbour =
          (i > 0 && caps_word(i - 1)) || (i + 1 < n && caps_word(i + 1));
      if (short_caps[i] && (sure || neighbour)) shouted[i] = true;
      caps_words += shouted[i];
    }
  }

  // Negation, intensity, caps, quoting per hit.
  for (Hit& h : hits) {
    if (h.dropped || IsModifier(h.cat)) continue;
    // Preceding window: up to three words in the same clause.
    double boost = 0, damp = 0;
    int seen = 0;
    // Judgements of a person are often negated further back ("I don't think
    // you're an idiot", "ik vind je echt geen idioot").
    const int window = (h.cat == C::kInsult || h.cat == C::kComplaintLabel ||
                        h.cat == C::kThreat)
                           ? 5
                           : 3;
    for (size_t k = h.first; k > 0 && seen < window;) {
      --k;
      if (clause[k] != clause[h.first]) break;
      if (!is_word(k)) continue;
      ++seen;
      // A negator phrase that runs into the hit ("echt niet" before "niet te
      // vreten") is the hit's own negation, already in its meaning.
      if (neg[k] > 0 && neg_end[k] < h.first) {
        const size_t next = k + 1;
        const bool exception = next < n && NegationException(toks[next].norm);
        if (!exception) h.negated = !h.negated;
        if (!exception) break;  // one negator decides
      }
      const double decay = seen == 1 ? 1.0 : (seen == 2 ? 0.95 : 0.9);
      boost += inten[k] * decay;
      damp += soft[k] * decay;
    }
    // A gap pattern ("lang ... wachten") does not read through a negator in its
    // gap ("lang hoefde ik niet te wachten").
    // (Tone only: in "als het geld niet terug op mijn rekening staat" the
    // demand stands.)
    const bool tone = h.cat == C::kValence || h.cat == C::kAnger ||
                      h.cat == C::kDisappointment || h.cat == C::kJoy ||
                      h.cat == C::kAnxiety || h.cat == C::kStress;
    if (tone && h.entry != UINT32_MAX &&
        lex.pattern_text(h.pattern).find("...") != std::string::npos) {
      const std::string& pt = lex.pattern_text(h.pattern);
      for (uint32_t k = h.first + 1; k < h.last; ++k) {
        if (neg[k] <= 0) continue;
        const std::string word = " " + toks[k].norm + " ";
        if ((" " + pt + " ").find(word) == std::string::npos) {
          h.negated = !h.negated;
          break;
        }
      }
    }
    h.softened = damp >= 0.2;  // a real softener, not a weak "wat"
    // Dutch clause-final negation: "het bevalt me niet", "ik snap het niet".
    if (!h.negated && lang == Language::kDutch) {
      int after = 0;
      for (size_t k = h.last + 1; k < n && after < 3; ++k) {
        if (clause[k] != clause[h.last]) break;
        if (!is_word(k)) continue;
        ++after;
        if (sentiment_at[k]) break;
        if (neg[k] > 0) {
          bool later_sentiment = false;
          for (size_t q = k + 1; q < n && clause[q] == clause[k]; ++q)
            later_sentiment = later_sentiment || sentiment_at[q];
          if (!later_sentiment) h.negated = true;
          break;
        }
      }
    }
    // An emoji is the writer's own face: words do not negate or boost it.
    const bool symbol = toks[h.first].kind == TokenKind::kEmoji ||
                        toks[h.first].kind == TokenKind::kEmoticon;
    if (symbol) {
      boost = 0;
      damp = 0;
    }
    // "I never said I was unhappy": a denied statement is not the writer's view
    // (not its opposite either: its tone is dropped).
    bool denied = false;
    if (!h.negated && Negatable(h.cat)) {
      for (size_t k = h.first; k > 0;) {
        --k;
        if (toks[k].sentence != toks[h.first].sentence) break;
        if (neg[k] > 0) {
          for (size_t q = k + 1; q < h.first && q <= k + 3; ++q)
            denied = denied || SayingVerb(toks[q].norm);
          break;
        }
      }
    }
    // An infinitive under a negation is not the writer's state: "geen tijd om
    // boos te worden", "no reason to be upset".
    if (!h.negated && !denied && tone) {
      int words = 0;
      bool infinitive = false;
      for (size_t k = h.first; k > 0 && words < 8;) {
        --k;
        if (clause[k] != clause[h.first]) break;
        if (!is_word(k)) continue;
        ++words;
        const std::string_view w = toks[k].norm;
        // "om boos te worden"; "to be / get / feel upset".
        if (words <= 3 && w == "om") {
          for (size_t q = h.last + 1; q < n && q <= h.last + 2; ++q)
            infinitive = infinitive || std::string_view(toks[q].norm) == "te";
        }
        if (words <= 3 && w == "to" && k + 1 < n) {
          const std::string_view v = toks[k + 1].norm;
          infinitive = infinitive || v == "be" || v == "get" || v == "feel" ||
                       v == "become" || v == "seem" || v == "sound";
        }
        if (!infinitive) continue;
        if (neg[k] > 0 && neg_end[k] < h.first) {
          denied = !(k + 1 < n && NegationException(toks[k + 1].norm));
          break;
        }
      }
    }
    if (denied) {
      h.denied = true;
      if (h.cat == C::kValence) {
        h.w = 0;
      } else {
        h.negated = true;
      }
      continue;
    }
    if (!Negatable(h.cat) || symbol) h.negated = false;
    // Reported or quoted: somebody else's words.
    bool rep = true;
    for (uint32_t i = h.first; i <= h.last; ++i) rep = rep && quoted[i];
    if (!rep) {
      for (size_t k = h.first; k > 0 && h.first - k < 10;) {
        --k;
        if (toks[k].sentence != toks[h.first].sentence) break;
        if (report[k] > 0) {
          rep = true;
          break;
        }
      }
    }
    h.reported = rep;
    if (h.cat == C::kValence) {
      const double sign = h.w >= 0 ? 1.0 : -1.0;
      double w = h.w + sign * boost;
      w -= sign * std::min(damp, std::abs(h.w) * 0.8);
      if (!all_caps_message) {
        bool caps = true;
        for (uint32_t i = h.first; i <= h.last; ++i)
          caps = caps && (toks[i].kind != TokenKind::kWord || toks[i].caps);
        if (caps && toks[h.first].kind == TokenKind::kWord) w += sign * 0.733;
      }
      if (h.negated) w *= -0.74;
      h.w = w;
    } else if (!IsModifier(h.cat)) {
      h.w = std::clamp(
          h.base * (1.0 + boost) * (1.0 - 0.5 * std::min(damp, 1.0)), 0.0, 1.0);
    }
  }

  // Denying a complaint ("I never said I was unhappy with your work") is
  // reassurance: the "never said" that introduces it is no sign of feeling
  // unheard, and its "never" no complaint cue.
  for (const Hit& d : hits) {
    if (!d.denied || d.dropped) continue;
    const bool negative = (d.cat == C::kValence && d.base < 0) ||
                          d.cat == C::kAnger || d.cat == C::kDisappointment ||
                          d.cat == C::kComplaintQuality ||
                          d.cat == C::kComplaintLabel;
    if (!negative) continue;
    const Sentence* sen = sentence_of(d.first);
    if (sen == nullptr) continue;
    for (size_t i = first_at(sen->first_token);
         i < hits.size() && hits[i].first < d.first; ++i) {
      Hit& h = hits[i];
      if (h.last < d.first &&
          (h.cat == C::kUnheard || h.cat == C::kComplaintCue))
        h.dropped = true;
    }
  }

  // Contrast: the clause after "but"/"maar" weighs more, the one before less.
  bool has_contrast = false;
  double negative_after_contrast = 0;  // "fine, but <this>": polite complaints
  double positive_after_contrast = 0;  // "annoyed at first, but <praise>"
  {
    std::vector<int> contrast_at(tz.sentences.size(), -1);
    for (size_t i = 0; i < n; ++i) {
      // The start of the last contrast phrase: what a phrase such as "alleen
      // jammer dat" holds comes after it.
      if (contrast[i] > 0 && (i == 0 || contrast[i - 1] <= 0) &&
          toks[i].sentence < contrast_at.size()) {
        contrast_at[toks[i].sentence] = static_cast<int>(i);
        has_contrast = true;
      }
    }
    // Per sentence: does what follows its contrast turn negative or positive?
    // (One pass over the hits, so a long message stays linear.)
    std::vector<bool> turns_positive(contrast_at.size(), false);
    std::vector<bool> turns_negative(contrast_at.size(), false);
    for (const Hit& v : hits) {
      const size_t si = toks[v.first].sentence;
      if (v.dropped || v.cat != C::kValence || si >= contrast_at.size() ||
          contrast_at[si] < 0 ||
          v.first <= static_cast<uint32_t>(contrast_at[si]))
        continue;
      if (v.w > 0.5) turns_positive[si] = true;
      if (v.w < -0.5) turns_negative[si] = true;
    }
    // Emotions conceded before "but" weigh less too ("I was annoyed at first,
    // but you handled it brilliantly").
    for (Hit& h : hits) {
      if (h.dropped || h.reported) continue;
      if (h.cat != C::kAnger && h.cat != C::kDisappointment &&
          h.cat != C::kAnxiety && h.cat != C::kJoy && h.cat != C::kStress)
        continue;
      const size_t si = toks[h.first].sentence;
      const int c = si < contrast_at.size() ? contrast_at[si] : -1;
      if (c < 0 || contrast[static_cast<size_t>(c)] < 1.0 ||
          static_cast<int>(h.first) >= c)
        continue;
      // Turned around by what follows ("annoyed at first, but you fixed it
      // well") the feeling is over; followed by a shrug ("a bit disappointed,
      // but no big deal") it is still there, only smaller.
      const bool turned =
          h.cat == C::kJoy ? turns_negative[si] : turns_positive[si];
      h.w *= turned ? 0.45 : 0.8;  // 0.45: below the threshold for a 0.6 word
    }
    for (Hit& h : hits) {
      if (h.dropped || h.cat != C::kValence) continue;
      const int c = toks[h.first].sentence < contrast_at.size()
                        ? contrast_at[toks[h.first].sentence]
                        : -1;
      if (c < 0) continue;
      const auto ci = static_cast<size_t>(c);
      const int first = static_cast<int>(h.first);
      if (contrast[ci] < 1.0) {
        // Concessive ("hoewel", "although"): its own clause is the conceded
        // part.
        if (first > c && clause[h.first] == clause[ci]) {
          h.w *= 0.5;
        } else if (first > c) {
          h.w *= 1.5;
          if (h.w < 0) negative_after_contrast += -h.w;
          if (h.w > 0) positive_after_contrast += h.w;
        }
      } else if (first < c) {
        h.w *= 0.5;
      } else if (first > c) {
        h.w *= 1.5;
        if (h.w < 0) negative_after_contrast += -h.w;
        if (h.w > 0) positive_after_contrast += h.w;
      }
    }
  }

  // Praise said twice in a row ("Great, just great." "Prachtig. Gewoon
  // prachtig.") is a classic sarcasm marker; it is weighed in context below.
  {
    std::vector<Hit> repeated;
    for (const Hit& a : hits) {
      if (a.dropped || a.cat != C::kValence || a.base <= 1.0 || a.negated)
        continue;
      for (size_t bi = first_at(a.last + 1);
           bi < hits.size() && hits[bi].first <= a.last + 5; ++bi) {
        const Hit& b = hits[bi];
        if (b.dropped || b.cat != C::kValence || b.pattern != a.pattern ||
            b.first <= a.last || b.first - a.last > 4 ||
            clause[b.first] == clause[a.last])
          continue;
        Hit h{C::kIrony, 0.75, 0.75, a.first, b.last, UINT32_MAX, a.pattern};
        h.how = "irony:repeated-praise";
        repeated.push_back(h);
        break;
      }
    }
    if (!repeated.empty()) {  // rare: keep the hits in order only then
      for (Hit& h : repeated) hits.push_back(std::move(h));
      std::stable_sort(hits.begin(), hits.end(), HitOrder);
      for (const Hit& h : repeated)
        max_span = std::max(max_span, h.last - h.first);
    }
  }

  // Irony: ironic praise in a negative context reads as negative.
  double irony = 0;
  std::vector<Evidence> irony_ev;
  {
    // Context outside the irony phrase decides: negative words, complaint cues
    // and reproach make praise ironic; thanks and more praise make it sincere.
    // What a hit adds to the negative / positive context of an irony phrase.
    auto context_of = [](const Hit& o, double* neg_ctx, double* pos_ctx) {
      if (o.dropped || o.reported) return;
      if (o.cat == C::kValence && o.w < -0.5)
        *neg_ctx += std::min(-o.w, 2.0) / 2;
      if (o.cat == C::kValence && o.w > 0.5 && !o.negated)
        *pos_ctx += std::min(o.w, 2.0) / 2;
      if (o.negated) return;
      if (o.cat == C::kComplaintCue || o.cat == C::kReproach ||
          o.cat == C::kAnger || o.cat == C::kComplaintQuality ||
          o.cat == C::kDisappointment || o.cat == C::kUnheard ||
          o.cat == C::kNeedSpeed)
        *neg_ctx += o.w;
      if (o.cat == C::kGratitude || o.cat == C::kJoy) *pos_ctx += o.w;
    };
    double all_negative = 0, all_positive = 0;
    for (const Hit& o : hits) context_of(o, &all_negative, &all_positive);
    for (Hit& h : hits) {
      if (h.dropped || h.cat != C::kIrony || h.reported) continue;
      // The context is everything outside the phrase itself.
      double inside_negative = 0, inside_positive = 0;
      for (size_t k = first_at(h.first);
           k < hits.size() && hits[k].first <= h.last; ++k)
        if (hits[k].last <= h.last)
          context_of(hits[k], &inside_negative, &inside_positive);
      const double negative_context = all_negative - inside_negative;
      const double positive_context = all_positive - inside_positive;
      // Weak markers ("nu al", "eindelijk") need a clearly negative context;
      // strong ones ("bedankt voor niks") read as ironic unless praise
      // surrounds them.
      const double p = h.base * std::clamp(0.6 + 0.6 * negative_context -
                                               0.8 * positive_context,
                                           0.0, 1.5);
      if (p < 0.4) continue;
      irony = NoisyOr(irony, std::min(1.0, p + 0.2));
      irony_ev.push_back(evidence_of(h));
      for (size_t k = first_at(h.first);
           k < hits.size() && hits[k].first <= h.last; ++k) {
        Hit& o = hits[k];
        if (o.cat == C::kValence && !o.dropped && o.last <= h.last && o.w > 0)
          o.w = -0.9 * o.w;
      }
    }
  }

  // Valence (VADER-style sum with punctuation emphasis, then normalised).
  double pos_sum = 0, neg_sum = 0, emoji_pos = 0, emoji_neg = 0;
  double negated_pos = 0, negated_neg = 0;
  for (const Hit& h : hits) {
    if (h.dropped || h.cat != C::kValence) continue;
    if (h.w > 0)
      pos_sum += h.w;
    else
      neg_sum += h.w;
    const bool emoji = toks[h.first].kind == TokenKind::kEmoji ||
                       toks[h.first].kind == TokenKind::kEmoticon;
    if (emoji) {
      if (h.w > 0)
        emoji_pos += h.w;
      else
        emoji_neg += h.w;
    }
    if (h.negated) {
      if (h.base > 0)
        negated_pos += 1;
      else
        negated_neg += 1;
    }
  }
  // The words' own tone, before other categories colour it.
  const double word_tone = pos_sum + neg_sum;
  // Tone words outside the valence lexicon (anger, insults, threats,
  // complaints, joy) still colour the message when no valence word covers them.
  {
    std::vector<bool> covered(n, false);
    for (const Hit& h : hits)
      if (!h.dropped && h.cat == C::kValence)
        for (uint32_t i = h.first; i <= h.last; ++i) covered[i] = true;
    std::vector<bool> used(n, false);
    for (const Hit& h : hits) {
      if (h.dropped || h.negated || h.reported || covered[h.first] ||
          used[h.first])
        continue;
      double sign = 0;
      double scale = 2.0;
      switch (h.cat) {
        case C::kComplaintCue:
          // "Again", "nog steeds" sharpen negative words; alone ("send it
          // again") they are neutral.
          if (neg_sum >= 0) break;
          sign = -1;
          scale = 1.2;
          break;
        case C::kReproach:
          // Reproach particles ("again", "toch") likewise lean on other words.
          if (neg_sum >= 0) break;
          sign = -1;
          scale = 1.2;
          break;
        case C::kQuestionPressure:
        case C::kDemandCompensation:
        case C::kRelationExit:
          // Weaker: "nog steeds", "waarom is ... niet" lean negative.
          sign = -1;
          scale = 1.2;
          break;
        case C::kAnger:
        case C::kDisappointment:
        case C::kAnxiety:
        case C::kComplaintQuality:
        case C::kComplaintLabel:
        case C::kInsult:
        case C::kThreat:
        case C::kUnheard:
        case C::kProfanity:
          sign = -1;
          break;
        case C::kJoy:
        case C::kGratitude:
          sign = 1;
          break;
        default:
          break;
      }
      if (sign == 0) continue;
      used[h.first] = true;
      const double v = sign * scale * h.w;
      if (v > 0)
        pos_sum += v;
      else
        neg_sum += v;
    }
  }
  int exclam = 0, qmarks = 0;
  for (const Token& t : toks) {
    if (t.kind != TokenKind::kPunct) continue;
    for (char c : t.norm) {
      if (c == '!') ++exclam;
      if (c == '?') ++qmarks;
    }
  }
  double sum = pos_sum + neg_sum;
  if (sum != 0) {
    const double ep = std::min(exclam, 4) * 0.292;
    const double qp = qmarks > 1 ? (qmarks <= 3 ? qmarks * 0.18 : 0.96) : 0.0;
    sum += sum > 0 ? ep + qp : -(ep + qp);
  }
  const double compound = sum / std::sqrt(sum * sum + 15.0);

  // Category scores (noisy-OR of active hits) with evidence.
  std::array<double, kCategoryCount> score{};
  std::array<std::vector<Evidence>, kCategoryCount> ev;
  auto add = [&](C c, double w, const Hit& h) {
    const size_t ci = static_cast<size_t>(c);
    score[ci] = NoisyOr(score[ci], Clamp01(w));
    ev[ci].push_back(evidence_of(h));
  };
  // Insults and profanity aimed at the reader.
  bool insult_aimed = false;
  std::vector<Evidence> insult_ev, profanity_ev;
  double insult_score = 0, profanity_score = 0;
  for (const Hit& h : hits) {
    if (h.dropped || IsModifier(h.cat) || h.cat == C::kValence) continue;
    const bool hostile_cat = h.cat == C::kInsult || h.cat == C::kProfanity ||
                             h.cat == C::kThreat || h.cat == C::kComplaintLabel;
    if (h.negated) continue;
    if (h.reported && hostile_cat) continue;
    if (h.cat == C::kInsult || h.cat == C::kProfanity) {
      // About the writer ("sorry, I was such a jerk"): first person in the
      // clause before it and no second person: no hostility, no anger.
      if (h.cat == C::kInsult) {
        bool first_person = false, second_person = false;
        for (size_t k = h.first; k > 0 && clause[k - 1] == clause[h.first];) {
          --k;
          const std::string_view w = toks[k].norm;
          first_person = first_person || FirstPersonSingular(w);
        }
        second_person = sentence_has_target[toks[h.first].sentence];
        if (first_person && !second_person) continue;
      }
      // Aimed: second person in the same clause nearby, or a bare vocative.
      bool aimed = false;
      for (size_t k = h.first >= 5 ? h.first - 5 : 0;
           k < std::min(n, size_t{h.last} + 6); ++k) {
        if (target[k] > 0 && (clause[k] == clause[h.first] ||
                              toks[k].sentence == toks[h.first].sentence)) {
          aimed = true;
          break;
        }
      }
      if (h.cat == C::kInsult && !aimed) {
        // "Sukkel!" or "Wat een sukkel." on its own.
        const Sentence* s = sentence_of(h.first);
        int words = 0;
        if (s)
          for (uint32_t k = s->first_token; k < s->end_token; ++k)
            words += is_word(k);
        // A short exclamation made of the insult itself ("Idioot!", "Wat een
        // sukkel!"), not an insult word describing a thing ("Die stomme
        // printer!").
        if (s != nullptr && words <= 3) {
          uint32_t first_word = s->first_token, last_word = s->end_token;
          while (first_word < s->end_token && !is_word(first_word))
            ++first_word;
          while (last_word > s->first_token && !is_word(last_word - 1))
            --last_word;
          aimed = h.first == first_word || h.last + 1 == last_word;
        }
        // Or addressed at the edge of a sentence: "Doe normaal, eikel."
        if (s != nullptr && !aimed) {
          auto punct_at = [&](size_t k) {
            return k < n && toks[k].kind == TokenKind::kPunct &&
                   toks[k].norm.find_first_of(",!") != std::string::npos;
          };
          uint32_t last_word = s->end_token;
          while (last_word > s->first_token && !is_word(last_word - 1))
            --last_word;
          const bool at_end = last_word > 0 && h.last + 1 == last_word &&
                              h.first > s->first_token && punct_at(h.first - 1);
          const bool at_start =
              h.first == s->first_token && punct_at(h.last + 1);
          aimed = at_end || at_start;
        }
      }
      Evidence e = evidence_of(h);
      if (aimed) {
        insult_aimed = true;
        // "Je bent een beetje dom bezig" stings, but is not abuse.
        insult_score =
            NoisyOr(insult_score, h.softened ? 0.6 * h.w : std::max(h.w, 0.6));
        if (h.cat == C::kProfanity) {  // "you're fucking useless": both
          profanity_score = NoisyOr(profanity_score, h.w);
          profanity_ev.push_back(e);
        }
        insult_ev.push_back(std::move(e));
      } else if (h.cat == C::kProfanity) {
        profanity_score = NoisyOr(profanity_score, h.w);
        profanity_ev.push_back(std::move(e));
      } else {
        // An insult about somebody else: anger, not hostility to the reader.
        add(C::kAnger, 0.3 * h.w, h);
      }
      continue;
    }
    // A character label needs a person: "die printer is onbetrouwbaar" is about
    // a printer.
    if (h.cat == C::kComplaintLabel) {
      if (!sentence_has_target[toks[h.first].sentence]) continue;
    }
    // "Zoals ik al zei: ik vind het fijn" repeats praise, not a complaint.
    if (h.cat == C::kUnheard) {
      // Praise outside the phrase ("goed" in "lees mijn mail eens goed" is
      // part of the reproach).
      double inside = 0;
      for (size_t k = first_at(h.first);
           k < hits.size() && hits[k].first <= h.last; ++k)
        if (!hits[k].dropped && hits[k].cat == C::kValence &&
            hits[k].last <= h.last)
          inside += hits[k].w;
      if (word_tone - inside >= 1.5) continue;
    }
    // "Ben je boos op mij?", "are you upset?": the reader's feelings, asked
    // about, not the writer's.
    if ((h.cat == C::kAnger || h.cat == C::kDisappointment ||
         h.cat == C::kAnxiety) &&
        h.first >= 1) {
      const Sentence* se = sentence_of(h.first);
      const bool asked = se != nullptr && se->question;
      bool you_before = false;
      for (size_t k = h.first; k > 0 && h.first - k < 3;) {
        --k;
        you_before = you_before || target[k] > 0;
      }
      if (asked && you_before) continue;
    }
    add(h.cat, h.w, h);
  }
  auto S = [&](C c) { return score[static_cast<size_t>(c)]; };
  auto E = [&](C c) -> std::vector<Evidence>& {
    return ev[static_cast<size_t>(c)];
  };

  // Shouting and exclamations.
  int letters_words = 0;
  for (const Token& t : toks) letters_words += t.kind == TokenKind::kWord;
  const double caps_share =
      letters_words > 0 ? static_cast<double>(caps_words) / letters_words : 0.0;
  double shouting = 0;
  std::vector<Evidence> shout_ev;
  if (caps_words >= 2 || (caps_words == 1 && letters_words <= 3)) {
    for (size_t i = 0; i < n; ++i) {
      const Token& t = toks[i];
      if (shouted[i])
        shout_ev.push_back({t.start, t.end,
                            std::string(text.substr(t.start, t.end - t.start)),
                            "caps"});
    }
    shouting = Clamp01(0.25 + 0.25 * caps_words + caps_share);
    if (caps_words == 1) shouting = std::min(shouting, 0.5);
  }
  double exclamation = 0;
  std::vector<Evidence> excl_ev;
  for (const Token& t : toks) {
    if (t.kind != TokenKind::kPunct) continue;
    const auto bangs = std::count(t.norm.begin(), t.norm.end(), '!');
    const bool mixed = t.norm.find('?') != std::string::npos && bangs > 0;
    if (bangs >= 2 || mixed) {
      exclamation = NoisyOr(exclamation, bangs >= 3 ? 0.8 : 0.6);
      excl_ev.push_back({t.start, t.end, t.norm, "punctuation-run"});
    }
  }

  // Sentence-shape features.
  bool please_initial = false, you_initial = false, why_initial = false;
  bool where_initial = false, why_question = false;
  bool any_question = false;
  for (const Sentence& s : tz.sentences) {
    any_question = any_question || s.question;
    uint32_t k = s.first_token;
    while (k < s.end_token && !is_word(k)) ++k;
    if (k >= s.end_token) continue;
    const std::string_view w = toks[k].norm;
    please_initial = please_initial || w == "please" || w == "pls" ||
                     w == "graag" || w == "alsjeblieft" || w == "alstublieft" ||
                     w == "aub";
    you_initial = you_initial || target[k] > 0;
    why_initial = why_initial || w == "why" || w == "waarom";
    where_initial = where_initial || w == "where" || w == "waar";
    // "Wtf, waarom ...?": a why-question among the first words.
    for (uint32_t q = k, words = 0; s.question && q < s.end_token && words < 3;
         ++q) {
      if (!is_word(q)) continue;
      ++words;
      const std::string_view v = toks[q].norm;
      why_question = why_question || v == "why" || v == "waarom";
    }
  }
  bool url = false, digits = false, first_plural = false;
  double second_person = 0;
  for (size_t i = 0; i < n; ++i) {
    const Token& t = toks[i];
    const std::string_view w = t.norm;
    if (t.kind == TokenKind::kNumber) digits = true;
    if (w == "url" || w == "http" || w == "https") url = true;
    if (target[i] > 0) second_person += 1;
    if (w == "we" || w == "wij" || w == "ons" || w == "onze" || w == "us" ||
        w == "our")
      first_plural = true;
  }
  if (text.find('@') != std::string_view::npos) url = true;

  // Features (also the inputs of the fitted models).
  std::vector<double> f(FeatureNames().size(), 0.0);
  f[kCompound] = compound;
  f[kPosSum] = pos_sum / (1.0 + pos_sum);
  f[kNegSum] = -neg_sum / (1.0 - neg_sum);
  f[kExcl] = std::min(exclam, 4) / 4.0;
  f[kQmarks] = std::min(qmarks, 4) / 4.0;
  f[kCapsShare] = caps_share;
  f[kShouting] = shouting;
  f[kQuestion] = any_question ? 1.0 : 0.0;
  f[kEmojiPos] = emoji_pos / (1.0 + emoji_pos);
  f[kEmojiNeg] = -emoji_neg / (1.0 - emoji_neg);
  f[kWordsLog] = std::log1p(letters_words) / 5.0;
  f[kPleaseInitial] = please_initial;
  f[kYouInitial] = you_initial;
  f[kWhyInitial] = why_initial;
  f[kIronyActive] = irony;
  f[kNegatedPositive] = std::min(negated_pos, 3.0) / 3.0;
  f[kNegatedNegative] = std::min(negated_neg, 3.0) / 3.0;
  f[kContrastF] = has_contrast;
  f[kSecondPerson] = std::min(second_person, 4.0) / 4.0;
  f[kFirstPersonPlural] = first_plural;
  f[kUrlOrMention] = url;
  f[kDigits] = digits;
  f[kInsultAimed] = insult_score;
  f[kLongMessage] = letters_words > 60 ? 1.0 : letters_words / 60.0;
  for (int c = 0; c < kCategoryCount; ++c)
    f[kCatBase + static_cast<size_t>(c)] = score[static_cast<size_t>(c)];

  auto model = [&](const char* name, double fallback, bool logistic) {
    auto it = im.models.find(name);
    if (it == im.models.end()) return fallback;
    const double v = it->second.Apply(f);
    return logistic ? Sigmoid(v) : v;
  };

  // Valence.
  double valence = compound;
  if (irony > 0.5 && valence > -0.2) valence = -0.3 * irony;
  valence = std::clamp(model("valence", valence, false), -1.0, 1.0);
  out.valence = std::round(valence * 1000) / 1000;

  // Emotions.
  const double negativity = Clamp01(-compound);
  // Capitals and "!!" are intensity, not anger: they count only with negative
  // tone.
  // A shouted message that is not positive ("WHERE IS THE INVOICE") is
  // negative.
  const double negative_tone =
      compound < -0.05 || (shouting >= 0.5 && compound <= 0.05) ? 1.0 : 0.0;
  // "HELP!!! de site ligt eruit": capitals and "!!!" in a panic are stress.
  const double panic =
      (S(C::kStress) >= 0.5 || S(C::kAnxiety) >= 0.5) && S(C::kAnger) < 0.3
          ? 0.4
          : 1.0;
  double anger = NoisyOr(S(C::kAnger), 0.45 * shouting * negative_tone * panic);
  anger =
      NoisyOr(anger, exclamation * 0.5 * (compound < -0.2 ? 1.0 : 0.0) * panic);
  anger = NoisyOr(anger, 0.6 * insult_score);
  anger = NoisyOr(anger, 0.3 * profanity_score);
  // Sarcasm about something that went wrong ("Fijn hoor." after a missed
  // appointment) is irritation.
  const bool ironic_complaint = irony >= 0.5 && S(C::kComplaintQuality) >= 0.3;
  // (An eye-roll emoji carries its own anger weight: not counted twice.)
  anger = NoisyOr(anger, (ironic_complaint ? 0.5 : 0.35) * irony *
                             (letters_words > 0 ? 1.0 : 0.0));
  // Having to say it again ("voor de zoveelste keer") is irritation.
  anger = NoisyOr(anger, 0.5 * S(C::kUnheard) * (compound < 0.2 ? 1.0 : 0.4));
  anger = NoisyOr(anger, 0.35 * S(C::kThreat));
  double disappointment =
      NoisyOr(S(C::kDisappointment),
              0.25 * negativity * (S(C::kComplaintQuality) > 0.3));
  double anxiety = S(C::kAnxiety);
  double stress = S(C::kStress);
  double joy =
      NoisyOr(S(C::kJoy), 0.5 * Clamp01(compound - 0.3) *
                              (S(C::kComplaintQuality) < 0.3 ? 1.0 : 0.0));
  joy = NoisyOr(joy, 0.3 * S(C::kGratitude) * (compound > 0 ? 1.0 : 0.0));
  if (irony > 0.5) joy *= 0.3;
  // The fitted models (Reddit comments) and the lexicon reading (client
  // messages) each see what the other misses; irony cancels joy either way.
  // A negative feeling conceded before a warm "but ..." is over: the models
  // cannot see that, so their reading of it counts half.
  const double conceded =
      positive_after_contrast > 1.0 && negative_after_contrast == 0 ? 0.5 : 1.0;
  anger = std::max(anger, conceded * model("emotion.anger", 0.0, true));
  // A client owning up to their own delay is sorry, not disappointed in the
  // reader; the models only see the negative words.
  const bool owns_delay = S(C::kDeadlineClientMissed) >= 0.5 &&
                          S(C::kComplaintQuality) < 0.3 && S(C::kAnger) < 0.4;
  disappointment =
      std::max(disappointment, conceded * (owns_delay ? 0.5 : 1.0) *
                                   model("emotion.disappointment", 0.0, true));
  anxiety = std::max(anxiety, model("emotion.anxiety", 0.0, true));
  joy = std::max(joy, model("emotion.joy", 0.0, true) * (1.0 - irony) *
                          (compound > 0.05 ? 1.0 : 0.5));
  // "Laat je weten of het gelukt is?": a status question uses a positive
  // word about the work, not a happy feeling. Without words of joy or thanks
  // it gets no joy from the tone alone.
  if (S(C::kMicroCheckin) >= 0.3 && S(C::kJoy) < 0.3 && S(C::kGratitude) < 0.3)
    joy = std::min(joy, 0.2);
  auto r3 = [](double x) { return std::round(Clamp01(x) * 1000) / 1000; };
  out.emotions = {{"anger", r3(anger)},
                  {"disappointment", r3(disappointment)},
                  {"anxiety", r3(anxiety)},
                  {"stress", r3(stress)},
                  {"joy", r3(joy)}};

  // Needs.
  const double need_control = NoisyOr(
      NoisyOr(S(C::kNeedControl), 0.6 * S(C::kMicroApproval)),
      NoisyOr(0.5 * S(C::kMicroNoDelegation), 0.35 * S(C::kMicroNitpick)));
  const double need_certainty =
      NoisyOr(S(C::kNeedCertainty), 0.6 * S(C::kMicroCheckin));
  // A shouted question ("WHERE IS THE INVOICE") wants its answer now.
  const bool shouted_question =
      shouting >= 0.5 && (any_question || why_initial || where_initial);
  const double need_speed =
      NoisyOr(NoisyOr(S(C::kNeedSpeed), 0.5 * S(C::kQuestionPressure) *
                                            (compound < 0.3 ? 1.0 : 0.5)),
              shouted_question && compound < 0.3 ? 0.5 : 0.0);
  out.needs = {{"control", r3(need_control)},
               {"certainty", r3(need_certainty)},
               {"speed", r3(need_speed)}};

  // Timing.
  double after_hours = 0;
  std::vector<Evidence> timing_ev;
  if (ctx.at) {
    auto local = ToLocal(*ctx.at, ctx.timezone);
    if (local.ok()) {
      const auto& windows =
          ctx.availability.empty() ? DefaultAvailability() : ctx.availability;
      if (!IsWithin(windows, *local)) {
        after_hours = 0.9;
        timing_ev.push_back({0, 0, ctx.at->text, "timing.window"});
      }
    }
  }

  // Scope: a request whose content words match no agreed scope item.
  double outside = 0;
  std::vector<Evidence> scope_ev;
  if (!ctx.scope.empty() && S(C::kScopeRequest) > 0) {
    std::set<std::string> scope_stems;
    for (const std::string& item : ctx.scope) {
      const std::vector<ByteRange> r = {
          {0, static_cast<uint32_t>(item.size())}};
      for (const Token& t : im.tokenizer->Tokenize(item, r).tokens) {
        if (t.kind != TokenKind::kWord || t.norm.size() < 3 ||
            im.langid->IsFunctionWord(lang, t.norm))
          continue;
        scope_stems.insert(lex.Stem(t.norm));
      }
    }
    for (const Hit& h : hits) {
      if (h.dropped || h.cat != C::kScopeRequest || h.negated) continue;
      // Content words after the request phrase, in the same sentence.
      std::vector<std::string> content;
      for (size_t k = h.last + 1;
           k < n && toks[k].sentence == toks[h.first].sentence; ++k) {
        if (toks[k].kind != TokenKind::kWord || toks[k].norm.size() < 3)
          continue;
        // Words that say how, when or to whom, not what is asked.
        constexpr uint64_t kNotContent =
            Lexicon::Bit(C::kNegator) | Lexicon::Bit(C::kIntensifier) |
            Lexicon::Bit(C::kSoftener) | Lexicon::Bit(C::kContrast) |
            Lexicon::Bit(C::kTargetPerson) | Lexicon::Bit(C::kPolite) |
            Lexicon::Bit(C::kHedge) | Lexicon::Bit(C::kGreeting) |
            Lexicon::Bit(C::kGratitude) | Lexicon::Bit(C::kScopeRequest) |
            Lexicon::Bit(C::kNeedSpeed) | Lexicon::Bit(C::kTimeRef);
        const bool function_word =
            im.langid->IsFunctionWord(lang, toks[k].norm) ||
            (lex.WordCategories(toks[k]) & kNotContent) != 0;
        if (!function_word) content.push_back(toks[k].norm);
      }
      if (content.empty()) continue;
      bool inside = false;
      for (const std::string& w : content) {
        const std::string st = lex.Stem(w);
        for (const std::string& s : scope_stems) {
          if (st == s || (s.size() >= 4 && st.rfind(s, 0) == 0) ||
              (st.size() >= 4 && s.rfind(st, 0) == 0) ||
              (s.size() >= 5 && st.find(s) != std::string::npos)) {
            inside = true;
          }
        }
      }
      if (!inside) {
        outside = std::max(outside, 0.7);
        const Token& a = toks[h.first];
        const uint32_t end_tok = [&] {
          uint32_t e = h.last;
          while (e + 1 < n && toks[e + 1].sentence == toks[h.first].sentence)
            ++e;
          return e;
        }();
        scope_ev.push_back(
            {a.start, toks[end_tok].end,
             std::string(text.substr(a.start, toks[end_tok].end - a.start)),
             evidence_of(h).rule + "+scope"});
      }
    }
  }

  // Complaint.
  double complaint_h =
      NoisyOr(S(C::kComplaintQuality), 0.6 * S(C::kComplaintCue));
  complaint_h = NoisyOr(complaint_h, 0.5 * S(C::kReproach));
  complaint_h = NoisyOr(complaint_h, 0.6 * S(C::kComplaintLabel));
  complaint_h = NoisyOr(complaint_h, 0.5 * S(C::kDemandCompensation));
  complaint_h = NoisyOr(complaint_h, 0.4 * negativity);
  complaint_h = NoisyOr(complaint_h, 0.3 * S(C::kQuestionPressure));
  complaint_h = NoisyOr(complaint_h, 0.6 * S(C::kUnheard));
  complaint_h = NoisyOr(complaint_h, 0.7 * irony);
  // Polite complaints: a negated positive ("niet tevreden", "bevalt me niet")
  // or a negative turn after "maar"/"but".
  complaint_h = NoisyOr(complaint_h, 0.55 * std::min(negated_pos, 1.0) *
                                         (compound < 0.3 ? 1.0 : 0.5));
  complaint_h =
      NoisyOr(complaint_h, 0.6 * Clamp01(negative_after_contrast / 2.0));
  // The fitted model reads complaint-shaped messages (public complaints to
  // companies); the lexicon reading knows client-work complaints. Either
  // suffices.
  const double complaint =
      std::max(model("complaint", complaint_h, true),
               complaint_h * (compound < 0.2 || valence < 0.1 ? 1.0 : 0.5));
  out.complaint = r3(complaint);
  // What the words' sum cannot see: ironic praise, an insult or threat at the
  // reader, and a clear complaint are negative messages, however polite.
  {
    double cap = 1.0;
    if (irony >= 0.5) cap = std::min(cap, -0.25 * irony);
    if (insult_score >= 0.5 || S(C::kThreat) >= 0.5) cap = std::min(cap, -0.4);
    if (complaint >= 0.7 &&
        (S(C::kComplaintQuality) >= 0.3 || S(C::kComplaintCue) >= 0.3))
      cap = std::min(cap, -0.1);
    if (valence > cap) {
      valence = cap;
      out.valence = std::round(valence * 1000) / 1000;
    }
    // Praise inside a negative message is a concession or irony, not joy.
    if (valence < -0.05 || complaint >= 0.6 || irony >= 0.5) {
      joy = std::min(joy, 0.2);
      out.emotions["joy"] = r3(joy);
    }
  }

  // Politeness.
  double pol = 0.5 + 0.25 * S(C::kPolite) + 0.15 * S(C::kGratitude) +
               0.1 * S(C::kGreeting) + 0.1 * S(C::kHedge) +
               0.1 * S(C::kApology) - 0.3 * S(C::kImpolite) -
               0.4 * insult_score - 0.2 * profanity_score - 0.2 * shouting -
               0.1 * exclamation - 0.1 * S(C::kQuestionPressure) -
               0.15 * S(C::kReproach);
  pol = model("politeness", pol, true);
  out.politeness = r3(pol);

  // Signals.
  // Evidence is capped per signal: a long thread can match a phrase hundreds of
  // times, and the first ones are what a person reads.
  constexpr size_t kMaxEvidence = 20;
  auto signal = [&](std::string id, double s, std::vector<Evidence> e) {
    if (e.size() > kMaxEvidence) e.resize(kMaxEvidence);
    if (s >= kSignalThreshold)
      out.signals.push_back({std::move(id), r3(s), std::move(e)});
  };
  {
    std::vector<Evidence> anger_ev = E(C::kAnger);
    if (S(C::kUnheard) >= 0.5 && compound < 0.2)
      for (const auto& x : E(C::kUnheard)) anger_ev.push_back(x);
    if (negative_tone > 0)
      for (const auto& x : shout_ev) anger_ev.push_back(x);
    for (const auto& x : excl_ev)
      if (compound < -0.2) anger_ev.push_back(x);
    for (const auto& x : insult_ev) anger_ev.push_back(x);
    if (ironic_complaint)
      for (const auto& x : irony_ev) anger_ev.push_back(x);
    if (anger_ev.empty() && anger >= kSignalThreshold) {
      // Fitted model with no single piece of evidence: point at the negative
      // words.
      for (const Hit& h : hits)
        if (!h.dropped && h.cat == C::kValence && h.w < -1.0)
          anger_ev.push_back(evidence_of(h));
    }
    if (!anger_ev.empty()) signal("emotion.anger", anger, anger_ev);
  }
  auto with_fallback = [&](C c, double s) {
    std::vector<Evidence> e = E(c);
    if (e.empty() && s >= kSignalThreshold) {
      for (const Hit& h : hits)
        if (!h.dropped && h.cat == C::kValence && h.w < -0.8)
          e.push_back(evidence_of(h));
    }
    return e;
  };
  if (auto e = with_fallback(C::kDisappointment, disappointment); !e.empty())
    signal("emotion.disappointment", disappointment, e);
  if (!E(C::kAnxiety).empty())
    signal("emotion.anxiety", anxiety, E(C::kAnxiety));
  if (!E(C::kStress).empty()) signal("emotion.stress", stress, E(C::kStress));
  {
    std::vector<Evidence> e = E(C::kJoy);
    for (const Hit& h : hits)
      if (!h.dropped && h.cat == C::kValence && h.w > 1.5)
        e.push_back(evidence_of(h));
    if (!e.empty()) signal("emotion.joy", joy, e);
  }
  {
    std::vector<Evidence> e = E(C::kNeedControl);
    for (C c : {C::kMicroApproval, C::kMicroNoDelegation, C::kMicroNitpick})
      for (const auto& x : E(c)) e.push_back(x);
    signal("need.control", need_control, e);
  }
  {
    std::vector<Evidence> e = E(C::kNeedCertainty);
    for (const auto& x : E(C::kMicroCheckin)) e.push_back(x);
    signal("need.certainty", need_certainty, e);
  }
  {
    std::vector<Evidence> e = E(C::kNeedSpeed);
    for (const auto& x : E(C::kQuestionPressure)) e.push_back(x);
    if (shouted_question && e.empty())
      for (const auto& x : shout_ev) e.push_back(x);
    signal("need.speed", need_speed, e);
  }
  signal("unheard", S(C::kUnheard), E(C::kUnheard));
  signal("micro.checkin", S(C::kMicroCheckin), E(C::kMicroCheckin));
  signal("micro.approval", S(C::kMicroApproval), E(C::kMicroApproval));
  signal("micro.nitpick", S(C::kMicroNitpick), E(C::kMicroNitpick));
  signal("micro.no_delegation", S(C::kMicroNoDelegation),
         E(C::kMicroNoDelegation));
  signal("demand.last_minute", S(C::kDemandLastMinute),
         E(C::kDemandLastMinute));
  signal("timing.after_hours", after_hours, timing_ev);
  // The client saying it ("ik weet dat dit niet in onze afspraak staat") is
  // evidence enough, with or without the agreed scope at hand.
  if (S(C::kScopeAdmitted) >= kSignalThreshold) {
    outside = std::max(outside, S(C::kScopeAdmitted));
    for (const auto& x : E(C::kScopeAdmitted)) scope_ev.push_back(x);
  }
  signal("scope.outside", outside, scope_ev);
  {
    std::vector<Evidence> e = E(C::kComplaintQuality);
    for (const auto& x : E(C::kComplaintCue)) e.push_back(x);
    // A complaint about the work: quality words, or a complaint-shaped message
    // (cues such as "still", "again", pressing questions) with a negative tone.
    double q = S(C::kComplaintQuality) * (compound < 0.3 ? 1.0 : 0.5);
    // Worry is not a complaint: an anxious message needs a quality word.
    const bool worried = anxiety >= 0.5 && anger < 0.4 && irony < 0.5;
    // "What if the page doesn't work?": a fear, not a finding about the work.
    if (worried) q *= 0.4;
    // A client owning up to their own delay ("mijn eigen fout", "I know I
    // promised") is not complaining about the work.
    const bool own_delay = S(C::kDeadlineClientMissed) >= 0.5 &&
                           S(C::kComplaintQuality) < 0.3 && anger < 0.4;
    if (own_delay) q = 0;
    // "The invoice will be a few weeks late, cash flow is tight": the
    // client's own late payment, said with regret, is not about the work.
    const bool own_payment = S(C::kPaymentLate) >= 0.5 &&
                             S(C::kComplaintQuality) < 0.3 && anger < 0.4;
    if (own_payment) q = 0;
    // Venting about a printer or a bad day is not a complaint about the work.
    const bool just_venting = profanity_score >= 0.3 && !insult_aimed &&
                              S(C::kComplaintQuality) < 0.3;
    if (just_venting) q = 0;
    // "Still not sent": a complaint about lateness is complaint.late; it
    // says nothing about the quality of the work.
    const bool only_late = S(C::kComplaintLate) >= 0.5 &&
                           S(C::kComplaintQuality) < 0.3 && irony < 0.5;
    if ((valence < -0.05 || irony >= 0.5) && !worried && !own_delay &&
        !own_payment && !just_venting && !only_late) {
      // A negative, complaint-shaped message is a complaint about the work even
      // without a quality word: its negative words are the evidence.
      for (const auto& x : E(C::kQuestionPressure)) e.push_back(x);
      for (const auto& x : irony_ev) e.push_back(x);
      for (const Hit& h : hits)
        if (!h.dropped && h.cat == C::kValence && h.w < -0.5)
          e.push_back(evidence_of(h));
      if (!e.empty()) q = std::max(q, 0.8 * complaint);
    }
    signal("complaint.quality", q, e);
  }
  signal("complaint.label", S(C::kComplaintLabel), E(C::kComplaintLabel));
  signal("demand.compensation", S(C::kDemandCompensation),
         E(C::kDemandCompensation));
  signal("payment.late", S(C::kPaymentLate), E(C::kPaymentLate));
  signal("deadline.client_missed", S(C::kDeadlineClientMissed),
         E(C::kDeadlineClientMissed));
  signal("relation.exit", S(C::kRelationExit), E(C::kRelationExit));
  // "Why is it STILL not done?": a complaint that something of the reader's
  // is late, as opposed to its quality. The words alone are not enough ("is
  // het nog niet klaar? geen haast"): the message must complain, and the
  // client's own delay is another signal.
  {
    double late = S(C::kComplaintLate);
    if (complaint < 0.4 && S(C::kComplaintCue) < 0.4 &&
        S(C::kQuestionPressure) < 0.4 && S(C::kAnger) < 0.4)
      late = 0;
    if (S(C::kDeadlineClientMissed) >= 0.3 || S(C::kPaymentLate) >= 0.3)
      late = 0;
    signal("complaint.late", late, E(C::kComplaintLate));
  }
  signal("hostility.insult", insult_score, insult_ev);
  signal("hostility.threat", S(C::kThreat), E(C::kThreat));
  signal("hostility.profanity", profanity_score, profanity_ev);
  signal("tone.irony", irony, irony_ev);
  signal("tone.shouting", shouting, shout_ev);
  signal("tone.exclamation", exclamation, excl_ev);
  std::stable_sort(
      out.signals.begin(), out.signals.end(),
      [](const Signal& a, const Signal& b) { return a.score > b.score; });
  // The dominant emotion is the strongest one reported as a signal, i.e. with
  // evidence in the text; a model score alone does not make it dominant.
  out.dominant_emotion = "neutral";
  {
    double best = 0;
    for (const Signal& sg : out.signals) {
      if (sg.id.rfind("emotion.", 0) != 0) continue;
      const std::string name = sg.id.substr(8);
      const double v = out.emotions[name];
      if (v > best) {
        best = v;
        out.dominant_emotion = name;
      }
    }
  }
  auto has = [&](std::string_view id, double min = kSignalThreshold) {
    for (const Signal& s : out.signals)
      if (s.id == id && s.score >= min) return true;
    return false;
  };

  // Escalation.
  int level = 0;
  const bool negative_emotion =
      anger >= 0.4 || disappointment >= 0.4 || anxiety >= 0.5;
  // Tense: any friction — negative tone, a complaint (also a polite one),
  // feeling unheard, reproach, pressure, control, last-minute demands, an exit.
  // Modifiers are not category scores: look for a softener in the sentence of
  // the control request itself ("Wacht even ...").
  bool softened = false;
  // Urgency pressed: said as a bare order ("je moet dat direct aanpassen") or
  // insisted on ("dit moet echt vóór 12 uur de deur uit").
  bool speed_pressed = false;
  for (const Hit& h : hits) {
    if (h.dropped) continue;
    if (h.cat == C::kNeedSpeed && h.w >= 0.5 &&
        (sentence_has_intensifier[toks[h.first].sentence] ||
         S(C::kImpolite) >= 0.3))
      speed_pressed = true;
    if (h.cat != C::kMicroApproval && h.cat != C::kMicroNoDelegation) continue;
    if (sentence_has_softener[toks[h.first].sentence]) softened = true;
    // The modal particle inside the request ("laat dat maar aan mij") makes
    // it a preference.
    for (uint32_t k = h.first + 1; k <= h.last; ++k)
      if (std::string_view(toks[k].norm) == "maar") softened = true;
  }
  // Control said flatly ("nothing without me") is friction; softened ("laat
  // het maar aan mij", "wacht even") it is a preference.
  const bool hard_control =
      (has("micro.approval", 0.5) || has("micro.no_delegation", 0.5)) &&
      !softened && S(C::kPolite) < 0.3 && S(C::kHedge) < 0.3 &&
      // "the approval is stuck with me, sorry": the client's own delay.
      S(C::kApology) < 0.3 && !has("deadline.client_missed");
  const bool friction =
      has("complaint.quality") || has("unheard") || has("tone.irony") ||
      has("relation.exit") || has("complaint.label") ||
      has("demand.compensation") || has("hostility.profanity") ||
      hard_control || has("demand.last_minute", 0.5) ||
      // A late payment announced politely, or plainly with its reason, is
      // news; withheld ("I pay only when ...") or said sourly it is friction.
      (has("payment.late") && S(C::kPolite) < 0.3 && S(C::kHedge) < 0.3 &&
       S(C::kApology) < 0.3 && (S(C::kReproach) >= 0.2 || valence < -0.05)) ||
      (S(C::kReproach) >= 0.4 && valence < 0.3) ||
      (S(C::kComplaintCue) >= 0.4 && valence < -0.05);
  // Urgency: "zsm", "ASAP", "direct" is pressure; "vandaag nog" alone is not.
  if (valence < -0.2 || negative_emotion ||
      (complaint >= 0.6 && valence < 0.05) || friction ||
      (has("need.speed", 0.65) && valence < 0.3) ||
      (speed_pressed && valence < 0.3) ||
      (has("need.speed", 0.5) && valence < -0.05))
    level = 1;
  // Swearing at a printer or a bad day is venting: it colours the tone but on
  // its own does not heat the conversation with the reader.
  // Not venting when the swearing asks the reader why ("Wtf, waarom staat
  // mijn adres op de site??").
  const bool venting =
      profanity_score >= 0.3 && !insult_aimed && !(why_question && qmarks >= 2);
  // Hard swearing about something that went wrong again ("Godverdomme, de
  // agenda is weer overhoop gegooid") is heated even when aimed at a thing.
  // Not when it is the writer's own mishap ("ik ben mijn wachtwoord alweer
  // kwijt").
  bool again_not_self = false;
  for (const Hit& h : hits) {
    if (!venting || again_not_self || h.dropped || h.w < 0.3 ||
        (h.cat != C::kReproach && h.cat != C::kComplaintCue))
      continue;
    const Sentence* sen = sentence_of(h.first);
    if (sen == nullptr) continue;
    bool self = false;
    for (size_t k = sen->first_token; k < sen->end_token; ++k) {
      const std::string_view w = toks[k].norm;
      self = self || FirstPersonSingular(w);
    }
    again_not_self = again_not_self || !self;
  }
  const bool venting_again =
      venting && profanity_score >= 0.8 && again_not_self && valence < -0.2;
  const double heat_anger = venting && !venting_again ? S(C::kAnger) : anger;
  if (level >= 1 &&
      (heat_anger >= 0.6 ||
       (has("tone.shouting", 0.5) &&
        (valence < -0.05 || (all_caps_message && valence <= 0.05))) ||
       (has("tone.exclamation") && valence < -0.2) ||
       (has("unheard", 0.5) && valence < 0) ||
       // A lone eye-roll is annoyance; sarcasm in words heats.
       (has("tone.irony", 0.6) && letters_words > 0) ||
       // Money and endings said calmly stay tense, not heated.
       (has("demand.compensation", 0.5) && heat_anger >= 0.3) ||
       // Disappointment said with force ("extremely disappointed") heats too.
       (S(C::kDisappointment) >= 0.85 && valence < -0.5) ||
       has("complaint.label", 0.5) ||
       (has("relation.exit", 0.6) &&
        (heat_anger >= 0.3 || disappointment >= 0.4)) ||
       // A refund claimed on the grounds of mistakes is a dispute.
       (has("demand.compensation", 0.5) && has("complaint.quality", 0.5)) ||
       // Very negative words alone heat a message only with some irritation.
       (valence < -0.7 && heat_anger >= 0.3 && !venting &&
        !(anxiety >= 0.5 && anger < 0.4))))
    level = 2;
  const bool threat = S(C::kThreat) >= 0.5;
  // A character label said to the reader ("je bent onbetrouwbaar").
  bool label_aimed = false;
  for (const Hit& h : hits) {
    if (h.dropped || h.negated || h.reported || h.cat != C::kComplaintLabel ||
        h.w < 0.5)
      continue;
    for (size_t k = h.first >= 5 ? h.first - 5 : 0;
         k < std::min(n, size_t{h.last} + 4); ++k) {
      if (target[k] > 0 && clause[k] == clause[h.first]) label_aimed = true;
    }
  }
  if ((insult_aimed && insult_score >= 0.5) || threat || label_aimed ||
      (has("complaint.label", 0.5) &&
       (anger >= 0.6 || shouting >= 0.5 || profanity_score >= 0.5)))
    level = 3;
  if (level >= 3 && (has("relation.exit", 0.5) || S(C::kThreat) >= 0.8 ||
                     (insult_aimed && threat)))
    level = 4;
  out.escalation_level = level;
  out.hostile = level >= 3;

  // Detail or fundamental.
  const bool fundamental = has("complaint.label") || has("relation.exit") ||
                           has("demand.compensation") || has("scope.outside") ||
                           has("payment.late") || has("timing.after_hours") ||
                           has("unheard") || has("deadline.client_missed") ||
                           out.hostile || level >= 2;
  const bool detail = has("micro.nitpick") || has("demand.last_minute") ||
                      has("micro.approval") || has("micro.checkin") ||
                      (complaint >= 0.5 && level <= 1);
  out.issue_kind = fundamental ? "fundamental" : (detail ? "detail" : "none");

  // Strategies, in the order of METHOD.md section 3.
  auto advise = [&](const char* id, const char* trigger) {
    for (const StrategyAdvice& s : out.strategies)
      if (s.id == id) return;
    std::string why = im.Advice(lang, id, trigger);
    out.strategies.push_back({id, std::move(why), trigger});
  };
  // The complaint model also scores business news said in negative words
  // ("the March invoice will not work out this month"): with a late payment
  // or the client's own delay and no word about the work, it is no complaint.
  // An exit said in anger or reproach is a complaint; a calm, thankful
  // ending is news.
  const bool exit_upset =
      has("relation.exit") && (anger >= 0.3 || disappointment >= 0.3 ||
                               level >= 2 || S(C::kReproach) >= 0.4);
  const bool about_work = has("complaint.quality") || has("complaint.label") ||
                          has("unheard") || has("demand.compensation") ||
                          exit_upset;
  const bool business_news =
      has("payment.late") || has("deadline.client_missed");
  const bool complaint_yes = about_work || (complaint >= 0.5 && !business_news);
  const bool micro = has("micro.checkin") || has("micro.approval") ||
                     has("micro.nitpick") || has("micro.no_delegation");
  if (out.hostile)
    advise("cool_down", "hostile");
  else if (level >= 2)
    advise("cool_down", "heated");
  // Criticism of the work lands first; a detail (a comma, a font) does not
  // need a pause.
  else if (complaint_yes && level >= 1 && out.issue_kind == "fundamental")
    advise("cool_down", "criticism");
  if (has("unheard")) advise("acknowledge", "unheard");
  // A client who apologises for their own late payment or input ("sorry,
  // cash flow is tight") is not upset with the reader.
  else if (business_news && S(C::kApology) >= 0.3 && anger < 0.4 && !about_work)
    ;
  else if (negative_emotion || valence < -0.3 ||
           (complaint >= 0.7 && !business_news) ||
           (exit_upset && has("relation.exit", 0.5)))
    advise("acknowledge", "negative_emotion");
  if (complaint_yes)
    advise("summarise", "complaint");
  else if (has("unheard"))
    advise("summarise", "unheard");
  if (complaint_yes && letters_words < 25 && !has("scope.outside") &&
      !has("payment.late"))
    advise("clarify", "vague");
  if (need_certainty >= 0.4)
    advise("serve_need", "certainty");
  else if (need_control >= 0.4)
    advise("serve_need", "control");
  else if (need_speed >= 0.4)
    advise("serve_need", "speed");
  if (micro) advise("explain_way_of_working", "micro");
  if (has("timing.after_hours"))
    advise("boundary", "after_hours");
  else if (out.hostile)
    advise("boundary", "hostile");
  else if (has("demand.last_minute"))
    advise("boundary", "last_minute");
  else if (fundamental && level >= 2)
    advise("boundary", "fundamental");
  if (out.issue_kind == "detail") advise("pick_battle", "detail");
  if (has("scope.outside"))
    advise("refer_agreement", "scope");
  else if (has("demand.compensation"))
    advise("refer_agreement", "compensation");
  if (complaint_yes) advise("ask_solution", "complaint");
  if (has("demand.compensation"))
    advise("propose", "compensation");
  else if (complaint_yes)
    advise("propose", "complaint");
  if (has("micro.nitpick") || has("micro.approval"))
    advise("dialogue", "micro");
  if (has("complaint.quality") && !out.hostile) advise("apologise", "mistake");
  if (has("payment.late"))
    advise("adjust_terms", "payment");
  else if (has("deadline.client_missed"))
    advise("adjust_terms", "client_late");
  if (level >= 1 || complaint_yes || !out.strategies.empty())
    advise("agree_concretely", "always");

  // With the agreement known, the advice names its rate for extra work.
  if (!ctx.out_of_scope_rate.empty())
    for (StrategyAdvice& st : out.strategies)
      if (st.id == "refer_agreement" && st.trigger == "scope")
        st.why +=
            (lang == Language::kEnglish
                 ? " The agreed rate for work outside the agreement: "
                 : " Het afgesproken tarief voor werk buiten de afspraak: ") +
            ctx.out_of_scope_rate +
            (lang == Language::kEnglish ? " an hour." : " per uur.");

  // A VA needs a few clear steps, not the whole method: keep the six that
  // matter most for this message (agreeing concretely always stays), in METHOD
  // order.
  constexpr size_t kMaxStrategies = 6;
  if (out.strategies.size() > kMaxStrategies) {
    static const std::array<std::string_view, 17> kPriority = {
        "cool_down",
        "acknowledge",
        "boundary",
        "refer_agreement",
        "adjust_terms",
        "serve_need",
        "summarise",
        "ask_solution",
        "propose",
        "dialogue",
        "explain_way_of_working",
        "clarify",
        "apologise",
        "pick_battle",
        "ask_change",
        "end_relation",
        "agree_concretely"};
    auto rank = [&](const std::string& id) {
      if (id == "agree_concretely") return -1;  // always kept
      for (size_t i = 0; i < kPriority.size(); ++i)
        if (kPriority[i] == id) return static_cast<int>(i);
      return static_cast<int>(kPriority.size());
    };
    std::vector<int> ranks;
    for (const auto& st : out.strategies) ranks.push_back(rank(st.id));
    std::vector<int> sorted = ranks;
    std::sort(sorted.begin(), sorted.end());
    const int cutoff = sorted[kMaxStrategies - 1];
    std::vector<StrategyAdvice> kept;
    for (size_t i = 0; i < out.strategies.size(); ++i)
      if (ranks[i] <= cutoff) kept.push_back(std::move(out.strategies[i]));
    out.strategies = std::move(kept);
  }

  if (ctx.trace) {
    for (const Hit& h : hits) {
      const Evidence e = evidence_of(h);
      char buf[64];
      std::snprintf(buf, sizeof buf, " %+.2f (base %+.2f)", h.w, h.base);
      std::string line = std::string(CategoryName(h.cat)) + buf;
      if (h.negated) line += " negated";
      if (h.reported) line += " reported";
      if (h.dropped) line += " hidden";  // by a longer or exact match
      line += " '" + e.text + "' " + e.rule;
      out.trace.push_back(std::move(line));
    }
  }
  out.features = std::move(f);
  if (tokens_out != nullptr) *tokens_out = std::move(tz);
  return out;
}

}  // namespace kalm::core
