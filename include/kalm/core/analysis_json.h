// JSON form of an Analysis (the schema of docs/analysis.md), shared by the CLI
// and the HTTP API so both print the same object. Pure; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "kalm/core/analyzer.h"

namespace kalm::core {

nlohmann::json ToJson(const Analysis& a);

// The same object written straight into `out` as compact JSON (keys sorted as
// in ToJson's dump), without building a DOM: the batch path's serializer.
void AppendJson(const Analysis& a, std::string* out);

}  // namespace kalm::core
