#include "store/sqlite/sqlite_db.h"

#include <sqlite3.h>

#include <string>
#include <unordered_map>

namespace kalm::store {
namespace {

Status FromSqlite(sqlite3* db, int rc, std::string_view what) {
  const int ext = db != nullptr ? sqlite3_extended_errcode(db) : rc;
  std::string msg = std::string(what) + ": " +
                    (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  switch (ext) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return AlreadyExistsError(std::move(msg));
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return NotFoundError(std::move(msg));
    default:
      break;
  }
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_READONLY:
      return UnavailableError(std::move(msg));
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return DataLossError(std::move(msg));
    case SQLITE_CONSTRAINT:
      return InvalidArgumentError(std::move(msg));
    default:
      return InternalError(std::move(msg));
  }
}

class SqliteDb final : public Db {
 public:
  explicit SqliteDb(sqlite3* db) : db_(db) {}
  ~SqliteDb() override {
    for (auto& [sql, st] : cache_) sqlite3_finalize(st);
    sqlite3_close_v2(db_);
  }

  std::string_view Engine() const override { return "sqlite"; }

  StatusOr<std::vector<Row>> Query(std::string_view sql,
                                   const std::vector<Value>& params) override {
    // Prepared once per statement text: an import runs the same INSERT a
    // million times.
    sqlite3_stmt* st = nullptr;
    int rc = SQLITE_OK;
    bool owned = false;  // not cached: finalized after this call
    if (auto cached = cache_.find(sql); cached != cache_.end()) {
      st = cached->second;
    } else {
      rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()),
                              &st, nullptr);
      if (rc != SQLITE_OK) return FromSqlite(db_, rc, "prepare");
      if (cache_.size() < 256) {
        cache_.emplace(std::string(sql), st);
      } else {
        owned = true;
      }
    }
    struct Done {
      sqlite3_stmt* st;
      bool owned;
      ~Done() {
        if (owned) {
          sqlite3_finalize(st);
        } else {
          sqlite3_reset(st);
          sqlite3_clear_bindings(st);
        }
      }
    } guard{st, owned};
    for (size_t i = 0; i < params.size(); ++i) {
      const int at = static_cast<int>(i + 1);
      const Value& v = params[i];
      if (std::holds_alternative<std::monostate>(v)) {
        rc = sqlite3_bind_null(st, at);
      } else if (const auto* n = std::get_if<int64_t>(&v)) {
        rc = sqlite3_bind_int64(st, at, *n);
      } else if (const auto* d = std::get_if<double>(&v)) {
        rc = sqlite3_bind_double(st, at, *d);
      } else {
        const std::string& s = std::get<std::string>(v);
        rc = sqlite3_bind_text64(st, at, s.data(), s.size(), SQLITE_STATIC,
                                 SQLITE_UTF8);
      }
      if (rc != SQLITE_OK) return FromSqlite(db_, rc, "bind");
    }
    std::vector<Row> rows;
    const int ncol = sqlite3_column_count(st);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      Row r;
      r.cols.reserve(static_cast<size_t>(ncol));
      for (int c = 0; c < ncol; ++c) {
        if (sqlite3_column_type(st, c) == SQLITE_NULL) {
          r.cols.emplace_back(std::nullopt);
        } else {
          const auto* text =
              reinterpret_cast<const char*>(sqlite3_column_text(st, c));
          r.cols.emplace_back(std::string(
              text, static_cast<size_t>(sqlite3_column_bytes(st, c))));
        }
      }
      rows.push_back(std::move(r));
    }
    if (rc != SQLITE_DONE) return FromSqlite(db_, rc, "step");
    return rows;
  }

  Status Script(std::string_view sql) override {
    char* err = nullptr;
    const std::string s(sql);
    const int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
    if (err != nullptr) sqlite3_free(err);
    if (rc != SQLITE_OK) return FromSqlite(db_, rc, "script");
    return Status::Ok();
  }

  Status BeginWrite() override { return Script("BEGIN IMMEDIATE"); }

  std::string Dialect(std::string_view sql) const override {
    std::string out(sql);
    const std::string id = "%ID%";
    for (size_t at = out.find(id); at != std::string::npos;
         at = out.find(id, at))
      out.replace(at, id.size(), "INTEGER PRIMARY KEY AUTOINCREMENT");
    return out;
  }

  Status LockForMigration() override { return Status::Ok(); }

 private:
  sqlite3* db_;
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const {
      return std::hash<std::string_view>{}(s);
    }
  };
  std::unordered_map<std::string, sqlite3_stmt*, Hash, std::equal_to<>> cache_;
};

}  // namespace

StatusOr<std::unique_ptr<Db>> OpenSqlite(const std::string& path) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(
      path.c_str(), &db,
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
      nullptr);
  if (rc != SQLITE_OK) {
    Status s = UnavailableError("cannot open " + path + ": " +
                                (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
    sqlite3_close_v2(db);
    return s;
  }
  auto out = std::make_unique<SqliteDb>(db);
  sqlite3_busy_timeout(db, 10000);
  sqlite3_extended_result_codes(db, 1);
  // A file that is not a database fails here, on its first read.
  for (const char* pragma :
       {"PRAGMA journal_mode = WAL", "PRAGMA foreign_keys = ON",
        "PRAGMA synchronous = NORMAL",
        // 32 MB of page cache: the message key index of a large timeline
        // stays in memory during an import (the default 2 MB made a
        // million-message import disk-bound).
        "PRAGMA cache_size = -32768"}) {
    auto r = out->Query(pragma, {});
    if (!r.ok())
      return Status(r.status().code(),
                    path + ": " + std::string(r.status().message()));
  }
  return std::unique_ptr<Db>(std::move(out));
}

}  // namespace kalm::store
