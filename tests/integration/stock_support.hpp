#pragma once
/// Test support for the stock tests: Telethon-made sessions (Debian's python3-telethon under
/// /usr/bin/python3, never the pyenv `python3`), multipart bodies, and a server with a known
/// master key and a signed-in admin, on SQLite or PostgreSQL.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "auth_helpers.hpp"
#include "crypto/encoding.hpp"
#include "crypto/random.hpp"
#include "process.hpp"
#include "server_fixture.hpp"
#include "storage/database.hpp"
#include "storage/testing/test_database.hpp"

namespace hqadz::testing {

inline constexpr const char* kSystemPython = "/usr/bin/python3";

/// Makes StringSessions (IPv4, IPv6) and .session files with Telethon itself, plus damaged
/// copies of a .session file (made with Python's sqlite3), and prints them as JSON.
inline constexpr const char* kTelethonScript = R"PY(
import json, os, shutil, sqlite3, sys
from telethon.crypto import AuthKey
from telethon.sessions import SQLiteSession, StringSession

out_dir = sys.argv[1]
made = []

def fill(session, dc, address, port):
    key = os.urandom(256)
    session.set_dc(dc, address, port)
    session.auth_key = AuthKey(key)
    return {"dc": dc, "address": address, "port": port, "key": key.hex()}

for dc, address, port in [(2, "149.154.167.51", 443), (4, "2001:67c:4e8:f004::a", 8443)]:
    s = StringSession()
    item = fill(s, dc, address, port)
    item.update(kind="string", value=s.save())
    made.append(item)

for i, (dc, address, port) in enumerate([(2, "127.0.0.1", 10443), (5, "91.108.56.130", 443)]):
    path = os.path.join(out_dir, "account%d.session" % i)
    s = SQLiteSession(path)
    item = fill(s, dc, address, port)
    s.save()
    s.close()
    item.update(kind="file", path=path)
    made.append(item)

# Damaged copies of a Telethon file, one fault each.
def variant(name, sql):
    path = os.path.join(out_dir, name + ".session")
    s = SQLiteSession(path)
    fill(s, 2, "127.0.0.1", 443)
    s.save()
    s.close()
    db = sqlite3.connect(path)
    db.executescript(sql)
    db.commit()
    db.close()
    return path

bad = {
    "wrong_version": variant("wrong_version", "update version set version = 6;"),
    "two_rows": variant("two_rows",
        "insert into sessions values (4, '1.2.3.4', 443, randomblob(256), null);"),
    "short_key": variant("short_key", "update sessions set auth_key = randomblob(100);"),
    "view": variant("view", "create table s2 as select * from sessions; drop table sessions; "
                            "create view sessions as select * from s2;"),
}
print(json.dumps({"sessions": made, "bad": bad}))
)PY";

struct TelethonSession {
  std::string kind;   // "string" | "file"
  std::string value;  // the StringSession, or the file's bytes
  int dc = 0;
  std::string address;
  int port = 0;
  std::string key;  // 256 raw bytes
};

struct TelethonFixtures {
  std::vector<TelethonSession> sessions;
  std::map<std::string, std::string> bad_files;  // fault → file bytes
};

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline TelethonFixtures make_telethon_sessions(const std::string& dir) {
  const std::string script = dir + "/make_sessions.py";
  std::ofstream(script) << kTelethonScript;
  auto [code, out] = run_to_end({kSystemPython, script, dir});
  TelethonFixtures f;
  auto j = nlohmann::json::parse(out, nullptr, false);
  if (code != 0 || !j.is_object()) {
    ADD_FAILURE() << "Telethon script failed (" << code << "): " << out;
    return f;
  }
  for (const auto& s : j["sessions"]) {
    TelethonSession t;
    t.kind = s["kind"];
    t.value = t.kind == "string" ? s["value"].get<std::string>()
                                 : read_file(s["path"].get<std::string>());
    t.dc = s["dc"];
    t.address = s["address"];
    t.port = s["port"];
    t.key = *crypto::from_hex(s["key"].get<std::string>());
    f.sessions.push_back(std::move(t));
  }
  for (const auto& [fault, path] : j["bad"].items()) {
    f.bad_files[fault] = read_file(path.get<std::string>());
  }
  return f;
}

struct FormField {
  std::string name;
  std::string value;
  std::string filename;  // set: a file field
};

inline const std::string kBoundary = "------------------------hqadz7d1c0ffee";

inline std::string multipart_body(const std::vector<FormField>& fields) {
  std::string body;
  for (const auto& f : fields) {
    body += "--" + kBoundary + "\r\nContent-Disposition: form-data; name=\"" + f.name + "\"";
    if (!f.filename.empty()) {
      body += "; filename=\"" + f.filename + "\"\r\nContent-Type: application/octet-stream";
    }
    body += "\r\n\r\n" + f.value + "\r\n";
  }
  return body + "--" + kBoundary + "--\r\n";
}

inline std::vector<std::pair<std::string, std::string>> multipart_headers() {
  return {{"Content-Type", "multipart/form-data; boundary=" + kBoundary}};
}

/// A server on the parameter's database with a known master key and a signed-in admin, and a
/// direct connection to the same database for checks the API does not offer.
class StockServerTest : public ::testing::TestWithParam<storage::Backend> {
 protected:
  void SetUp() override {
    pg_ = storage::testing::TestDatabase::create(GetParam(), false);
    if (!pg_) {
      GTEST_SKIP() << "PostgreSQL not available";
    }
    if (GetParam() == storage::Backend::kPostgres) {
      env_["HQADZ_DATABASE_URL"] = pg_->url();
    }
    master_key_ = crypto::random_bytes(32);
    env_["HQADZ_MASTER_KEY"] = crypto::to_base64(master_key_);
    server_ = std::make_unique<ServerProcess>(ServerOptions{.env = env_});
    ASSERT_NE(server_->port(), 0);
    admin_ = create_user_cli(*server_, "admin@example.com", "ADMIN", env_);
    sign_in(*server_, admin_);
    if (GetParam() == storage::Backend::kSqlite) {
      auto db = storage::Database::open({.url = "sqlite://" + sqlite_path(), .pool_size = 1});
      ASSERT_TRUE(db.ok()) << db.error().message;
      sqlite_ = std::move(*db);
    }
  }
  void TearDown() override {
    if (HasFailure() && server_) {
      std::cerr << "server stderr:\n" << server_->logs();
    }
  }

  storage::Database& db() { return sqlite_ ? *sqlite_ : pg_->db(); }
  std::string sqlite_path() const { return server_->data_dir() + "/hqadz.db"; }
  HttpClient admin() const { return client_for(*server_, admin_); }

  HttpResult upload_file(const std::string& bytes, const std::string& phone,
                         const std::string& filename = "account.session") {
    return admin().request("POST", "/api/admin/stock/upload",
                           multipart_body({{"file", bytes, filename},
                                           {"phone_number", phone},
                                           {"api_id", "12345"},
                                           {"api_hash", "0123456789abcdef0123456789abcdef"}}),
                           multipart_headers());
  }
  HttpResult upload_string(const std::string& text, const std::string& phone) {
    return admin().post("/api/admin/stock/upload",
                        {{"string_session", text},
                         {"phone_number", phone},
                         {"api_id", 12345},
                         {"api_hash", "0123456789abcdef0123456789abcdef"}});
  }

  std::unique_ptr<storage::testing::TestDatabase> pg_;
  std::unique_ptr<storage::Database> sqlite_;
  std::map<std::string, std::string> env_;
  std::string master_key_;
  std::unique_ptr<ServerProcess> server_;
  TestUser admin_;
};

}  // namespace hqadz::testing
