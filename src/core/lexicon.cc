// Lexicon parsing, compilation into a term trie, and matching.
#include "kalm/core/lexicon.h"

#include <libstemmer.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <charconv>
#include <cmath>
#include <map>
#include <set>
#include <unordered_set>

namespace kalm::core {
namespace {

static_assert(kCategoryCount <= 64, "categories are bits of a uint64_t");

constexpr std::array<std::string_view, kCategoryCount> kCategoryNames = {
    "valence",
    "intensifier",
    "softener",
    "negator",
    "contrast",
    "emotion.anger",
    "emotion.disappointment",
    "emotion.anxiety",
    "emotion.stress",
    "emotion.joy",
    "need.control",
    "need.certainty",
    "need.speed",
    "unheard",
    "micro.checkin",
    "micro.approval",
    "micro.nitpick",
    "micro.no_delegation",
    "demand.last_minute",
    "scope.request",
    "complaint.quality",
    "complaint.label",
    "complaint.cue",
    "complaint.late",
    "demand.compensation",
    "payment.late",
    "deadline.client_missed",
    "relation.exit",
    "polite",
    "impolite",
    "insult",
    "profanity",
    "threat",
    "irony",
    "reproach",
    "report",
    "target.person",
    "question.pressure",
    "apology",
    "gratitude",
    "greeting",
    "hedge",
    "time.ref",
    "scope.admitted",
    "draft.defensive",
    "draft.blame",
    "draft.apology",
    "draft.over_apology",
    "draft.self_deprecation",
    "draft.free_work",
    "draft.limit_give_up",
    "draft.curt",
    "draft.absolute",
    "draft.judgement",
    "draft.justify",
    "draft.yes_but",
    "draft.acknowledge",
    "draft.vague",
    "draft.commit",
    "draft.refusal",
    "draft.alternative",
};

constexpr uint32_t kGapTokens =
    4;  // "..." allows up to this many words between

// Open-addressing map from 64-bit keys to 32-bit values for the trie edges,
// probed once per term on every token: std::unordered_map's node chasing and
// modulo cost more than the rest of the walk.
class EdgeMap {
 public:
  // Returns the value for `key`, inserting `make()` when absent.
  template <typename Make>
  uint32_t FindOrInsert(uint64_t key, Make make) {
    if ((size_ + 1) * 2 > slots_.size()) Grow();
    size_t i = Slot(key);
    while (slots_[i].value != kEmpty) {
      if (slots_[i].key == key) return slots_[i].value;
      i = (i + 1) & mask_;
    }
    slots_[i] = {key, make()};
    ++size_;
    return slots_[i].value;
  }
  // kEmpty when absent.
  uint32_t Find(uint64_t key) const {
    if (slots_.empty()) return kEmpty;
    for (size_t i = Slot(key);; i = (i + 1) & mask_) {
      if (slots_[i].value == kEmpty) return kEmpty;
      if (slots_[i].key == key) return slots_[i].value;
    }
  }
  static constexpr uint32_t kEmpty = UINT32_MAX;

 private:
  struct Entry {
    uint64_t key = 0;
    uint32_t value = kEmpty;
  };
  size_t Slot(uint64_t key) const {
    return static_cast<size_t>((key * 0x9E3779B97F4A7C15ULL) >> shift_);
  }
  void Grow() {
    std::vector<Entry> old = std::move(slots_);
    const size_t cap = old.empty() ? 1024 : old.size() * 2;
    slots_.assign(cap, Entry{});
    mask_ = cap - 1;
    shift_ = 64u - static_cast<unsigned>(std::countr_zero(cap));
    for (const Entry& e : old) {
      if (e.value == kEmpty) continue;
      size_t i = Slot(e.key);
      while (slots_[i].value != kEmpty) i = (i + 1) & mask_;
      slots_[i] = e;
    }
  }
  std::vector<Entry> slots_;
  size_t size_ = 0, mask_ = 0;
  unsigned shift_ = 64;
};

struct StemmerDeleter {
  void operator()(sb_stemmer* s) const { sb_stemmer_delete(s); }
};

sb_stemmer* ThreadStemmer(Language l) {
  thread_local std::array<std::unique_ptr<sb_stemmer, StemmerDeleter>, 2> st;
  auto& slot = st[static_cast<size_t>(l)];
  if (!slot) {
    slot.reset(
        sb_stemmer_new(l == Language::kDutch ? "dutch" : "english", "UTF_8"));
  }
  return slot.get();
}

bool HasLetter(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    UChar32 c;
    int32_t pos = static_cast<int32_t>(i);
    U8_NEXT(reinterpret_cast<const uint8_t*>(s.data()), pos,
            static_cast<int32_t>(s.size()), c);
    i = static_cast<size_t>(pos);
    if (c >= 0 && u_isalpha(c)) return true;
  }
  return false;
}

// Up to five tab-separated fields (one more than a line may have, to report
// it); no allocation, lexicon files have thousands of lines.
struct Fields {
  std::array<std::string_view, 5> f;
  size_t size = 0;
  std::string_view operator[](size_t i) const { return f[i]; }
};
Fields SplitTabs(std::string_view line) {
  Fields out;
  size_t pos = 0;
  while (out.size < out.f.size()) {
    const size_t t = line.find('\t', pos);
    if (t == std::string_view::npos) {
      out.f[out.size++] = line.substr(pos);
      return out;
    }
    out.f[out.size++] = line.substr(pos, t - pos);
    pos = t + 1;
  }
  out.size = out.f.size() + 1;  // too many fields
  return out;
}

// Optimal string alignment distance, capped: returns > 1 as soon as it
// exceeds 1.
int EditDistanceAtMostOne(std::string_view a, std::string_view b) {
  if (a == b) return 0;
  const size_t n = a.size(), m = b.size();
  if (n > m + 1 || m > n + 1) return 2;
  size_t i = 0;
  while (i < n && i < m && a[i] == b[i]) ++i;
  if (n == m) {
    if (a.substr(i + 1) == b.substr(i + 1)) return 1;  // substitution
    if (i + 1 < n && a[i] == b[i + 1] && a[i + 1] == b[i] &&
        a.substr(i + 2) == b.substr(i + 2))
      return 1;  // transposition
    return 2;
  }
  if (n > m) return a.substr(i + 1) == b.substr(i) ? 1 : 2;
  return b.substr(i + 1) == a.substr(i) ? 1 : 2;
}

std::atomic<uint64_t> g_next_lexicon_id{1};

// FNV-1a of `w` with the byte at `skip` left out (skip >= size: the whole
// word). A word and a deletion variant with the same letters hash alike, on
// purpose.
uint64_t HashWithout(std::string_view w, size_t skip) {
  uint64_t h = 1469598103934665603ULL;
  for (size_t i = 0; i < w.size(); ++i) {
    if (i == skip) continue;
    h ^= static_cast<unsigned char>(w[i]);
    h *= 1099511628211ULL;
  }
  return h;
}

}  // namespace

std::string_view CategoryName(Category c) {
  return kCategoryNames[static_cast<size_t>(c)];
}

bool ParseCategory(std::string_view name, Category* out) {
  for (size_t i = 0; i < kCategoryNames.size(); ++i) {
    if (kCategoryNames[i] == name) {
      *out = static_cast<Category>(i);
      return true;
    }
  }
  return false;
}

std::string_view LanguageCode(Language l) {
  return l == Language::kDutch ? "nl" : "en";
}

struct Lexicon::Impl {
  uint64_t id = g_next_lexicon_id.fetch_add(1);
  // Term dictionaries: folded exact word / stem / prefix -> term id.
  std::unordered_map<std::string, uint32_t> exact;
  std::unordered_map<std::string, uint32_t> stem;
  std::unordered_map<std::string, uint32_t> prefix;
  size_t min_prefix = 1000, max_prefix = 0;
  uint32_t next_term = 1;
  // Trie over term ids: (node << 32 | term) -> child node.
  EdgeMap edges;
  std::vector<uint32_t> gap;                   // node -> gap child (0: none)
  std::vector<std::vector<uint32_t>> outputs;  // node -> patterns ending here
  std::vector<uint64_t> has_cat;               // pattern -> bit per category
  // Single-word patterns per term while building; then, per term id, the
  // categories of those patterns (for WordCategories()).
  std::unordered_map<uint32_t, std::vector<uint32_t>> single;
  std::vector<uint64_t> term_cats;
  // Typo index: (hash of a word or of a one-letter deletion, word index),
  // sorted.
  std::vector<std::pair<uint64_t, uint32_t>> fuzzy;
  std::vector<uint32_t>
      fuzzy_bucket;  // top 16 hash bits -> first index in fuzzy
  std::vector<std::pair<std::string, uint32_t>> fuzzy_words;  // (word, pattern)
  // Hostile single words as written (folded) and hostile prefixes -> patterns.
  std::unordered_map<std::string, std::vector<uint32_t>> hostile_words;
  std::unordered_map<std::string, std::vector<uint32_t>> hostile_prefixes;
  size_t hostile_min_prefix = 1000, hostile_max_prefix = 0;
  // Bitmap over the first three bytes of every hostile word and prefix: most
  // word pairs are rejected by one bit test before any string is built.
  std::vector<uint64_t> hostile_starts = std::vector<uint64_t>(1024, 0);
  static size_t StartBit(std::string_view w) {
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < 3 && i < w.size(); ++i) {
      h ^= static_cast<unsigned char>(w[i]);
      h *= 16777619u;
    }
    return h & 0xFFFF;
  }
  void MarkStart(std::string_view w) {
    const size_t b = StartBit(w);
    hostile_starts[b >> 6] |= uint64_t{1} << (b & 63);
  }
  bool MaybeHostile(std::string_view w) const {
    const size_t b = StartBit(w);
    return (hostile_starts[b >> 6] >> (b & 63)) & 1;
  }
  std::vector<std::string> emoticons;

  uint32_t NewNode() {
    gap.push_back(0);
    outputs.emplace_back();
    return static_cast<uint32_t>(gap.size() - 1);
  }
};

Lexicon::Lexicon(Language l) : language_(l), impl_(std::make_unique<Impl>()) {}
Lexicon::~Lexicon() = default;

std::string Lexicon::Stem(std::string_view folded) const {
  sb_stemmer* st = ThreadStemmer(language_);
  const sb_symbol* r =
      sb_stemmer_stem(st, reinterpret_cast<const sb_symbol*>(folded.data()),
                      static_cast<int>(folded.size()));
  if (r == nullptr) return std::string(folded);
  return std::string(reinterpret_cast<const char*>(r),
                     static_cast<size_t>(sb_stemmer_length(st)));
}

StatusOr<std::unique_ptr<Lexicon>> Lexicon::Build(
    Language language, const std::vector<LexiconSource>& sources) {
  std::unique_ptr<Lexicon> lex(new Lexicon(language));
  Impl& im = *lex->impl_;
  im.NewNode();  // root = 0
  std::unordered_map<std::string, uint32_t>
      pattern_ids;  // canonical text -> id
  // (pattern, category) -> first (file, line), to report duplicates.
  std::string duplicates;
  int duplicate_count = 0;
  std::unordered_map<std::string, std::string> stem_cache;
  std::vector<std::string_view> scratch_parts, scratch_pieces;
  std::set<uint32_t> fuzzy_indexed;

  auto term_for = [&](std::unordered_map<std::string, uint32_t>& dict,
                      std::string key) {
    auto [it, inserted] = dict.emplace(std::move(key), im.next_term);
    if (inserted) ++im.next_term;
    return it->second;
  };

  for (const LexiconSource& src : sources) {
    const auto file_index = static_cast<uint16_t>(lex->files_.size());
    // Emoji and emoticons match exactly as written, case included (":P", "XD").
    const bool symbols = src.name.rfind("common/", 0) == 0;
    lex->files_.push_back(src.name);
    size_t pos = 0;
    uint32_t line_no = 0;
    while (pos < src.content.size()) {
      size_t nl = src.content.find('\n', pos);
      if (nl == std::string_view::npos) nl = src.content.size();
      std::string_view line = src.content.substr(pos, nl - pos);
      pos = nl + 1;
      ++line_no;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.empty() || line[0] == '#') continue;
      auto where = [&] {
        return src.name + ":" + std::to_string(line_no) + ": ";
      };
      const auto f = SplitTabs(line);
      if (f.size < 3 || f.size > 4) {
        return InvalidArgumentError(
            where() +
            "expected 4 tab-separated fields "
            "(pattern, category, weight, note), got " +
            (f.size > 4 ? std::string("more") : std::to_string(f.size)));
      }
      Category cat;
      if (!ParseCategory(f[1], &cat)) {
        return InvalidArgumentError(where() + "unknown category '" +
                                    std::string(f[1]) + "'");
      }
      double w = 0;
      {
        const std::string_view ws = f[2];
        const std::string_view num =
            !ws.empty() && ws[0] == '+' ? ws.substr(1) : ws;  // "+1.5" too
        const auto [ptr, ec] =
            std::from_chars(num.data(), num.data() + num.size(), w);
        if (num.empty() || ec != std::errc() ||
            ptr != num.data() + num.size() || !std::isfinite(w)) {
          return InvalidArgumentError(where() + "weight '" + std::string(ws) +
                                      "' is not a number");
        }
      }
      const bool valence = cat == Category::kValence;
      if ((valence && (w < -4.0 || w > 4.0)) ||
          (!valence && (w < 0.0 || w > 1.5))) {
        return InvalidArgumentError(where() + "weight " + std::string(f[2]) +
                                    " out of range for " + std::string(f[1]) +
                                    (valence ? " (-4..4)" : " (0..1.5)"));
      }
      // Pattern tokens.
      std::vector<std::string_view>& parts = scratch_parts;
      parts.clear();
      {
        std::string_view p = f[0];
        while (!p.empty()) {
          const size_t sp = p.find(' ');
          std::string_view tok = p.substr(0, sp);
          if (!tok.empty()) parts.push_back(tok);
          if (sp == std::string_view::npos) break;
          p.remove_prefix(sp + 1);
        }
      }
      if (parts.empty()) return InvalidArgumentError(where() + "empty pattern");
      if (parts.front() == "..." || parts.back() == "...") {
        return InvalidArgumentError(where() +
                                    "a pattern cannot start or end "
                                    "with '...'");
      }
      // Compile to term ids; words with inner hyphens become several tokens,
      // as the tokenizer splits them.
      std::vector<uint32_t> terms;  // 0 = gap
      std::string canonical;
      for (std::string_view raw : parts) {
        if (raw == "...") {
          if (!terms.empty() && terms.back() == 0) {
            return InvalidArgumentError(where() + "two '...' in a row");
          }
          terms.push_back(0);
          canonical += " ...";
          continue;
        }
        std::vector<std::string_view>& pieces = scratch_pieces;
        pieces.clear();
        if (HasLetter(raw) && raw.find('-') != std::string_view::npos &&
            raw.front() != '-' && raw.back() != '-') {
          size_t s = 0;
          while (s <= raw.size()) {
            size_t d = raw.find('-', s);
            if (d == std::string_view::npos) d = raw.size();
            if (d > s) pieces.push_back(raw.substr(s, d - s));
            s = d + 1;
          }
        } else {
          pieces.push_back(raw);
        }
        for (std::string_view piece : pieces) {
          uint32_t term;
          if (!HasLetter(piece) || symbols) {
            // Emoji or emoticon: exact bytes, variation selectors dropped.
            std::string e;
            for (size_t i = 0; i < piece.size();) {
              if (piece.compare(i, 3, "\xEF\xB8\x8F") == 0) {
                i += 3;
                continue;
              }
              e += piece[i++];
            }
            bool emoticon = true;
            for (char c : e)
              if (static_cast<unsigned char>(c) >= 0x80) emoticon = false;
            if (emoticon && e.size() >= 2) im.emoticons.push_back(e);
            term = term_for(im.exact, e);
            canonical += " =" + e;
          } else if (piece[0] == '=') {
            const std::string w2 = Fold(std::string_view(piece).substr(1));
            term = term_for(im.exact, w2);
            canonical += " =" + w2;
          } else if (piece.back() == '*' && piece.size() >= 3) {
            const std::string pre =
                Fold(std::string_view(piece).substr(0, piece.size() - 1));
            if (pre.size() < 3) {
              return InvalidArgumentError(where() + "prefix '" +
                                          std::string(piece) +
                                          "' needs at least 3 letters");
            }
            term = term_for(im.prefix, pre);
            im.min_prefix = std::min(im.min_prefix, pre.size());
            im.max_prefix = std::max(im.max_prefix, pre.size());
            canonical += " " + pre + "*";
          } else {
            // Trim punctuation around a word ("a.u.b." -> "a.u.b").
            std::string w2 = Fold(piece);
            while (!w2.empty() && (w2.back() == '.' || w2.back() == ',' ||
                                   w2.back() == '!' || w2.back() == '?'))
              w2.pop_back();
            // Pattern words repeat a lot ("je", "niet", "de"): stem each once.
            auto cached = stem_cache.find(w2);
            if (cached == stem_cache.end())
              cached = stem_cache.emplace(w2, lex->Stem(w2)).first;
            std::string stem = cached->second;
            canonical += " ~" + stem;
            term = term_for(im.stem, std::move(stem));
          }
          terms.push_back(term);
        }
      }
      // Insert into the trie.
      auto [pit, new_pattern] = pattern_ids.emplace(
          canonical, static_cast<uint32_t>(lex->pattern_text_.size()));
      const uint32_t pattern = pit->second;
      if (new_pattern) {
        lex->pattern_text_.emplace_back(f[0]);
        lex->pattern_entries_.emplace_back();
        im.has_cat.push_back(0);
        uint32_t node = 0;
        for (size_t i = 0; i < terms.size(); ++i) {
          if (terms[i] == 0) {
            if (im.gap[node] == 0) {
              const uint32_t g = im.NewNode();
              im.gap[node] = g;
            }
            node = im.gap[node];
            continue;
          }
          const uint64_t key = (static_cast<uint64_t>(node) << 32) | terms[i];
          node = im.edges.FindOrInsert(key, [&] { return im.NewNode(); });
        }
        im.outputs[node].push_back(pattern);
        if (terms.size() == 1) im.single[terms[0]].push_back(pattern);
      }
      const uint64_t bit = uint64_t{1} << static_cast<unsigned>(cat);
      if (im.has_cat[pattern] & bit) {
        // Reported together: a reviewer fixes them in one pass.
        if (++duplicate_count <= 50) {
          const LexEntry* first = nullptr;
          for (uint32_t ei : lex->pattern_entries_[pattern])
            if (lex->entries_[ei].category == cat) first = &lex->entries_[ei];
          duplicates += where() + "duplicate entry: pattern '" +
                        std::string(f[0]) + "' with category " +
                        std::string(f[1]) + " (same words after stemming as " +
                        lex->RuleId(*first) + ")\n";
        }
        continue;
      }
      const auto entry_index = static_cast<uint32_t>(lex->entries_.size());
      lex->entries_.push_back(
          {cat, static_cast<float>(w), pattern, line_no, file_index});
      lex->pattern_entries_[pattern].push_back(entry_index);
      im.has_cat[pattern] |= bit;
      if ((cat == Category::kInsult || cat == Category::kProfanity) &&
          !symbols && terms.size() == 1 && parts.size() == 1) {
        const std::string_view raw = parts[0];
        if (raw.back() == '*') {
          std::string pre = Fold(raw.substr(0, raw.size() - 1));
          im.MarkStart(pre);
          im.hostile_min_prefix = std::min(im.hostile_min_prefix, pre.size());
          im.hostile_max_prefix = std::max(im.hostile_max_prefix, pre.size());
          im.hostile_prefixes[std::move(pre)].push_back(pattern);
        } else {
          std::string word = Fold(raw[0] == '=' ? raw.substr(1) : raw);
          im.MarkStart(word);
          im.hostile_words[std::move(word)].push_back(pattern);
        }
      }
      // Typo index: single words of seven letters or more, hostile words of
      // five or more (they are the ones people disguise).
      const bool hostile_word =
          cat == Category::kInsult || cat == Category::kProfanity;
      if (!symbols && !fuzzy_indexed.count(pattern) && terms.size() == 1 &&
          parts.size() == 1 && HasLetter(parts[0]) && parts[0].back() != '*' &&
          parts[0][0] != '=') {
        std::string word = Fold(parts[0]);
        if (word.size() >= (hostile_word ? 5u : 7u) &&
            word.find_first_of(" '-") == std::string::npos) {
          fuzzy_indexed.insert(pattern);
          const auto wi = static_cast<uint32_t>(im.fuzzy_words.size());
          im.fuzzy.push_back({HashWithout(word, word.size()), wi});
          for (size_t i = 0; i < word.size(); ++i)
            im.fuzzy.push_back({HashWithout(word, i), wi});
          im.fuzzy_words.push_back({std::move(word), pattern});
        }
      }
    }
  }
  std::sort(im.fuzzy.begin(), im.fuzzy.end());
  im.fuzzy_bucket.assign((1u << 16) + 1, 0);
  for (size_t b = 0, i = 0; b <= (1u << 16); ++b) {
    while (i < im.fuzzy.size() && (im.fuzzy[i].first >> 48) < b) ++i;
    im.fuzzy_bucket[b] = static_cast<uint32_t>(i);
  }
  if (!duplicates.empty()) {
    duplicates.pop_back();
    return InvalidArgumentError(duplicates);
  }
  im.term_cats.assign(im.next_term, 0);
  for (const auto& [term, patterns] : im.single)
    for (uint32_t p : patterns) im.term_cats[term] |= im.has_cat[p];
  im.single.clear();
  std::sort(im.emoticons.begin(), im.emoticons.end());
  im.emoticons.erase(std::unique(im.emoticons.begin(), im.emoticons.end()),
                     im.emoticons.end());
  return lex;
}

size_t Lexicon::CountEntries(Category c) const {
  size_t n = 0;
  for (const auto& e : entries_)
    if (e.category == c) ++n;
  return n;
}

std::string Lexicon::RuleId(const LexEntry& e) const {
  return files_[e.file] + ":" + std::to_string(e.line);
}

std::vector<std::string> Lexicon::Emoticons() const { return impl_->emoticons; }

const std::vector<uint32_t>& Lexicon::TermsOf(const Token& t) const {
  // Per-thread cache: most words repeat, and stemming is the costly part.
  struct ViewHash {
    using is_transparent = void;
    size_t operator()(std::string_view v) const {
      return std::hash<std::string_view>{}(v);
    }
  };
  struct Cache {
    uint64_t lexicon_id = 0;
    std::unordered_map<std::string, std::vector<uint32_t>, ViewHash,
                       std::equal_to<>>
        map;
  };
  thread_local std::array<Cache, 4> caches;
  Cache* cache = nullptr;
  for (Cache& c : caches) {
    if (c.lexicon_id == impl_->id) {
      cache = &c;
      break;
    }
  }
  if (cache == nullptr) {
    // Evict the slot of the oldest lexicon id.
    cache = &caches[0];
    for (Cache& c : caches)
      if (c.lexicon_id < cache->lexicon_id) cache = &c;
    cache->lexicon_id = impl_->id;
    cache->map.clear();
  }
  // Plain words are looked up by their folded form without building a key.
  const bool plain = t.alt1.empty() && t.alt2.empty() &&
                     t.kind != TokenKind::kEmoji &&
                     t.kind != TokenKind::kEmoticon;
  if (plain) {
    auto it = cache->map.find(std::string_view(t.norm));
    if (it != cache->map.end()) return it->second;
  }
  std::string key = t.norm;
  if (!plain) {
    key += '\x01';
    key += t.alt1;
    key += '\x01';
    key += t.alt2;
    if (t.kind == TokenKind::kEmoji || t.kind == TokenKind::kEmoticon)
      key += '\x02';
    auto it = cache->map.find(key);
    if (it != cache->map.end()) return it->second;
  }
  if (cache->map.size() > 200000) cache->map.clear();

  std::vector<uint32_t> terms;
  const Impl& im = *impl_;
  auto resolve = [&](const std::string& w) {
    if (w.empty()) return;
    if (auto e = im.exact.find(w); e != im.exact.end())
      terms.push_back(e->second);
    if (t.kind == TokenKind::kEmoji || t.kind == TokenKind::kEmoticon) return;
    if (auto s = im.stem.find(Stem(w)); s != im.stem.end())
      terms.push_back(s->second);
    for (size_t len = im.min_prefix; len <= std::min(w.size(), im.max_prefix);
         ++len) {
      if (auto p = im.prefix.find(w.substr(0, len)); p != im.prefix.end())
        terms.push_back(p->second);
    }
  };
  resolve(t.norm);
  resolve(t.alt1);
  resolve(t.alt2);
  // Superlatives, which Snowball leaves alone: "slordigste" reads as "slordig",
  // "sloppiest" as "sloppy" (only for words the lexicon does not know as such).
  if (terms.empty() && t.kind == TokenKind::kWord) {
    const std::string& w = t.norm;
    auto ends = [&](std::string_view suf) {
      return w.size() > suf.size() + 3 &&
             std::string_view(w).substr(w.size() - suf.size()) == suf;
    };
    if (language_ == Language::kDutch) {
      if (ends("ste"))
        resolve(w.substr(0, w.size() - 3));
      else if (ends("st"))
        resolve(w.substr(0, w.size() - 2));
    } else {
      if (ends("iest"))
        resolve(w.substr(0, w.size() - 4) + "y");
      else if (ends("est"))
        resolve(w.substr(0, w.size() - 3));
    }
  }
  std::sort(terms.begin(), terms.end());
  terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
  return cache->map.emplace(std::move(key), std::move(terms)).first->second;
}

uint64_t Lexicon::WordCategories(const Token& t) const {
  uint64_t mask = 0;
  for (uint32_t term : TermsOf(t)) mask |= impl_->term_cats[term];
  return mask;
}

std::vector<LexMatch> Lexicon::Match(const std::vector<Token>& tokens) const {
  const Impl& im = *impl_;
  // Punctuation is not part of patterns; phrases stay inside one sentence.
  std::vector<uint32_t> idx;
  idx.reserve(tokens.size());
  for (uint32_t i = 0; i < tokens.size(); ++i)
    if (tokens[i].kind != TokenKind::kPunct) idx.push_back(i);
  std::vector<const std::vector<uint32_t>*> terms(idx.size());
  for (size_t k = 0; k < idx.size(); ++k) terms[k] = &TermsOf(tokens[idx[k]]);

  std::vector<LexMatch> out;
  // Depth-first walk; `k` is the next position in idx to consume.
  auto walk = [&](auto&& self, uint32_t node, size_t k, uint32_t first,
                  uint32_t sentence) -> void {
    auto step = [&](uint32_t from, size_t pos) {
      if (pos >= idx.size() || tokens[idx[pos]].sentence != sentence) return;
      for (uint32_t term : *terms[pos]) {
        const uint32_t child =
            im.edges.Find((static_cast<uint64_t>(from) << 32) | term);
        if (child == EdgeMap::kEmpty) continue;
        for (uint32_t p : im.outputs[child])
          out.push_back({first, idx[pos], p});
        self(self, child, pos + 1, first, sentence);
      }
    };
    step(node, k);
    if (im.gap[node] != 0) {
      for (size_t skip = 0; skip <= kGapTokens; ++skip)
        step(im.gap[node], k + skip);
    }
  };
  for (size_t k = 0; k < idx.size(); ++k) {
    if (terms[k]->empty()) continue;
    walk(walk, 0, k, idx[k], tokens[idx[k]].sentence);
  }
  std::sort(out.begin(), out.end(), [](const LexMatch& a, const LexMatch& b) {
    if (a.first != b.first) return a.first < b.first;
    if (a.last != b.last) return a.last > b.last;
    return a.pattern < b.pattern;
  });
  out.erase(std::unique(out.begin(), out.end(),
                        [](const LexMatch& a, const LexMatch& b) {
                          return a.first == b.first && a.last == b.last &&
                                 a.pattern == b.pattern;
                        }),
            out.end());
  return out;
}

std::vector<uint32_t> Lexicon::HostileSpelled(std::string_view joined) const {
  std::vector<uint32_t> out;
  if (joined.size() < 3 || !impl_->MaybeHostile(joined)) return out;
  const std::string w(joined);
  if (auto it = impl_->hostile_words.find(w); it != impl_->hostile_words.end())
    out = it->second;
  for (size_t len = impl_->hostile_min_prefix;
       len <= w.size() && len <= impl_->hostile_max_prefix; ++len) {
    auto it = impl_->hostile_prefixes.find(w.substr(0, len));
    if (it != impl_->hostile_prefixes.end())
      out.insert(out.end(), it->second.begin(), it->second.end());
  }
  return out;
}

std::vector<uint32_t> Lexicon::Fuzzy(std::string_view folded) const {
  std::vector<uint32_t> out;
  if (folded.size() < 4 || impl_->fuzzy.empty() || impl_->fuzzy_bucket.empty())
    return out;
  auto check = [&](uint64_t h) {
    const auto& f = impl_->fuzzy;
    const size_t b = h >> 48;
    for (uint32_t i = impl_->fuzzy_bucket[b]; i < impl_->fuzzy_bucket[b + 1];
         ++i) {
      if (f[i].first != h) continue;
      const auto& [word, pattern] = impl_->fuzzy_words[f[i].second];
      if (word[0] != folded[0] || EditDistanceAtMostOne(folded, word) > 1)
        continue;
      // A changed letter turns too many real words into others ("kijken" ->
      // "kieken"); accept it in long words only. Swaps, drops and additions are
      // how people misspell and disguise.
      if (word.size() == folded.size() && word.size() < 8) {
        size_t diff = 0;
        for (size_t k = 0; k < word.size(); ++k) diff += word[k] != folded[k];
        if (diff == 1) continue;
      }
      out.push_back(pattern);
    }
  };
  check(HashWithout(folded, folded.size()));
  for (size_t i = 0; i < folded.size(); ++i) check(HashWithout(folded, i));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace kalm::core
