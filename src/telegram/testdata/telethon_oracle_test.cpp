// Telethon 1.25.1 as an oracle: its MTProtoState, TL classes and packet codecs against ours.
// Runs testdata/telethon_oracle.py under Debian's /usr/bin/python3 (never the pyenv python3).
#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "telegram/mtproto/inbound_checks.hpp"
#include "telegram/mtproto/message_crypto.hpp"
#include "telegram/tl/generated/tl_types.hpp"
#include "telegram/transport/codec.hpp"

namespace hqadz::telegram {
namespace {

// Runs the oracle with hex/decimal arguments and returns its stdout.
std::string oracle(const std::string& args) {
  std::string cmd = std::string(HQADZ_SYSTEM_PYTHON) + " " + HQADZ_TG_TESTDATA +
                    "/telethon_oracle.py " + args + " 2>&1";
  std::string out;
  FILE* pipe = popen(cmd.c_str(), "r");
  if (pipe == nullptr) {
    ADD_FAILURE() << "cannot run " << cmd;
    return out;
  }
  std::array<char, 4096> buf{};
  std::size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) {
    out.append(buf.data(), n);
  }
  int status = pclose(pipe);
  EXPECT_EQ(status, 0) << cmd << "\n" << out;
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) {
    out.pop_back();
  }
  return out;
}

mtproto::AuthKey test_key() {
  tl::Bytes raw(256);
  for (std::size_t i = 0; i < raw.size(); ++i) {
    raw[i] = static_cast<std::uint8_t>(i * 31 + 7);
  }
  return mtproto::AuthKey::from_bytes(raw).value();
}

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

TEST(TelethonOracle, TelethonEncryptsWeDecrypt) {
  auto key = test_key();
  tl::Writer body;
  tl::PingDelayDisconnect{77, 75}.serialize(body);
  std::int64_t salt = -1234567;
  std::int64_t session = 0x1122334455667788;
  std::int64_t msg_id = now_seconds() << 32 | 0x1000;  // client ids are multiples of 4
  auto wire_hex = oracle("client_encrypt " + tl::to_hex(key.bytes()) + " " + std::to_string(salt) +
                         " " + std::to_string(session) + " " + std::to_string(msg_id) + " 3 " +
                         tl::to_hex(body.data()));
  auto wire = tl::from_hex(wire_hex);
  ASSERT_FALSE(wire.empty()) << wire_hex;
  auto m = mtproto::decrypt_message(key, mtproto::Sender::kClient, wire);
  ASSERT_TRUE(m.ok()) << mtproto::to_string(m.error());
  EXPECT_EQ(m->salt, salt);
  EXPECT_EQ(m->session_id, session);
  EXPECT_EQ(m->msg_id, msg_id);
  EXPECT_EQ(m->seq_no, 3);
  EXPECT_EQ(m->body, body.data());
  // The server-side session checks accept it too.
  core::SystemClock clock;
  mtproto::InboundChecker checker(clock, {.sender = mtproto::Sender::kClient});
  checker.reset(session);
  EXPECT_TRUE(checker.check(*m, {}).ok());
}

TEST(TelethonOracle, WeEncryptTelethonDecrypts) {
  auto key = test_key();
  std::int64_t session = -42;
  std::int64_t msg_id = now_seconds() << 32 | 0x2001;  // server ids are odd
  tl::Writer body;
  tl::Pong{0x5555, 0x6666}.serialize(body);
  mtproto::SecureRandom random;
  auto wire = mtproto::encrypt_message(key, mtproto::Sender::kServer,
                                       {99, session, msg_id, 7, body.data()}, random);
  auto out = oracle("client_decrypt " + tl::to_hex(key.bytes()) + " " + std::to_string(session) +
                    " " + tl::to_hex(wire));
  auto j = nlohmann::json::parse(out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << out;
  EXPECT_EQ(j["msg_id"].get<std::int64_t>(), msg_id);
  EXPECT_EQ(j["seq_no"].get<std::int32_t>(), 7);
  EXPECT_EQ(j["type"].get<std::string>(), "Pong");
  EXPECT_EQ(j["body"].get<std::string>(), tl::to_hex(body.data()));
}

// Parses `hex` as T, requires every byte consumed, and re-serializes.
template <typename T>
core::Result<T> round_trip(const std::string& name, const tl::Bytes& data) {
  tl::Reader r(data);
  auto v = T::parse(r);
  EXPECT_TRUE(v.ok()) << name << ": " << (v.ok() ? "" : v.error().message);
  if (!v.ok()) {
    return v;
  }
  EXPECT_EQ(r.remaining(), 0u) << name;
  tl::Writer w;
  v->serialize(w);
  EXPECT_EQ(tl::to_hex(w.data()), tl::to_hex(data)) << name;
  return v;
}

TEST(TelethonOracle, TelethonSerializesWeParseAndReserializeIdentically) {
  auto list = nlohmann::json::parse(oracle("serialize"), nullptr, false);
  ASSERT_TRUE(list.is_array());
  using Check = std::function<void(const std::string&, const tl::Bytes&)>;
  auto plain = [](auto tag) -> Check {
    using T = typename decltype(tag)::type;
    return [](const std::string& name, const tl::Bytes& data) { (void)round_trip<T>(name, data); };
  };
  std::map<std::string, Check> checks = {
      {"ForwardMessagesRequest",
       [](const std::string& n, const tl::Bytes& d) {
         auto f = round_trip<tl::messages::ForwardMessages>(n, d);
         ASSERT_TRUE(f.ok());
         EXPECT_TRUE(f->drop_author);
         EXPECT_TRUE(f->noforwards);
         EXPECT_FALSE(f->silent);
         EXPECT_EQ(f->random_id, (std::vector<std::int64_t>{5, -6, 7LL << 40}));
         EXPECT_NE(f->send_as->get<tl::InputPeerSelf>(), nullptr);
       }},
      {"User",
       [](const std::string& n, const tl::Bytes& d) {
         auto u = round_trip<tl::AnyUser>(n, d);
         ASSERT_TRUE(u.ok());
         const auto* user = u->get<tl::User>();
         ASSERT_NE(user, nullptr);
         EXPECT_TRUE(user->self);
         EXPECT_EQ(user->access_hash, -42);
         EXPECT_EQ(user->first_name, "Ann");
         EXPECT_EQ(user->bot_info_version, 3);
       }},
      {"UpdateShortSentMessage", plain(std::type_identity<tl::AnyUpdates>{})},
      {"InvokeWithLayerRequest",
       [](const std::string& n, const tl::Bytes& d) {
         auto call = round_trip<tl::InvokeWithLayer>(n, d);
         ASSERT_TRUE(call.ok());
         EXPECT_EQ(call->layer, tl::kLayer);
         tl::Reader r(call->query.bytes);
         auto init = tl::InitConnection::parse(r);
         ASSERT_TRUE(init.ok());
         EXPECT_EQ(init->device_model, "PC 64bit");
         tl::Reader q(init->query.bytes);
         EXPECT_TRUE(tl::help::GetConfig::parse(q).ok());
       }},
      {"Updates",
       [](const std::string& n, const tl::Bytes& d) {
         auto u = round_trip<tl::AnyUpdates>(n, d);
         ASSERT_TRUE(u.ok());
         const auto* ups = u->get<tl::Updates>();
         ASSERT_NE(ups, nullptr);
         ASSERT_EQ(ups->updates.size(), 3u);
         EXPECT_EQ(ups->updates[0].get<tl::UpdateMessageID>()->random_id, -5);
         const auto* msg =
             ups->updates[1].get<tl::UpdateNewChannelMessage>()->message.get<tl::Message>();
         ASSERT_NE(msg, nullptr);
         EXPECT_EQ(msg->fwd_from->channel_post, 3);
         EXPECT_NE(msg->media->get<tl::Opaque>(), nullptr);  // messageMediaGeo: not modelled
         EXPECT_NE(ups->updates[2].get<tl::Opaque>(), nullptr);
       }},
      {"Config", plain(std::type_identity<tl::Config>{})},
      {"ResolvedPeer", plain(std::type_identity<tl::contacts::ResolvedPeer>{})},
      {"ChannelMessages", plain(std::type_identity<tl::messages::AnyMessages>{})},
      {"Dialogs", plain(std::type_identity<tl::messages::AnyDialogs>{})},
      {"State", plain(std::type_identity<tl::updates::State>{})},
      {"GetUsersRequest", plain(std::type_identity<tl::users::GetUsers>{})},
      {"ResolveUsernameRequest", plain(std::type_identity<tl::contacts::ResolveUsername>{})},
      {"JoinChannelRequest", plain(std::type_identity<tl::channels::JoinChannel>{})},
      {"GetDialogsRequest", plain(std::type_identity<tl::messages::GetDialogs>{})},
      {"ChannelsGetMessagesRequest", plain(std::type_identity<tl::channels::GetMessages>{})},
      {"GetStateRequest", plain(std::type_identity<tl::updates::GetState>{})},
      {"RpcError", plain(std::type_identity<tl::RpcError>{})},
      {"BadServerSalt", plain(std::type_identity<tl::AnyBadMsgNotification>{})},
      {"NewSessionCreated", plain(std::type_identity<tl::NewSessionCreated>{})},
      {"MsgsAck", plain(std::type_identity<tl::MsgsAck>{})},
      {"FutureSalts", plain(std::type_identity<tl::FutureSalts>{})},
      {"Pong", plain(std::type_identity<tl::Pong>{})},
      {"PingDelayDisconnectRequest", plain(std::type_identity<tl::PingDelayDisconnect>{})},
      {"ReqPqMultiRequest", plain(std::type_identity<tl::ReqPqMulti>{})},
  };
  std::size_t seen = 0;
  for (const auto& item : list) {
    auto name = item["name"].get<std::string>();
    auto it = checks.find(name);
    ASSERT_NE(it, checks.end()) << "no check for " << name;
    it->second(name, tl::from_hex(item["hex"].get<std::string>()));
    ++seen;
  }
  EXPECT_EQ(seen, checks.size());
}

TEST(TelethonOracle, PacketCodecsMatch) {
  tl::Bytes a{1, 2, 3, 4};
  tl::Bytes b(300, 0x42);
  transport::FullCodec full;
  auto ours = full.encode(a);
  auto second = full.encode(b);
  ours.insert(ours.end(), second.begin(), second.end());
  EXPECT_EQ(tl::to_hex(ours), oracle("full_encode " + tl::to_hex(a) + " " + tl::to_hex(b)));
  transport::IntermediateCodec inter(transport::Role::kClient);
  auto mine = inter.encode(a);
  auto more = inter.encode(b);
  mine.insert(mine.end(), more.begin(), more.end());
  EXPECT_EQ(tl::to_hex(mine), oracle("intermediate_encode " + tl::to_hex(a) + " " + tl::to_hex(b)));
}

}  // namespace
}  // namespace hqadz::telegram
