#include "app/demo.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace hqadz::app {
namespace {

constexpr const char* kAdminEmail = "admin@demo.hqadz";
constexpr const char* kCustomerEmail = "customer@demo.hqadz";

std::string credentials_path(const Platform& p) {
  return p.config().data_dir + "/demo-credentials.json";
}

nlohmann::json read_credentials(const Platform& p) {
  std::ifstream in(credentials_path(p));
  if (!in) {
    return nlohmann::json::object();
  }
  std::stringstream s;
  s << in.rdbuf();
  auto j = nlohmann::json::parse(s.str(), nullptr, false);
  return j.is_object() ? j : nlohmann::json::object();
}

}  // namespace

void prepare_demo(Platform& platform) {
  if (auto st = platform.catalog().ensure_demo_plans(); !st.ok()) {
    throw std::runtime_error("demo: cannot add the plans: " + st.error().message);
  }
  auto creds = read_credentials(platform);
  bool changed = false;
  for (auto [email, role] : {std::pair{kAdminEmail, "ADMIN"}, std::pair{kCustomerEmail, "USER"}}) {
    const std::string key = role == std::string("ADMIN") ? "admin" : "customer";
    if (creds.contains(key)) {
      continue;
    }
    auto made = platform.identity().create_user(email, role, {"demo", std::nullopt});
    if (!made.ok() && made.error().code == "email_taken") {
      // The credentials file was lost: give the demo user a fresh code.
      auto users = platform.identity().list_users({.email_contains = email, .limit = 1});
      if (users.ok() && !users->empty()) {
        made = platform.identity().reset_code(users->front().id, {"demo", std::nullopt});
      }
    }
    if (!made.ok()) {
      throw std::runtime_error("demo: cannot create " + std::string(email) + ": " +
                               made.error().message);
    }
    creds[key] = {{"email", email}, {"access_code", made->access_code}};
    changed = true;
  }
  if (changed) {
    const std::string path = credentials_path(platform);
    std::ofstream(path) << creds.dump(2) << "\n";
    ::chmod(path.c_str(), 0600);
  }
}

void print_demo_banner(Platform& platform, const DemoWorld& world, const std::string& url) {
  const auto creds = read_credentials(platform);
  auto line = [&](const char* who) {
    if (!creds.contains(who)) {
      return std::string();
    }
    return fmt::format("  {:<9} {}  code {}\n", who, creds[who].value("email", ""),
                       creds[who].value("access_code", ""));
  };
  std::string groups;
  for (const auto& g : world.groups()) {
    groups += (groups.empty() ? "" : " ") + g;
  }
  std::fprintf(stderr,
               "\n  hqadz demo is running at %s\n\n  Sign in with:\n%s%s\n"
               "  (kept in %s)\n\n"
               "  Telegram is simulated. Post to configure: %s\n"
               "  Groups: %s\n"
               "  Spare accounts to upload on the admin stock page: %s\n\n",
               url.c_str(), line("admin").c_str(), line("customer").c_str(),
               credentials_path(platform).c_str(), world.post_link().c_str(), groups.c_str(),
               world.file_path().c_str());
  std::fflush(stderr);
}

}  // namespace hqadz::app
