#pragma once
/// The database: a SOCI connection pool over SQLite or PostgreSQL, and transactions with retry.
///
/// Thread-safe. Every unit of work runs through `read()` or `write()`, which lease a pooled
/// connection, open a transaction (SQLite write transactions start with BEGIN IMMEDIATE, see
/// TRAPS.md), call the function, and commit — or roll back when it returns an error or throws.
/// Busy (SQLite) and serialization/deadlock (PostgreSQL) failures are retried with backoff;
/// any other database failure becomes a core::Error (never an exception to the caller).

#include <soci/soci.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <type_traits>

#include "core/result.hpp"

namespace hqadz::storage {

enum class Backend { kSqlite, kPostgres };
inline const char* backend_name(Backend b) {
  return b == Backend::kSqlite ? "sqlite" : "postgresql";
}
/// For GoogleTest parameter names.
inline void PrintTo(Backend b, std::ostream* os) { *os << backend_name(b); }

struct DbSettings {
  std::string url;  // sqlite:///abs/path, sqlite://rel/path, or postgresql://...
  size_t pool_size = 8;
  std::chrono::milliseconds lease_timeout{5000};  // waiting for a free pooled connection
  std::chrono::milliseconds busy_timeout{5000};   // SQLite busy handler
  int max_attempts = 8;                           // for retryable transaction failures
};

/// A transaction in progress: the SOCI session plus what SQL dialect it speaks.
class Tx {
 public:
  Tx(soci::session& sql, Backend backend) : sql_(sql), backend_(backend) {}
  soci::session& sql() { return sql_; }
  Backend backend() const { return backend_; }
  bool is_postgres() const { return backend_ == Backend::kPostgres; }

 private:
  soci::session& sql_;
  Backend backend_;
};

enum class TxMode { kRead, kWrite };

/// A connection outside the pool, for one long-lived writer (the engine's journal): statements
/// prepared on it stay valid between its transactions. Opened on first use; one thread at a time.
class OwnConnection {
 public:
  OwnConnection(const OwnConnection&) = delete;
  OwnConnection& operator=(const OwnConnection&) = delete;
  ~OwnConnection();

 private:
  friend class Database;
  OwnConnection();
  soci::session session_;
  bool opened_ = false;
  /// SQLite: BEGIN, BEGIN IMMEDIATE and COMMIT prepared once (parsing them for every
  /// transaction was a fifth of the engine journal's CPU). Dropped after any failure.
  struct Control;
  std::unique_ptr<Control> control_;
};

/// Classifies a SOCI exception: busy/serialization (retry), unique violation, lost connection.
enum class DbFailure { kRetryable, kUniqueViolation, kConnection, kOther };
DbFailure classify(const soci::soci_error& e);

class Database {
 public:
  /// Opens the pool (and creates the SQLite file's folder). Does not migrate.
  static core::Result<std::unique_ptr<Database>> open(const DbSettings& settings);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  Backend backend() const { return backend_; }
  const std::string& url_for_logs() const { return redacted_url_; }

  /// Runs `fn(Tx&) -> core::Result<T>` in a transaction; see the class comment.
  template <typename F>
  auto run(TxMode mode, F&& fn) -> std::invoke_result_t<F, Tx&> {
    using R = std::invoke_result_t<F, Tx&>;
    std::optional<R> out;
    core::Status st = run_erased(mode, [&](Tx& tx) -> core::Status {
      R r = fn(tx);
      if (!r.ok()) {
        core::Error e = r.error();
        out.emplace(std::move(r));
        return e;
      }
      out.emplace(std::move(r));
      return core::ok_status();
    });
    if (!st.ok() && (!out || out->ok())) {
      return R(st.error());
    }
    return std::move(*out);
  }
  template <typename F>
  auto read(F&& fn) {
    return run(TxMode::kRead, std::forward<F>(fn));
  }
  template <typename F>
  auto write(F&& fn) {
    return run(TxMode::kWrite, std::forward<F>(fn));
  }

  /// `SELECT 1` on a pooled connection; an error when the database cannot be reached, or when
  /// the last write failed for want of the database and a probe write still fails (a SQLite
  /// file made read-only still answers reads).
  core::Status ping();

  /// Runs `fn` with a pooled connection outside any transaction (migrations, LISTEN).
  core::Status with_session(const std::function<core::Status(Tx&)>& fn);

  /// A connection of its own (see OwnConnection), and a transaction on it with the same
  /// retries and error mapping as run().
  std::unique_ptr<OwnConnection> own_connection() const;
  core::Status run_on(OwnConnection& own, TxMode mode, const std::function<core::Status(Tx&)>& fn);

 private:
  Database(Backend backend, DbSettings settings, std::string connect_string,
           std::string redacted_url);
  core::Status run_erased(TxMode mode, const std::function<core::Status(Tx&)>& fn,
                          OwnConnection* own = nullptr);
  core::Status use_session(soci::session& s, const std::function<core::Status(Tx&)>& fn);
  core::Status open_connections();
  void configure(soci::session& s);

  const Backend backend_;
  const DbSettings settings_;
  const std::string connect_string_;
  const std::string redacted_url_;
  soci::connection_pool pool_;
  std::atomic<bool> writes_failing_{false};
};

/// "postgresql://user:secret@host/db" → "postgresql://user:***@host/db".
std::string redact_url(const std::string& url);

}  // namespace hqadz::storage
