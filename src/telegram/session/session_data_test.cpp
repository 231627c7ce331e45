// Importers of Telethon sessions: round trips, and one test per way an untrusted input can be
// wrong (each must name its fault).
#include "telegram/session/session_data.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <functional>

#include "crypto/encoding.hpp"
#include "crypto/random.hpp"

namespace hqadz::telegram {
namespace {

SessionData sample(std::string address = "149.154.167.51", int dc = 2, uint16_t port = 443) {
  SessionData s;
  s.dc_id = dc;
  s.server_address = std::move(address);
  s.port = port;
  s.auth_key = crypto::random_bytes(kAuthKeyBytes);
  return s;
}

/// An SQLite image made by running `sql` on an empty in-memory database.
std::string sqlite_image(const std::string& sql,
                         const std::function<void(sqlite3*)>& more = nullptr) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(":memory:", &db), SQLITE_OK);
  char* err = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK)
      << (err != nullptr ? err : "");
  sqlite3_free(err);
  if (more) {
    more(db);
  }
  sqlite3_int64 size = 0;
  unsigned char* bytes = sqlite3_serialize(db, "main", &size, 0);
  std::string out(reinterpret_cast<char*>(bytes), static_cast<size_t>(size));
  sqlite3_free(bytes);
  sqlite3_close(db);
  return out;
}

const char* kTelethonTables =
    "create table version (version integer primary key);"
    "create table entities (id integer primary key, hash integer not null, username text, "
    "phone integer, name text, date integer);";
const char* kSessionsTable =
    "create table sessions (dc_id integer primary key, server_address text, port integer, "
    "auth_key blob, takeout_id integer);";

/// A Telethon-shaped file with version `version` and the given sessions rows.
std::string telethon_like(int version, const std::vector<SessionData>& rows,
                          const char* sessions_ddl = kSessionsTable) {
  return sqlite_image(std::string(kTelethonTables) + sessions_ddl + "insert into version values (" +
                          std::to_string(version) + ");",
                      [&](sqlite3* db) {
                        for (const auto& r : rows) {
                          sqlite3_stmt* st = nullptr;
                          ASSERT_EQ(sqlite3_prepare_v2(db,
                                                       "insert into sessions (dc_id, "
                                                       "server_address, port, auth_key) values "
                                                       "(?, ?, ?, ?)",
                                                       -1, &st, nullptr),
                                    SQLITE_OK);
                          sqlite3_bind_int(st, 1, r.dc_id);
                          sqlite3_bind_text(st, 2, r.server_address.c_str(), -1, SQLITE_TRANSIENT);
                          sqlite3_bind_int(st, 3, r.port);
                          sqlite3_bind_blob(st, 4, r.auth_key.data(),
                                            static_cast<int>(r.auth_key.size()), SQLITE_TRANSIENT);
                          ASSERT_EQ(sqlite3_step(st), SQLITE_DONE);
                          sqlite3_finalize(st);
                        }
                      });
}

std::string code_of(const core::Result<SessionData>& r) { return r.ok() ? "ok" : r.error().code; }

// --- StringSession ---------------------------------------------------------------------------

TEST(StringSession, RoundTripsIpv4) {
  const auto s = sample();
  const std::string text = to_string_session(s);
  EXPECT_EQ(text.size(), 353u);
  auto back = parse_string_session(text);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->dc_id, 2);
  EXPECT_EQ(back->server_address, "149.154.167.51");
  EXPECT_EQ(back->port, 443);
  EXPECT_EQ(back->auth_key, s.auth_key);
}

TEST(StringSession, RoundTripsIpv6) {
  const auto s = sample("2001:67c:4e8:f002::a", 4, 8443);
  const std::string text = to_string_session(s);
  EXPECT_EQ(text.size(), 369u);
  auto back = parse_string_session("  " + text + "\n");
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->server_address, "2001:67c:4e8:f002::a");
  EXPECT_EQ(back->port, 8443);
  EXPECT_EQ(back->auth_key, s.auth_key);
}

TEST(StringSession, KnownLayoutDecodes) {
  // struct.pack('>B4sH256s', 2, 127.0.0.1, 443, key) built by hand.
  std::string raw = {2, 127, 0, 0, 1, 0x01, static_cast<char>(0xbb)};
  std::string key(256, '\x5a');
  raw += key;
  auto r = parse_string_session("1" + crypto::to_base64url(raw, true));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->dc_id, 2);
  EXPECT_EQ(r->server_address, "127.0.0.1");
  EXPECT_EQ(r->port, 443);
  EXPECT_EQ(r->auth_key, key);
}

TEST(StringSession, EachFaultHasItsOwnCode) {
  const std::string good = to_string_session(sample());
  EXPECT_EQ(code_of(parse_string_session("")), "bad_string_session_empty");
  EXPECT_EQ(code_of(parse_string_session("2" + good.substr(1))), "bad_string_session_version");
  EXPECT_EQ(code_of(parse_string_session(good.substr(0, 200))), "bad_string_session_length");
  std::string bad_chars = good;
  bad_chars[10] = '*';
  EXPECT_EQ(code_of(parse_string_session(bad_chars)), "bad_string_session_base64");
  std::string std_alphabet = good;
  std_alphabet[20] = '+';
  EXPECT_EQ(code_of(parse_string_session(std_alphabet)), "bad_string_session_base64");

  auto with = [](std::function<void(SessionData&)> change) {
    auto s = sample();
    change(s);
    std::string raw(1, static_cast<char>(s.dc_id));
    raw += std::string{127, 0, 0, 1};
    raw.push_back(static_cast<char>(s.port >> 8));
    raw.push_back(static_cast<char>(s.port & 0xff));
    raw += s.auth_key;
    return "1" + crypto::to_base64url(raw, true);
  };
  EXPECT_EQ(code_of(parse_string_session(with([](auto& s) { s.dc_id = 0; }))),
            "bad_string_session_dc_id");
  EXPECT_EQ(code_of(parse_string_session(with([](auto& s) { s.port = 0; }))),
            "bad_string_session_port");
  EXPECT_EQ(code_of(parse_string_session(with([](auto& s) { s.auth_key.assign(256, '\0'); }))),
            "bad_string_session_no_key");
}

TEST(AuthKeyId, IsLow64BitsOfSha1LittleEndian) {
  // SHA1("") = da39a3ee5e6b4b0d3255bfef95601890afd80709; bytes 12..20 = 95 60 18 90 af d8 07 09.
  EXPECT_EQ(static_cast<uint64_t>(auth_key_id("")), 0x0907d8af90186095ull);
  EXPECT_EQ(auth_key_id_hex(""), "0907d8af90186095");
}

// --- .session files --------------------------------------------------------------------------

TEST(SessionFile, MadeFileParsesBack) {
  const auto s = sample("2001:db8::1", 5, 80);
  auto bytes = make_session_file(s);
  ASSERT_TRUE(bytes.ok()) << bytes.error().message;
  EXPECT_EQ(bytes->compare(0, 16, std::string("SQLite format 3\0", 16)), 0);
  auto back = parse_session_file(*bytes);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->dc_id, 5);
  EXPECT_EQ(back->server_address, "2001:db8::1");
  EXPECT_EQ(back->port, 80);
  EXPECT_EQ(back->auth_key, s.auth_key);
}

TEST(SessionFile, MakeRefusesBadValues) {
  auto s = sample();
  s.auth_key.resize(10);
  EXPECT_FALSE(make_session_file(s).ok());
}

TEST(SessionFile, AcceptsAWalModeHeader) {
  auto bytes = *make_session_file(sample());
  bytes[18] = 2;
  bytes[19] = 2;
  EXPECT_EQ(code_of(parse_session_file(bytes)), "ok");
}

TEST(SessionFile, OversizedIsTooLarge) {
  std::string big = *make_session_file(sample());
  big.resize(kMaxSessionFileBytes + 1, '\0');
  auto r = parse_session_file(big);
  EXPECT_EQ(code_of(r), "bad_session_file_too_large");
  EXPECT_EQ(r.error().errc, core::Errc::kInvalidArgument);
}

TEST(SessionFile, NonSqliteIsNotSqlite) {
  EXPECT_EQ(code_of(parse_session_file("")), "bad_session_file_not_sqlite");
  EXPECT_EQ(code_of(parse_session_file("hello world")), "bad_session_file_not_sqlite");
  EXPECT_EQ(code_of(parse_session_file(std::string(4096, 'A'))), "bad_session_file_not_sqlite");
  EXPECT_EQ(code_of(parse_session_file(to_string_session(sample()))),
            "bad_session_file_not_sqlite");
}

TEST(SessionFile, TruncatedIsTruncated) {
  const std::string good = *make_session_file(sample());
  EXPECT_EQ(code_of(parse_session_file(good.substr(0, good.size() - 100))),
            "bad_session_file_truncated");
  EXPECT_EQ(code_of(parse_session_file(good.substr(0, 4096))), "bad_session_file_truncated");
  EXPECT_EQ(code_of(parse_session_file(good.substr(0, 150))), "bad_session_file_truncated");
}

TEST(SessionFile, CorruptIsCorrupt) {
  const std::string good = *make_session_file(sample());
  ASSERT_GE(good.size(), 3 * 4096u);
  // Garbage over every page but the first: the b-trees the schema points at are gone.
  std::string pages = good;
  for (size_t i = 4096; i < pages.size(); ++i) {
    pages[i] = static_cast<char>(0xA5 ^ (i * 31));
  }
  EXPECT_EQ(code_of(parse_session_file(pages)), "bad_session_file_corrupt");
  // Garbage in the schema page after the header.
  std::string schema = good;
  for (size_t i = 100; i < 4096; ++i) {
    schema[i] = static_cast<char>(i * 7);
  }
  EXPECT_EQ(code_of(parse_session_file(schema)), "bad_session_file_corrupt");
  // A damaged page size.
  std::string header = good;
  header[16] = 3;
  EXPECT_EQ(code_of(parse_session_file(header)), "bad_session_file_corrupt");
}

TEST(SessionFile, WrongVersion) {
  auto r = parse_session_file(telethon_like(6, {sample()}));
  EXPECT_EQ(code_of(r), "bad_session_file_wrong_version");
  EXPECT_NE(r.error().message.find("version 6"), std::string::npos);
  EXPECT_EQ(code_of(parse_session_file(
                sqlite_image(std::string(kTelethonTables) + kSessionsTable +
                             "insert into version values (7); insert into version values (8);"))),
            "bad_session_file_wrong_version");
  EXPECT_EQ(
      code_of(parse_session_file(sqlite_image(std::string(kTelethonTables) + kSessionsTable))),
      "bad_session_file_wrong_version");
}

TEST(SessionFile, NoVersionTable) {
  EXPECT_EQ(code_of(parse_session_file(sqlite_image("create table t (x integer);"))),
            "bad_session_file_no_version");
}

TEST(SessionFile, TwoRowsAndNoRows) {
  auto a = sample();
  auto b = sample();
  b.dc_id = 4;
  auto two = parse_session_file(telethon_like(7, {a, b}));
  EXPECT_EQ(code_of(two), "bad_session_file_row_count");
  EXPECT_NE(two.error().message.find("more than one"), std::string::npos);
  EXPECT_EQ(code_of(parse_session_file(telethon_like(7, {}))), "bad_session_file_row_count");
}

TEST(SessionFile, ShortKey) {
  auto s = sample();
  s.auth_key.resize(255);
  auto r = parse_session_file(telethon_like(7, {s}));
  EXPECT_EQ(code_of(r), "bad_session_file_key_length");
  EXPECT_NE(r.error().message.find("255 bytes"), std::string::npos);
  s.auth_key.clear();
  EXPECT_EQ(code_of(parse_session_file(telethon_like(7, {s}))), "bad_session_file_key_length");
}

TEST(SessionFile, ValueRanges) {
  auto s = sample();
  s.dc_id = 1001;
  EXPECT_EQ(code_of(parse_session_file(telethon_like(7, {s}))), "bad_session_file_dc_id");
  s = sample();
  s.server_address = "example.com";
  EXPECT_EQ(code_of(parse_session_file(telethon_like(7, {s}))), "bad_session_file_address");
  // A port beyond 16 bits, written directly.
  auto big_port = sqlite_image(std::string(kTelethonTables) + kSessionsTable +
                               "insert into version values (7);"
                               "insert into sessions values (2, '1.2.3.4', 70000, "
                               "randomblob(256), null);");
  EXPECT_EQ(code_of(parse_session_file(big_port)), "bad_session_file_port");
  auto text_key = sqlite_image(std::string(kTelethonTables) + kSessionsTable +
                               "insert into version values (7);"
                               "insert into sessions values (2, '1.2.3.4', 443, 'abc', null);");
  EXPECT_EQ(code_of(parse_session_file(text_key)), "bad_session_file_key_length");
}

TEST(SessionFile, SessionsMustBeARealTable) {
  auto view = sqlite_image(std::string(kTelethonTables) +
                           "create table real_sessions (dc_id integer primary key, "
                           "server_address text, port integer, auth_key blob, takeout_id integer);"
                           "insert into version values (7);"
                           "insert into real_sessions values (2, '1.2.3.4', 443, "
                           "randomblob(256), null);"
                           "create view sessions as select * from real_sessions;");
  auto r = parse_session_file(view);
  EXPECT_EQ(code_of(r), "bad_session_file_sessions_not_table");
  EXPECT_NE(r.error().message.find("view"), std::string::npos);
  EXPECT_EQ(code_of(parse_session_file(
                sqlite_image(std::string(kTelethonTables) + "insert into version values (7);"))),
            "bad_session_file_no_sessions_table");
  // Telethon's columns missing.
  EXPECT_EQ(code_of(parse_session_file(sqlite_image(
                std::string(kTelethonTables) +
                "create table sessions (x integer); insert into version values (7);"))),
            "bad_session_file_schema");
}

TEST(SessionFile, TriggersInTheFileAreInert) {
  // The image is read-only and triggers are off: a file carrying one is judged on its data.
  auto with_trigger = sqlite_image(std::string(kTelethonTables) + kSessionsTable +
                                   "insert into version values (7);"
                                   "create table log (x); create trigger t after insert on log "
                                   "begin delete from sessions; end;");
  EXPECT_EQ(code_of(parse_session_file(with_trigger)), "bad_session_file_row_count");
}

}  // namespace
}  // namespace hqadz::telegram
