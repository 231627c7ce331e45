#pragma once
/// Test support: the `tgsim` binary as a child process, and its control API (tools/tgsim/README).

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "http_client.hpp"
#include "process.hpp"

namespace hqadz::testing {

struct TgsimAccount {
  int64_t id = 0;
  std::string username;
  std::string string_session;
};

/// One delivery from GET /deliveries; `at_ms` is Unix milliseconds.
struct TgsimDelivery {
  int64_t group = 0;
  int64_t account = 0;
  int64_t random_id = 0;
  int64_t at_ms = 0;
  int64_t message_id = 0;  // the message tgsim made in the group
};

class TgsimProcess {
 public:
  TgsimProcess();  // spawns `tgsim` on loopback, port 0 for both listeners
  bool ok() const { return control_port_ != 0; }
  HttpClient control() const { return HttpClient(control_port_); }
  /// The HQADZ_TELEGRAM_DCS value pointing at this tgsim.
  std::string dcs_config() const;

  TgsimAccount create_account(const std::string& username);
  int64_t create_channel(const std::string& username);
  int64_t add_post(int64_t channel, const std::string& text);
  int64_t create_group(const std::string& username, int slowmode_seconds = 0);
  void add_member(int64_t group, int64_t account);
  void set_flood(int per_minute, int wait_seconds);
  void set_faults(const nlohmann::json& faults);
  void account_action(int64_t account, const std::string& action);  // ban, deactivate, ...
  std::vector<TgsimDelivery> deliveries() const;
  /// Error injection (tools/tgsim/README.md): POST /errors, the rule's id.
  int64_t add_error(const nlohmann::json& rule);
  void clear_errors();
  /// GET /errors: the rules with their hits.
  nlohmann::json errors() const;

 private:
  nlohmann::json call(const std::string& method, const std::string& path,
                      const nlohmann::json& body, int expect) const;
  std::unique_ptr<Process> process_;
  uint16_t control_port_ = 0;
};

}  // namespace hqadz::testing
