#include "tgsim_process.hpp"

#include <gtest/gtest.h>

#include <regex>

#include "core/clock.hpp"

namespace hqadz::testing {

TgsimProcess::TgsimProcess() {
  process_ = std::make_unique<Process>(
      std::vector<std::string>{TGSIM_BIN, "--listen", "127.0.0.1:0", "--control", "127.0.0.1:0"});
  auto line = process_->read_line(std::chrono::seconds(30));
  if (!line) {
    ADD_FAILURE() << "tgsim printed no ready line";
    return;
  }
  static const std::regex kLine(
      R"(^tgsim mtproto on 127\.0\.0\.1:\d+ control on http://127\.0\.0\.1:(\d+)/?$)");
  std::smatch m;
  if (!std::regex_match(*line, m, kLine)) {
    ADD_FAILURE() << "unexpected tgsim line: " << *line;
    return;
  }
  control_port_ = static_cast<uint16_t>(std::stoi(m[1]));
}

nlohmann::json TgsimProcess::call(const std::string& method, const std::string& path,
                                  const nlohmann::json& body, int expect) const {
  auto r = control().request(method, path, body.is_null() ? std::string() : body.dump(),
                             {{"Content-Type", "application/json"}});
  EXPECT_EQ(r.status, expect) << method << " " << path << ": " << r.body;
  return r.json();
}

std::string TgsimProcess::dcs_config() const {
  return call("GET", "/config", nullptr, 200).value("hqadz_telegram_dcs", "");
}

TgsimAccount TgsimProcess::create_account(const std::string& username) {
  auto j = call("POST", "/accounts", {{"first_name", username}, {"username", username}}, 201);
  return {j.value("id", int64_t{0}), username, j.value("string_session", "")};
}

int64_t TgsimProcess::create_channel(const std::string& username) {
  return call("POST", "/channels", {{"username", username}}, 201).value("id", int64_t{0});
}

int64_t TgsimProcess::add_post(int64_t channel, const std::string& text) {
  return call("POST", "/channels/" + std::to_string(channel) + "/posts", {{"text", text}}, 201)
      .value("id", int64_t{0});
}

int64_t TgsimProcess::create_group(const std::string& username, int slowmode_seconds) {
  return call("POST", "/groups", {{"username", username}, {"slowmode_seconds", slowmode_seconds}},
              201)
      .value("id", int64_t{0});
}

void TgsimProcess::add_member(int64_t group, int64_t account) {
  call("POST", "/groups/" + std::to_string(group) + "/members", {{"account_id", account}}, 200);
}

void TgsimProcess::set_flood(int per_minute, int wait_seconds) {
  call("PUT", "/flood", {{"per_minute", per_minute}, {"wait_seconds", wait_seconds}}, 200);
}

void TgsimProcess::set_faults(const nlohmann::json& faults) { call("PUT", "/faults", faults, 200); }

void TgsimProcess::account_action(int64_t account, const std::string& action) {
  call("POST", "/accounts/" + std::to_string(account) + "/" + action, nlohmann::json::object(),
       200);
}

std::vector<TgsimDelivery> TgsimProcess::deliveries() const {
  std::vector<TgsimDelivery> out;
  for (const auto& d : call("GET", "/deliveries", nullptr, 200)) {
    auto at = core::parse_iso8601(d.value("at", ""));
    out.push_back({d.value("group", int64_t{0}), d.value("account", int64_t{0}),
                   d.value("random_id", int64_t{0}), at ? core::to_unix_ms(*at) : 0,
                   d.value("message_id", int64_t{0})});
  }
  return out;
}

int64_t TgsimProcess::add_error(const nlohmann::json& rule) {
  return call("POST", "/errors", rule, 201).value("id", int64_t{0});
}

void TgsimProcess::clear_errors() { call("DELETE", "/errors", nullptr, 200); }

nlohmann::json TgsimProcess::errors() const {
  return call("GET", "/errors", nullptr, 200).value("errors", nlohmann::json::array());
}

}  // namespace hqadz::testing
