#include "auth_helpers.hpp"

#include <gtest/gtest.h>

namespace hqadz::testing {

TestUser create_user_cli(const ServerProcess& server, const std::string& email,
                         const std::string& role, const std::map<std::string, std::string>& env) {
  auto [code, out] = run_to_end({hqadz_binary(), "admin", "create-user", "--email", email,
                                 "--role", role, "--data-dir", server.data_dir()},
                                env);
  EXPECT_EQ(code, 0) << out;
  auto j = nlohmann::json::parse(out, nullptr, false);
  TestUser u;
  if (!j.is_object() || !j.contains("access_code")) {
    ADD_FAILURE() << "create-user printed: " << out;
    return u;
  }
  u.id = j["id"].get<int64_t>();
  u.email = j["email"].get<std::string>();
  u.access_code = j["access_code"].get<std::string>();
  EXPECT_EQ(j["role"], role);
  return u;
}

void sign_in(const ServerProcess& server, TestUser& user) {
  auto r = server.client().post("/api/auth/verify-access-code",
                                {{"email", user.email}, {"access_code", user.access_code}});
  ASSERT_EQ(r.status, 200) << r.body;
  user.token = r.json()["token"].get<std::string>();
  user.refresh_token = r.json()["refresh_token"].get<std::string>();
}

HttpClient client_for(const ServerProcess& server, const TestUser& user) {
  HttpClient c = server.client();
  c.bearer = user.token;
  return c;
}

}  // namespace hqadz::testing
