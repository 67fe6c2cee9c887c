// Internal: a Db over one SQLite connection (WAL, foreign keys on, a busy
// timeout so a second process waits for the write lock instead of failing).
#pragma once

#include <memory>
#include <string>

#include "store/db.h"

namespace kalm::store {

// Errors: kUnavailable (cannot open or create the file), kDataLoss (the file
// is not a SQLite database).
StatusOr<std::unique_ptr<Db>> OpenSqlite(const std::string& path);

}  // namespace kalm::store
