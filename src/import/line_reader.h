// Internal: a file read line by line with a fixed buffer, knowing the byte
// offset and number of each line. A line longer than the limit is cut (the
// rest is skipped) and marked, so one broken line cannot eat the memory.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

#include "kalm/core/status.h"

namespace kalm::import {

class LineReader {
 public:
  LineReader() = default;
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;
  ~LineReader() {
    if (f_ != nullptr) std::fclose(f_);
  }
  // Errors: kNotFound, kUnavailable.
  Status Open(const std::string& path, int64_t start);
  // Reads the next line into `line` (without "\n" or "\r\n"); false at the
  // end of the file.
  bool Next(std::string& line);
  int64_t line_start() const { return line_start_; }  // offset of that line
  int64_t offset() const { return offset_; }          // after it
  int64_t line_number() const { return line_number_; }
  bool cut() const { return cut_; }  // that line was longer than the limit
  bool error() const { return f_ != nullptr && std::ferror(f_) != 0; }

  static constexpr size_t kMaxLine = 1 << 20;

 private:
  std::FILE* f_ = nullptr;
  int64_t offset_ = 0, line_start_ = 0, line_number_ = 0;
  bool cut_ = false;
};

}  // namespace kalm::import
