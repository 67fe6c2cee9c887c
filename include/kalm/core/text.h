// The text pipeline: UTF-8 checks, normalisation, segmentation and tokens.
//
// Everything here works on the original bytes and keeps byte offsets into them,
// so evidence can point at exactly what the client wrote. Functions are pure;
// the Tokenizer keeps ICU break iterators per thread and may be shared by
// threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "kalm/core/status.h"

namespace kalm::core {

// Largest message the analyzer accepts (a long e-mail with its history fits).
inline constexpr size_t kMaxMessageBytes = 1 << 20;

// Offset of the first byte that is not part of well-formed UTF-8 (overlongs,
// surrogates and code points above U+10FFFF are malformed), or nullopt.
std::optional<size_t> FindInvalidUtf8(std::string_view s);

// Copy of `s` with every malformed sequence replaced by U+FFFD.
std::string ReplaceInvalidUtf8(std::string_view s);

// Checks a message before analysis. Errors:
//   kInvalidArgument: empty or whitespace-only; malformed UTF-8 (the message
//   names
//     the byte offset); binary data (NUL or mostly control bytes).
//   kResourceExhausted: larger than `max_bytes`.
Status CheckMessage(std::string_view text, size_t max_bytes = kMaxMessageBytes);

// NFKC + case folding + diacritics removed ("Tóch" -> "toch", "ÉÉN" -> "een").
std::string Fold(std::string_view word);

enum class TokenKind : uint8_t {
  kWord,    // letters (may contain digits or apostrophes: "don't", "kl00tzak")
  kNumber,  // digits only (with separators: "12,50")
  kEmoji,   // one emoji cluster; `norm` is its base code point(s)
  kEmoticon,  // an ASCII emoticon from the known set, e.g. ":-)"
  kPunct,     // a run of punctuation without spaces: "!!", "?!", "..."
};

struct Token {
  uint32_t start = 0;  // byte offsets into the original text
  uint32_t end = 0;
  TokenKind kind = TokenKind::kWord;
  uint32_t sentence = 0;  // index of the sentence it belongs to
  bool caps = false;      // written in capitals, at least two letters ("NOG")
  bool capitalised = false;  // first letter upper case
  bool line_start = false;   // first token on its line
  std::string norm;          // folded; letters repeated 3+ times reduced to two
  // Other readings tried when matching: letters repeated 3+ times reduced to
  // one
  // ("suuuper" -> "super"), digits read as letters ("1d10t" -> "idiot").
  std::string alt1;
  std::string alt2;
};

struct Sentence {
  uint32_t start = 0;  // byte offsets
  uint32_t end = 0;
  uint32_t first_token = 0;  // [first_token, end_token)
  uint32_t end_token = 0;
  bool question = false;  // ends in '?'
};

struct Tokenized {
  std::vector<Token> tokens;
  std::vector<Sentence> sentences;
  uint32_t letters = 0;        // letter count, for caps share
  uint32_t upper_letters = 0;  // upper-case letters
};

struct ByteRange {
  uint32_t start = 0;
  uint32_t end = 0;
};

// A word-break segment: [start, end) and its ICU rule status (UBRK_WORD_NONE,
// UBRK_WORD_NUMBER, UBRK_WORD_LETTER ranges).
struct Segment {
  uint32_t start = 0;
  uint32_t end = 0;
  int32_t status = 0;
};

// ICU's root word-break segmentation for pure-ASCII text, without ICU (the
// tokenizer's fast path; tested equal to ICU). `s` must be ASCII.
void AsciiWordSegments(std::string_view s, std::vector<Segment>* out);

// ICU's root sentence-break positions for pure-ASCII text, without ICU: the end
// offset of every sentence, the last one being s.size(). `s` must be ASCII.
void AsciiSentenceEnds(std::string_view s, std::vector<uint32_t>* ends);

// Splits text into words, numbers, emoji, emoticons and punctuation runs with
// ICU word and sentence break rules. Only bytes inside `ranges` are read (the
// parts of a mail that are the writer's own words); offsets stay relative to
// `text`.
class Tokenizer {
 public:
  // `emoticons` are ASCII emoticons recognised when standing alone (between
  // spaces or line edges, possibly followed by punctuation).
  explicit Tokenizer(std::unordered_set<std::string> emoticons);

  Tokenized Tokenize(std::string_view text,
                     const std::vector<ByteRange>& ranges) const;

 private:
  // Looked up by string_view, without building a string per chunk.
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const {
      return std::hash<std::string_view>{}(s);
    }
  };
  std::unordered_set<std::string, Hash, std::equal_to<>> emoticons_;
  size_t max_emoticon_ = 0;
};

// The parts of an e-mail or chat message written by its sender now: quoted
// history
// ("> " lines, "On … wrote:", "Op … schreef …:", Outlook "From:/Van:" headers,
// "-----Original Message-----"), signatures ("-- ", "Sent from my iPhone", the
// lines after a sign-off) are left out. Never empty for a non-empty text: if
// everything looks quoted, the whole text is returned.
std::vector<ByteRange> OwnText(std::string_view text);

}  // namespace kalm::core
