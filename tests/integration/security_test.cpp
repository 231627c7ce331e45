// Issue 20 (the red-team findings of ../shared/reviews/2026-12-security.md), each held over
// real sockets: every test here failed on the code before its fix.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "auth_helpers.hpp"
#include "crypto/encoding.hpp"
#include "server_fixture.hpp"
#include "storage/testing/test_database.hpp"

namespace hqadz::testing {
namespace {

using storage::Backend;

const std::string kJwtSecret = "security-test-jwt-secret-0123456789abcdef";

/// A server on the parameter's database, with an admin signed in.
class SecurityIT : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    db_ = storage::testing::TestDatabase::create(GetParam(), false);
    if (!db_) {
      GTEST_SKIP() << "PostgreSQL not available";
    }
    if (GetParam() == Backend::kPostgres) {
      env_["HQADZ_DATABASE_URL"] = db_->url();
    }
    env_["HQADZ_JWT_SECRET"] = kJwtSecret;
  }
  void start(std::map<std::string, std::string> extra = {},
             std::vector<std::string> args = {"--no-engine"}) {
    auto env = env_;
    env.merge(extra);
    server_ = std::make_unique<ServerProcess>(ServerOptions{.env = env, .extra_args = args});
    ASSERT_NE(server_->port(), 0);
    admin_ = create_user_cli(*server_, "admin@example.com", "ADMIN", env_);
    sign_in(*server_, admin_);
  }
  void TearDown() override {
    if (HasFailure() && server_) {
      std::cerr << "server stderr:\n" << server_->logs();
    }
  }
  HttpClient as(const TestUser& u) { return client_for(*server_, u); }
  HttpClient anonymous() { return server_->client(); }
  TestUser make_user(const std::string& email) {
    auto r = as(admin_).post("/api/admin/users", {{"email", email}});
    EXPECT_EQ(r.status, 201) << r.body;
    TestUser u;
    u.id = r.json()["id"].get<int64_t>();
    u.email = email;
    u.access_code = r.json()["access_code"].get<std::string>();
    return u;
  }
  /// An adbot of `owner`'s own (bought, paid by the admin; QUEUED without stock is enough).
  int64_t adbot_of(const TestUser& owner) {
    if (product_ == 0) {
      auto p = as(admin_).request("POST", "/api/admin/products",
                                  R"({"name":"Gold","sessions_count":1,)"
                                  R"("posting_interval_seconds":600,"price":10})",
                                  {{"Content-Type", "application/json"}});
      EXPECT_EQ(p.status, 201) << p.body;
      product_ = p.json().value("id", int64_t{0});
    }
    auto c =
        as(owner).post("/api/payment/create", {{"product_id", product_}, {"pay_currency", "usdt"}});
    EXPECT_EQ(c.status, 201) << c.body;
    const int64_t order = c.json()["order"]["id"].get<int64_t>();
    auto paid =
        as(admin_).request("POST", "/api/admin/orders/" + std::to_string(order) + "/mark-paid");
    EXPECT_EQ(paid.status, 200) << paid.body;
    auto list = as(owner).get("/api/user/adbots").json()["adbots"];
    for (const auto& a : list) {
      if (a.value("order_id", int64_t{0}) == order || list.size() == 1) {
        return a["id"].get<int64_t>();
      }
    }
    ADD_FAILURE() << "no adbot for order " << order << ": " << list;
    return 0;
  }
  /// An event stream opened on a raw socket bound to `from`; its fd (the head is read).
  int open_stream(const TestUser& who, int64_t adbot, const std::string& from,
                  std::string* head = nullptr) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in src{};
    src.sin_family = AF_INET;
    inet_pton(AF_INET, from.c_str(), &src.sin_addr);
    EXPECT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&src), sizeof src), 0);
    sockaddr_in dst{};
    dst.sin_family = AF_INET;
    dst.sin_port = htons(server_->port());
    dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&dst), sizeof dst), 0);
    send_all(fd, "GET /api/adbots/" + std::to_string(adbot) +
                     "/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + who.token +
                     "\r\n\r\n");
    std::string got;
    char buf[4096];
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (got.find("\r\n\r\n") == std::string::npos &&
           std::chrono::steady_clock::now() < deadline) {
      pollfd p{fd, POLLIN, 0};
      if (poll(&p, 1, 1000) <= 0) {
        continue;
      }
      const ssize_t n = recv(fd, buf, sizeof buf, 0);
      if (n <= 0) {
        break;
      }
      got.append(buf, static_cast<size_t>(n));
    }
    if (status_of(got) != 200) {  // an error: its JSON body too
      const auto body_at = got.find("\r\n\r\n") + 4;
      const auto cl = got.find("Content-Length: ");
      const size_t want = cl == std::string::npos ? 0 : std::stoul(got.substr(cl + 16));
      while (got.size() < body_at + want && std::chrono::steady_clock::now() < deadline) {
        pollfd p{fd, POLLIN, 0};
        if (poll(&p, 1, 1000) <= 0) {
          continue;
        }
        const ssize_t n = recv(fd, buf, sizeof buf, 0);
        if (n <= 0) {
          break;
        }
        got.append(buf, static_cast<size_t>(n));
      }
    }
    if (head != nullptr) {
      *head = got;
    }
    return fd;
  }
  /// Seconds until the server closes `fd` (reading and dropping what it sends), at most `limit`.
  static double seconds_until_closed(int fd, std::chrono::seconds limit) {
    const auto start = std::chrono::steady_clock::now();
    char buf[4096];
    while (std::chrono::steady_clock::now() - start < limit) {
      pollfd p{fd, POLLIN, 0};
      if (poll(&p, 1, 200) <= 0) {
        continue;
      }
      if (recv(fd, buf, sizeof buf, 0) <= 0) {
        break;
      }
    }
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }

  /// A fresh sign-in of `u` (another device): its own token and refresh family.
  TestUser signed_in(TestUser u) {
    sign_in(*server_, u);
    return u;
  }

  std::unique_ptr<storage::testing::TestDatabase> db_;
  std::map<std::string, std::string> env_;
  std::unique_ptr<ServerProcess> server_;
  TestUser admin_;
  int64_t product_ = 0;
};

// Fix 5 (review 2.12): logout, reset-code and suspension end the access token at once.
TEST_P(SecurityIT, AccessTokenEndsAtLogoutResetCodeAndSuspension) {
  start();
  const TestUser user = make_user("victim@example.com");
  const TestUser phone = signed_in(user);
  const TestUser laptop = signed_in(user);
  ASSERT_EQ(as(phone).get("/api/auth/me").status, 200);
  ASSERT_EQ(as(laptop).get("/api/auth/me").status, 200);

  // Logout ends that session's access token, not the other device's.
  auto out = anonymous().post("/api/auth/logout", {{"refresh_token", phone.refresh_token}});
  ASSERT_EQ(out.status, 204) << out.body;
  auto me = as(phone).get("/api/auth/me");
  EXPECT_EQ(me.status, 401) << me.body;
  EXPECT_EQ(me.error_code(), "invalid_token");
  EXPECT_EQ(as(laptop).get("/api/auth/me").status, 200);

  // An admin's reset-code ends every session of the user.
  auto reset =
      as(admin_).request("POST", "/api/admin/users/" + std::to_string(user.id) + "/reset-code");
  ASSERT_EQ(reset.status, 200) << reset.body;
  EXPECT_EQ(as(laptop).get("/api/auth/me").status, 401);
  EXPECT_EQ(as(laptop).get("/api/user/adbots").status, 401);

  // Suspension too (and the refreshed token of a new sign-in does not survive it).
  TestUser again = user;
  again.access_code = reset.json()["access_code"].get<std::string>();
  again = signed_in(again);
  ASSERT_EQ(as(again).get("/api/auth/me").status, 200);
  ASSERT_EQ(
      as(admin_).request("POST", "/api/admin/users/" + std::to_string(user.id) + "/suspend").status,
      200);
  ASSERT_EQ(as(admin_)
                .request("POST", "/api/admin/users/" + std::to_string(user.id) + "/unsuspend")
                .status,
            200);
  EXPECT_EQ(as(again).get("/api/auth/me").status, 401);
}

// Fix 5: HQADZ_ACCESS_TOKEN_TTL_SECONDS sets the access token's life (and its cookie's).
TEST_P(SecurityIT, AccessTokenTtlIsASetting) {
  start({{"HQADZ_ACCESS_TOKEN_TTL_SECONDS", "3"}});
  const TestUser user = signed_in(make_user("short@example.com"));
  auto login = anonymous().post("/api/auth/verify-access-code",
                                {{"email", user.email}, {"access_code", user.access_code}});
  ASSERT_EQ(login.status, 200);
  EXPECT_EQ(login.json()["expires_in"], 3);
  ASSERT_EQ(as(user).get("/api/auth/me").status, 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(4100));  // the TTL, waited out
  auto me = as(user).get("/api/auth/me");
  EXPECT_EQ(me.status, 401);
  EXPECT_EQ(me.error_code(), "token_expired");
}

TEST(SecuritySettings, AccessTokenTtlOutOfRangeRefusesToStart) {
  TempDir dir;
  auto [code, out] = run_to_end({hqadz_binary(), "migrate", "--data-dir", dir.path()},
                                {{"HQADZ_ACCESS_TOKEN_TTL_SECONDS", "0"}});
  EXPECT_NE(code, 0) << out;
}

// Fix 5 in scale-out: two `serve --no-engine` on one PostgreSQL; a logout on one ends the
// token on the other at once.
class SecurityScaleOutIT : public ::testing::TestWithParam<Backend> {};

TEST_P(SecurityScaleOutIT, LogoutOnOneInstanceEndsAccessOnTheOther) {
  auto db = storage::testing::TestDatabase::create(GetParam(), false);
  if (!db) {
    GTEST_SKIP() << "PostgreSQL not available";
  }
  const std::map<std::string, std::string> env = {{"HQADZ_DATABASE_URL", db->url()},
                                                  {"HQADZ_JWT_SECRET", kJwtSecret}};
  ServerProcess a(ServerOptions{.env = env, .extra_args = {"--no-engine"}});
  ServerProcess b(ServerOptions{.env = env, .extra_args = {"--no-engine"}});
  ASSERT_NE(a.port(), 0);
  ASSERT_NE(b.port(), 0);
  TestUser user = create_user_cli(a, "scale@example.com", "USER", env);
  sign_in(a, user);
  ASSERT_EQ(client_for(b, user).get("/api/auth/me").status, 200);  // b trusts a's token
  ASSERT_EQ(a.client().post("/api/auth/logout", {{"refresh_token", user.refresh_token}}).status,
            204);
  auto me = client_for(b, user).get("/api/auth/me");
  EXPECT_EQ(me.status, 401) << me.body;
  EXPECT_EQ(me.error_code(), "invalid_token");
}

const std::string kWrongCode = "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG";

/// A client whose socket is bound to `address` (another client address on loopback).
HttpClient from(HttpClient c, const std::string& address) {
  c.source_address = address;
  return c;
}

nlohmann::json credentials(const std::string& email, const std::string& code) {
  return {{"email", email}, {"access_code", code}};
}

/// The hqadz_device cookie a sign-in set ("name=value"), from its Set-Cookie headers.
std::string device_cookie(const HttpResult& r) {
  const std::string all = r.header("set-cookie");
  const auto at = all.find("hqadz_device=");
  return at == std::string::npos ? std::string{} : all.substr(at, all.find(';', at) - at);
}

size_t count_of(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (auto at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

// Fix 7 (review 3.7): 50 concurrent wrong codes from one address get exactly 5 checks.
TEST_P(SecurityIT, ConcurrentSignInTriesGetExactlyTheLimit) {
  start();
  const TestUser user = make_user("race@example.com");
  std::atomic<int> unauthorized{0};
  std::atomic<int> limited{0};
  std::atomic<int> other{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 50; ++i) {
    threads.emplace_back([&] {
      auto r = from(anonymous(), "127.0.0.11")
                   .post("/api/auth/verify-access-code", credentials(user.email, kWrongCode));
      (r.status == 401 ? unauthorized : r.status == 429 ? limited : other)++;
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_EQ(unauthorized.load(), 5);
  EXPECT_EQ(limited.load(), 45);
  EXPECT_EQ(other.load(), 0);
}

// Fix 3 (review 3.4): failures others cause on an email do not lock its owner out.
TEST_P(SecurityIT, OthersWrongCodesDoNotLockTheRealUserOut) {
  start();
  const TestUser user = make_user("target@example.com");
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(from(anonymous(), "127.0.0.10")
                  .post("/api/auth/verify-access-code", credentials(user.email, kWrongCode))
                  .status,
              401);
  }
  // The attacking address is held back (before any hashing)...
  auto blocked =
      from(anonymous(), "127.0.0.10")
          .post("/api/auth/verify-access-code", credentials(user.email, user.access_code));
  EXPECT_EQ(blocked.status, 429);
  EXPECT_FALSE(blocked.header("retry-after").empty());
  // ...the real user on another address, without any device cookie, is not.
  auto real = from(anonymous(), "127.0.0.13")
                  .post("/api/auth/verify-access-code", credentials(user.email, user.access_code));
  EXPECT_EQ(real.status, 200) << real.body;
}

// Fix 3: a known device is never refused for others' failures, even on its own address.
TEST_P(SecurityIT, AKnownDeviceIsNotRefusedForOthersFailures) {
  start();
  const TestUser user = make_user("device@example.com");
  auto first = from(anonymous(), "127.0.0.12")
                   .post("/api/auth/verify-access-code", credentials(user.email, user.access_code));
  ASSERT_EQ(first.status, 200);
  const std::string cookie = device_cookie(first);
  ASSERT_FALSE(cookie.empty()) << first.header("set-cookie");
  for (int i = 0; i < 5; ++i) {  // someone else behind the same address
    (void)from(anonymous(), "127.0.0.12")
        .post("/api/auth/verify-access-code", credentials("other@example.com", kWrongCode));
  }
  EXPECT_EQ(from(anonymous(), "127.0.0.12")
                .post("/api/auth/verify-access-code", credentials(user.email, user.access_code))
                .status,
            429);
  auto known = from(anonymous(), "127.0.0.12")
                   .request("POST", "/api/auth/verify-access-code",
                            credentials(user.email, user.access_code).dump(),
                            {{"Content-Type", "application/json"}, {"Cookie", cookie}});
  EXPECT_EQ(known.status, 200) << known.body;
}

// Fix 3: an admin's reset-code clears the email's counters (here: its device's own failures).
TEST_P(SecurityIT, ResetCodeClearsTheSignInCounters) {
  start();
  const TestUser user = make_user("forgetful@example.com");
  auto first = from(anonymous(), "127.0.0.14")
                   .post("/api/auth/verify-access-code", credentials(user.email, user.access_code));
  ASSERT_EQ(first.status, 200);
  const std::string cookie = device_cookie(first);
  auto try_code = [&](const std::string& code) {
    return from(anonymous(), "127.0.0.14")
        .request("POST", "/api/auth/verify-access-code", credentials(user.email, code).dump(),
                 {{"Content-Type", "application/json"}, {"Cookie", cookie}});
  };
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(try_code(kWrongCode).status, 401);
  }
  EXPECT_EQ(try_code(user.access_code).status, 429);
  auto reset =
      as(admin_).request("POST", "/api/admin/users/" + std::to_string(user.id) + "/reset-code");
  ASSERT_EQ(reset.status, 200) << reset.body;
  auto fresh = try_code(reset.json()["access_code"].get<std::string>());
  EXPECT_EQ(fresh.status, 200) << fresh.body;
}

// Fix 3: X-Forwarded-For with no trusted proxy is said loudly, once.
TEST_P(SecurityIT, ForwardedForWithoutTrustedProxyWarnsOnce) {
  start();
  for (int i = 0; i < 3; ++i) {
    auto r = anonymous().request("GET", "/api/health", "", {{"X-Forwarded-For", "203.0.113.9"}});
    ASSERT_EQ(r.status, 200);
  }
  EXPECT_EQ(count_of(server_->logs(), "HQADZ_TRUSTED_PROXIES is not set"), 1u) << server_->logs();
}

// Fix 4 (review X.1): a rejected opt-out stays rejected; repeats for one group are limited.
TEST_P(SecurityIT, ARejectedOptOutStaysRejectedAndRepeatsAreLimited) {
  start();
  const nlohmann::json ask = {{"group", "@contested_group"}};
  auto first = from(anonymous(), "127.0.0.21").post("/api/public/opt-out", ask);
  ASSERT_EQ(first.status, 201) << first.body;
  auto list = as(admin_).get("/api/admin/blocklist");
  ASSERT_EQ(list.status, 200);
  ASSERT_EQ(list.json()["blocklist"].size(), 1u);
  const auto entry = list.json()["blocklist"][0];
  EXPECT_EQ(entry["status"], "PENDING");  // effective at once
  const std::string id = std::to_string(entry["id"].get<int64_t>());
  ASSERT_EQ(
      as(admin_).post("/api/admin/blocklist/" + id + "/reject", nlohmann::json::object()).status,
      200);

  auto again = from(anonymous(), "127.0.0.22").post("/api/public/opt-out", ask);
  EXPECT_EQ(again.status, 201) << again.body;
  auto after = as(admin_).get("/api/admin/blocklist");
  EXPECT_EQ(after.json()["blocklist"][0]["status"], "REJECTED") << after.body;

  // Other addresses, same group: bounded per group.
  EXPECT_EQ(from(anonymous(), "127.0.0.23").post("/api/public/opt-out", ask).status, 201);
  auto fourth = from(anonymous(), "127.0.0.24").post("/api/public/opt-out", ask);
  EXPECT_EQ(fourth.status, 429) << fourth.body;
  EXPECT_EQ(fourth.error_code(), "rate_limited");
  // Another group is not affected.
  EXPECT_EQ(from(anonymous(), "127.0.0.24")
                .post("/api/public/opt-out", {{"group", "@another_group"}})
                .status,
            201);
}

/// The Set-Cookie line of cookie `name`.
std::string cookie_line(const HttpResult& r, const std::string& name) {
  std::istringstream lines(r.header("set-cookie"));
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(name + "=", 0) == 0) {
      return line;
    }
  }
  return {};
}

void expect_browser_headers(const HttpResult& r, const std::string& what) {
  const std::string csp = r.header("content-security-policy");
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << what << ": " << csp;
  EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << what << ": " << csp;
  EXPECT_EQ(r.header("x-content-type-options"), "nosniff") << what;
  EXPECT_EQ(r.header("x-frame-options"), "DENY") << what;
  EXPECT_EQ(r.header("referrer-policy"), "same-origin") << what;
}

// Fix 2 (review 7.3): every response carries the browser hardening headers.
TEST_P(SecurityIT, EveryResponseCarriesBrowserSecurityHeaders) {
  start();
  expect_browser_headers(anonymous().get("/"), "GET /");
  expect_browser_headers(anonymous().get("/api/docs"), "GET /api/docs");
  expect_browser_headers(anonymous().get("/api/health"), "GET /api/health");
  expect_browser_headers(anonymous().get("/api/nothing-here"), "404");
  expect_browser_headers(as(admin_).get("/api/auth/me"), "GET /api/auth/me");
  expect_browser_headers(anonymous().get("/api/auth/me"), "401");
  // The server's own answer before any route (a body over the limit).
  auto big = anonymous().request("POST", "/api/auth/signup", std::string(64 * 1024, 'x'),
                                 {{"Content-Type", "application/json"}});
  EXPECT_EQ(big.status, 413);
  expect_browser_headers(big, "413");
}

// Fix 2: the refresh cookie stays HttpOnly, SameSite=Strict, Path=/api/auth; Secure over https.
TEST_P(SecurityIT, RefreshCookieFlagsOverHttp) {
  start();
  const TestUser user = make_user("cookie@example.com");
  auto plain =
      anonymous().post("/api/auth/verify-access-code", credentials(user.email, user.access_code));
  ASSERT_EQ(plain.status, 200);
  const std::string line = cookie_line(plain, "hqadz_refresh");
  EXPECT_NE(line.find("; HttpOnly"), std::string::npos) << line;
  EXPECT_NE(line.find("; SameSite=Strict"), std::string::npos) << line;
  EXPECT_NE(line.find("; Path=/api/auth"), std::string::npos) << line;
  EXPECT_EQ(line.find("Secure"), std::string::npos) << line;
}

TEST_P(SecurityIT, RefreshCookieIsSecureWhenThePublicUrlIsHttps) {
  start({{"HQADZ_PUBLIC_URL", "https://hqadz.example"}});
  const TestUser again = make_user("cookie2@example.com");
  auto tls =
      anonymous().post("/api/auth/verify-access-code", credentials(again.email, again.access_code));
  ASSERT_EQ(tls.status, 200);
  const std::string secure = cookie_line(tls, "hqadz_refresh");
  EXPECT_NE(secure.find("; Secure"), std::string::npos) << secure;
  EXPECT_NE(secure.find("; HttpOnly"), std::string::npos) << secure;
  EXPECT_NE(secure.find("; SameSite=Strict"), std::string::npos) << secure;
}

// Fix 8 (review 5.14): a %0a or %1b in a URL does not forge log lines or reach the terminal.
TEST_P(SecurityIT, ControlCharactersInAUrlAreEscapedInTheLog) {
  start();
  (void)anonymous().get("/api/x%0a[2026-12-08%2000:00:00.000]%20[info]%20FORGED%0d%0aLINE");
  (void)anonymous().get("/api/y%1b[31mRED%00");
  (void)anonymous().get("/static%0aFORGED-STATIC");
  const std::string logs = server_->logs();
  EXPECT_EQ(logs.find("\n[2026-12-08 00:00:00.000] [info] FORGED"), std::string::npos) << logs;
  EXPECT_EQ(logs.find("\nLINE"), std::string::npos) << logs;
  EXPECT_EQ(logs.find("\nFORGED-STATIC"), std::string::npos) << logs;
  EXPECT_EQ(logs.find('\x1b'), std::string::npos) << logs;
  EXPECT_NE(logs.find("/api/x\\x0a[2026-12-08"), std::string::npos) << logs;
  EXPECT_NE(logs.find("/static\\x0aFORGED-STATIC"), std::string::npos) << logs;
}

/// A Telethon StringSession ("1" + padded URL-safe base64 of dc, IPv4, port, auth key).
std::string string_session(int dc, std::array<uint8_t, 4> ip, uint16_t port) {
  std::string raw(1, static_cast<char>(dc));
  for (uint8_t b : ip) {
    raw.push_back(static_cast<char>(b));
  }
  raw.push_back(static_cast<char>(port >> 8));
  raw.push_back(static_cast<char>(port & 0xff));
  for (int i = 0; i < 256; ++i) {
    raw.push_back(static_cast<char>((i * 37 + dc) & 0xff));
  }
  return "1" + crypto::to_base64url(raw, true);
}

// Fix 10 (review 6.2): only DC ids of the DC table are imported; the address is only a record.
TEST_P(SecurityIT, SessionsNamingAnUnknownDcAreRefused) {
  start();
  auto upload = [&](const std::string& text, const std::string& phone) {
    return as(admin_).post("/api/admin/stock/upload",
                           {{"string_session", text},
                            {"phone_number", phone},
                            {"api_id", 12345},
                            {"api_hash", "0123456789abcdef0123456789abcdef"}});
  };
  auto bad = upload(string_session(255, {222, 153, 17, 110}, 65535), "+447700900201");
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(bad.error_code(), "invalid_session_dc");
  EXPECT_EQ(upload(string_session(6, {149, 154, 167, 51}, 443), "+447700900202").error_code(),
            "invalid_session_dc");
  // A known DC with an odd stored address imports (the address is never dialled).
  auto ok = upload(string_session(2, {222, 153, 17, 110}, 65535), "+447700900203");
  EXPECT_EQ(ok.status, 201) << ok.body;

  auto [code, out] = run_to_end(
      {hqadz_binary(), "session", "import", "--string", string_session(6, {10, 0, 0, 1}, 443),
       "--phone", "+447700900204", "--api-id", "1", "--api-hash",
       "0123456789abcdef0123456789abcdef", "--data-dir", server_->data_dir()},
      env_);
  EXPECT_NE(code, 0) << out;
  EXPECT_NE(out.find("not in the DC table"), std::string::npos) << out;
}

// Fix 6 (review 2.14): a stream ends when its token expires.
TEST_P(SecurityIT, AnEventStreamEndsAtItsTokensExpiry) {
  start({{"HQADZ_ACCESS_TOKEN_TTL_SECONDS", "5"}});
  const TestUser owner = signed_in(make_user("watcher@example.com"));
  sign_in(*server_, admin_);  // fresh tokens for the set-up
  const int64_t adbot = adbot_of(signed_in(owner));
  const TestUser fresh = signed_in(owner);  // a token with its full 5 s ahead
  std::string head;
  const int fd = open_stream(fresh, adbot, "127.0.0.40", &head);
  ASSERT_EQ(status_of(head), 200) << head;
  EXPECT_NE(head.find("frame-ancestors 'none'"), std::string::npos) << head;
  EXPECT_NE(head.find("X-Frame-Options: DENY"), std::string::npos) << head;
  const double open_for = seconds_until_closed(fd, std::chrono::seconds(15));
  close(fd);
  EXPECT_LT(open_for, 7.5) << "the stream outlived its 5 s token";
  EXPECT_GT(open_for, 2.0) << "the stream ended before its token did";
  // The ended stream gave its slot back: five fresh ones open.
  const TestUser again = signed_in(owner);
  std::vector<int> fds;
  for (int i = 0; i < 5; ++i) {
    fds.push_back(open_stream(again, adbot, "127.0.0.40", &head));
    EXPECT_EQ(status_of(head), 200) << i << ": " << head;
  }
  for (int f : fds) {
    close(f);
  }
}

// Fix 6: a suspended user's stream ends (and a logout's, as any revoked token).
TEST_P(SecurityIT, AnEventStreamEndsWhenItsUserIsSuspended) {
  start();
  const TestUser owner = signed_in(make_user("suspect@example.com"));
  const int64_t adbot = adbot_of(owner);
  std::string head;
  const int fd = open_stream(owner, adbot, "127.0.0.40", &head);
  ASSERT_EQ(status_of(head), 200) << head;
  ASSERT_EQ(as(admin_)
                .request("POST", "/api/admin/users/" + std::to_string(owner.id) + "/suspend")
                .status,
            200);
  const double open_for = seconds_until_closed(fd, std::chrono::seconds(15));
  close(fd);
  EXPECT_LT(open_for, 3.0) << "the stream outlived the suspension";
}

// Fix 6 (review X.2): at most 5 streams per user and 20 per address; 429 beyond.
TEST_P(SecurityIT, EventStreamsAreCappedPerUserAndPerAddress) {
  start();
  std::vector<TestUser> users;
  std::vector<int64_t> adbots;
  for (int i = 0; i < 5; ++i) {
    users.push_back(signed_in(make_user("streamer" + std::to_string(i) + "@example.com")));
    adbots.push_back(adbot_of(users.back()));
  }
  std::vector<int> open;
  std::string head;
  for (int u = 0; u < 4; ++u) {
    for (int i = 0; i < 5; ++i) {
      open.push_back(open_stream(users[u], adbots[u], "127.0.0.41", &head));
      ASSERT_EQ(status_of(head), 200) << "user " << u << " stream " << i << ": " << head;
    }
  }
  // The user's sixth, from another address.
  const int sixth = open_stream(users[0], adbots[0], "127.0.0.42", &head);
  EXPECT_EQ(status_of(head), 429) << head;
  EXPECT_NE(head.find("too_many_streams"), std::string::npos) << head;
  close(sixth);
  // A 21st on the address, from a user with none open.
  const int crowded = open_stream(users[4], adbots[4], "127.0.0.41", &head);
  EXPECT_EQ(status_of(head), 429) << head;
  close(crowded);
  // Elsewhere that user is fine.
  open.push_back(open_stream(users[4], adbots[4], "127.0.0.42", &head));
  EXPECT_EQ(status_of(head), 200) << head;
  for (int fd : open) {
    close(fd);
  }
}

HQADZ_INSTANTIATE_FOR_BOTH_DATABASES(SecurityIT);
INSTANTIATE_TEST_SUITE_P(Postgres, SecurityScaleOutIT, ::testing::Values(Backend::kPostgres),
                         ::hqadz::storage::testing::backend_name);

}  // namespace
}  // namespace hqadz::testing
