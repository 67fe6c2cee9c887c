// UTF-8 checks and repair, and the message pre-check.
#include <string>
#include <string_view>

#include "kalm/core/text.h"

namespace kalm::core {
namespace {

// Length of the well-formed sequence starting at s[i], or 0 if malformed.
size_t SequenceLength(std::string_view s, size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) return 1;
  auto cont = [&](size_t k) {
    return i + k < s.size() &&
           (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
  };
  if (b0 >= 0xC2 && b0 <= 0xDF) return cont(1) ? 2 : 0;
  if (b0 >= 0xE0 && b0 <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    const auto b1 = static_cast<unsigned char>(s[i + 1]);
    if (b0 == 0xE0 && b1 < 0xA0) return 0;   // overlong
    if (b0 == 0xED && b1 >= 0xA0) return 0;  // surrogates
    return 3;
  }
  if (b0 >= 0xF0 && b0 <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    const auto b1 = static_cast<unsigned char>(s[i + 1]);
    if (b0 == 0xF0 && b1 < 0x90) return 0;   // overlong
    if (b0 == 0xF4 && b1 >= 0x90) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

}  // namespace

std::optional<size_t> FindInvalidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    // Fast path over ASCII, eight bytes at a time.
    while (i + 8 <= s.size()) {
      uint64_t w;
      __builtin_memcpy(&w, s.data() + i, 8);
      if (w & 0x8080808080808080ULL) break;
      i += 8;
    }
    if (i >= s.size()) break;
    const size_t n = SequenceLength(s, i);
    if (n == 0) return i;
    i += n;
  }
  return std::nullopt;
}

std::string ReplaceInvalidUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    const size_t n = SequenceLength(s, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

Status CheckMessage(std::string_view text, size_t max_bytes) {
  if (text.size() > max_bytes) {
    return ResourceExhaustedError(
        "message is too large: " + std::to_string(text.size()) +
        " bytes (the limit is " + std::to_string(max_bytes) + ")");
  }
  size_t controls = 0;
  bool blank = true;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == 0) {
      return InvalidArgumentError(
          "input looks like binary data (NUL byte at offset " +
          std::to_string(i) + "), not a text message");
    }
    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f') {
      ++controls;
    }
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t' && c != '\f' &&
        c != '\v') {
      blank = false;
    }
  }
  if (auto bad = FindInvalidUtf8(text)) {
    return InvalidArgumentError(
        "input is not valid UTF-8: malformed byte 0x" +
        [&] {
          static const char* kHex = "0123456789ABCDEF";
          const auto b = static_cast<unsigned char>(text[*bad]);
          return std::string{kHex[b >> 4], kHex[b & 15]};
        }() +
        " at byte offset " + std::to_string(*bad) +
        " (use --lossy to replace bad bytes)");
  }
  if (controls * 20 > text.size()) {
    return InvalidArgumentError("input looks like binary data (" +
                                std::to_string(controls) +
                                " control bytes), not a text message");
  }
  if (blank) {
    return InvalidArgumentError(
        text.empty() ? "message is empty" : "message contains only whitespace");
  }
  return Status::Ok();
}

}  // namespace kalm::core
