// Internal to src/import: the readers per format.
#pragma once

#include <memory>
#include <string>

#include "kalm/import/import.h"

namespace kalm::import {

struct DateOrder {
  bool known = false;        // a day or month above 12 decided it
  bool dmy = true;           // day first
  bool contradicts = false;  // both orders occur
  int64_t headers = 0;       // message lines seen
};
// Scans a WhatsApp export's message lines for the order of day and month.
StatusOr<DateOrder> SniffWhatsAppDateOrder(const std::string& path);
bool LooksLikeWhatsApp(std::string_view first_line);

StatusOr<std::unique_ptr<Reader>> OpenWhatsApp(const std::string& path,
                                               const Options& o, int64_t start);
StatusOr<std::unique_ptr<Reader>> OpenText(const std::string& path,
                                           const Options& o, int64_t start);
// .eml (one message) and mbox, through GMime.
StatusOr<std::unique_ptr<Reader>> OpenMail(const std::string& path, bool mbox,
                                           const Options& o, int64_t start);

}  // namespace kalm::import
