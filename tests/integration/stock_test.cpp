// Issue 4 acceptance 1–3 over real HTTP: Telethon-made sessions import and decrypt back to the
// same values; every bad file is a 400 naming its fault and touches no disk; the raw key is
// nowhere in the database files, the logs or the responses.
#include <unistd.h>

#include <set>

#include "crypto/aead.hpp"
#include "stock_support.hpp"
#include "storage/row.hpp"

namespace hqadz::testing {
namespace {

namespace fs = std::filesystem;
using storage::Backend;

class StockImportIT : public StockServerTest {
 protected:
  /// The stored secrets of stock row `id`, decrypted with the test's master key.
  std::pair<std::string, std::string> decrypted(int64_t id) {
    auto row = db().read([&](storage::Tx& tx) -> core::Result<std::vector<std::string>> {
      std::string kid, key, hash;
      const long long lid = id;
      tx.sql() << "SELECT auth_key_id, auth_key_enc, api_hash_enc FROM tg_sessions WHERE id = :id",
          soci::use(lid), soci::into(kid), soci::into(key), soci::into(hash);
      return std::vector<std::string>{kid, key, hash};
    });
    EXPECT_TRUE(row.ok());
    auto mk = *crypto::MasterKey::from_bytes(master_key_);
    auto key = mk.open_base64((*row)[1], "tg_sessions:auth_key:" + (*row)[0]);
    auto hash = mk.open_base64((*row)[2], "tg_sessions:api_hash:" + (*row)[0]);
    EXPECT_TRUE(key.ok() && hash.ok());
    return {key.ok() ? *key : "", hash.ok() ? *hash : ""};
  }
};

// Acceptance 1.
TEST_P(StockImportIT, TelethonSessionsImportAndDecryptToTheSameValues) {
  TempDir dir;
  auto made = make_telethon_sessions(dir.path());
  ASSERT_EQ(made.sessions.size(), 4u);
  int n = 0;
  for (const auto& s : made.sessions) {
    const std::string phone = "+4477009001" + std::to_string(10 + n++);
    auto r = s.kind == "file" ? upload_file(s.value, phone) : upload_string(s.value, phone);
    ASSERT_EQ(r.status, 201) << s.kind << ": " << r.body;
    const auto j = r.json();
    EXPECT_EQ(j["status"], "UNUSED");
    EXPECT_EQ(j["dc_id"], s.dc);
    EXPECT_EQ(j["server_address"], s.address);
    EXPECT_EQ(j["port"], s.port);
    EXPECT_EQ(j["phone_number"], phone);
    EXPECT_EQ(j["api_id"], 12345);
    const auto [key, api_hash] = decrypted(j["id"].get<int64_t>());
    EXPECT_EQ(key, s.key) << s.kind << " " << s.address;
    EXPECT_EQ(api_hash, "0123456789abcdef0123456789abcdef");
  }
  // The same account again, in the other format: 409.
  const auto& file = made.sessions[2];
  auto again = upload_file(file.value, "+447700900999");
  EXPECT_EQ(again.status, 409) << again.body;
  EXPECT_EQ(again.error_code(), "duplicate_session");
  auto list = admin().get("/api/admin/stock");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.json()["stock"].size(), 4u);
}

// Acceptance 2.
TEST_P(StockImportIT, EachBadFileIsA400SayingWhich) {
  TempDir dir;
  auto made = make_telethon_sessions(dir.path());
  ASSERT_FALSE(made.sessions.empty());
  const std::string good = made.sessions[2].value;
  ASSERT_GT(good.size(), 4096u);

  std::map<std::string, std::string> cases = {
      {"bad_session_file_wrong_version", made.bad_files["wrong_version"]},
      {"bad_session_file_row_count", made.bad_files["two_rows"]},
      {"bad_session_file_key_length", made.bad_files["short_key"]},
      {"bad_session_file_sessions_not_table", made.bad_files["view"]},
      {"bad_session_file_not_sqlite", "this is not a database at all"},
      {"bad_session_file_truncated", good.substr(0, good.size() - 1000)},
      {"bad_session_file_too_large", std::string(1024 * 1024 + 1, 'x')},
  };
  std::string corrupt = good;
  for (size_t i = 100; i < corrupt.size(); ++i) {
    corrupt[i] = static_cast<char>(i * 13 + 7);
  }
  cases["bad_session_file_corrupt"] = corrupt;
  for (const auto& [code, bytes] : cases) {
    auto r = upload_file(bytes, "+447700900123");
    EXPECT_EQ(r.status, 400) << code << ": " << r.body;
    EXPECT_EQ(r.error_code(), code) << r.body;
    EXPECT_FALSE(r.json()["error"]["message"].get<std::string>().empty());
  }
  // Missing pieces of the form are named too.
  auto no_file =
      admin().request("POST", "/api/admin/stock/upload",
                      multipart_body({{"phone_number", "+447700900123"}}), multipart_headers());
  EXPECT_EQ(no_file.status, 400);
  EXPECT_EQ(no_file.error_code(), "missing_file");
  auto bad_api = admin().request("POST", "/api/admin/stock/upload",
                                 multipart_body({{"file", good, "a.session"},
                                                 {"phone_number", "+447700900123"},
                                                 {"api_id", "12x"},
                                                 {"api_hash", std::string(32, 'a')}}),
                                 multipart_headers());
  EXPECT_EQ(bad_api.error_code(), "invalid_api_id");
  auto broken =
      admin().request("POST", "/api/admin/stock/upload", "--nope\r\n", multipart_headers());
  EXPECT_EQ(broken.status, 400);
  EXPECT_EQ(broken.error_code(), "bad_multipart");
  auto text =
      admin().request("POST", "/api/admin/stock/upload", "x", {{"Content-Type", "text/plain"}});
  EXPECT_EQ(text.error_code(), "unsupported_media_type");
  auto bad_string = upload_string("1AAAA", "+447700900123");
  EXPECT_EQ(bad_string.error_code(), "bad_string_session_length");

  // Over the route's body limit: 413 before the body is read.
  const int fd = connect_loopback(server_->port());
  ASSERT_GE(fd, 0);
  send_all(fd, "POST /api/admin/stock/upload HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                   admin_.token + "\r\nContent-Type: multipart/form-data; boundary=" + kBoundary +
                   "\r\nContent-Length: 3000000\r\n\r\n");
  EXPECT_EQ(status_of(read_response(fd, std::chrono::seconds(5))), 413);
  close(fd);

  auto overview = admin().get("/api/admin/stock/overview");
  EXPECT_EQ(overview.json()["counts"]["UNUSED"], 0);
}

/// Every file below `root`, with its size (what "nothing changed on disk" compares).
std::map<std::string, uintmax_t> snapshot(const fs::path& root) {
  std::map<std::string, uintmax_t> out;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    const std::string name = e.path().filename().string();
    if (e.is_regular_file() && name.rfind("hqadz.db", 0) != 0 && name != "stderr.log") {
      out[e.path().string()] = e.file_size();
    }
  }
  return out;
}

TEST_P(StockImportIT, TraversalFileNamesChangeNothingOnDisk) {
  TempDir dir;
  auto made = make_telethon_sessions(dir.path());
  ASSERT_FALSE(made.sessions.empty());
  const fs::path root = fs::path(server_->data_dir()).parent_path();
  const auto before = snapshot(root);
  const std::string target = "pwned-" + crypto::random_hex(4) + ".session";
  const std::vector<std::string> names = {
      "../" + target,       "../../" + target,   "../../../../../../../../tmp/" + target,
      "/tmp/" + target,     "..\\..\\" + target, "hqadz.db",
      "../data/master_key", "master_key"};
  int i = 0;
  for (const auto& name : names) {
    auto bad = upload_file("not sqlite", "+447700900123", name);
    EXPECT_EQ(bad.status, 400) << name;
    EXPECT_EQ(bad.error_code(), "bad_session_file_not_sqlite");
    if (i == 0) {
      auto ok = upload_file(made.sessions[2].value, "+447700900123", name);
      EXPECT_EQ(ok.status, 201) << ok.body;
    }
    ++i;
  }
  EXPECT_EQ(snapshot(root), before);
  EXPECT_FALSE(fs::exists("/tmp/" + target));
  EXPECT_FALSE(fs::exists(root / target));
  EXPECT_FALSE(fs::exists(root.parent_path() / target));
  if (GetParam() == Backend::kSqlite) {
    // The data dir's master key (absent: HQADZ_MASTER_KEY is set) and database stay put.
    EXPECT_FALSE(fs::exists(server_->data_dir() + "/master_key"));
    EXPECT_TRUE(fs::exists(sqlite_path()));
  }
}

// Acceptance 3.
TEST_P(StockImportIT, TheRawKeyIsNowhereInTheDatabaseLogsOrResponses) {
  TempDir dir;
  auto made = make_telethon_sessions(dir.path());
  ASSERT_EQ(made.sessions.size(), 4u);
  std::string responses;
  int n = 0;
  for (const auto& s : made.sessions) {
    const std::string phone = "+4477009002" + std::to_string(10 + n++);
    auto r = s.kind == "file" ? upload_file(s.value, phone) : upload_string(s.value, phone);
    ASSERT_EQ(r.status, 201) << r.body;
    responses += r.body;
  }
  for (const char* path : {"/api/admin/stock", "/api/admin/stock/overview", "/api/admin/stock/1",
                           "/api/admin/audit?target_type=tg_session"}) {
    auto r = admin().get(path);
    EXPECT_EQ(r.status, 200) << path;
    responses += r.body;
  }
  std::string stored;
  if (GetParam() == Backend::kSqlite) {
    // The main file and the write-ahead log, as they are on disk while the server runs.
    stored = read_file(sqlite_path()) + read_file(sqlite_path() + "-wal");
    ASSERT_GT(stored.size(), 4096u);
  } else {
    auto dump = db().read([](storage::Tx& tx) -> core::Result<std::string> {
      std::string all;
      for (const char* table : {"tg_sessions", "audit_log"}) {
        soci::rowset<soci::row> rows = tx.sql().prepare << std::string("SELECT * FROM ") + table;
        for (const auto& r : rows) {
          for (size_t i = 0; i < r.size(); ++i) {
            all += storage::str(r, r.get_properties(i).get_name()) + "|";
          }
        }
      }
      return all;
    });
    ASSERT_TRUE(dump.ok());
    stored = *dump;
    ASSERT_FALSE(stored.empty());
  }
  const std::string logs = server_->logs();
  for (const auto& s : made.sessions) {
    for (const std::string& form : {s.key, crypto::to_hex(s.key), crypto::to_base64(s.key),
                                    crypto::to_base64url(s.key, true)}) {
      EXPECT_EQ(stored.find(form), std::string::npos) << "key in the database";
      EXPECT_EQ(logs.find(form), std::string::npos) << "key in the logs";
      EXPECT_EQ(responses.find(form), std::string::npos) << "key in a response";
    }
    // Nor any 32-byte window of it (a partial leak).
    for (size_t off = 0; off + 32 <= s.key.size(); off += 32) {
      EXPECT_EQ(stored.find(s.key.substr(off, 32)), std::string::npos);
    }
    if (s.kind == "string") {
      EXPECT_EQ(stored.find(s.value.substr(1, 100)), std::string::npos);
      EXPECT_EQ(logs.find(s.value.substr(1, 100)), std::string::npos);
    }
  }
  EXPECT_EQ(responses.find("0123456789abcdef0123456789abcdef"), std::string::npos);
  EXPECT_EQ(stored.find("0123456789abcdef0123456789abcdef"), std::string::npos);
  EXPECT_EQ(responses.find("auth_key_enc"), std::string::npos);
  EXPECT_EQ(responses.find("api_hash"), std::string::npos);
}

HQADZ_INSTANTIATE_FOR_BOTH_DATABASES(StockImportIT);

}  // namespace
}  // namespace hqadz::testing
