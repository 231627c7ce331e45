// Telethon's SQLite .session file (telethon/sessions/sqlite.py, CURRENT_VERSION = 7). An uploaded
// file is untrusted SQLite: it is opened from memory only (sqlite3_deserialize, read-only), with
// trusted_schema off, defensive mode, no triggers or views, and checked page by page before any
// value is believed. Nothing here touches the file system.
#include <sqlite3.h>

#include <cstring>
#include <memory>
#include <optional>

#include "telegram/session/session_checks.hpp"
#include "telegram/session/session_data.hpp"

namespace hqadz::telegram {
namespace {

constexpr int kTelethonVersion = 7;
constexpr char kMagic[] = "SQLite format 3";  // and a NUL: 16 bytes
constexpr size_t kHeaderBytes = 100;

core::Error bad(const std::string& what, const std::string& message) {
  return core::Error::invalid("bad_session_file_" + what, "session file: " + message);
}

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using DbPtr = std::unique_ptr<sqlite3, DbCloser>;

struct StmtFinalizer {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using StmtPtr = std::unique_ptr<sqlite3_stmt, StmtFinalizer>;

uint32_t be32(const unsigned char* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

/// Header sanity before SQLite sees the bytes, so that "not SQLite" and "cut short" get their
/// own messages instead of a generic "malformed".
core::Status check_header(std::string_view bytes) {
  if (bytes.size() < kHeaderBytes || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0) {
    return bad("not_sqlite", "not an SQLite database (a Telethon .session file is one)");
  }
  const auto* h = reinterpret_cast<const unsigned char*>(bytes.data());
  uint32_t page_size = (uint32_t{h[16]} << 8) | h[17];
  if (page_size == 1) {
    page_size = 65536;
  }
  if (page_size < 512 || (page_size & (page_size - 1)) != 0) {
    return bad("corrupt", "the SQLite header is damaged (page size)");
  }
  if (bytes.size() % page_size != 0) {
    return bad("truncated", "the file ends inside a page (truncated or padded)");
  }
  // The header's page count is valid when its change counter matches (SQLite >= 3.7.0).
  const uint32_t pages = be32(h + 28);
  if (pages != 0 && be32(h + 24) == be32(h + 92) && pages > bytes.size() / page_size) {
    return bad("truncated", "the file is shorter than its header says (truncated)");
  }
  return core::ok_status();
}

/// A statement's first column, as long as exactly the asked type is found.
std::optional<std::string> first_text(sqlite3* db, const char* sql) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &raw, nullptr) != SQLITE_OK) {
    return std::nullopt;
  }
  StmtPtr stmt(raw);
  if (sqlite3_step(stmt.get()) != SQLITE_ROW) {
    return std::nullopt;
  }
  const auto* t = sqlite3_column_text(stmt.get(), 0);
  return t == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(t));
}

bool starts_with_create_table(std::string sql) {
  for (auto& c : sql) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  const auto b = sql.find_first_not_of(" \t\r\n");
  return b != std::string::npos && sql.compare(b, 12, "create table") == 0;
}

core::Result<DbPtr> open_in_memory(std::string& image, bool read_only) {
  sqlite3* raw = nullptr;
  if (sqlite3_open_v2(":memory:", &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
      SQLITE_OK) {
    sqlite3_close_v2(raw);
    return core::Error::internal("cannot open an in-memory SQLite database");
  }
  DbPtr db(raw);
  // Hardening for a hostile schema: no SQL functions with side effects from the schema, no
  // triggers or views, no writes to the schema, no extension loading.
  sqlite3_db_config(db.get(), SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
  sqlite3_db_config(db.get(), SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
  sqlite3_db_config(db.get(), SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, nullptr);
  sqlite3_db_config(db.get(), SQLITE_DBCONFIG_ENABLE_VIEW, 0, nullptr);
  sqlite3_db_config(db.get(), SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, nullptr);
  sqlite3_limit(db.get(), SQLITE_LIMIT_LENGTH, static_cast<int>(kMaxSessionFileBytes));
  sqlite3_limit(db.get(), SQLITE_LIMIT_SQL_LENGTH, 100000);
  sqlite3_limit(db.get(), SQLITE_LIMIT_ATTACHED, 0);
  sqlite3_exec(db.get(), "PRAGMA trusted_schema=OFF; PRAGMA cell_size_check=ON;", nullptr, nullptr,
               nullptr);
  if (!image.empty()) {
    // The buffer stays ours (no FREEONCLOSE) and outlives the connection; read-only mode
    // never writes into it.
    const int rc = sqlite3_deserialize(
        db.get(), "main", reinterpret_cast<unsigned char*>(image.data()),
        static_cast<sqlite3_int64>(image.size()), static_cast<sqlite3_int64>(image.size()),
        read_only ? SQLITE_DESERIALIZE_READONLY : SQLITE_DESERIALIZE_RESIZEABLE);
    if (rc != SQLITE_OK) {
      return bad("corrupt", "SQLite cannot load the file");
    }
  }
  return db;
}

core::Result<SessionData> read_session(sqlite3* db) {
  // Reading the schema at all is the first corruption check.
  if (sqlite3_exec(db, "SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr) !=
      SQLITE_OK) {
    return bad("corrupt", "the database schema is unreadable (corrupt file)");
  }
  auto check = first_text(db, "PRAGMA quick_check(1)");
  if (!check || *check != "ok") {
    return bad("corrupt", "the SQLite file is corrupt (integrity check failed)");
  }

  auto version_type = first_text(db, "SELECT type FROM sqlite_master WHERE name = 'version'");
  if (!version_type || *version_type != "table") {
    return bad("no_version", "no version table: not a Telethon .session file");
  }
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT version, typeof(version) FROM version LIMIT 2", -1, &raw,
                         nullptr) != SQLITE_OK) {
    return bad("no_version", "the version table cannot be read");
  }
  StmtPtr version(raw);
  int versions = 0;
  int64_t v = 0;
  bool integer = false;
  for (int rc = sqlite3_step(version.get()); rc == SQLITE_ROW; rc = sqlite3_step(version.get())) {
    ++versions;
    v = sqlite3_column_int64(version.get(), 0);
    integer =
        std::string_view(reinterpret_cast<const char*>(sqlite3_column_text(version.get(), 1))) ==
        "integer";
  }
  if (versions != 1) {
    return bad("wrong_version", "the version table must hold exactly one row");
  }
  if (!integer || v != kTelethonVersion) {
    return bad("wrong_version", "version " + (integer ? std::to_string(v) : std::string("?")) +
                                    "; only Telethon session version 7 is supported");
  }

  auto sessions = first_text(db, "SELECT type FROM sqlite_master WHERE name = 'sessions'");
  if (!sessions) {
    return bad("no_sessions_table", "no sessions table");
  }
  auto sessions_sql = first_text(db, "SELECT sql FROM sqlite_master WHERE name = 'sessions'");
  if (*sessions != "table" || !sessions_sql || !starts_with_create_table(*sessions_sql)) {
    return bad("sessions_not_table", "sessions is a " + *sessions + ", not a plain table");
  }
  raw = nullptr;
  if (sqlite3_prepare_v2(db,
                         "SELECT dc_id, typeof(dc_id), server_address, typeof(server_address), "
                         "port, typeof(port), auth_key, typeof(auth_key) FROM sessions LIMIT 2",
                         -1, &raw, nullptr) != SQLITE_OK) {
    return bad("schema",
               "the sessions table lacks Telethon's columns "
               "(dc_id, server_address, port, auth_key)");
  }
  StmtPtr row(raw);
  int rc = sqlite3_step(row.get());
  if (rc == SQLITE_DONE) {
    return bad("row_count", "the sessions table is empty; exactly one row expected");
  }
  if (rc != SQLITE_ROW) {
    return bad("corrupt", "the sessions table cannot be read");
  }
  auto type_of = [&](int col) {
    return std::string_view(reinterpret_cast<const char*>(sqlite3_column_text(row.get(), col)));
  };
  SessionData out;
  if (type_of(1) != "integer") {
    return bad("dc_id", "dc_id is not an integer");
  }
  const int64_t dc = sqlite3_column_int64(row.get(), 0);
  if (type_of(5) != "integer") {
    return bad("port", "port is not an integer");
  }
  const int64_t port = sqlite3_column_int64(row.get(), 4);
  if (type_of(3) != "text") {
    return bad("address", "server_address is not text");
  }
  out.server_address = reinterpret_cast<const char*>(sqlite3_column_text(row.get(), 2));
  if (type_of(7) != "blob" && type_of(7) != "null") {
    return bad("key_length", "auth_key is not a blob");
  }
  const int key_len = sqlite3_column_bytes(row.get(), 6);
  if (key_len > 0) {
    out.auth_key.assign(static_cast<const char*>(sqlite3_column_blob(row.get(), 6)),
                        static_cast<size_t>(key_len));
  }
  if (sqlite3_step(row.get()) == SQLITE_ROW) {
    return bad("row_count", "the sessions table holds more than one row; exactly one expected");
  }
  if (dc < kMinDcId || dc > kMaxDcId) {
    return bad("dc_id", "dc id " + std::to_string(dc) + " is out of range (1..1000)");
  }
  if (port < 1 || port > 65535) {
    return bad("port", "port " + std::to_string(port) + " is out of range (1..65535)");
  }
  out.dc_id = static_cast<int>(dc);
  out.port = static_cast<uint16_t>(port);
  if (auto st = check_session_values(out, "bad_session_file_", "session file: "); !st.ok()) {
    return st.error();
  }
  return out;
}

}  // namespace

core::Result<SessionData> parse_session_file(std::string_view bytes) {
  if (bytes.size() > kMaxSessionFileBytes) {
    return bad("too_large", "the file is " + std::to_string(bytes.size()) + " bytes; at most " +
                                std::to_string(kMaxSessionFileBytes) + " are accepted");
  }
  if (auto st = check_header(bytes); !st.ok()) {
    return st.error();
  }
  std::string image(bytes);
  // A file saved in WAL mode would make SQLite look for a -wal file; only the main file was
  // uploaded, so read it as a rollback-journal database (what Telethon itself writes).
  image[18] = 1;
  image[19] = 1;
  auto db = open_in_memory(image, /*read_only=*/true);
  if (!db.ok()) {
    return db.error();
  }
  auto out = read_session(db->get());
  db->reset();  // closes before `image` goes away
  return out;
}

core::Result<std::string> make_session_file(const SessionData& session) {
  if (auto st = check_session_values(session, "bad_session_", "session: "); !st.ok()) {
    return st.error();
  }
  std::string none;
  auto db = open_in_memory(none, /*read_only=*/false);
  if (!db.ok()) {
    return db.error();
  }
  // Telethon's own statements (SQLiteSession.__init__ and _update_session_table), verbatim.
  static const char* kSchema =
      "create table version (version integer primary key);"
      "create table sessions (dc_id integer primary key, server_address text, port integer, "
      "auth_key blob, takeout_id integer);"
      "create table entities (id integer primary key, hash integer not null, username text, "
      "phone integer, name text, date integer);"
      "create table sent_files (md5_digest blob, file_size integer, type integer, id integer, "
      "hash integer, primary key(md5_digest, file_size, type));"
      "create table update_state (id integer primary key, pts integer, qts integer, "
      "date integer, seq integer);"
      "insert into version values (7);";
  if (sqlite3_exec(db->get(), kSchema, nullptr, nullptr, nullptr) != SQLITE_OK) {
    return core::Error::internal(std::string("cannot build a session file: ") +
                                 sqlite3_errmsg(db->get()));
  }
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db->get(), "insert or replace into sessions values (?, ?, ?, ?, NULL)", -1,
                         &raw, nullptr) != SQLITE_OK) {
    return core::Error::internal("cannot build a session file");
  }
  StmtPtr insert(raw);
  sqlite3_bind_int(insert.get(), 1, session.dc_id);
  sqlite3_bind_text(insert.get(), 2, session.server_address.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int(insert.get(), 3, session.port);
  sqlite3_bind_blob(insert.get(), 4, session.auth_key.data(),
                    static_cast<int>(session.auth_key.size()), SQLITE_TRANSIENT);
  if (sqlite3_step(insert.get()) != SQLITE_DONE) {
    return core::Error::internal("cannot build a session file");
  }
  insert.reset();
  sqlite3_int64 size = 0;
  unsigned char* bytes = sqlite3_serialize(db->get(), "main", &size, 0);
  if (bytes == nullptr) {
    return core::Error::internal("cannot serialize the session file");
  }
  std::string out(reinterpret_cast<const char*>(bytes), static_cast<size_t>(size));
  sqlite3_free(bytes);
  return out;
}

}  // namespace hqadz::telegram
