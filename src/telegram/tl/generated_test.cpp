#include <gtest/gtest.h>

#include <random>

#include "telegram/tl/generated/tl_types.hpp"

namespace hqadz::telegram::tl {
namespace {

template <typename T>
Bytes bytes_of(const T& v) {
  Writer w;
  v.serialize(w);
  return w.take();
}

// Parses all of `data` as T, failing if bytes are left over.
template <typename T>
core::Result<T> parse_all(ByteSpan data) {
  Reader r(data);
  auto v = T::parse(r);
  if (v.ok() && r.remaining() != 0) {
    return core::Error::invalid("trailing", "bytes left over");
  }
  return v;
}

User sample_user() {
  User u;
  u.self = true;
  u.bot = true;  // shares flags.14 with bot_info_version
  u.id = 123456789;
  u.access_hash = -42;
  u.first_name = "Ann";
  u.username = "ann";
  u.status = AnyUserStatus{UserStatusOffline{1700000000}};
  return u;
}

TEST(TlGenerated, LayerAndIds) {
  EXPECT_EQ(kLayer, 144);
  EXPECT_EQ(User::kId, 0x3ff6ecb0u);
  EXPECT_EQ(messages::ForwardMessages::kId, 0xcc30290bu);
  EXPECT_EQ(MsgContainer::kId, 0x73f1f8dcu);
}

TEST(TlGenerated, FlagsRoundTrip) {
  auto u = sample_user();
  auto data = bytes_of(u);
  auto back = parse_all<User>(data);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_TRUE(back->bot);
  // bot shares its bit with bot_info_version, which is therefore present (as zero).
  EXPECT_EQ(back->bot_info_version, 0);
  EXPECT_EQ(back->first_name, "Ann");
  EXPECT_FALSE(back->last_name.has_value());
  EXPECT_EQ(bytes_of(*back), data);
}

TEST(TlGenerated, WrapperDispatchesByConstructor) {
  AnyUser any{sample_user()};
  auto data = bytes_of(any);
  auto back = parse_all<AnyUser>(data);
  ASSERT_TRUE(back.ok());
  ASSERT_NE(back->get<User>(), nullptr);
  EXPECT_EQ(back->constructor_id(), User::kId);
  auto empty = parse_all<AnyUser>(bytes_of(AnyUser{UserEmpty{7}}));
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->get<UserEmpty>()->id, 7);
}

TEST(TlGenerated, UnmodelledConstructorsBecomeOpaqueAndRoundTrip) {
  // updateShort{update: updateChannelAvailableMessages} — a constructor we do not model.
  Writer w;
  w.write_uint32(UpdateShort::kId);
  w.write_uint32(
      0xb23fc698u);  // updateChannelAvailableMessages channel_id:long available_min_id:int
  w.write_long(77);
  w.write_int(5);
  w.write_int(1700000000);
  auto back = parse_all<AnyUpdates>(w.data());
  ASSERT_TRUE(back.ok()) << back.error().message;
  const auto* s = back->get<UpdateShort>();
  ASSERT_NE(s, nullptr);
  const auto* o = s->update.get<Opaque>();
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->id, 0xb23fc698u);
  EXPECT_EQ(o->bytes.size(), 16u);
  EXPECT_EQ(bytes_of(*back), w.data());
}

TEST(TlGenerated, OpaqueFieldsAreValidatedAgainstTheLayer) {
  Message m;
  m.id = 10;
  m.peer_id = AnyPeer{PeerChannel{99}};
  m.message = "hi";
  Writer media;
  media.write_uint32(0x56e0d474u);  // messageMediaGeo geo:GeoPoint
  media.write_uint32(
      0xb2a2f663u);  // geoPoint flags:# long lat access_hash accuracy_radius:flags.0?int
  media.write_uint32(1);
  media.write_double(1.5);
  media.write_double(2.5);
  media.write_long(3);
  media.write_int(4);
  Reader mr(media.data());
  m.media = AnyMessageMedia::read(mr);
  ASSERT_FALSE(mr.failed()) << mr.error().message;
  ASSERT_NE(m.media->get<Opaque>(), nullptr);
  auto data = bytes_of(AnyMessage{m});
  auto back = parse_all<AnyMessage>(data);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, AnyMessage{m});
  // The geo point's optional int is flagged but cut off: the whole message must fail.
  auto truncated = Bytes(data.begin(), data.end() - 8);
  EXPECT_FALSE(parse_all<AnyMessage>(truncated).ok());
}

TEST(TlGenerated, UnknownConstructorIsAnError) {
  Writer w;
  w.write_uint32(0xdeadbeefu);
  w.write_long(1);
  auto r = parse_all<AnyUser>(w.data());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "tl_unknown_constructor");
  // A constructor of another type is as unknown as a made-up one.
  Writer w2;
  w2.write_uint32(PeerUser::kId);
  w2.write_long(1);
  EXPECT_FALSE(parse_all<AnyUser>(w2.data()).ok());
  EXPECT_FALSE(parse_all<AnyUpdates>(w2.data()).ok());
}

TEST(TlGenerated, BoxedVectorResultAndBool) {
  Writer w;
  w.write_uint32(kVectorId);
  w.write_int(2);
  AnyUser{UserEmpty{1}}.serialize(w);
  AnyUser{sample_user()}.serialize(w);
  Reader r(w.data());
  auto users = users::GetUsers::parse_result(r);
  ASSERT_TRUE(users.ok());
  ASSERT_EQ(users->size(), 2u);
  EXPECT_NE((*users)[1].get<User>(), nullptr);

  Config c;
  c.test_mode = true;
  c.dc_options.push_back(DcOption{.static_ = true, .id = 2, .ip_address = "127.0.0.1", .port = 1});
  auto back = parse_all<Config>(bytes_of(c));
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(back->test_mode);
  EXPECT_TRUE(back->dc_options.at(0).static_);
  Writer bad;
  bad.write_uint32(Config::kId);
  bad.write_uint32(0);
  bad.write_int(0);
  bad.write_int(0);
  bad.write_uint32(0x12345678u);  // not boolTrue/boolFalse
  EXPECT_FALSE(parse_all<Config>(bad.data()).ok());
}

TEST(TlGenerated, GenericQueryKeepsTheInnerBytes) {
  InvokeWithLayer call;
  call.layer = kLayer;
  InitConnection init;
  init.api_id = 1;
  init.device_model = "PC";
  init.query = RawObject::of(help::GetConfig{});
  call.query = RawObject::of(init);
  auto data = bytes_of(call);
  auto back = parse_all<InvokeWithLayer>(data);
  ASSERT_TRUE(back.ok());
  Reader inner(back->query.bytes);
  auto init_back = InitConnection::parse(inner);
  ASSERT_TRUE(init_back.ok());
  EXPECT_EQ(init_back->query.bytes, bytes_of(help::GetConfig{}));
}

// Every prefix and random corruption of a valid object must parse or fail cleanly (ASan/UBSan
// watch for the rest).
TEST(TlGenerated, TruncatedAndCorruptInputFailsCleanly) {
  Updates ups;
  UpdateNewChannelMessage unm;
  Message m;
  m.id = 5;
  m.peer_id = AnyPeer{PeerChannel{1}};
  m.fwd_from = MessageFwdHeader{.from_id = AnyPeer{PeerChannel{2}}, .date = 3, .channel_post = 4};
  m.views = 10;
  unm.message = AnyMessage{m};
  ups.updates.push_back(AnyUpdate{UpdateMessageID{5, 99}});
  ups.updates.push_back(AnyUpdate{unm});
  ups.users.push_back(AnyUser{sample_user()});
  auto data = bytes_of(AnyUpdates{ups});
  ASSERT_TRUE(parse_all<AnyUpdates>(data).ok());
  for (std::size_t n = 0; n < data.size(); ++n) {
    EXPECT_FALSE(parse_all<AnyUpdates>(ByteSpan(data).first(n)).ok()) << n;
  }
  std::mt19937 rng(1);
  for (int i = 0; i < 2000; ++i) {
    auto copy = data;
    copy[rng() % copy.size()] = static_cast<std::uint8_t>(rng());
    auto r = parse_all<AnyUpdates>(copy);
    (void)r;
  }
}

}  // namespace
}  // namespace hqadz::telegram::tl
