// Internal to src/core: walking the lines of kalm's tab-separated data files.
#pragma once

#include <string_view>

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

}  // namespace kalm::core
