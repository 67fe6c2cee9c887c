// The golden-file format shared by the analyzer's and the reply coach's golden
// tests (tests/core/golden/README.md, tests/core/review/README.md): "## ID"
// starts a case, "key: value" lines and "> " lines follow, "| " lines hold the
// text. Also the known-failures ratchet lists.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace kalm::testing {

struct GoldenCase {
  std::string id;
  std::string file;
  int line = 0;
  std::string folder_lang;  // "nl" or "en": the folder the file is in
  std::map<std::string, std::string> keys;
  std::string quoted;  // "> " lines before the text, joined by newlines
  std::string text;    // "| " lines, joined by newlines
};

inline std::vector<std::string> Words(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  std::string w;
  while (in >> w) out.push_back(w);
  return out;
}

// Every *.golden file below `dir`, in path order.
inline std::vector<GoldenCase> LoadGoldenCases(const std::string& dir) {
  std::vector<GoldenCase> cases;
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.path().extension() == ".golden") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const fs::path& p : files) {
    std::ifstream in(p);
    std::string line;
    int n = 0;
    GoldenCase* cur = nullptr;
    bool text_started = false;
    while (std::getline(in, line)) {
      ++n;
      if (line.rfind("## ", 0) == 0) {
        cases.push_back({});
        cur = &cases.back();
        cur->id = line.substr(3);
        cur->file = p.filename().string();
        cur->line = n;
        cur->folder_lang = p.parent_path().filename().string();
        text_started = false;
        continue;
      }
      if (cur == nullptr) continue;
      if (line == "|" || line.rfind("| ", 0) == 0) {
        if (text_started) cur->text += "\n";
        cur->text += line.size() > 2 ? line.substr(2) : "";
        text_started = true;
        continue;
      }
      if (text_started || line.empty() || line[0] == '#') continue;
      if (line == ">" || line.rfind("> ", 0) == 0) {
        if (!cur->quoted.empty()) cur->quoted += "\n";
        cur->quoted += line.size() > 2 ? line.substr(2) : "";
        continue;
      }
      const size_t colon = line.find(':');
      if (colon != std::string::npos) {
        std::string v = line.substr(colon + 1);
        while (!v.empty() && v.front() == ' ') v.erase(0, 1);
        cur->keys[line.substr(0, colon)] = v;
      }
    }
  }
  return cases;
}

// The case ids of a known-failures.txt ratchet (first word of each line,
// "#" comments ignored).
inline std::set<std::string> LoadIdList(const std::string& path) {
  std::set<std::string> ids;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    const auto w = Words(line.substr(0, line.find('#')));
    if (!w.empty()) ids.insert(w[0]);
  }
  return ids;
}

// Reports one golden case through the ratchet: a case in `known` (the
// known-failures list) is skipped while it fails and fails once it passes;
// KALM_GOLDEN_ALL=1 (tools/golden-failures.py) reports known gaps as failures.
inline void ReportGoldenCase(const GoldenCase& c,
                             const std::vector<std::string>& fail,
                             const std::set<std::string>& known) {
  const std::string where = c.file + ":" + std::to_string(c.line) + " " + c.id;
  const bool all = std::getenv("KALM_GOLDEN_ALL") != nullptr;
  if (!all && known.count(c.id)) {
    if (fail.empty()) {
      ADD_FAILURE() << where
                    << " passes now: remove it from known-failures.txt";
    } else {
      std::string why;
      for (const auto& f : fail) why += "\n  " + f;
      GTEST_SKIP() << "known gap " << where << why;
    }
    return;
  }
  for (const auto& f : fail) ADD_FAILURE() << where << ": " << f;
}

// A gtest name for a case id ("nl-rev-001" -> "nl_rev_001").
inline std::string GoldenTestName(std::string id) {
  for (char& ch : id)
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return id;
}

}  // namespace kalm::testing
