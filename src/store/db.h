// Internal to src/store: the little a SQL store needs from a database
// connection, so one SqlStore serves SQLite and PostgreSQL alike. Statements
// use `?` placeholders; the PostgreSQL connection rewrites them to $1, $2...
//
// Not thread-safe by itself: SqlStore holds mutex() around every use.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "kalm/core/status.h"

namespace kalm::store {

using Value = std::variant<std::monostate, int64_t, double, std::string>;

struct Row {
  std::vector<std::optional<std::string>> cols;
  bool Null(size_t i) const { return !cols.at(i).has_value(); }
  const std::string& Str(size_t i) const;  // "" for NULL
  int64_t Int(size_t i) const;             // 0 for NULL
  double Real(size_t i) const;
  std::optional<int64_t> OptInt(size_t i) const;
};

class Db {
 public:
  virtual ~Db() = default;
  virtual std::string_view Engine() const = 0;
  // One statement with parameters. Errors: kAlreadyExists (a unique
  // constraint), kNotFound (a foreign key points nowhere), kUnavailable (the
  // connection or a lock), kDataLoss (a corrupt file), kInternal.
  virtual StatusOr<std::vector<Row>> Query(
      std::string_view sql, const std::vector<Value>& params) = 0;
  // Several statements without parameters (a migration).
  virtual Status Script(std::string_view sql) = 0;
  // BEGIN for a transaction that will write: SQLite takes the write lock at
  // once (BEGIN IMMEDIATE), so two writers queue instead of failing late.
  virtual Status BeginWrite() = 0;
  // The dialect's words for a migration: %ID% (an auto-increment primary
  // key).
  virtual std::string Dialect(std::string_view sql) const = 0;
  // Takes an exclusive lock, held to the end of the transaction, for what
  // other processes must not do at the same time: migrations and the first
  // run (PostgreSQL: an advisory lock; SQLite: BEGIN IMMEDIATE is enough).
  virtual Status LockForMigration() = 0;

  std::mutex& mutex() { return mutex_; }

 private:
  std::mutex mutex_;
};

}  // namespace kalm::store
