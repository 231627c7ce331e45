#include "core/config.hpp"

#include <charconv>
#include <cstdlib>
#include <sstream>

namespace hqadz::core {
namespace {

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) {
    return {};
  }
  const auto e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

template <typename Int>
bool parse_int(const std::string& s, Int& out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && p == s.data() + s.size() && !s.empty();
}

Error bad(const std::string& key, const std::string& why) {
  return Error::invalid("bad_config", key + ": " + why);
}

}  // namespace

std::string HostPort::to_string() const {
  if (host.find(':') != std::string::npos) {
    return "[" + host + "]:" + std::to_string(port);
  }
  return host + ":" + std::to_string(port);
}

Result<HostPort> parse_host_port(const std::string& s) {
  const auto colon = s.rfind(':');
  if (colon == std::string::npos) {
    return Error::invalid("bad_listen", "expected HOST:PORT, got '" + s + "'");
  }
  HostPort hp;
  hp.host = s.substr(0, colon);
  if (hp.host.size() >= 2 && hp.host.front() == '[' && hp.host.back() == ']') {
    hp.host = hp.host.substr(1, hp.host.size() - 2);
  }
  if (hp.host.empty()) {
    hp.host = "0.0.0.0";
  }
  unsigned port = 0;
  if (!parse_int(s.substr(colon + 1), port) || port > 65535) {
    return Error::invalid("bad_listen", "bad port in '" + s + "'");
  }
  hp.port = static_cast<uint16_t>(port);
  return hp;
}

std::string Config::effective_database_url() const {
  if (!database_url.empty()) {
    return database_url;
  }
  return "sqlite://" + data_dir + "/hqadz.db";
}

EnvLookup process_env() {
  return [](const std::string& key) -> std::optional<std::string> {
    if (const char* v = std::getenv(key.c_str())) {
      return std::string(v);
    }
    return std::nullopt;
  };
}

Result<std::map<std::string, std::string>> parse_config_file(const std::string& text) {
  std::map<std::string, std::string> out;
  std::istringstream in(text);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    line = trim(line);
    if (line.empty() || line[0] == '#') {
      continue;
    }
    const auto eq = line.find('=');
    if (eq == std::string::npos) {
      return Error::invalid("bad_config", "line " + std::to_string(n) + ": expected KEY=VALUE");
    }
    std::string key = trim(line.substr(0, eq));
    std::string value = trim(line.substr(eq + 1));
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
        value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    }
    out[key] = value;
  }
  return out;
}

Result<Config> load_config(const EnvLookup& env, const std::map<std::string, std::string>& file) {
  auto get = [&](const std::string& key) -> std::optional<std::string> {
    if (auto v = env(key); v && !v->empty()) {
      return v;
    }
    if (auto it = file.find(key); it != file.end() && !it->second.empty()) {
      return it->second;
    }
    return std::nullopt;
  };
  Config c;
  auto str = [&](const char* key, std::string& field) {
    if (auto v = get(key)) {
      field = *v;
    }
  };
  str("HQADZ_DATA_DIR", c.data_dir);
  str("HQADZ_DATABASE_URL", c.database_url);
  str("HQADZ_JWT_SECRET", c.jwt_secret);
  str("HQADZ_MASTER_KEY", c.master_key);
  str("HQADZ_PAYMENT_PROVIDER", c.payment_provider);
  str("HQADZ_NOWPAYMENTS_API_URL", c.nowpayments_api_url);
  str("HQADZ_NOWPAYMENTS_API_KEY", c.nowpayments_api_key);
  str("HQADZ_NOWPAYMENTS_IPN_SECRET", c.nowpayments_ipn_secret);
  str("HQADZ_PUBLIC_URL", c.public_url);
  str("HQADZ_SMTP_URL", c.smtp_url);
  str("HQADZ_SMTP_FROM", c.smtp_from);
  str("HQADZ_TELEGRAM_DCS", c.telegram_dcs);
  str("HQADZ_TRUSTED_PROXIES", c.trusted_proxies);
  str("HQADZ_WEB_DIR", c.web_dir);
  str("HQADZ_LOG_LEVEL", c.log_level);

  if (auto v = get("HQADZ_LISTEN")) {
    auto hp = parse_host_port(*v);
    if (!hp) {
      return bad("HQADZ_LISTEN", hp.error().message);
    }
    c.listen = *hp;
  }
  if (auto v = get("HQADZ_POST_GAP_SECONDS")) {
    const auto dash = v->find('-');
    int lo = 0;
    int hi = 0;
    const std::string a = dash == std::string::npos ? *v : v->substr(0, dash);
    const std::string b = dash == std::string::npos ? *v : v->substr(dash + 1);
    if (!parse_int(a, lo) || !parse_int(b, hi) || lo < 0 || hi < lo) {
      return bad("HQADZ_POST_GAP_SECONDS", "expected MIN-MAX seconds, e.g. 15-60");
    }
    c.post_gap_min_seconds = lo;
    c.post_gap_max_seconds = hi;
    c.post_gap_set = true;
  }
  if (auto v = get("HQADZ_BODY_LIMIT_BYTES")) {
    if (!parse_int(*v, c.body_limit_bytes) || c.body_limit_bytes == 0) {
      return bad("HQADZ_BODY_LIMIT_BYTES", "expected a positive integer");
    }
  }
  if (auto v = get("HQADZ_NOWPAYMENTS_TIMEOUT_MS")) {
    if (!parse_int(*v, c.nowpayments_timeout_ms) || c.nowpayments_timeout_ms < 100) {
      return bad("HQADZ_NOWPAYMENTS_TIMEOUT_MS", "expected milliseconds (at least 100)");
    }
  }
  if (auto v = get("HQADZ_LOW_STOCK_THRESHOLD")) {
    if (!parse_int(*v, c.low_stock_threshold) || c.low_stock_threshold < 0) {
      return bad("HQADZ_LOW_STOCK_THRESHOLD", "expected a non-negative integer");
    }
  }
  if (auto v = get("HQADZ_ACCESS_TOKEN_TTL_SECONDS")) {
    if (!parse_int(*v, c.access_token_ttl_seconds) || c.access_token_ttl_seconds < 1 ||
        c.access_token_ttl_seconds > 86400) {
      return bad("HQADZ_ACCESS_TOKEN_TTL_SECONDS", "expected seconds between 1 and 86400");
    }
  }
  if (c.payment_provider != "manual" && c.payment_provider != "nowpayments") {
    return bad("HQADZ_PAYMENT_PROVIDER", "expected 'manual' or 'nowpayments'");
  }
  return c;
}

}  // namespace hqadz::core
