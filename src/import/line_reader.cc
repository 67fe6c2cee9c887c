#include "import/line_reader.h"

#include <cerrno>
#include <cstring>

namespace kalm::import {

Status LineReader::Open(const std::string& path, int64_t start) {
  f_ = std::fopen(path.c_str(), "rb");
  if (f_ == nullptr) {
    if (errno == ENOENT) return NotFoundError("no such file: " + path);
    return UnavailableError("cannot read " + path + ": " +
                            std::strerror(errno));
  }
  if (start > 0 && fseeko(f_, static_cast<off_t>(start), SEEK_SET) != 0)
    return UnavailableError("cannot seek in " + path);
  offset_ = start;
  // Line numbers after a resume are unknown; count from the resume point.
  line_number_ = 0;
  return Status::Ok();
}

bool LineReader::Next(std::string& line) {
  line.clear();
  cut_ = false;
  line_start_ = offset_;
  int c = 0;
  bool any = false;
  while ((c = getc_unlocked(f_)) != EOF) {
    any = true;
    ++offset_;
    if (c == '\n') break;
    if (line.size() < kMaxLine) {
      line.push_back(static_cast<char>(c));
    } else {
      cut_ = true;
    }
  }
  if (!any) return false;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  ++line_number_;
  return true;
}

}  // namespace kalm::import
