#include "storage/database.hpp"

#include <libpq-fe.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <random>
#include <thread>

namespace hqadz::storage {
namespace {

constexpr int kSqliteBusy = 5;
constexpr int kSqliteLocked = 6;
constexpr int kSqliteConstraint = 19;
// The file cannot be written (made read-only or immutable, disk full, I/O error): the database
// is unavailable, not the request at fault.
constexpr int kSqliteReadonly = 8;
constexpr int kSqliteIoerr = 10;
constexpr int kSqliteFull = 13;
constexpr int kSqliteCantopen = 14;

/// Gives a leased connection back to the pool, whatever happens.
class Lease {
 public:
  Lease(soci::connection_pool& pool, size_t pos) : pool_(pool), pos_(pos) {}
  ~Lease() { pool_.give_back(pos_); }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;

 private:
  soci::connection_pool& pool_;
  size_t pos_;
};

void rollback_quietly(soci::session& s) {
  try {
    s << "ROLLBACK";
  } catch (const std::exception&) {  // NOLINT(bugprone-empty-catch): nothing to roll back
  }
}

std::string quote_conn_value(const std::string& v) {
  if (v.find_first_of(" '\"") == std::string::npos) {
    return v;
  }
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') {
      out += '\\';
    }
    out += c;
  }
  return out + "\"";
}

/// SOCI passes its connect string through its own key=value parser, which mangles a URI:
/// let libpq parse the URI and hand SOCI keyword=value pairs instead.
core::Result<std::string> pg_keywords(const std::string& url) {
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(url.c_str(), &err);
  if (opts == nullptr) {
    std::string why = err != nullptr ? err : "unparsable";
    PQfreemem(err);
    return core::Error::invalid("bad_database_url", "bad PostgreSQL URL: " + why);
  }
  std::string out;
  for (PQconninfoOption* o = opts; o->keyword != nullptr; ++o) {
    if (o->val == nullptr || *o->val == '\0') {
      continue;
    }
    std::string v;
    for (const char* c = o->val; *c != '\0'; ++c) {
      if (*c == '\'' || *c == '\\') {
        v += '\\';
      }
      v += *c;
    }
    out += std::string(o->keyword) + "='" + v + "' ";
  }
  PQconninfoFree(opts);
  return out;
}

}  // namespace

std::string redact_url(const std::string& url) {
  const auto scheme = url.find("://");
  const auto at = url.find('@');
  if (scheme == std::string::npos || at == std::string::npos || at < scheme) {
    return url;
  }
  const auto colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) {
    return url;
  }
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

DbFailure classify(const soci::soci_error& e) {
  if (const auto* se = dynamic_cast<const soci::sqlite3_soci_error*>(&e)) {
    const int code = se->result() & 0xff;
    if (code == kSqliteBusy || code == kSqliteLocked) {
      return DbFailure::kRetryable;
    }
    if (code == kSqliteReadonly || code == kSqliteIoerr || code == kSqliteFull ||
        code == kSqliteCantopen) {
      return DbFailure::kConnection;
    }
    if (code == kSqliteConstraint &&
        std::string_view(e.what()).find("UNIQUE") != std::string_view::npos) {
      return DbFailure::kUniqueViolation;
    }
    return DbFailure::kOther;
  }
  if (const auto* pe = dynamic_cast<const soci::postgresql_soci_error*>(&e)) {
    const std::string state = pe->sqlstate();
    if (state == "40001" || state == "40P01") {
      return DbFailure::kRetryable;
    }
    if (state == "23505") {
      return DbFailure::kUniqueViolation;
    }
    if (state.rfind("08", 0) == 0 || state == "57P01" || state == "57P02" || state == "57P03") {
      return DbFailure::kConnection;
    }
  }
  if (e.get_error_category() == soci::soci_error::connection_error) {
    return DbFailure::kConnection;
  }
  return DbFailure::kOther;
}

core::Result<std::unique_ptr<Database>> Database::open(const DbSettings& settings) {
  const std::string& url = settings.url;
  std::unique_ptr<Database> db;
  if (url.rfind("sqlite://", 0) == 0) {
    std::string path = url.substr(9);  // sqlite:///abs → /abs ; sqlite://rel → rel
    if (path.empty()) {
      return core::Error::invalid("bad_database_url", "sqlite URL without a path");
    }
    std::error_code ec;
    const auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) {
      std::filesystem::create_directories(parent, ec);
      if (ec) {
        return core::Error::unavailable("db_unavailable",
                                        "cannot create " + parent.string() + ": " + ec.message());
      }
    }
    const auto busy_s = std::max<int64_t>(1, settings.busy_timeout.count() / 1000);
    db.reset(new Database(Backend::kSqlite, settings,
                          "db=" + quote_conn_value(path) + " timeout=" + std::to_string(busy_s) +
                              " shared_cache=false",
                          url));
  } else if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    auto keywords = pg_keywords(url);
    if (!keywords.ok()) {
      return keywords.error();
    }
    db.reset(new Database(Backend::kPostgres, settings, *keywords, redact_url(url)));
  } else {
    return core::Error::invalid("bad_database_url",
                                "HQADZ_DATABASE_URL must start with sqlite:// or postgresql://");
  }
  if (auto st = db->open_connections(); !st.ok()) {
    return st.error();
  }
  return db;
}

Database::Database(Backend backend, DbSettings settings, std::string connect_string,
                   std::string redacted_url)
    : backend_(backend),
      settings_(std::move(settings)),
      connect_string_(std::move(connect_string)),
      redacted_url_(std::move(redacted_url)),
      pool_(settings_.pool_size) {}

Database::~Database() = default;

core::Status Database::open_connections() {
  try {
    for (size_t i = 0; i < settings_.pool_size; ++i) {
      soci::session& s = pool_.at(i);
      if (backend_ == Backend::kSqlite) {
        s.open(soci::sqlite3, connect_string_);
      } else {
        s.open(soci::postgresql, connect_string_);
      }
      configure(s);
    }
  } catch (const std::exception& e) {
    return core::Error::unavailable("db_unavailable",
                                    "cannot open database " + redacted_url_ + ": " + e.what());
  }
  return core::ok_status();
}

void Database::configure(soci::session& s) {
  if (backend_ == Backend::kSqlite) {
    s << "PRAGMA journal_mode=WAL";
    s << "PRAGMA synchronous=NORMAL";
    s << "PRAGMA foreign_keys=ON";
    s << "PRAGMA busy_timeout=" + std::to_string(settings_.busy_timeout.count());
  } else {
    s << "SET client_min_messages TO WARNING";
    s << "SET TIME ZONE 'UTC'";
  }
}

core::Status Database::with_session(const std::function<core::Status(Tx&)>& fn) {
  size_t pos = 0;
  if (!pool_.try_lease(pos, static_cast<int>(settings_.lease_timeout.count()))) {
    return core::Error::unavailable("db_busy", "no database connection free");
  }
  Lease lease(pool_, pos);
  return use_session(pool_.at(pos), fn);
}

struct OwnConnection::Control {
  explicit Control(soci::session& s)
      : begin_read((s.prepare << "BEGIN")),
        begin_write((s.prepare << "BEGIN IMMEDIATE")),
        commit((s.prepare << "COMMIT")) {}
  soci::statement begin_read;
  soci::statement begin_write;
  soci::statement commit;
};

OwnConnection::OwnConnection() = default;
OwnConnection::~OwnConnection() = default;

std::unique_ptr<OwnConnection> Database::own_connection() const {
  return std::unique_ptr<OwnConnection>(new OwnConnection());
}

core::Status Database::run_on(OwnConnection& own, TxMode mode,
                              const std::function<core::Status(Tx&)>& fn) {
  if (!own.opened_) {
    try {
      if (backend_ == Backend::kSqlite) {
        own.session_.open(soci::sqlite3, connect_string_);
      } else {
        own.session_.open(soci::postgresql, connect_string_);
      }
      configure(own.session_);
      own.opened_ = true;
    } catch (const std::exception& e) {
      spdlog::warn("database: opening a connection failed: {}", e.what());
      return core::Error::unavailable("db_unavailable", "database unreachable");
    }
  }
  return run_erased(mode, fn, &own);
}

core::Status Database::use_session(soci::session& s, const std::function<core::Status(Tx&)>& fn) {
  try {
    if (backend_ == Backend::kPostgres && !s.is_connected()) {
      try {
        s.reconnect();
        configure(s);
      } catch (const std::exception& e) {
        // SOCI reports a refused reconnect without a connection category or SQLSTATE: it is
        // the database being away (503), not a bug (500).
        spdlog::warn("database: reconnecting failed: {}", e.what());
        return core::Error::unavailable("db_unavailable", "database unreachable");
      }
    }
    Tx tx(s, backend_);
    return fn(tx);
  } catch (const soci::soci_error& e) {
    const auto kind = classify(e);
    if (kind == DbFailure::kConnection) {
      return core::Error::unavailable("db_unavailable", "database unreachable");
    }
    if (kind == DbFailure::kRetryable) {
      return core::Error::unavailable("db_busy", "database busy");
    }
    spdlog::error("database error: {}", e.what());
    return core::Error::internal("database error");
  } catch (const std::exception& e) {
    spdlog::error("database error: {}", e.what());
    return core::Error::internal("database error");
  }
}

core::Status Database::run_erased(TxMode mode, const std::function<core::Status(Tx&)>& fn,
                                  OwnConnection* own) {
  // Seeded once per thread: a std::random_device per transaction was 7 % of the engine's CPU
  // at saturation (bench/README.md); the jitter only spreads retries.
  thread_local std::minstd_rand jitter(std::random_device{}());
  core::Status last = core::Error::unavailable("db_busy", "database busy");
  for (int attempt = 1; attempt <= settings_.max_attempts; ++attempt) {
    bool retry = false;
    auto body = [&](Tx& tx) -> core::Status {
      soci::session& s = tx.sql();
      OwnConnection::Control* control = nullptr;
      if (own != nullptr && backend_ == Backend::kSqlite) {
        if (!own->control_) {
          own->control_ = std::make_unique<OwnConnection::Control>(s);
        }
        control = own->control_.get();
      }
      try {
        if (control != nullptr) {
          (mode == TxMode::kWrite ? control->begin_write : control->begin_read).execute(true);
        } else {
          s << (backend_ == Backend::kSqlite && mode == TxMode::kWrite ? "BEGIN IMMEDIATE"
                                                                       : "BEGIN");
        }
        core::Status result = fn(tx);
        if (!result.ok()) {
          rollback_quietly(s);
          return result;
        }
        if (control != nullptr) {
          control->commit.execute(true);
        } else {
          s << "COMMIT";
        }
        return result;
      } catch (const soci::soci_error& e) {
        if (own != nullptr) {
          own->control_.reset();
        }
        rollback_quietly(s);
        switch (classify(e)) {
          case DbFailure::kRetryable:
            retry = true;
            return core::Error::unavailable("db_busy", "database busy, try again");
          case DbFailure::kUniqueViolation:
            return core::Error::conflict("conflict", "that already exists");
          default:
            throw;
        }
      } catch (...) {
        if (own != nullptr) {
          own->control_.reset();
        }
        rollback_quietly(s);
        throw;
      }
    };
    core::Status st = own != nullptr ? use_session(own->session_, body) : with_session(body);
    if (mode == TxMode::kWrite) {
      // What GET /api/health reports: a SQLite file that takes reads but no writes answers
      // SELECT 1 as if nothing were wrong.
      if (st.ok()) {
        writes_failing_ = false;
      } else if (st.error().code == "db_unavailable") {
        writes_failing_ = true;
      }
    }
    if (!retry) {
      return st;
    }
    last = st;
    const int base_ms = std::min(200, 5 << std::min(attempt, 5));
    std::this_thread::sleep_for(
        std::chrono::milliseconds(base_ms / 2 + static_cast<int>(jitter() % (base_ms + 1))));
  }
  return last;
}

core::Status Database::ping() {
  auto st = with_session([](Tx& tx) -> core::Status {
    int one = 0;
    tx.sql() << "SELECT 1", soci::into(one);
    if (one != 1) {
      return core::Error::unavailable("db_unavailable", "unexpected answer to SELECT 1");
    }
    return core::ok_status();
  });
  if (!st.ok() || !writes_failing_) {
    return st;
  }
  // A write failed for want of the database: check that writes work again before saying so.
  // Rewriting user_version with its own value commits a page without changing anything.
  auto probe = run_erased(TxMode::kWrite, [](Tx& tx) -> core::Status {
    if (tx.is_postgres()) {
      tx.sql() << "CREATE TEMP TABLE IF NOT EXISTS hqadz_health_probe (x INT)";
      tx.sql() << "DROP TABLE hqadz_health_probe";
      return core::ok_status();
    }
    int version = 0;
    tx.sql() << "PRAGMA user_version", soci::into(version);
    tx.sql() << "PRAGMA user_version = " + std::to_string(version);
    return core::ok_status();
  });
  if (!probe.ok()) {
    return core::Error::unavailable("db_unavailable", "the database cannot be written");
  }
  return probe;
}

}  // namespace hqadz::storage
