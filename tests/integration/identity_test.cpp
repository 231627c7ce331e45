// Issue 3 acceptance over real HTTP, on SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include "auth_helpers.hpp"
#include "server_fixture.hpp"
#include "storage/testing/test_database.hpp"

namespace hqadz::testing {
namespace {

using storage::Backend;

/// A server on the parameter's database, with an admin signed in.
class IdentityIT : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    db_ = storage::testing::TestDatabase::create(GetParam(), false);
    if (!db_) {
      GTEST_SKIP() << "PostgreSQL not available";
    }
    if (GetParam() == Backend::kPostgres) {
      env_["HQADZ_DATABASE_URL"] = db_->url();
    }
    server_ = std::make_unique<ServerProcess>(ServerOptions{.env = env_});
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

  std::unique_ptr<storage::testing::TestDatabase> db_;
  std::map<std::string, std::string> env_;
  std::unique_ptr<ServerProcess> server_;
  TestUser admin_;
};

// Acceptance 1: the whole cycle.
TEST_P(IdentityIT, TheWholeCycle) {
  TestUser user = make_user("User@Example.com");
  EXPECT_EQ(user.access_code.size(), 34u);

  auto login = anonymous().post("/api/auth/verify-access-code",
                                {{"email", "user@example.com"}, {"access_code", user.access_code}});
  ASSERT_EQ(login.status, 200) << login.body;
  EXPECT_EQ(login.json()["user"]["role"], "USER");
  EXPECT_NE(login.header("set-cookie").find("HttpOnly"), std::string::npos);
  user.token = login.json()["token"];
  const std::string refresh1 = login.json()["refresh_token"];

  auto me = as(user).get("/api/auth/me");
  ASSERT_EQ(me.status, 200);
  EXPECT_EQ(me.json()["user"]["email"], "user@example.com");
  EXPECT_EQ(me.json()["user"]["id"], user.id);

  auto refreshed = anonymous().post("/api/auth/refresh", {{"refresh_token", refresh1}});
  ASSERT_EQ(refreshed.status, 200) << refreshed.body;
  const std::string refresh2 = refreshed.json()["refresh_token"];
  EXPECT_NE(refresh2, refresh1);

  // The rotated token comes back: 401, and the whole family is revoked.
  auto reused = anonymous().post("/api/auth/refresh", {{"refresh_token", refresh1}});
  EXPECT_EQ(reused.status, 401);
  EXPECT_EQ(anonymous().post("/api/auth/refresh", {{"refresh_token", refresh2}}).status, 401);

  // A fresh sign-in, then logout ends that session's refresh token.
  sign_in(*server_, user);
  EXPECT_EQ(anonymous().post("/api/auth/logout", {{"refresh_token", user.refresh_token}}).status,
            204);
  EXPECT_EQ(anonymous().post("/api/auth/refresh", {{"refresh_token", user.refresh_token}}).status,
            401);

  // Refresh also works from the cookie alone (the web UI sends no body).
  sign_in(*server_, user);
  auto by_cookie = anonymous().request("POST", "/api/auth/refresh", "",
                                       {{"Cookie", "hqadz_refresh=" + user.refresh_token}});
  EXPECT_EQ(by_cookie.status, 200) << by_cookie.body;
}

TEST_P(IdentityIT, SignUpAndRecoveryWithoutSmtp) {
  auto up = anonymous().post("/api/auth/signup", {{"email", "new@example.com"}});
  ASSERT_EQ(up.status, 200) << up.body;
  const std::string code = up.json()["access_code"];
  auto login = anonymous().post("/api/auth/verify-access-code",
                                {{"email", "new@example.com"}, {"access_code", code}});
  EXPECT_EQ(login.status, 200);
  // An email already taken: same shape, and the account's code is unchanged.
  auto again = anonymous().post("/api/auth/signup", {{"email", "new@example.com"}});
  ASSERT_EQ(again.status, 200);
  EXPECT_EQ(again.json().size(), up.json().size());
  EXPECT_EQ(anonymous().post("/api/auth/verify-access-code",
                             {{"email", "new@example.com"}, {"access_code", code}})
                .status,
            200);
  // Recovery is by email only: without SMTP it is unavailable, never a code in a response.
  auto rec = anonymous().post("/api/auth/recover", {{"email", "new@example.com"}});
  EXPECT_EQ(rec.status, 503);
  EXPECT_EQ(rec.error_code(), "email_unavailable");
  EXPECT_EQ(rec.body.find("access_code"), std::string::npos);
}

// Acceptance 3.
TEST_P(IdentityIT, SixWrongCodesAre429) {
  TestUser user = make_user("victim@example.com");
  for (int i = 0; i < 5; ++i) {
    auto r = anonymous().post("/api/auth/verify-access-code",
                              {{"email", user.email},
                               {"access_code", "AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA"}});
    EXPECT_EQ(r.status, 401);
  }
  auto sixth = anonymous().post("/api/auth/verify-access-code",
                                {{"email", user.email}, {"access_code", user.access_code}});
  EXPECT_EQ(sixth.status, 429);
  EXPECT_FALSE(sixth.header("retry-after").empty());
}

TEST_P(IdentityIT, SuspensionRefusesAValidTokenAtOnce) {
  TestUser user = make_user("u@example.com");
  sign_in(*server_, user);
  ASSERT_EQ(as(user).get("/api/auth/me").status, 200);
  auto s = as(admin_).post("/api/admin/users/" + std::to_string(user.id) + "/suspend", {});
  ASSERT_EQ(s.status, 200) << s.body;
  EXPECT_EQ(s.json()["status"], "SUSPENDED");
  auto refused = as(user).get("/api/auth/me");
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.error_code(), "account_suspended");
  EXPECT_NE(anonymous().post("/api/auth/refresh", {{"refresh_token", user.refresh_token}}).status,
            200);
  ASSERT_EQ(as(admin_).post("/api/admin/users/" + std::to_string(user.id) + "/unsuspend", {}).status,
            200);
  sign_in(*server_, user);
  EXPECT_EQ(as(user).get("/api/auth/me").status, 200);
}

TEST_P(IdentityIT, ResetCodeKillsTheOldCode) {
  TestUser user = make_user("u@example.com");
  auto r = as(admin_).post("/api/admin/users/" + std::to_string(user.id) + "/reset-code", {});
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string fresh = r.json()["access_code"];
  EXPECT_EQ(anonymous().post("/api/auth/verify-access-code",
                             {{"email", user.email}, {"access_code", user.access_code}})
                .status,
            401);
  EXPECT_EQ(anonymous().post("/api/auth/verify-access-code",
                             {{"email", user.email}, {"access_code", fresh}})
                .status,
            200);
  auto audit = as(admin_).get("/api/admin/audit?action=user.reset_code");
  ASSERT_EQ(audit.status, 200);
  ASSERT_EQ(audit.json()["audit_log"].size(), 1u);
  EXPECT_EQ(audit.json()["audit_log"][0]["actor_user_id"], admin_.id);
  EXPECT_EQ(audit.json()["audit_log"][0]["target_id"], user.id);
}

TEST_P(IdentityIT, AdminListsUsersWithFiltersAndPages) {
  for (int i = 0; i < 3; ++i) {
    make_user("u" + std::to_string(i) + "@example.com");
  }
  auto page = as(admin_).get("/api/admin/users?role=USER&limit=2");
  ASSERT_EQ(page.status, 200) << page.body;
  ASSERT_EQ(page.json()["users"].size(), 2u);
  const int64_t cursor = page.json()["next_cursor"];
  auto rest = as(admin_).get("/api/admin/users?role=USER&limit=2&cursor=" + std::to_string(cursor));
  EXPECT_EQ(rest.json()["users"].size(), 1u);
  EXPECT_TRUE(rest.json()["next_cursor"].is_null());
  EXPECT_EQ(as(admin_).get("/api/admin/users?role=ROOT").status, 400);
  EXPECT_EQ(as(admin_).get("/api/admin/users?limit=0").status, 400);
  EXPECT_EQ(as(admin_).post("/api/admin/users", {{"email", "u0@example.com"}}).status, 409);
}

// Acceptance 4: bad input on every JSON route of identity → 400 with a message.
TEST_P(IdentityIT, BadInputIs400WithAClearMessage) {
  const std::vector<std::pair<std::string, std::string>> routes = {
      {"/api/auth/signup", "email"},
      {"/api/auth/recover", "email"},
      {"/api/auth/verify-access-code", "email"},
      {"/api/admin/users", "email"},
  };
  const std::vector<std::string> bodies = {
      "{}",
      R"({"email": 5})",
      R"({"email": ["a"]})",
      R"({"email": null})",
      R"({"email": ")" + std::string(5000, 'a') + R"(@x.io"})",
      "{\"email\": \"\xff\xfe@x.io\"}",
      R"({"email": "not an email", "access_code": 7})",
      "{",
      "[]",
  };
  for (const auto& [path, field] : routes) {
    for (const auto& body : bodies) {
      auto r = as(admin_).request("POST", path, body, {{"Content-Type", "application/json"}});
      EXPECT_TRUE(r.status == 400 || (path == "/api/auth/recover" && r.status == 503))
          << path << " " << body.substr(0, 60) << " → " << r.status << " " << r.body;
      if (r.status == 400) {
        EXPECT_FALSE(r.json()["error"]["message"].get<std::string>().empty());
      }
    }
  }
  auto r = anonymous().post("/api/auth/verify-access-code", {{"email", "a@b.io"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.error_code(), "missing_access_code");
}

// Acceptance 5: no secret in logs or output except the one-time display.
TEST_P(IdentityIT, NoSecretsInLogsOrResponses) {
  TestUser user = make_user("secret@example.com");
  sign_in(*server_, user);
  (void)anonymous().post("/api/auth/refresh", {{"refresh_token", user.refresh_token}});
  const auto listing = as(admin_).get("/api/admin/users");
  const auto me = as(user).get("/api/auth/me");
  const auto audit = as(admin_).get("/api/admin/audit");
  const std::string logs = server_->logs();
  for (const std::string& secret : {user.access_code, admin_.access_code, user.token,
                                    user.refresh_token, admin_.token, std::string("$argon2")}) {
    EXPECT_EQ(logs.find(secret), std::string::npos) << "in logs: " << secret.substr(0, 12);
    for (const auto* r : {&listing, &me, &audit}) {
      EXPECT_EQ(r->body.find(secret), std::string::npos) << "in a response: " << secret.substr(0, 12);
    }
  }
}

HQADZ_INSTANTIATE_FOR_BOTH_DATABASES(IdentityIT);

}  // namespace
}  // namespace hqadz::testing
