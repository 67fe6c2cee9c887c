// Internal to src/core: walking the lines of kalm's tab-separated data files.
#pragma once

#include <string_view>
#include <vector>

#include "kalm/core/status.h"

namespace kalm::core {

// Calls `fn(line, line_no)` for every data line of `content`: empty lines and
// lines starting with '#' are skipped, a trailing '\r' is dropped, line numbers
// are 1-based. The first non-OK status `fn` returns stops the walk and is
// returned.
template <typename Fn>
Status ForEachDataLine(std::string_view content, Fn&& fn) {
  size_t pos = 0;
  int line_no = 0;
  while (pos < content.size()) {
    size_t end = content.find('\n', pos);
    if (end == std::string_view::npos) end = content.size();
    std::string_view line = content.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line[0] == '#') continue;
    KALM_RETURN_IF_ERROR(fn(line, line_no));
  }
  return Status::Ok();
}

// The tab-separated fields of `line`, at most `max_fields`: the last one keeps
// the rest of the line, tabs included.
inline std::vector<std::string_view> SplitFields(std::string_view line,
                                                 size_t max_fields) {
  std::vector<std::string_view> out;
  size_t at = 0;
  while (out.size() + 1 < max_fields) {
    const size_t tab = line.find('\t', at);
    if (tab == std::string_view::npos) break;
    out.push_back(line.substr(at, tab - at));
    at = tab + 1;
  }
  out.push_back(line.substr(at));
  return out;
}

}  // namespace kalm::core
