// Internal: a Db over one libpq connection. Parameters travel as text with
// their types left to the server; `?` placeholders become $1, $2, ...
#pragma once

#include <memory>
#include <string>

#include "store/db.h"

namespace kalm::store {

// `conninfo` is a libpq URI or key=value string. Errors: kUnavailable (cannot
// connect; the message never repeats the password).
StatusOr<std::unique_ptr<Db>> OpenPostgres(const std::string& conninfo);

}  // namespace kalm::store
