// Issue 20 (the red-team findings of ../shared/reviews/2026-12-security.md), each held over
// real sockets: every test here failed on the code before its fix.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "auth_helpers.hpp"
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
  /// A fresh sign-in of `u` (another device): its own token and refresh family.
  TestUser signed_in(TestUser u) {
    sign_in(*server_, u);
    return u;
  }

  std::unique_ptr<storage::testing::TestDatabase> db_;
  std::map<std::string, std::string> env_;
  std::unique_ptr<ServerProcess> server_;
  TestUser admin_;
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
  auto reset = as(admin_).request("POST", "/api/admin/users/" + std::to_string(user.id) +
                                              "/reset-code");
  ASSERT_EQ(reset.status, 200) << reset.body;
  EXPECT_EQ(as(laptop).get("/api/auth/me").status, 401);
  EXPECT_EQ(as(laptop).get("/api/user/adbots").status, 401);

  // Suspension too (and the refreshed token of a new sign-in does not survive it).
  TestUser again = user;
  again.access_code = reset.json()["access_code"].get<std::string>();
  again = signed_in(again);
  ASSERT_EQ(as(again).get("/api/auth/me").status, 200);
  ASSERT_EQ(as(admin_)
                .request("POST", "/api/admin/users/" + std::to_string(user.id) + "/suspend")
                .status,
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

HQADZ_INSTANTIATE_FOR_BOTH_DATABASES(SecurityIT);
INSTANTIATE_TEST_SUITE_P(Postgres, SecurityScaleOutIT,
                         ::testing::Values(Backend::kPostgres),
                         ::hqadz::storage::testing::backend_name);

}  // namespace
}  // namespace hqadz::testing
