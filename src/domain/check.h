// Checks shared by the domain's Validate functions (not part of its API).
#pragma once

#include <string_view>

#include "kalm/core/status.h"

namespace kalm::domain {

// kInvalidArgument when `required` and blank, not UTF-8 or holding a NUL;
// kResourceExhausted when longer than `max` bytes. The message names `field`.
Status CheckText(std::string_view field, std::string_view text, size_t max,
                 bool required);

}  // namespace kalm::domain
