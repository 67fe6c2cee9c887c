// Internal: kalm's schema, as numbered migrations. A migration is never
// edited once released; a change is a new migration. %ID% is an
// auto-increment primary key in the engine's dialect; BIGINT holds times
// (UTC seconds) and money (cents); JSON is stored as TEXT.
#pragma once

#include <string_view>
#include <vector>

namespace kalm::store {

struct Migration {
  int version;
  std::string_view description;
  std::string_view sql;
};

const std::vector<Migration>& Migrations();

}  // namespace kalm::store
