// Writing a mail as an .eml file (RFC 5322, MIME, UTF-8 text quoted-
// printable, non-ASCII headers RFC 2047-encoded) with GMime: the
// confirmation mail of a complaint case, to open in the user's own mail
// program. kalm sends nothing itself.
//
// Thread-safe (GMime is initialised once).
#pragma once

#include <cstdint>
#include <string>

#include "kalm/core/status.h"

namespace kalm::import {

struct OutgoingMail {
  std::string from_name, from_address;  // address empty: no From header
  std::string to_name, to_address;      // address empty: no To header
  std::string subject;
  std::string body;  // plain text
  int64_t date = 0;  // UTC seconds
};

// Errors: kInvalidArgument (a field that is not UTF-8, or a header with a
// line break), kInternal (GMime failed).
StatusOr<std::string> ComposeEml(const OutgoingMail& mail);

}  // namespace kalm::import
