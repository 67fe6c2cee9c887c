// Opening kalm's database: an embedded SQLite file by default, PostgreSQL
// when an agency outgrows one machine. The only place that knows the engines;
// main.cc hands OpenStore to the commands.
//
// Thread-safe: each call opens its own connection.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "kalm/core/status.h"
#include "kalm/domain/store.h"

namespace kalm::store {

// `url` is "sqlite:PATH", "postgresql://..." / "postgres://..." (libpq
// connection URI), or a plain file path (SQLite). Opening applies the
// migrations this build knows, in one transaction each, and refuses a
// database from a newer kalm. Errors: kInvalidArgument (an unknown scheme),
// kUnavailable (cannot open or connect), kFailedPrecondition (the schema is
// newer than this build), kDataLoss (not a database / corrupt).
StatusOr<std::unique_ptr<domain::Store>> OpenStore(std::string_view url);

// Opens the database at schema version `version` exactly (older than the
// newest), for upgrade tests. Errors: as OpenStore.
StatusOr<std::unique_ptr<domain::Store>> OpenStoreAtVersion(
    std::string_view url, int version);

// The newest schema version this build knows.
int LatestSchemaVersion();

// $XDG_DATA_HOME/kalm/kalm.db, else ~/.local/share/kalm/kalm.db, as a
// "sqlite:" URL. The directory is created (mode 0700) on first use by
// OpenStore.
std::string DefaultDatabaseUrl();

}  // namespace kalm::store
