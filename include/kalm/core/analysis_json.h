// JSON form of an Analysis (the schema of docs/analysis.md), shared by the CLI and
// the HTTP API so both print the same object. Pure; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "kalm/core/analyzer.h"

namespace kalm::core {

nlohmann::json ToJson(const Analysis& a);

}  // namespace kalm::core
