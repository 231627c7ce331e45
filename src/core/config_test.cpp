#include "core/config.hpp"

#include <gtest/gtest.h>

namespace hqadz::core {
namespace {

EnvLookup env_of(std::map<std::string, std::string> m) {
  return [m](const std::string& k) -> std::optional<std::string> {
    auto it = m.find(k);
    if (it == m.end()) {
      return std::nullopt;
    }
    return it->second;
  };
}

}  // namespace

TEST(Config, DefaultsWorkWithNothingSet) {
  auto c = load_config(env_of({}));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->listen.to_string(), "127.0.0.1:8080");
  EXPECT_EQ(c->effective_database_url(), "sqlite://./data/hqadz.db");
  EXPECT_EQ(c->payment_provider, "manual");
  EXPECT_EQ(c->post_gap_min_seconds, 15);
  EXPECT_EQ(c->post_gap_max_seconds, 60);
}

TEST(Config, EnvironmentWinsOverFile) {
  auto file = parse_config_file("# comment\nHQADZ_LISTEN = 0.0.0.0:9000\nHQADZ_LOG_LEVEL=\"debug\"\n");
  ASSERT_TRUE(file.ok());
  auto c = load_config(env_of({{"HQADZ_LISTEN", "[::1]:0"}}), *file);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->listen.host, "::1");
  EXPECT_EQ(c->listen.port, 0);
  EXPECT_EQ(c->log_level, "debug");
}

TEST(Config, RejectsBadValuesWithTheKeyNamed) {
  auto c = load_config(env_of({{"HQADZ_POST_GAP_SECONDS", "60-15"}}));
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("HQADZ_POST_GAP_SECONDS"), std::string::npos);
  EXPECT_FALSE(load_config(env_of({{"HQADZ_LISTEN", "nope"}})).ok());
  EXPECT_FALSE(load_config(env_of({{"HQADZ_LISTEN", "h:70000"}})).ok());
  EXPECT_FALSE(load_config(env_of({{"HQADZ_PAYMENT_PROVIDER", "paypal"}})).ok());
  EXPECT_FALSE(parse_config_file("JUSTAWORD\n").ok());
}

TEST(Config, GapAcceptsASingleNumber) {
  auto c = load_config(env_of({{"HQADZ_POST_GAP_SECONDS", "0"}}));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->post_gap_min_seconds, 0);
  EXPECT_EQ(c->post_gap_max_seconds, 0);
}

}  // namespace hqadz::core
