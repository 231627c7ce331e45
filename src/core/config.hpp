#pragma once
/// Settings of the whole process, read once by the composition root (src/app) from the
/// environment and an optional KEY=VALUE file (DESIGN section 8). Everything else receives the
/// parts it needs through its constructor.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "core/result.hpp"

namespace hqadz::core {

struct HostPort {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;
  std::string to_string() const;
};

/// "HOST:PORT", "[v6]:PORT" or ":PORT"; port 0 means "any free port".
Result<HostPort> parse_host_port(const std::string& s);

struct Config {
  std::string data_dir = "./data";
  std::string database_url;  // empty: sqlite in the data dir
  HostPort listen;
  std::string jwt_secret;  // empty: generated once, kept in the data dir
  std::string master_key;  // base64; empty: key file in the data dir
  std::string payment_provider = "manual";
  std::string nowpayments_api_url = "https://api.nowpayments.io/v1";
  std::string nowpayments_api_key;
  std::string nowpayments_ipn_secret;
  int nowpayments_timeout_ms = 10000;  // HQADZ_NOWPAYMENTS_TIMEOUT_MS
  std::string public_url;
  std::string smtp_url;
  std::string smtp_from = "hqadz <no-reply@localhost>";
  std::string telegram_dcs;
  int post_gap_min_seconds = 15;
  int post_gap_max_seconds = 60;
  bool post_gap_set = false;  // HQADZ_POST_GAP_SECONDS was given (the demo's shorter gap yields)
  std::string trusted_proxies;  // comma-separated addresses
  std::string web_dir;          // empty: found next to the binary or the working directory
  std::string log_level = "info";
  uint64_t body_limit_bytes = 1 << 20;
  int low_stock_threshold = 5;
  int access_token_ttl_seconds = 900;  // HQADZ_ACCESS_TOKEN_TTL_SECONDS

  /// The database URL actually used: HQADZ_DATABASE_URL or sqlite in the data dir.
  std::string effective_database_url() const;
};

using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

/// The process environment as an EnvLookup.
EnvLookup process_env();

/// Parses "KEY=VALUE" lines ('#' comments, blank lines, optional quotes around the value).
Result<std::map<std::string, std::string>> parse_config_file(const std::string& text);

/// Builds the Config: defaults, then `file` (if any), then the environment, which wins.
Result<Config> load_config(const EnvLookup& env,
                           const std::map<std::string, std::string>& file = {});

}  // namespace hqadz::core
