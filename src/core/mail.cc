// OwnText: which parts of a mail or chat message are the sender's new words.
#include <array>
#include <string>
#include <string_view>

#include "kalm/core/text.h"

namespace kalm::core {
namespace {

struct Line {
  size_t start;  // byte offsets of the line without its newline
  size_t end;
};

std::string_view Trim(std::string_view s) {
  while (!s.empty() &&
         (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool StartsWith(std::string_view s, std::string_view p) {
  return s.substr(0, p.size()) == p;
}
bool EndsWith(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}
bool Contains(std::string_view s, std::string_view p) {
  return s.find(p) != std::string_view::npos;
}

// Lines that start the quoted history of a reply or forward.
constexpr std::array<std::string_view, 10> kSeparators = {
    "-----original message-----",
    "----- original message -----",
    "-----oorspronkelijk bericht-----",
    "----- oorspronkelijk bericht -----",
    "---------- forwarded message",
    "---------- doorgestuurd bericht",
    "begin forwarded message:",
    "begin doorgestuurd bericht:",
    "-------- original message --------",
    "-------- oorspronkelijk bericht --------"};

// Mobile and client footers: dropped, and nothing after them is the writer's.
constexpr std::array<std::string_view, 9> kFooters = {
    "sent from my",     "verzonden vanaf mijn", "verstuurd vanaf mijn",
    "verzonden met",    "verstuurd met",        "get outlook for",
    "outlook voor ios", "outlook voor android", "download outlook"};

// Legal disclaimers under a signature: nothing from there on is the writer's.
constexpr std::array<std::string_view, 10> kDisclaimers = {
    "dit bericht is uitsluitend bestemd", "dit e-mailbericht is uitsluitend",
    "de informatie verzonden met dit",    "disclaimer",
    "dit bericht kan vertrouwelijke",     "this e-mail and any attachments",
    "this email and any attachments",     "this message is intended only",
    "the information contained in this",  "confidentiality notice"};

bool IsDisclaimer(std::string_view l) {
  for (std::string_view d : kDisclaimers)
    if (l.substr(0, d.size()) == d) return true;
  return false;
}

// Closing formulas: the line is kept (it is part of the tone), a short block of
// name / title / phone lines after it is not.
constexpr std::array<std::string_view, 27> kSignOffs = {
    "met vriendelijke groet",
    "met vriendelijke groeten",
    "vriendelijke groet",
    "vriendelijke groeten",
    "hartelijke groet",
    "hartelijke groeten",
    "met hartelijke groet",
    "warme groet",
    "groetjes",
    "groeten",
    "groet",
    "mvg",
    "gr",
    "liefs",
    "best regards",
    "kind regards",
    "regards",
    "warm regards",
    "best wishes",
    "best",
    "cheers",
    "many thanks",
    "thanks",
    "thank you",
    "sincerely",
    "yours sincerely",
    "alvast bedankt"};

bool IsAttribution(std::string_view l, std::string_view next) {
  const bool opener = StartsWith(l, "on ") || StartsWith(l, "op ") ||
                      StartsWith(l, "am ") || StartsWith(l, "le ");
  auto says = [](std::string_view s) {
    return Contains(s, "wrote") || Contains(s, "schreef") ||
           Contains(s, "geschreven") || Contains(s, "schrieb");
  };
  if (EndsWith(l, ":") && says(l) && (opener || Contains(l, "@"))) return true;
  if (opener && EndsWith(next, ":") && (says(l) || says(next))) return true;
  return false;
}

bool IsHeaderStart(std::string_view l) {
  return StartsWith(l, "from:") || StartsWith(l, "van:");
}
bool IsHeaderField(std::string_view l) {
  return StartsWith(l, "sent:") || StartsWith(l, "verzonden:") ||
         StartsWith(l, "date:") || StartsWith(l, "datum:") ||
         StartsWith(l, "to:") || StartsWith(l, "aan:") ||
         StartsWith(l, "subject:") || StartsWith(l, "onderwerp:");
}

bool IsSignOff(std::string_view l) {
  std::string_view s = l;
  while (!s.empty() && (s.back() == ',' || s.back() == '.' || s.back() == '!'))
    s.remove_suffix(1);
  for (std::string_view f : kSignOffs)
    if (s == f) return true;
  // "Warm regards and keep smiling!": a multi-word formula opening a short
  // line.
  if (l.size() <= 60) {
    for (std::string_view f : kSignOffs) {
      if (f.find(' ') == std::string_view::npos || l.size() <= f.size())
        continue;
      const char next = l[f.size()];
      if (StartsWith(l, f) && (next == ' ' || next == ',') &&
          l.find('?') == std::string_view::npos)
        return true;
    }
  }
  return false;
}

}  // namespace

std::vector<ByteRange> OwnText(std::string_view text) {
  std::vector<Line> lines;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    lines.push_back({pos, nl});
    if (nl == text.size()) break;
    pos = nl + 1;
  }
  std::vector<std::string> low(lines.size());
  for (size_t i = 0; i < lines.size(); ++i)
    low[i] =
        Lower(Trim(text.substr(lines[i].start, lines[i].end - lines[i].start)));

  std::vector<bool> keep(lines.size(), true);
  size_t cut = lines.size();
  for (size_t i = 0; i < lines.size() && cut == lines.size(); ++i) {
    const std::string& l = low[i];
    const std::string& next = i + 1 < lines.size() ? low[i + 1] : std::string();
    if (StartsWith(l, ">")) {
      keep[i] = false;
      continue;
    }
    if (l == "--" ||
        (text.substr(lines[i].start, lines[i].end - lines[i].start) == "-- ")) {
      cut = i;
      break;
    }
    for (std::string_view s : kSeparators)
      if (StartsWith(l, s)) cut = i;
    for (std::string_view s : kFooters)
      if (StartsWith(l, s)) cut = i;
    if (IsDisclaimer(l)) cut = i;
    if (cut != lines.size()) break;
    if (StartsWith(l, "____") || StartsWith(l, "====")) {
      if (i + 1 < lines.size() && IsHeaderStart(next)) {
        cut = i;
        break;
      }
    }
    if (IsAttribution(l, next)) {
      cut = i;
      break;
    }
    if (IsHeaderStart(l)) {
      for (size_t k = i + 1; k < lines.size() && k <= i + 4; ++k) {
        if (IsHeaderField(low[k])) {
          cut = i;
          break;
        }
      }
      if (cut != lines.size()) break;
    }
    if (IsSignOff(l)) {
      // A sign-off followed by at most eight short lines up to the end (or up
      // to quoted history): those lines are the signature.
      size_t k = i + 1;
      size_t count = 0;
      bool signature = true;
      for (; k < lines.size(); ++k) {
        const std::string& m = low[k];
        if (IsAttribution(m,
                          k + 1 < lines.size() ? low[k + 1] : std::string()) ||
            StartsWith(m, ">") || IsHeaderStart(m) || StartsWith(m, "____") ||
            StartsWith(m, "-----") || IsDisclaimer(m)) {
          break;
        }
        if (m.empty()) continue;
        if (++count > 8 || m.size() > 80) {
          signature = false;
          break;
        }
      }
      if (signature && count > 0) {
        cut = i + 1;
        break;
      }
    }
  }
  for (size_t i = cut; i < lines.size(); ++i) keep[i] = false;

  std::vector<ByteRange> out;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (!keep[i]) continue;
    const auto s = static_cast<uint32_t>(lines[i].start);
    const auto e = static_cast<uint32_t>(
        i + 1 < lines.size() ? lines[i + 1].start : lines[i].end);
    if (!out.empty() && out.back().end == s) {
      out.back().end = e;
    } else {
      out.push_back({s, e});
    }
  }
  // Drop ranges that hold only whitespace.
  std::vector<ByteRange> nonblank;
  for (const ByteRange& r : out) {
    if (!Trim(text.substr(r.start, r.end - r.start)).empty() &&
        text.substr(r.start, r.end - r.start).find_first_not_of(" \t\r\n") !=
            std::string_view::npos) {
      nonblank.push_back(r);
    }
  }
  if (nonblank.empty()) return {{0, static_cast<uint32_t>(text.size())}};
  return nonblank;
}

}  // namespace kalm::core
