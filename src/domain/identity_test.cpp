#include "domain/identity.hpp"

#include <gtest/gtest.h>

#include "domain/codes.hpp"
#include "storage/testing/test_database.hpp"

namespace hqadz::domain {
namespace {

class CapturingMailer : public Mailer {
 public:
  bool enabled() const override { return enabled_; }
  core::Status send(const Mail& m) override {
    sent.push_back(m);
    return core::ok_status();
  }
  bool enabled_ = false;
  std::vector<Mail> sent;
};

/// The access code in a mail body ("...: XXXX-...").
std::string code_in(const std::string& text) {
  const auto colon = text.find(": ");
  return text.substr(colon + 2, 34);
}

class IdentityTest : public storage::testing::DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    if (IsSkipped() || HasFailure()) {
      return;
    }
    IdentitySettings s;
    s.jwt_secret = std::string(32, 'k');
    s.argon2 = {.ops = 1, .mem_bytes = 1u << 16};
    svc_ = std::make_unique<IdentityService>(db(), clock_, mailer_, s);
  }
  IssuedCode make(const std::string& email, const std::string& role = "USER") {
    auto r = svc_->create_user(email, role, {"127.0.0.1", std::nullopt});
    EXPECT_TRUE(r.ok()) << r.error().message;
    return *r;
  }
  RequestContext ctx(const std::string& ip = "10.0.0.1") { return {ip, std::nullopt}; }

  core::ManualClock clock_;
  CapturingMailer mailer_;
  std::unique_ptr<IdentityService> svc_;
};

TEST_P(IdentityTest, SignInIssuesTokensThatAuthenticate) {
  auto admin = make("Boss@Example.com", "ADMIN");
  EXPECT_EQ(admin.user.email, "boss@example.com");
  auto s = svc_->sign_in("boss@example.com", admin.access_code, std::nullopt, ctx());
  ASSERT_TRUE(s.ok()) << s.error().message;
  auto caller = svc_->authenticate(s->access_token);
  ASSERT_TRUE(caller.ok());
  EXPECT_EQ(caller->role, "ADMIN");
  clock_.advance(std::chrono::minutes(16));
  EXPECT_EQ(svc_->authenticate(s->access_token).error().code, "token_expired");
}

TEST_P(IdentityTest, RefreshRotatesAndReuseRevokesTheFamily) {
  auto u = make("u@example.com");
  auto s1 = svc_->sign_in("u@example.com", u.access_code, std::nullopt, ctx());
  ASSERT_TRUE(s1.ok());
  auto s2 = svc_->refresh(s1->refresh_token);
  ASSERT_TRUE(s2.ok()) << s2.error().message;
  EXPECT_NE(s2->refresh_token, s1->refresh_token);
  auto reuse = svc_->refresh(s1->refresh_token);
  ASSERT_FALSE(reuse.ok());
  EXPECT_EQ(reuse.error().errc, core::Errc::kUnauthenticated);
  // The family is gone: the newest token no longer works either.
  EXPECT_FALSE(svc_->refresh(s2->refresh_token).ok());
}

TEST_P(IdentityTest, RefreshTokensExpire) {
  auto u = make("u@example.com");
  auto s = svc_->sign_in("u@example.com", u.access_code, std::nullopt, ctx());
  ASSERT_TRUE(s.ok());
  clock_.advance(std::chrono::hours(24 * 31));
  EXPECT_FALSE(svc_->refresh(s->refresh_token).ok());
}

TEST_P(IdentityTest, WrongCodesAreLimitedPerAddressNotPerEmail) {
  auto u = make("u@example.com");
  for (int i = 0; i < 5; ++i) {
    auto r = svc_->sign_in("u@example.com", generate_access_code(), std::nullopt, ctx());
    EXPECT_EQ(r.error().code, "invalid_credentials");
  }
  auto sixth = svc_->sign_in("u@example.com", u.access_code, std::nullopt, ctx());
  ASSERT_FALSE(sixth.ok());
  EXPECT_EQ(sixth.error().errc, core::Errc::kRateLimited);
  EXPECT_GT(sixth.error().retry_after_s, 0);
  // Another address is not held back: no per-email lockout for anyone to trigger...
  EXPECT_TRUE(svc_->sign_in("u@example.com", u.access_code, std::nullopt, ctx("10.9.9.9")).ok());
  // ...and the address's window ends: nothing is locked for ever.
  clock_.advance(std::chrono::minutes(16));
  EXPECT_TRUE(svc_->sign_in("u@example.com", u.access_code, std::nullopt, ctx()).ok());
}

TEST_P(IdentityTest, AKnownDeviceGetsPastOthersFailuresOnItsAddress) {
  auto u = make("u@example.com");
  auto first = svc_->sign_in("u@example.com", u.access_code, std::nullopt, ctx("10.0.0.2"));
  ASSERT_TRUE(first.ok());
  for (int i = 0; i < 5; ++i) {
    (void)svc_->sign_in("u@example.com", generate_access_code(), std::nullopt, ctx("6.6.6.6"));
  }
  EXPECT_FALSE(svc_->sign_in("u@example.com", u.access_code, std::nullopt, ctx("6.6.6.6")).ok());
  EXPECT_TRUE(
      svc_->sign_in("u@example.com", u.access_code, first->device_token, ctx("6.6.6.6")).ok());
}

TEST_P(IdentityTest, SuspensionRefusesTokensAtOnceAndStopsRefresh) {
  auto admin = make("a@example.com", "ADMIN");
  auto u = make("u@example.com");
  auto s = svc_->sign_in("u@example.com", u.access_code, std::nullopt, ctx());
  ASSERT_TRUE(s.ok());
  auto r = svc_->set_suspended(u.user.id, true, {"127.0.0.1", admin.user.id});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(svc_->authenticate(s->access_token).error().code, "account_suspended");
  EXPECT_FALSE(svc_->refresh(s->refresh_token).ok());
  EXPECT_EQ(svc_->sign_in("u@example.com", u.access_code, std::nullopt, ctx()).error().code,
            "account_suspended");
  ASSERT_TRUE(svc_->set_suspended(u.user.id, false, {"127.0.0.1", admin.user.id}).ok());
  EXPECT_TRUE(svc_->sign_in("u@example.com", u.access_code, std::nullopt, ctx()).ok());
  EXPECT_EQ(svc_->set_suspended(admin.user.id, true, {"127.0.0.1", admin.user.id}).error().code,
            "cannot_suspend_self");
}

TEST_P(IdentityTest, ResetCodeKillsTheOldOne) {
  auto u = make("u@example.com");
  auto fresh = svc_->reset_code(u.user.id, {"127.0.0.1", std::nullopt});
  ASSERT_TRUE(fresh.ok());
  EXPECT_FALSE(svc_->sign_in("u@example.com", u.access_code, std::nullopt, ctx()).ok());
  EXPECT_TRUE(svc_->sign_in("u@example.com", fresh->access_code, std::nullopt, ctx()).ok());
}

TEST_P(IdentityTest, SignUpWithoutEmailShowsTheCodeOnceAndNeverRevealsTakenEmails) {
  auto first = svc_->sign_up("new@example.com", ctx());
  ASSERT_TRUE(first.ok());
  const std::string code = (*first)["access_code"];
  EXPECT_TRUE(svc_->sign_in("new@example.com", code, std::nullopt, ctx()).ok());
  auto again = svc_->sign_up("new@example.com", ctx("10.0.0.3"));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->size(), first->size());  // same shape
  EXPECT_FALSE(svc_->sign_in("new@example.com", (*again)["access_code"], std::nullopt,
                             ctx("10.0.0.4"))
                   .ok());
  EXPECT_TRUE(svc_->sign_in("new@example.com", code, std::nullopt, ctx("10.0.0.5")).ok());
}

TEST_P(IdentityTest, RecoveryNeedsEmailAndAddsASecondCode) {
  auto u = make("u@example.com");
  EXPECT_EQ(svc_->recover("u@example.com", ctx()).error().code, "email_unavailable");
  mailer_.enabled_ = true;
  ASSERT_TRUE(svc_->recover("u@example.com", ctx()).ok());
  ASSERT_TRUE(svc_->recover("nobody@example.com", ctx()).ok());  // same answer
  ASSERT_EQ(mailer_.sent.size(), 1u);
  const std::string code = code_in(mailer_.sent[0].text);
  EXPECT_TRUE(svc_->sign_in("u@example.com", u.access_code, std::nullopt, ctx()).ok());
  EXPECT_TRUE(svc_->sign_in("u@example.com", code, std::nullopt, ctx()).ok());
  // Using the recovery code made it the code.
  EXPECT_FALSE(svc_->sign_in("u@example.com", u.access_code, std::nullopt, ctx("10.1.1.1")).ok());
}

TEST_P(IdentityTest, EveryAdminActionIsAudited) {
  auto admin = make("a@example.com", "ADMIN");
  auto u = make("u@example.com");
  RequestContext by_admin{"127.0.0.1", admin.user.id};
  ASSERT_TRUE(svc_->set_suspended(u.user.id, true, by_admin).ok());
  ASSERT_TRUE(svc_->set_suspended(u.user.id, false, by_admin).ok());
  ASSERT_TRUE(svc_->reset_code(u.user.id, by_admin).ok());
  auto log = svc_->list_audit({});
  ASSERT_TRUE(log.ok());
  std::vector<std::string> actions;
  for (auto& e : *log) {
    actions.push_back(e["action"]);
  }
  EXPECT_EQ(actions, (std::vector<std::string>{"user.reset_code", "user.unsuspend",
                                               "user.suspend", "user.create", "user.create"}));
  EXPECT_EQ((*log)[0]["actor_user_id"], admin.user.id);
}

TEST_P(IdentityTest, ListUsersFiltersAndPages) {
  make("a@example.com", "ADMIN");
  for (int i = 0; i < 5; ++i) {
    make("u" + std::to_string(i) + "@example.com");
  }
  UserFilter f;
  f.role = "USER";
  f.limit = 3;
  auto page1 = svc_->list_users(f);
  ASSERT_TRUE(page1.ok());
  ASSERT_EQ(page1->size(), 3u);
  f.before_id = page1->back().id;
  auto page2 = svc_->list_users(f);
  ASSERT_EQ(page2->size(), 2u);
  EXPECT_LT(page2->front().id, page1->back().id);
}

TEST_P(IdentityTest, DuplicateEmailsAndBadRolesAreRefused) {
  make("a@example.com");
  EXPECT_EQ(svc_->create_user("A@example.com", "USER", ctx()).error().code, "email_taken");
  EXPECT_EQ(svc_->create_user("b@example.com", "ROOT", ctx()).error().code, "invalid_role");
  EXPECT_EQ(svc_->create_user("not-an-email", "USER", ctx()).error().code, "invalid_email");
}

HQADZ_INSTANTIATE_FOR_BOTH_DATABASES(IdentityTest);

}  // namespace
}  // namespace hqadz::domain
