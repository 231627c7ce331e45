#pragma once
/// Test support: making users through the CLI and signing them in over HTTP.

#include <nlohmann/json.hpp>

#include <map>
#include <string>

#include "http_client.hpp"
#include "server_fixture.hpp"

namespace hqadz::testing {

struct TestUser {
  int64_t id = 0;
  std::string email;
  std::string access_code;
  std::string token;
  std::string refresh_token;
};

/// `hqadz admin create-user` against the server's data dir and environment.
TestUser create_user_cli(const ServerProcess& server, const std::string& email,
                         const std::string& role = "USER",
                         const std::map<std::string, std::string>& env = {});
/// POST /api/auth/verify-access-code; fills token and refresh_token (test fails otherwise).
void sign_in(const ServerProcess& server, TestUser& user);
/// An HttpClient that sends `user`'s bearer token.
HttpClient client_for(const ServerProcess& server, const TestUser& user);

}  // namespace hqadz::testing
