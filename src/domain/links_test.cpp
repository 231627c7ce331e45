#include "domain/links.hpp"

#include <gtest/gtest.h>

namespace hqadz::domain {
namespace {

TEST(PostLink, AcceptsTheUsualForms) {
  for (const char* s : {"https://t.me/MyChannel/42", "http://t.me/mychannel/42", "t.me/mychannel/42/",
                        "https://telegram.me/mychannel/42", "https://t.me/s/mychannel/42",
                        "  https://t.me/mychannel/42?single  ", "@mychannel/42"}) {
    auto p = parse_post_link(s);
    ASSERT_TRUE(p.ok()) << s << ": " << p.error().message;
    EXPECT_EQ(p->canonical(), "https://t.me/mychannel/42") << s;
  }
  auto priv = parse_post_link("https://t.me/c/1234567890/7");
  ASSERT_TRUE(priv.ok());
  EXPECT_EQ(priv->channel_id, 1234567890);
  EXPECT_EQ(priv->canonical(), "https://t.me/c/1234567890/7");
}

TEST(PostLink, RefusesWithReasons) {
  for (const char* s : {"", "https://example.com/a/1", "https://t.me/mychannel", "https://t.me/mychannel/0",
                        "https://t.me/mychannel/-5", "https://t.me/my-channel/5", "https://t.me/c/abc/5",
                        "https://t.me/mychannel/99999999999", "t.me/a/b/c/d", "javascript:alert(1)"}) {
    auto p = parse_post_link(s);
    ASSERT_FALSE(p.ok()) << s;
    EXPECT_EQ(p.error().code, "invalid_post_link");
    EXPECT_FALSE(p.error().message.empty());
  }
}

TEST(GroupTarget, NormalizesEveryForm) {
  const std::pair<const char*, const char*> cases[] = {
      {"@GroupName", "@groupname"},
      {"groupname", "@groupname"},
      {"t.me/groupname", "@groupname"},
      {"https://t.me/GroupName/", "@groupname"},
      {"https://t.me/groupname/123", "@groupname"},
      {"https://t.me/c/1234567890/55", "-1001234567890"},
      {"-1001234567890", "-1001234567890"},
      {"1234567890", "-1001234567890"},
  };
  for (auto [in, want] : cases) {
    auto g = parse_group_target(in);
    ASSERT_TRUE(g.ok()) << in << ": " << g.error().message;
    EXPECT_EQ(g->canonical, want) << in;
  }
}

TEST(GroupTarget, RefusesWithReasons) {
  for (const char* s : {"", "@ab", "https://t.me/+AbCdEf", "https://t.me/joinchat/AbCdEf", "-12345",
                        "https://evil.example/group", "@bad-name", "@name_", "t.me/c/", "@1abc"}) {
    auto g = parse_group_target(s);
    ASSERT_FALSE(g.ok()) << s;
    EXPECT_FALSE(g.error().message.empty());
  }
  EXPECT_NE(parse_group_target("https://t.me/+AbCdEf").error().message.find("invite"),
            std::string::npos);
}

// Found by fuzz/links_fuzz (fuzz/regressions/links_fuzz/group-private-link-id-too-large): a
// t.me/c/ link took any 19-digit id, whose canonical "-100<id>" form was then refused.
TEST(GroupTarget, CanonicalFormParsesBackForEveryAcceptedId) {
  for (const char* in : {"t.me/c/46874843348468", "https://t.me/c/9223372036854775807/1"}) {
    EXPECT_FALSE(parse_group_target(in).ok()) << in;
  }
  for (const char* in : {"t.me/c/9999999999999/1", "-1009999999999999", "9999999999999"}) {
    auto g = parse_group_target(in);
    ASSERT_TRUE(g.ok()) << in;
    auto again = parse_group_target(g->canonical);
    ASSERT_TRUE(again.ok()) << g->canonical;
    EXPECT_EQ(again->channel_id, g->channel_id);
  }
}

TEST(GroupList, DeduplicatesAndKeepsReasons) {
  auto list = parse_group_list({"@alpha_group", "https://t.me/Alpha_Group", "@beta_group", "nope!",
                                "-1009876543210", "t.me/c/9876543210/1"});
  ASSERT_EQ(list.accepted.size(), 3u);
  EXPECT_EQ(list.accepted[0].canonical, "@alpha_group");
  EXPECT_EQ(list.accepted[1].canonical, "@beta_group");
  EXPECT_EQ(list.accepted[2].canonical, "-1009876543210");
  ASSERT_EQ(list.rejected.size(), 1u);
  EXPECT_EQ(list.rejected[0].input, "nope!");
}

}  // namespace
}  // namespace hqadz::domain
