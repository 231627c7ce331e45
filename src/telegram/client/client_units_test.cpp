// Pure pieces of the client: DC table, containers, gzip, msg ids, links.
#include <gtest/gtest.h>

#include "core/clock.hpp"
#include "telegram/client/dc_table.hpp"
#include "telegram/client/rpc_errors.hpp"
#include "telegram/client/salvage.hpp"
#include "telegram/client/service_messages.hpp"
#include "telegram/client/session_tool.hpp"
#include "telegram/tl/generated/tl_types.hpp"

namespace hqadz::telegram {
namespace {

TEST(DcTable, DefaultsAndOverride) {
  auto d = DcTable::telegram_defaults();
  EXPECT_EQ(d.dcs().size(), 5u);
  EXPECT_EQ(d.rsa_keys().size(), 8u);
  EXPECT_EQ(d.find(2)->host, "149.154.167.51");
  auto t = DcTable::parse(R"({"dcs":[{"id":2,"host":"127.0.0.1","port":4000}]})");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->find(2)->port, 4000);
  EXPECT_EQ(t->find(1), nullptr);
  EXPECT_EQ(t->rsa_keys().size(), 8u);  // keys default when not given
  auto round = DcTable::parse(t->to_json());
  ASSERT_TRUE(round.ok());
  EXPECT_EQ(round->find(2)->host, "127.0.0.1");
  for (const char* bad : {"", "[]", R"({"dcs":[]})", R"({"dcs":[{"id":2,"host":"x"}]})",
                          R"({"dcs":[{"id":2,"host":"h","port":70000}]})",
                          R"({"dcs":[{"id":2,"host":"h","port":1}],"rsa_public_keys":["x"]})"}) {
    auto r = DcTable::parse(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, "bad_telegram_dcs");
  }
  EXPECT_TRUE(DcTable::from_setting("").ok());
}

TEST(ServiceMessages, ContainerAndGzipRoundTrip) {
  std::vector<InnerMessage> in = {{4, 1, {1, 2, 3, 4}}, {8, 2, {5, 6, 7, 8, 9, 10, 11, 12}}};
  auto c = build_container(in);
  auto out = parse_container(c);
  ASSERT_TRUE(out.ok());
  ASSERT_EQ(out->size(), 2u);
  EXPECT_EQ((*out)[1].body, in[1].body);
  c.resize(c.size() - 4);  // truncated: an inner length now overruns
  EXPECT_FALSE(parse_container(c).ok());

  tl::Bytes data(5000, 7);
  auto packed = gzip_pack(data);
  EXPECT_LT(packed.size(), data.size());
  auto unpacked = gzip_unpack(packed);
  ASSERT_TRUE(unpacked.ok());
  EXPECT_EQ(*unpacked, data);
  EXPECT_FALSE(gzip_unpack(packed, 100).ok());  // inflation bomb guard
}

TEST(ServiceMessages, PlainAndMsgIds) {
  auto w = wrap_plain(1234, tl::Bytes{1, 2, 3, 4});
  auto e = unwrap_plain(w);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->msg_id, 1234);
  w.push_back(0);
  EXPECT_FALSE(unwrap_plain(w).ok());

  core::ManualClock clock;
  MsgIdSource ids(clock);
  auto a = ids.next(MsgIdSource::Kind::kClient);
  auto b = ids.next(MsgIdSource::Kind::kClient);
  EXPECT_EQ(a % 4, 0);
  EXPECT_GT(b, a);
  EXPECT_EQ(ids.next(MsgIdSource::Kind::kServerResponse) % 4, 1);
  EXPECT_EQ(ids.next(MsgIdSource::Kind::kServerOther) % 4, 3);
  EXPECT_EQ(a >> 32, 1'700'000'000);
}

// A constructor id no layer-144 table knows: a fixture standing for a newer layer's object.
constexpr std::uint32_t kUnknownId = 0xdeadbeefu;

TEST(Salvage, ForwardIdFromTheUpdatesReadBeforeAnUnknownConstructor) {
  tl::Writer w;
  w.write_uint32(tl::Updates::kId);
  w.write_uint32(tl::kVectorId);
  w.write_int(2);
  tl::AnyUpdate{tl::UpdateMessageID{41, 7}}.serialize(w);
  w.write_uint32(kUnknownId);  // an update of a newer layer: nothing after it can be read
  w.write_int(123);
  auto bytes = w.take();
  tl::Reader r(bytes);
  EXPECT_FALSE(tl::messages::ForwardMessages::parse_result(r).ok());
  EXPECT_EQ(r.unknown_constructor(), kUnknownId);
  EXPECT_EQ(salvage::forward_message_id(bytes, 7), 41);
  EXPECT_EQ(salvage::forward_message_id(bytes, 8), std::nullopt);  // not our random_id
}

TEST(Salvage, ForwardIdScannedWhenTheUpdateComesAfterTheUnknownOne) {
  tl::Writer w;
  w.write_uint32(tl::Updates::kId);
  w.write_uint32(tl::kVectorId);
  w.write_int(2);
  w.write_uint32(kUnknownId);
  w.write_int(5);
  tl::AnyUpdate{tl::UpdateMessageID{99, -1234567890123LL}}.serialize(w);
  auto bytes = w.take();
  EXPECT_EQ(salvage::forward_message_id(bytes, -1234567890123LL), 99);
  EXPECT_EQ(salvage::scan_message_id(bytes, -1234567890123LL), 99);
  EXPECT_EQ(salvage::scan_message_id(bytes, 1), std::nullopt);
  EXPECT_EQ(salvage::scan_message_id({}, 1), std::nullopt);
}

TEST(SessionTool, Links) {
  auto p = parse_post_link("https://t.me/news_src/42");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->username, "news_src");
  EXPECT_EQ(p->post_id, 42);
  EXPECT_TRUE(parse_post_link("t.me/news_src/7").ok());
  EXPECT_FALSE(parse_post_link("https://t.me/c/123/4").ok());
  EXPECT_FALSE(parse_post_link("https://t.me/news_src").ok());
  EXPECT_FALSE(parse_post_link("https://t.me/news_src/x").ok());
  EXPECT_EQ(parse_chat_link("@group_one").value(), "group_one");
  EXPECT_EQ(parse_chat_link("https://t.me/group_one/").value(), "group_one");
  EXPECT_FALSE(parse_chat_link("https://t.me/+abcdef").ok());
  auto j = error_json(rpc_error_from(420, "FLOOD_WAIT_5"));
  EXPECT_EQ(j["error"]["code"], "FLOOD_WAIT_5");
  EXPECT_EQ(j["error"]["kind"], "ACCOUNT_WAIT");
  EXPECT_EQ(j["error"]["message"], "FLOOD_WAIT_5 (420), wait 5 s");
}

}  // namespace
}  // namespace hqadz::telegram
