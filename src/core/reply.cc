#include "kalm/core/reply.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <set>

namespace kalm::core {
namespace {

// FNV-1a: a stable seed per message, so the same message always gets the same
// suggestions and different messages get different wordings.
uint64_t Seed(std::string_view s) {
  uint64_t h = 1469598103934665603ULL;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  return h;
}

bool Filled(const std::string& name, const PhraseValues& values) {
  auto it = values.find(name);
  return it != values.end() && !it->second.empty();
}

int Unfilled(const Phrase& p, const PhraseValues& values) {
  int k = 0;
  for (const std::string& ph : PhraseLibrary::PlaceholdersIn(p.text))
    k += !Filled(ph, values);
  return k;
}

// Greetings and sign-offs read fine without a name: "Hoi {client}," becomes
// "Hoi," and "Groet, {me}" becomes "Groet,".
std::string DropNames(std::string text, const PhraseValues& values) {
  for (const char* name : {"client", "me"}) {
    if (Filled(name, values)) continue;
    const std::string ph = std::string("{") + name + "}";
    for (size_t at = text.find(ph); at != std::string::npos;
         at = text.find(ph)) {
      size_t from = at;
      while (from > 0 && text[from - 1] == ' ') --from;
      size_t to = at + ph.size();
      // "Dank je, {client}." -> "Dank je."
      if (from > 0 && text[from - 1] == ',' && to < text.size() &&
          (text[to] == '.' || text[to] == '!'))
        --from;
      text.erase(from, to - from);
    }
  }
  return text;
}

// The emotion an acknowledging phrase names, by its words ("" when it names
// none): the words of METHOD's emotions in Dutch and English.
std::string EmotionOf(std::string_view text) {
  std::string t(text);
  for (char& c : t)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto has = [&](std::initializer_list<const char*> words) {
    for (const char* w : words)
      if (t.find(w) != std::string::npos) return true;
    return false;
  };
  if (has({"zorgen", "ongerust", "nerveus", "worried", "nervous", "uneasy",
           "unsettling"}))
    return "anxiety";
  if (has({"teleurgesteld", "teleurstelling", "disappointed",
           "disappointment"}))
    return "disappointment";
  if (has({"frustr", "irritatie", "ongenoegen", "boos", "kwaad", "angry",
           "annoy", "upset"}))
    return "anger";
  if (has({"druk", "onder druk", "stress", "pressure"})) return "stress";
  return "";
}

// The words of six letters or more, lower-cased, placeholders left out:
// what a sentence is about ("agreement", "confirmation").
std::set<std::string> LongWords(std::string_view text) {
  std::set<std::string> out;
  std::string w;
  bool in_braces = false;
  auto flush = [&] {
    if (w.size() >= 6 && !in_braces) out.insert(w);
    w.clear();
  };
  for (char c : text) {
    if (c == '{') in_braces = true;
    const bool letter = std::isalpha(static_cast<unsigned char>(c)) ||
                        (static_cast<unsigned char>(c) & 0x80) != 0;
    if (letter) {
      w += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else {
      flush();
      if (c == '}') in_braces = false;
    }
  }
  flush();
  return out;
}

// The first two words, lower-cased ("ik snap"): how a sentence opens.
std::string Opening(std::string_view text) {
  std::string out;
  int words = 0;
  bool in_word = false;
  for (char c : text) {
    const bool letter = std::isalpha(static_cast<unsigned char>(c)) ||
                        (static_cast<unsigned char>(c) & 0x80) != 0;
    if (letter) {
      if (!in_word && words == 2) break;
      if (!in_word) {
        ++words;
        if (words > 1) out += ' ';
      }
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    in_word = letter;
  }
  return out;
}

// What the message is about, in the phrase library's situation names, the
// strongest first: the composer prefers phrases written for the first, then
// the others, and never uses one written for a situation not listed.
std::vector<std::string> SituationsOf(const Analysis& a) {
  auto score = [&](std::string_view id) {
    for (const Signal& s : a.signals)
      if (s.id == id) return s.score;
    return 0.0;
  };
  bool complaint = false;  // the analysis answers it as a complaint
  for (const StrategyAdvice& st : a.strategies)
    complaint = complaint || st.id == "summarise" || st.id == "ask_solution" ||
                st.id == "acknowledge";
  std::vector<std::pair<double, std::string>> found;
  auto add = [&](const char* id, double s, double min = 0.3) {
    if (s >= min) found.emplace_back(s, id);
  };
  const double late = score("complaint.late");
  add("refund", score("demand.compensation"));
  add("exit", complaint ? score("relation.exit") : 0, 0.5);
  add("label", score("complaint.label"));
  // "Why is it STILL not done?" also reads as unhappy with the work; when the
  // lateness is as strong, that is what it is about.
  const double quality = score("complaint.quality");
  add("quality", late >= quality ? 0 : quality);
  add("late", late);
  add("payment", score("payment.late"));
  add("client_late", score("deadline.client_missed"));
  add("checkin",
      std::max(score("micro.checkin"),
               score("need.certainty") >= 0.4 ? score("need.certainty") : 0));
  add("control",
      std::max({score("micro.approval"), score("micro.no_delegation"),
                score("need.control") >= 0.5 ? score("need.control") : 0.0}));
  add("nitpick", score("micro.nitpick"));
  add("scope", score("scope.outside"));
  add("last_minute", score("demand.last_minute"));
  add("after_hours", score("timing.after_hours"));
  add("unheard", score("unheard"));
  std::stable_sort(
      found.begin(), found.end(),
      [](const auto& x, const auto& y) { return x.first > y.first; });
  std::vector<std::string> out;
  for (auto& [s, id] : found) out.push_back(std::move(id));
  if (out.empty()) out.emplace_back("request");
  return out;
}

}  // namespace

StatusOr<ReplySuggestions> ReplyComposer::Suggest(
    std::string_view message, const ReplyContext& ctx) const {
  Tokenized tz;
  auto analysed = analyzer_.Analyze(message, ctx.analysis, &tz);
  if (!analysed.ok()) return analysed.status();
  const Analysis& a = *analysed;
  const Language lang =
      a.advice_language == "en" ? Language::kEnglish : Language::kDutch;

  ReplySuggestions out;
  out.language = std::string(LanguageCode(lang));
  out.escalation_level = a.escalation_level;
  out.strategies = a.strategies;

  // Form of address: as asked, else as the client writes (u for u), else je.
  Register form = Register::kNone;
  if (lang == Language::kDutch) {
    form = ctx.form ? *ctx.form : DetectRegister(tz.tokens);
    if (form == Register::kNone) form = Register::kJe;
  }
  out.form = std::string(RegisterName(form));

  // Flemish words ("efkes", "goesting") only for a client who writes
  // Flemish.
  auto flemish_word = [](std::string_view w) {
    return w == "efkes" || w == "goesting" || w == "allez" || w == "ge" ||
           w == "gij" || w == "content";
  };
  bool flemish_client = false;
  for (const Token& t : tz.tokens)
    flemish_client = flemish_client || flemish_word(t.norm);
  auto has_flemish = [&](std::string_view text) {
    size_t i = 0;
    while (i < text.size()) {
      while (i < text.size() &&
             !std::isalpha(static_cast<unsigned char>(text[i])))
        ++i;
      size_t j = i;
      while (j < text.size() &&
             std::isalpha(static_cast<unsigned char>(text[j])))
        ++j;
      std::string w(text.substr(i, j - i));
      for (char& c : w)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (flemish_word(w)) return true;
      i = j;
    }
    return false;
  };

  const std::vector<std::string> situations = SituationsOf(a);
  out.situations = situations;
  // The rank of the situation a phrase is written for (0: the main one);
  // situations.size() for a general phrase, -1 for one that does not fit.
  auto fit_rank = [&](const Phrase& p) -> int {
    if (p.about.empty()) return static_cast<int>(situations.size());
    int best = -1;
    for (const std::string& x : p.about) {
      const auto it = std::find(situations.begin(), situations.end(), x);
      if (it == situations.end()) continue;
      const int r = static_cast<int>(it - situations.begin());
      if (best < 0 || r < best) best = r;
    }
    return best;
  };
  const uint64_t seed = Seed(message);
  bool upset = a.escalation_level >= 1;
  for (const auto& st : a.strategies) upset = upset || st.id == "acknowledge";
  std::set<std::string> used;  // sources already in the variant being built
  // The best phrase for a strategy and trigger: the variant's tones in order,
  // then the fewest placeholders left open, then a stable rotation.
  size_t variant = 0;           // rotates wordings between the variants
  bool after_question = false;  // the part before asked the client something
  std::string last_opening;     // the first two words of the part before
  // Facts a part of the variant already named ("{deadline}"): a second part
  // that names it again repeats the promise.
  std::set<std::string> facts_named;
  std::set<std::string> words_used;   // longer words of the parts so far
  std::set<std::string> used_before;  // sources used by earlier variants
  auto pick = [&](std::string_view strategy, std::string_view trigger,
                  const std::vector<std::string_view>& tones,
                  bool sign_off = false,
                  bool general_first = false) -> const Phrase* {
    auto all =
        phrases_.Find(lang, strategy, trigger,
                      form == Register::kNone ? std::optional<Register>()
                                              : std::optional<Register>(form));
    bool specific = false;
    for (const Phrase* p : all) specific = specific || p->trigger == trigger;
    const Phrase* best = nullptr;
    using Key = std::array<uint64_t, 14>;
    Key best_key;
    best_key.fill(UINT64_MAX);
    for (size_t i = 0; i < all.size(); ++i) {
      const Phrase* p = all[i];
      if (specific && p->trigger != trigger) continue;
      if (used.count(p->source)) continue;
      // Written for another situation: "the new version" to a late payer.
      const int fit = fit_rank(*p);
      if (fit < 0) continue;
      if (!flemish_client && has_flemish(p->text)) continue;
      // No small talk ("alles goed daar?") to a client who is upset.
      if (strategy == "greeting" && upset &&
          p->text.find('?') != std::string::npos)
        continue;
      if (strategy == "closing" &&
          (p->text.find("{me}") != std::string::npos) != sign_off)
        continue;
      const auto tone_at = std::find(tones.begin(), tones.end(), p->tone);
      const uint64_t tone_rank = static_cast<uint64_t>(tone_at - tones.begin());
      const int open = Unfilled(*p, ctx.values);
      const int filled =
          static_cast<int>(PhraseLibrary::PlaceholdersIn(p->text).size()) -
          open;
      const uint64_t unfilled = static_cast<uint64_t>(std::min(open, 7));
      // A phrase that can name a given fact ("vrijdag om 12:00") is more
      // concrete than one that cannot.
      const uint64_t vague = static_cast<uint64_t>(7 - std::min(filled, 7));
      const uint64_t rotation =
          (seed + (i + variant * 7919) * 0x9E3779B97F4A7C15ULL) >> 51;
      // A sign-off that is only a greeting and a name does not repeat the
      // promises the body already made.
      const size_t me = p->text.find("{me}");
      const uint64_t wordy = sign_off && me != std::string::npos &&
                                     p->text.substr(0, me).find_first_of(
                                         ".?!") != std::string::npos
                                 ? 1
                                 : 0;
      // An acknowledgment names the feeling the client shows: no "worried"
      // to an angry client, no "frustrated" to a worried one.
      const uint64_t mismatch = strategy == "acknowledge" &&
                                        EmotionOf(p->text) != "" &&
                                        EmotionOf(p->text) != a.dominant_emotion
                                    ? 1
                                    : 0;
      // One question to the client at a time: "Does that work? Could you
      // let me know?" asks twice.
      const uint64_t double_question =
          after_question && p->text.find('?') != std::string::npos ? 1 : 0;
      // A phrase written for what the client wrote says more than the right
      // tone does; an acknowledgment next to a summary is better general (the
      // summary already names the situation).
      uint64_t generic = static_cast<uint64_t>(fit);
      if (general_first)
        generic = p->about.empty() ? 0 : 1 + static_cast<uint64_t>(fit);
      uint64_t repeats = 0;
      for (const std::string& ph : PhraseLibrary::PlaceholdersIn(p->text))
        if (ph != "client" && ph != "me" && ph != "task" &&
            facts_named.count(ph))
          ++repeats;
      // Or says again in other words what a part before said ("I'll send
      // you the new version ... I'll send you the updated version"): two
      // or more of its longer words were used already.
      int shared = 0;
      for (const std::string& w : LongWords(p->text))
        shared += words_used.count(w) ? 1 : 0;
      if (shared >= 3) ++repeats;
      // The wrap-up may not repeat a promise at all; a core part rather
      // fits the situation than avoids a second mention.
      const bool wrap_up =
          strategy == "agree_concretely" || strategy == "closing";
      const uint64_t repeat = repeats > 0 ? 1 : 0;
      // Two sentences in a row that open alike ("Ik snap dat ... Ik snap
      // dat ...") read as a template.
      const uint64_t same_opening =
          !last_opening.empty() && Opening(p->text) == last_opening ? 1 : 0;
      // A wrap-up is only as concrete as the facts the VA gave: with no
      // date known, "I'll confirm our agreements by mail today" beats
      // "{task} is ready on {date}".
      const uint64_t wrap_open = wrap_up && unfilled > 0 ? 1 : 0;
      // The variants are alternatives: each its own wording where the
      // library has one.
      const uint64_t earlier = used_before.count(p->source) ? 1 : 0;
      // A phrase that names a fact the VA gave ("on Monday and Thursday")
      // is more concrete than one that cannot; for the body that matters
      // more than the variant's tone.
      const uint64_t names_less = wrap_up ? 0 : std::min<uint64_t>(vague, 7);
      const Key key = {wrap_up ? repeat : 0,
                       wrap_open,
                       generic,
                       wrap_up ? 0 : repeat,
                       same_opening,
                       names_less,
                       tone_rank,
                       double_question,
                       mismatch,
                       earlier,
                       wordy,
                       unfilled,
                       vague,
                       rotation};
      if (key < best_key) {
        best_key = key;
        best = p;
      }
    }
    return best;
  };
  auto has = [&](std::string_view id) {
    for (const auto& s : a.strategies)
      if (s.id == id) return true;
    return false;
  };
  std::map<std::string, std::string>
      extra_trigger;  // strategies the reply adds
  auto trigger_of = [&](std::string_view id) -> std::string {
    for (const auto& s : a.strategies)
      if (s.id == id) return s.trigger;
    auto it = extra_trigger.find(std::string(id));
    return it == extra_trigger.end() ? "-" : it->second;
  };

  out.cool_down = has("cool_down");
  if (const Phrase* r = pick("cool_down", "-", {"neutral", "soft", "firm"}))
    out.receipt = PhraseLibrary::Fill(r->text, ctx.values);

  // The strategies that make up the body: the most important ones are chosen
  // (a limit that was crossed first; a general "fundamental" boundary after
  // the answer to the complaint itself), then written in METHOD order.
  // A faint sign of micromanagement (one word such as "logo") is worth a
  // line of advice, not a paragraph of the reply.
  double micro = 0;
  for (const Signal& sig : a.signals)
    if (sig.id.rfind("micro.", 0) == 0) micro = std::max(micro, sig.score);
  std::vector<std::string> core;
  for (const auto& s : a.strategies) {
    if (s.id == "cool_down" || s.id == "acknowledge" || s.id == "summarise" ||
        s.id == "agree_concretely")
      continue;
    if (s.trigger == "micro" && micro < 0.5) continue;
    // Giving in on a detail and holding a line contradict each other in one
    // reply ("that won't work before 9" then "a small change, I'll do it"):
    // a limit that was crossed wins.
    if (s.id == "pick_battle" && has("boundary") &&
        trigger_of("boundary") != "fundamental")
      continue;
    core.push_back(s.id);
  }
  // A complaint is answered with a way forward. The analysis shows at most six
  // strategies, so a proposal may have been cut for a limit; the reply needs
  // it back.
  if (a.complaint >= 0.5 &&
      std::none_of(core.begin(), core.end(), [](const std::string& id) {
        return id == "propose" || id == "ask_solution" || id == "apologise" ||
               id == "refer_agreement" || id == "adjust_terms";
      })) {
    core.push_back("propose");
    extra_trigger["propose"] = "complaint";
  }
  auto importance = [&](const std::string& id) {
    static const std::vector<std::string_view> kOrder = {
        "boundary",     "refer_agreement", "adjust_terms",
        "apologise",    "propose",         "serve_need",
        "ask_solution", "dialogue",        "explain_way_of_working",
        "clarify",      "pick_battle",     "ask_change",
        "end_relation"};
    if (id == "boundary" && trigger_of("boundary") == "fundamental")
      return kOrder.size();
    const auto it = std::find(kOrder.begin(), kOrder.end(), id);
    return static_cast<size_t>(it - kOrder.begin());
  };
  auto choose = [&](std::vector<std::string> ids, size_t count) {
    std::vector<std::string> by_importance = ids;
    std::stable_sort(by_importance.begin(), by_importance.end(),
                     [&](const std::string& x, const std::string& y) {
                       return importance(x) < importance(y);
                     });
    if (by_importance.size() > count) by_importance.resize(count);
    std::vector<std::string> kept;  // back in METHOD order
    for (const std::string& id : ids)
      if (std::find(by_importance.begin(), by_importance.end(), id) !=
          by_importance.end())
        kept.push_back(id);
    return kept;
  };
  // Firm variants lead with the limits: boundary, agreement, terms.
  std::vector<std::string> firm_core = core;
  std::stable_sort(firm_core.begin(), firm_core.end(),
                   [](const std::string& x, const std::string& y) {
                     auto rank = [](const std::string& id) {
                       return id == "boundary"                 ? 0
                              : id == "refer_agreement"        ? 1
                              : id == "adjust_terms"           ? 2
                              : id == "explain_way_of_working" ? 3
                                                               : 4;
                     };
                     return rank(x) < rank(y);
                   });
  const bool firm_fits =
      a.escalation_level >= 1 ||
      std::any_of(core.begin(), core.end(), [](const std::string& id) {
        return id == "boundary" || id == "refer_agreement" ||
               id == "adjust_terms" || id == "explain_way_of_working" ||
               id == "serve_need" || id == "dialogue";
      });

  struct Plan {
    const char* id;
    std::vector<std::string_view> tones;
    bool acknowledge, summarise, closing_sentence;
    size_t core_count;
    const std::vector<std::string>* order;
  };
  // A general boundary ("this goes beyond what I can do") answers hostility;
  // to an upset client it reads as a wall.
  std::vector<std::string> gentle_core;
  for (const std::string& id : core)
    if (id != "boundary" || trigger_of("boundary") != "fundamental" ||
        a.escalation_level >= 3)
      gentle_core.push_back(id);
  const std::vector<std::string> short_core = choose(gentle_core, 1);
  const std::vector<std::string> standard_core = choose(gentle_core, 2);
  // Firm is clear about limits, not hard: the general "fundamental" boundary
  // stays out below hostility here too.
  firm_core.erase(std::remove_if(firm_core.begin(), firm_core.end(),
                                 [&](const std::string& id) {
                                   return std::find(gentle_core.begin(),
                                                    gentle_core.end(),
                                                    id) == gentle_core.end();
                                 }),
                  firm_core.end());
  firm_core = choose(firm_core, 2);
  std::stable_sort(firm_core.begin(), firm_core.end(),
                   [&](const std::string& x, const std::string& y) {
                     return importance(x) < importance(y);
                   });
  std::vector<Plan> plans = {
      {"short",
       {"soft", "neutral", "firm"},
       true,
       false,
       false,
       1,
       &short_core},
      {"standard",
       {"neutral", "soft", "firm"},
       true,
       true,
       true,
       2,
       &standard_core},
  };
  if (firm_fits)
    plans.push_back({"firm",
                     {"firm", "neutral", "soft"},
                     true,
                     false,
                     false,
                     2,
                     &firm_core});

  for (const Plan& plan : plans) {
    used.clear();
    facts_named.clear();
    words_used.clear();
    after_question = false;
    last_opening.clear();
    variant = out.variants.size();
    ReplyVariant v;
    v.id = plan.id;
    auto add = [&](std::string_view strategy, const std::string& trigger,
                   bool sign_off = false) {
      // Empathy in the greeting and sign-off ("thanks for being so open")
      // suits an upset client; a calm request gets neutral ones.
      static const std::vector<std::string_view> kNeutralFirst = {
          "neutral", "soft", "firm"};
      const bool frame = strategy == "greeting" || strategy == "closing";
      const bool general_first =
          strategy == "acknowledge" && plan.summarise && has("summarise");
      const Phrase* p =
          pick(strategy, trigger, frame && !upset ? kNeutralFirst : plan.tones,
               sign_off, general_first);
      if (p == nullptr) return;
      used.insert(p->source);
      std::string text = PhraseLibrary::Fill(p->text, ctx.values);
      if (strategy == "greeting" || strategy == "closing")
        text = DropNames(std::move(text), ctx.values);
      after_question = text.find('?') != std::string::npos;
      last_opening = Opening(text);
      if (strategy != "greeting")
        for (const std::string& w : LongWords(p->text)) words_used.insert(w);
      for (const std::string& ph : PhraseLibrary::PlaceholdersIn(p->text))
        facts_named.insert(ph);
      v.parts.push_back(
          {std::string(strategy), p->trigger, std::move(text), p->source});
    };
    add("greeting", "-");
    if (plan.acknowledge && has("acknowledge"))
      add("acknowledge", trigger_of("acknowledge"));
    if (plan.summarise && has("summarise"))
      add("summarise", trigger_of("summarise"));
    for (size_t i = 0; i < plan.order->size() && i < plan.core_count; ++i)
      add((*plan.order)[i], trigger_of((*plan.order)[i]));
    add("agree_concretely", "always");
    // The closing sentence adds warmth, not a second request to confirm.
    if (plan.closing_sentence && !after_question) add("closing", "-");
    add("closing", "-", /*sign_off=*/true);

    // Greeting on its own line, the body as one paragraph, the sign-off last.
    std::string body;
    for (size_t i = 0; i < v.parts.size(); ++i) {
      const ReplyPart& part = v.parts[i];
      const bool first = i == 0 && part.strategy == "greeting";
      const bool last = i + 1 == v.parts.size() && part.strategy == "closing";
      if (first) {
        v.text = part.text + "\n\n";
      } else if (last) {
        v.text += body + "\n\n" + part.text;
        body.clear();
      } else {
        if (!body.empty()) body += " ";
        body += part.text;
      }
    }
    if (!body.empty()) v.text += body;
    for (const ReplyPart& part : v.parts) used_before.insert(part.source);
    std::set<std::string> missing;
    for (const std::string& ph : PhraseLibrary::PlaceholdersIn(v.text))
      missing.insert(ph);
    v.missing.assign(missing.begin(), missing.end());
    out.variants.push_back(std::move(v));
  }
  return out;
}

nlohmann::json ToJson(const ReplySuggestions& s) {
  nlohmann::json j;
  j["language"] = s.language;
  j["register"] = s.form;
  j["escalation_level"] = s.escalation_level;
  j["cool_down"] = s.cool_down;
  j["situations"] = s.situations;
  j["receipt"] = s.receipt;
  j["strategies"] = nlohmann::json::array();
  for (const auto& st : s.strategies)
    j["strategies"].push_back(
        {{"id", st.id}, {"trigger", st.trigger}, {"why", st.why}});
  j["variants"] = nlohmann::json::array();
  for (const auto& v : s.variants) {
    nlohmann::json parts = nlohmann::json::array();
    for (const auto& p : v.parts)
      parts.push_back({{"strategy", p.strategy},
                       {"trigger", p.trigger},
                       {"text", p.text},
                       {"source", p.source}});
    j["variants"].push_back({{"id", v.id},
                             {"text", v.text},
                             {"parts", parts},
                             {"missing", v.missing}});
  }
  return j;
}

}  // namespace kalm::core
