#include "kalm/store/open.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "store/migrations.h"
#include "store/postgres/pg_db.h"
#include "store/sql_store.h"
#include "store/sqlite/sqlite_db.h"

namespace kalm::store {
namespace {

// mkdir -p with mode 0700: the database holds client mail.
Status MakeDirs(const std::string& dir) {
  if (dir.empty()) return Status::Ok();
  std::string path;
  size_t i = 0;
  while (i <= dir.size()) {
    const size_t slash = dir.find('/', i);
    const size_t end = slash == std::string::npos ? dir.size() : slash;
    path = dir.substr(0, end);
    if (!path.empty() && mkdir(path.c_str(), 0700) != 0 && errno != EEXIST)
      return UnavailableError("cannot create " + path + ": " +
                              std::strerror(errno));
    if (slash == std::string::npos) break;
    i = slash + 1;
  }
  return Status::Ok();
}

StatusOr<std::unique_ptr<domain::Store>> Open(std::string_view url,
                                              int target) {
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    auto db = OpenPostgres(std::string(url));
    if (!db.ok()) return db.status();
    return MakeSqlStore(std::move(*db), target);
  }
  std::string path;
  if (url.rfind("sqlite:", 0) == 0) {
    path = std::string(url.substr(7));
  } else if (url.find("://") != std::string_view::npos) {
    return InvalidArgumentError(
        "unknown database URL (use sqlite:PATH or postgresql://...)");
  } else {
    path = std::string(url);
  }
  if (path.empty()) return InvalidArgumentError("sqlite: needs a file path");
  if (path != ":memory:") {
    const size_t slash = path.rfind('/');
    if (slash != std::string::npos && slash > 0)
      KALM_RETURN_IF_ERROR(MakeDirs(path.substr(0, slash)));
  }
  auto db = OpenSqlite(path);
  if (!db.ok()) return db.status();
  return MakeSqlStore(std::move(*db), target);
}

}  // namespace

StatusOr<std::unique_ptr<domain::Store>> OpenStore(std::string_view url) {
  return Open(url, 0);
}

StatusOr<std::unique_ptr<domain::Store>> OpenStoreAtVersion(
    std::string_view url, int version) {
  if (version < 1 || version > LatestSchemaVersion())
    return InvalidArgumentError("no schema version " + std::to_string(version));
  return Open(url, version);
}

int LatestSchemaVersion() { return Migrations().back().version; }

std::string DefaultDatabaseUrl() {
  std::string base;
  if (const char* x = std::getenv("XDG_DATA_HOME"); x != nullptr && *x == '/') {
    base = x;
  } else if (const char* h = std::getenv("HOME"); h != nullptr && *h != '\0') {
    base = std::string(h) + "/.local/share";
  } else {
    base = ".";
  }
  return "sqlite:" + base + "/kalm/kalm.db";
}

}  // namespace kalm::store
