// Tokenizer: ICU word and sentence breaks over the writer's own text.
#include <unicode/brkiter.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <memory>
#include <string>

#include "kalm/core/text.h"

namespace kalm::core {
namespace {

// One break iterator pair per thread: ICU iterators are not thread-safe, and
// creating one costs far more than a message takes to analyse.
struct Breakers {
  std::unique_ptr<icu::BreakIterator> word;
  std::unique_ptr<icu::BreakIterator> sentence;
};

Breakers& ThreadBreakers() {
  thread_local Breakers b = [] {
    UErrorCode st = U_ZERO_ERROR;
    Breakers r;
    r.word.reset(
        icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), st));
    st = U_ZERO_ERROR;
    r.sentence.reset(
        icu::BreakIterator::createSentenceInstance(icu::Locale::getRoot(), st));
    return r;
  }();
  return b;
}

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v';
}

UChar32 DecodeAt(std::string_view s, size_t& i) {
  UChar32 c;
  int32_t pos = static_cast<int32_t>(i);
  U8_NEXT(reinterpret_cast<const uint8_t*>(s.data()), pos,
          static_cast<int32_t>(s.size()), c);
  i = static_cast<size_t>(pos);
  return c;
}

bool IsEmojiStart(UChar32 c) {
  return u_hasBinaryProperty(c, UCHAR_EXTENDED_PICTOGRAPHIC) ||
         u_hasBinaryProperty(c, UCHAR_REGIONAL_INDICATOR);
}

// Base of an emoji cluster: variation selectors and skin tones dropped, a ZWJ
// sequence cut at its first joiner ("facepalm + woman" -> "facepalm").
std::string EmojiBase(std::string_view seg) {
  std::string out;
  size_t i = 0;
  while (i < seg.size()) {
    const size_t from = i;
    const UChar32 c = DecodeAt(seg, i);
    if (c == 0x200D) break;
    if (c == 0xFE0F || c == 0xFE0E || (c >= 0x1F3FB && c <= 0x1F3FF)) continue;
    out.append(seg.substr(from, i - from));
  }
  return out;
}

// Letters repeated three or more times reduced to `keep` copies.
std::string CollapseRuns(std::string_view w, size_t keep, bool* changed) {
  std::string out;
  out.reserve(w.size());
  size_t i = 0;
  while (i < w.size()) {
    size_t j = i + 1;
    // Only ASCII letters are collapsed; multi-byte letters are rare in
    // elongation.
    while (j < w.size() && w[j] == w[i]) ++j;
    const size_t run = j - i;
    const bool letter = (w[i] >= 'a' && w[i] <= 'z');
    if (letter && run >= 3) {
      out.append(keep, w[i]);
      if (changed) *changed = true;
    } else {
      out.append(w.substr(i, run));
    }
    i = j;
  }
  return out;
}

// Digits and symbols read as letters, for "1d10t" and "kl00tzak".
std::string DecodeLeet(std::string_view w) {
  std::string out(w);
  for (char& c : out) {
    switch (c) {
      case '0':
        c = 'o';
        break;
      case '1':
        c = 'i';
        break;
      case '3':
        c = 'e';
        break;
      case '4':
        c = 'a';
        break;
      case '5':
        c = 's';
        break;
      case '7':
        c = 't';
        break;
      case '8':
        c = 'b';
        break;
      case '@':
        c = 'a';
        break;
      case '$':
        c = 's';
        break;
      default:
        break;
    }
  }
  return out;
}

bool IsAscii(std::string_view s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  return true;
}

std::vector<Segment>& ThreadSegments() {
  thread_local std::vector<Segment> segs;
  return segs;
}

std::vector<uint32_t>& ThreadSentenceEnds() {
  thread_local std::vector<uint32_t> ends;
  return ends;
}

// UAX #29 sentence classes for ASCII.
enum class SClass {
  kOther,
  kSep,
  kSp,
  kLower,
  kUpper,
  kNumeric,
  kATerm,
  kSTerm,
  kClose,
  kSContinue
};

SClass Classify(char c) {
  if (c == '\n' || c == '\r') return SClass::kSep;
  if (c == ' ' || c == '\t' || c == '\v' || c == '\f') return SClass::kSp;
  if (c >= 'a' && c <= 'z') return SClass::kLower;
  if (c >= 'A' && c <= 'Z') return SClass::kUpper;
  if (c >= '0' && c <= '9') return SClass::kNumeric;
  switch (c) {
    case '.':
      return SClass::kATerm;
    case '!':
    case '?':
      return SClass::kSTerm;
    case '"':
    case '\'':
    case '(':
    case ')':
    case '[':
    case ']':
    case '{':
    case '}':
      return SClass::kClose;
    case ',':
    case '-':
    case ':':
      return SClass::kSContinue;  // not ';'
    default:
      return SClass::kOther;
  }
}

// '@' is ALetter in UAX #29 (for addresses), so it joins words like a letter.
bool AsciiAlpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '@';
}
bool AsciiDigit(char c) { return c >= '0' && c <= '9'; }
bool AsciiWordChar(char c) {
  return AsciiAlpha(c) || AsciiDigit(c) || c == '_';
}

}  // namespace

void AsciiWordSegments(std::string_view s, std::vector<Segment>* out) {
  // UAX #29 word boundaries restricted to ASCII, as ICU's root rules apply
  // them: letters, digits and '_' join; between letters ' . : join (MidLetter,
  // MidNumLet, Single_Quote); between digits ' . , ; join (MidNum, MidNumLet);
  // CR LF stay together; every other character is a segment of its own.
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    const char c = s[i];
    if (AsciiWordChar(c)) {
      size_t j = i + 1;
      while (j < n) {
        const char d = s[j];
        if (AsciiWordChar(d)) {
          ++j;
          continue;
        }
        if (j + 1 < n) {
          const char prev = s[j - 1], next = s[j + 1];
          if (AsciiAlpha(prev) && AsciiAlpha(next) && (d == '\'' || d == '.')) {
            j += 2;
            continue;
          }
          if (AsciiDigit(prev) && AsciiDigit(next) &&
              (d == '\'' || d == '.' || d == ',' || d == ';')) {
            j += 2;
            continue;
          }
        }
        break;
      }
      // ICU reports the status of the last rule applied, i.e. of the last two
      // characters: "..1" and "1_" are numbers, "..a", "a_" and "__" words; a
      // lone '_' joins nothing and has no word status.
      const char z = s[j - 1];
      const char y = j - i >= 2 ? s[j - 2] : '\0';
      int32_t status = UBRK_WORD_LETTER;
      if (AsciiDigit(z) || (z == '_' && AsciiDigit(y)))
        status = UBRK_WORD_NUMBER;
      if (j - i == 1 && z == '_') status = UBRK_WORD_NONE;
      out->push_back(
          {static_cast<uint32_t>(i), static_cast<uint32_t>(j), status});
      i = j;
      continue;
    }
    size_t j = i + 1;
    if (c == '\r' && j < n && s[j] == '\n') ++j;
    if (c == ' ') {
      while (j < n && s[j] == ' ') ++j;  // WB3d: spaces stay together
    }
    out->push_back(
        {static_cast<uint32_t>(i), static_cast<uint32_t>(j), UBRK_WORD_NONE});
    i = j;
  }
}

void AsciiSentenceEnds(std::string_view s, std::vector<uint32_t>* ends) {
  // UAX #29 sentence boundaries (SB3-SB11) for ASCII, as ICU's root rules apply
  // them; checked against ICU by tests/core/tokenizer_test.cc.
  const size_t n = s.size();
  static const std::array<SClass, 128> kTable = [] {
    std::array<SClass, 128> t{};
    for (int c = 0; c < 128; ++c)
      t[static_cast<size_t>(c)] = Classify(static_cast<char>(c));
    return t;
  }();
  auto cls = [&](size_t i) {
    return kTable[static_cast<unsigned char>(s[i]) & 0x7F];
  };
  auto is_saterm = [](SClass c) {
    return c == SClass::kATerm || c == SClass::kSTerm;
  };
  for (size_t i = 1; i < n; ++i) {
    const SClass prev = cls(i - 1);
    // Only a separator, a terminator, or the spaces and closing marks after one
    // can end a sentence: everything else continues it (most positions).
    if (prev != SClass::kSep && prev != SClass::kSp && prev != SClass::kClose &&
        !is_saterm(prev))
      continue;
    const SClass next = cls(i);
    if (s[i - 1] == '\r' && s[i] == '\n') continue;  // SB3
    if (prev == SClass::kSep) {                      // SB4
      ends->push_back(static_cast<uint32_t>(i));
      continue;
    }
    // Context "SATerm Close* Sp*" ending at i - 1?
    size_t k = i;
    while (k > 0 && cls(k - 1) == SClass::kSp) --k;
    const bool spaces = k < i;
    while (k > 0 && cls(k - 1) == SClass::kClose) --k;
    if (k == 0 || !is_saterm(cls(k - 1))) continue;  // SB998
    const size_t term = k - 1;
    const SClass t = cls(term);
    const bool direct = term == i - 1;
    if (t == SClass::kATerm && direct && next == SClass::kNumeric)
      continue;  // SB6
    if (t == SClass::kATerm && direct && next == SClass::kUpper && term > 0 &&
        (cls(term - 1) == SClass::kUpper || cls(term - 1) == SClass::kLower))
      continue;                 // SB7
    if (t == SClass::kATerm) {  // SB8: a lower-case letter follows after
      size_t j = i;             // anything but letters, separators, terminators
      while (j < n) {
        const SClass c = cls(j);
        if (c == SClass::kUpper || c == SClass::kLower || c == SClass::kSep ||
            is_saterm(c))
          break;
        ++j;
      }
      if (j < n && cls(j) == SClass::kLower) continue;
    }
    if (next == SClass::kSContinue || is_saterm(next)) continue;  // SB8a
    if (!spaces &&
        (next == SClass::kClose || next == SClass::kSp || next == SClass::kSep))
      continue;                                                 // SB9
    if (next == SClass::kSp || next == SClass::kSep) continue;  // SB10
    ends->push_back(static_cast<uint32_t>(i));                  // SB11
  }
  if (n > 0) ends->push_back(static_cast<uint32_t>(n));
}

std::string Fold(std::string_view word) {
  bool ascii = true;
  for (char c : word) {
    if (static_cast<unsigned char>(c) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    std::string out(word);
    for (char& c : out) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
  }
  UErrorCode st = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc_cf =
      icu::Normalizer2::getNFKCCasefoldInstance(st);
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(st);
  if (U_FAILURE(st)) return std::string(word);
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(
      icu::StringPiece(word.data(), static_cast<int32_t>(word.size())));
  icu::UnicodeString folded = nfkc_cf->normalize(u, st);
  icu::UnicodeString decomposed = nfd->normalize(folded, st);
  if (U_FAILURE(st)) return std::string(word);
  icu::UnicodeString kept;
  for (int32_t i = 0; i < decomposed.length();) {
    const UChar32 c = decomposed.char32At(i);
    i += U16_LENGTH(c);
    if (u_charType(c) == U_NON_SPACING_MARK) continue;
    if (c == 0x2019 || c == 0x2018 || c == 0x02BC || c == 0x0060 ||
        c == 0x00B4) {
      kept.append(static_cast<UChar32>('\''));
      continue;
    }
    kept.append(c);
  }
  std::string out;
  kept.toUTF8String(out);
  return out;
}

Tokenizer::Tokenizer(std::unordered_set<std::string> emoticons)
    : emoticons_(emoticons.begin(), emoticons.end()) {
  for (const auto& e : emoticons_)
    max_emoticon_ = std::max(max_emoticon_, e.size());
}

Tokenized Tokenizer::Tokenize(std::string_view text,
                              const std::vector<ByteRange>& ranges) const {
  Tokenized out;
  out.tokens.reserve(text.size() / 4 + 4);
  Breakers& br = ThreadBreakers();
  for (const ByteRange& range : ranges) {
    const std::string_view part =
        text.substr(range.start, range.end - range.start);
    const uint32_t base = range.start;

    // Emoticons first: ICU would split ":-)" into punctuation and letters.
    std::vector<ByteRange> emo;
    if (!emoticons_.empty()) {
      size_t i = 0;
      while (i < part.size()) {
        while (i < part.size() && IsAsciiSpace(part[i])) ++i;
        size_t j = i;
        while (j < part.size() && !IsAsciiSpace(part[j])) ++j;
        if (j > i && j - i <= max_emoticon_ + 3) {
          std::string_view chunk = part.substr(i, j - i);
          for (int strip = 0; strip < 4 && !chunk.empty(); ++strip) {
            if (emoticons_.find(chunk) != emoticons_.end()) {
              emo.push_back({static_cast<uint32_t>(i),
                             static_cast<uint32_t>(i + chunk.size())});
              break;
            }
            const char last = chunk.back();
            if (last != '.' && last != ',' && last != '!' && last != '?') break;
            chunk.remove_suffix(1);
          }
        }
        i = j;
      }
    }

    UErrorCode st = U_ZERO_ERROR;
    UText* ut = utext_openUTF8(nullptr, part.data(),
                               static_cast<int64_t>(part.size()), &st);
    if (U_FAILURE(st)) continue;
    const size_t first_token_of_range = out.tokens.size();
    size_t emo_i = 0;
    bool line_start = true;
    bool prev_space = true;
    // Word segments: ICU's rules, or the equivalent ASCII fast path (checked
    // against ICU by tests/core/tokenizer_test.cc).
    std::vector<Segment>& segs = ThreadSegments();
    segs.clear();
    if (IsAscii(part)) {
      AsciiWordSegments(part, &segs);
    } else {
      br.word->setText(ut, st);
      int32_t start = br.word->first();
      for (int32_t end = br.word->next(); end != icu::BreakIterator::DONE;
           start = end, end = br.word->next()) {
        segs.push_back({static_cast<uint32_t>(start),
                        static_cast<uint32_t>(end), br.word->getRuleStatus()});
      }
    }
    for (const Segment& sg : segs) {
      const auto s = static_cast<size_t>(sg.start);
      const auto e = static_cast<size_t>(sg.end);
      // Inside an emoticon: emit it once, at its start.
      while (emo_i < emo.size() && emo[emo_i].end <= s) ++emo_i;
      if (emo_i < emo.size() && emo[emo_i].start <= s && s < emo[emo_i].end) {
        if (emo[emo_i].start == s) {
          Token t;
          t.start = base + emo[emo_i].start;
          t.end = base + emo[emo_i].end;
          t.kind = TokenKind::kEmoticon;
          t.norm = std::string(
              part.substr(emo[emo_i].start, emo[emo_i].end - emo[emo_i].start));
          t.line_start = line_start;
          line_start = false;
          out.tokens.push_back(std::move(t));
        }
        prev_space = false;
        continue;
      }
      const std::string_view seg = part.substr(s, e - s);
      const int32_t status = sg.status;
      if (status == UBRK_WORD_NONE) {
        if (IsAsciiSpace(seg[0]) ||
            (static_cast<unsigned char>(seg[0]) == 0xC2 && seg.size() > 1 &&
             static_cast<unsigned char>(seg[1]) == 0xA0)) {
          if (seg.find('\n') != std::string_view::npos) line_start = true;
          prev_space = true;
          continue;
        }
        size_t k = 0;
        const UChar32 c = DecodeAt(seg, k);
        if (u_isUWhiteSpace(c)) {
          prev_space = true;
          continue;
        }
        if (IsEmojiStart(c)) {
          Token t;
          t.start = base + static_cast<uint32_t>(s);
          t.end = base + static_cast<uint32_t>(e);
          t.kind = TokenKind::kEmoji;
          t.norm = EmojiBase(seg);
          t.line_start = line_start;
          line_start = false;
          out.tokens.push_back(std::move(t));
          prev_space = false;
          continue;
        }
        // Punctuation: glue to a directly preceding punctuation token ("?!").
        if (!prev_space && out.tokens.size() > first_token_of_range &&
            out.tokens.back().kind == TokenKind::kPunct &&
            out.tokens.back().end == base + s) {
          out.tokens.back().end = base + static_cast<uint32_t>(e);
          out.tokens.back().norm.append(seg);
        } else {
          Token t;
          t.start = base + static_cast<uint32_t>(s);
          t.end = base + static_cast<uint32_t>(e);
          t.kind = TokenKind::kPunct;
          t.norm = std::string(seg);
          t.line_start = line_start;
          line_start = false;
          out.tokens.push_back(std::move(t));
        }
        prev_space = false;
        continue;
      }
      prev_space = false;
      Token t;
      t.start = base + static_cast<uint32_t>(s);
      t.end = base + static_cast<uint32_t>(e);
      t.line_start = line_start;
      line_start = false;
      // Letters, digits, case.
      uint32_t letters = 0, upper = 0, digits = 0;
      bool first_letter_seen = false;
      for (size_t k = 0; k < seg.size();) {
        // Classify one character: ASCII directly, the rest through ICU.
        bool alpha, up, digit;
        const char ac = seg[k];
        if (static_cast<unsigned char>(ac) < 0x80) {
          ++k;
          alpha = AsciiAlpha(ac) && ac != '@';
          up = ac >= 'A' && ac <= 'Z';
          digit = AsciiDigit(ac);
        } else {
          const UChar32 c = DecodeAt(seg, k);
          alpha = u_isalpha(c);
          up = alpha && u_isupper(c);
          digit = !alpha && u_isdigit(c);
        }
        if (alpha) {
          ++letters;
          if (up) ++upper;
          if (!first_letter_seen) {
            t.capitalised = up;
            first_letter_seen = true;
          }
        } else if (digit) {
          ++digits;
        }
      }
      out.letters += letters;
      out.upper_letters += upper;
      t.caps = letters >= 2 && upper == letters;
      t.kind = letters == 0 ? TokenKind::kNumber : TokenKind::kWord;
      std::string folded = Fold(seg);
      // Most words have no letter repeated three times: keep them as they are.
      bool run3 = false;
      for (size_t k = 2; k < folded.size() && !run3; ++k)
        run3 = folded[k] == folded[k - 1] && folded[k] == folded[k - 2];
      if (run3) {
        bool changed = false;
        t.norm = CollapseRuns(folded, 2, &changed);
        if (changed) t.alt1 = CollapseRuns(folded, 1, nullptr);
      } else {
        t.norm = std::move(folded);
      }
      if (letters > 0 && digits > 0) t.alt2 = DecodeLeet(t.norm);
      out.tokens.push_back(std::move(t));
    }

    // Censored words glued by symbols, "f*ck", "a$$hole": one word, read
    // without the stars and with $ as s.
    for (size_t i = first_token_of_range; i + 2 < out.tokens.size(); ++i) {
      Token& a = out.tokens[i];
      const Token& p = out.tokens[i + 1];
      const Token& b = out.tokens[i + 2];
      if (a.kind != TokenKind::kWord || p.kind != TokenKind::kPunct ||
          b.kind != TokenKind::kWord || a.end != p.start || p.end != b.start ||
          p.norm.find_first_not_of("*$") != std::string::npos) {
        continue;
      }
      std::string mid;
      for (char c : p.norm)
        if (c == '$') mid += 's';
      a.norm = a.norm + mid + b.norm;
      a.alt1.clear();
      a.alt2.clear();
      a.end = b.end;
      a.caps = a.caps && b.caps;
      out.tokens.erase(out.tokens.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                       out.tokens.begin() + static_cast<std::ptrdiff_t>(i) + 3);
      --i;
    }

    // Sentences over the same part. A line break inside a sentence (a mail
    // wrapped at 72 columns: the next line goes on in lower case, the line
    // before has no closing punctuation) is read as a space; same length, so
    // offsets hold.
    std::string unwrapped;
    UText* sut = ut;
    if (part.find('\n') != std::string_view::npos) {
      unwrapped.assign(part);
      for (size_t i = 0; i < unwrapped.size(); ++i) {
        if (unwrapped[i] != '\n') continue;
        size_t prev = i;
        while (prev > 0 &&
               (unwrapped[prev - 1] == ' ' || unwrapped[prev - 1] == '\r'))
          --prev;
        const char before = prev > 0 ? unwrapped[prev - 1] : '.';
        const char after = i + 1 < unwrapped.size() ? unwrapped[i + 1] : 'A';
        const bool open_line = before != '.' && before != '!' &&
                               before != '?' && before != ':' && before != '\n';
        const bool continues =
            (after >= 'a' && after <= 'z') || (after >= '0' && after <= '9');
        if (open_line && continues) unwrapped[i] = ' ';
      }
      st = U_ZERO_ERROR;
      sut = utext_openUTF8(nullptr, unwrapped.data(),
                           static_cast<int64_t>(unwrapped.size()), &st);
      if (U_FAILURE(st)) sut = ut;
    }
    std::vector<uint32_t>& ends = ThreadSentenceEnds();
    ends.clear();
    const std::string_view sentence_text =
        unwrapped.empty() ? part : std::string_view(unwrapped);
    if (IsAscii(sentence_text)) {
      AsciiSentenceEnds(sentence_text, &ends);
    } else {
      br.sentence->setText(sut, st);
      br.sentence->first();
      for (int32_t se = br.sentence->next(); se != icu::BreakIterator::DONE;
           se = br.sentence->next())
        ends.push_back(static_cast<uint32_t>(se));
    }
    size_t tok = first_token_of_range;
    uint32_t ss = 0;
    for (uint32_t se : ends) {
      const uint32_t sentence_start = ss;
      ss = se;
      Sentence sent;
      sent.start = base + sentence_start;
      sent.end = base + static_cast<uint32_t>(se);
      sent.first_token = static_cast<uint32_t>(tok);
      const auto index = static_cast<uint32_t>(out.sentences.size());
      while (tok < out.tokens.size() && out.tokens[tok].start < sent.end) {
        out.tokens[tok].sentence = index;
        ++tok;
      }
      sent.end_token = static_cast<uint32_t>(tok);
      if (sent.end_token == sent.first_token) continue;  // whitespace only
      for (uint32_t k = sent.end_token; k > sent.first_token; --k) {
        const Token& t = out.tokens[k - 1];
        if (t.kind != TokenKind::kPunct) break;
        if (t.norm.find('?') != std::string::npos) {
          sent.question = true;
          break;
        }
      }
      out.sentences.push_back(sent);
    }
    if (sut != ut) utext_close(sut);
    utext_close(ut);
  }
  return out;
}

}  // namespace kalm::core
