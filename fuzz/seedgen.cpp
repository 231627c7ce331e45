// Writes the seed corpora of the fuzz targets, deterministically, from the project's own
// encoders: small, real-ish inputs (fuzz/README.md). Usage: fuzz_seedgen <fuzz/corpus dir>.
// Re-running it rewrites the same files byte for byte.
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "payments/ipn_signature.hpp"
#include "telegram/client/service_messages.hpp"
#include "telegram/mtproto/auth_key.hpp"
#include "telegram/mtproto/message_crypto.hpp"
#include "telegram/mtproto/random.hpp"
#include "telegram/session/session_data.hpp"
#include "telegram/transport/codec.hpp"
#include "tl_fuzz_entries.hpp"

namespace fs = std::filesystem;
namespace tg = hqadz::telegram;
namespace tl = hqadz::telegram::tl;
namespace mt = hqadz::telegram::mtproto;
namespace tr = hqadz::telegram::transport;

namespace {

fs::path g_root;
int g_written = 0;

void write(const std::string& target, const std::string& name, std::string_view bytes) {
  const fs::path dir = g_root / target;
  fs::create_directories(dir);
  std::ofstream out(dir / name, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  ++g_written;
}

void write(const std::string& target, const std::string& name, const tl::Bytes& bytes) {
  write(target, name, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

tl::Bytes cat(std::initializer_list<tl::ByteSpan> parts) {
  tl::Bytes out;
  for (auto p : parts) {
    out.insert(out.end(), p.begin(), p.end());
  }
  return out;
}

template <typename T>
tl::Bytes bytes_of(const T& v) {
  tl::Writer w;
  v.serialize(w);
  return w.take();
}

// ---- tl_fuzz -------------------------------------------------------------------------------

std::uint8_t tl_selector(std::string_view name) {
  namespace t = hqadz::fuzz::tl_target;
  for (std::size_t i = 0; i < std::size(t::kEntries); ++i) {
    if (name == t::kEntries[i].name) {
      return static_cast<std::uint8_t>(i);
    }
  }
  std::fprintf(stderr, "seedgen: no tl_fuzz entry %.*s\n", static_cast<int>(name.size()),
               name.data());
  std::exit(1);
}

// A seed for round_trip<T> (the entry named like the type).
template <typename T>
void tl_seed(const std::string& entry, const std::string& file, const T& value) {
  tl::Bytes b{tl_selector(entry)};
  auto body = bytes_of(value);
  b.insert(b.end(), body.begin(), body.end());
  write("tl_fuzz", file, b);
}

// A seed for function<F>: a request (odd byte) or a result (even byte).
void tl_function_seed(const std::string& entry, const std::string& file, bool request,
                      const tl::Bytes& body) {
  tl::Bytes b{tl_selector(entry), static_cast<std::uint8_t>(request ? 1 : 0)};
  b.insert(b.end(), body.begin(), body.end());
  write("tl_fuzz", file, b);
}

std::uint16_t layer_type(std::string_view name) {
  const auto& t = tl::layer_tables();
  for (std::size_t i = 0; i < t.type_names.size(); ++i) {
    if (name == t.type_names[i]) {
      return static_cast<std::uint16_t>(i);
    }
  }
  std::fprintf(stderr, "seedgen: no layer type %.*s\n", static_cast<int>(name.size()), name.data());
  std::exit(1);
}

tl::User sample_user() {
  tl::User u;
  u.self = true;
  u.bot = true;
  u.id = 123456789;
  u.access_hash = -42;
  u.first_name = "Ann";
  u.username = "ann";
  u.status = tl::AnyUserStatus{tl::UserStatusOffline{1700000000}};
  return u;
}

tl::Channel sample_channel() {
  tl::Channel c;
  c.megagroup = true;
  c.slowmode_enabled = true;
  c.id = 1234567890;
  c.access_hash = 987654321;
  c.title = "Crypto chat";
  c.username = "cryptochat";
  c.date = 1700000000;
  c.participants_count = 4200;
  return c;
}

tl::Bytes geo_media() {
  tl::Writer media;
  media.write_uint32(0x56e0d474u);  // messageMediaGeo geo:GeoPoint
  media.write_uint32(0xb2a2f663u);  // geoPoint flags:# long lat access_hash accuracy_radius
  media.write_uint32(1);
  media.write_double(1.5);
  media.write_double(2.5);
  media.write_long(3);
  media.write_int(4);
  return media.take();
}

void tl_seeds() {
  tl::Message m;
  m.id = 5;
  m.peer_id = tl::AnyPeer{tl::PeerChannel{1}};
  m.fwd_from = tl::MessageFwdHeader{
      .from_id = tl::AnyPeer{tl::PeerChannel{2}}, .date = 3, .channel_post = 4};
  m.message = "hello from the channel";
  m.views = 10;
  tl::UpdateNewChannelMessage unm;
  unm.message = tl::AnyMessage{m};
  tl::Updates ups;
  ups.updates.push_back(tl::AnyUpdate{tl::UpdateMessageID{5, 99}});
  ups.updates.push_back(tl::AnyUpdate{unm});
  ups.users.push_back(tl::AnyUser{sample_user()});
  ups.chats.push_back(tl::AnyChat{sample_channel()});
  ups.date = 1700000000;
  ups.seq = 7;
  tl_seed("round_trip<tl::AnyUpdates>", "updates_forward", tl::AnyUpdates{ups});
  tl_seed("round_trip<tl::AnyUpdates>", "updates_too_long", tl::AnyUpdates{});

  // updateShort{updateChannelAvailableMessages}: a constructor we do not model (Opaque).
  tl::Writer w;
  w.write_uint32(tl::UpdateShort::kId);
  w.write_uint32(0xb23fc698u);
  w.write_long(77);
  w.write_int(5);
  w.write_int(1700000000);
  {
    tl::Bytes b{tl_selector("round_trip<tl::AnyUpdates>")};
    auto body = w.take();
    b.insert(b.end(), body.begin(), body.end());
    write("tl_fuzz", "updates_short_opaque", b);
  }

  tl::Message with_media = m;
  {
    auto media = geo_media();
    tl::Reader mr(media);
    with_media.media = tl::AnyMessageMedia::read(mr);
  }
  tl_seed("round_trip<tl::AnyMessage>", "message_geo_media", tl::AnyMessage{with_media});
  tl_seed("round_trip<tl::AnyUser>", "user", tl::AnyUser{sample_user()});
  tl_seed("round_trip<tl::AnyUser>", "user_empty", tl::AnyUser{tl::UserEmpty{7}});
  tl_seed("round_trip<tl::AnyChat>", "channel", tl::AnyChat{sample_channel()});
  tl_seed("round_trip<tl::AnyPeer>", "peer_channel", tl::AnyPeer{tl::PeerChannel{42}});
  tl_seed("round_trip<tl::AnyInputPeer>", "input_peer_channel",
          tl::AnyInputPeer{tl::InputPeerChannel{42, 43}});
  tl_seed("round_trip<tl::AnyBadMsgNotification>", "bad_server_salt",
          tl::AnyBadMsgNotification{tl::BadServerSalt{1, 2, 48, 3}});
  tl_seed("round_trip<tl::RpcError>", "rpc_error", tl::RpcError{420, "FLOOD_WAIT_30"});
  tl_seed("round_trip<tl::NewSessionCreated>", "new_session", tl::NewSessionCreated{1, 2, 3});
  tl_seed("round_trip<tl::MsgsAck>", "msgs_ack", tl::MsgsAck{{4, 8, 12}});
  tl::ResPQ res;
  res.nonce[0] = 1;
  res.server_nonce[0] = 2;
  res.pq = std::string("\x17\xed\x48\x94\x1a\x08\xf9\x81", 8);
  res.server_public_key_fingerprints = {-3414540481677951611LL};
  tl_seed("round_trip<tl::ResPQ>", "res_pq", res);

  tl::Config c;
  c.test_mode = true;
  c.dc_options.push_back(
      tl::DcOption{.static_ = true, .id = 2, .ip_address = "127.0.0.1", .port = 443});
  c.dc_options.push_back(tl::DcOption{.ipv6 = true, .id = 2, .ip_address = "::1", .port = 443});
  tl_seed("round_trip<tl::Config>", "config", c);

  tl::contacts::ResolvedPeer rp;
  rp.peer = tl::AnyPeer{tl::PeerChannel{1234567890}};
  rp.chats.push_back(tl::AnyChat{sample_channel()});
  tl_seed("round_trip<tl::contacts::ResolvedPeer>", "resolved_peer", rp);

  tl::RpcResult rr;
  rr.req_msg_id = 1;
  rr.result = tl::RawObject::of(tl::RpcError{400, "CHANNEL_INVALID"});
  tl_seed("round_trip<tl::RpcResult>", "rpc_result", rr);

  tl::InvokeWithLayer call;
  call.layer = tl::kLayer;
  tl::InitConnection init;
  init.api_id = 1;
  init.device_model = "PC";
  init.system_version = "Linux";
  init.app_version = "1.0";
  init.system_lang_code = "en";
  init.lang_code = "en";
  init.query = tl::RawObject::of(tl::help::GetConfig{});
  call.query = tl::RawObject::of(init);
  tl_seed("round_trip<tl::InvokeWithLayer>", "invoke_with_layer", call);

  tl::messages::ForwardMessages fwd;
  fwd.from_peer = tl::AnyInputPeer{tl::InputPeerChannel{1, 2}};
  fwd.id = {10};
  fwd.random_id = {777};
  fwd.to_peer = tl::AnyInputPeer{tl::InputPeerChannel{3, 4}};
  tl_function_seed("function<tl::messages::ForwardMessages>", "forward_request", true,
                   bytes_of(fwd));
  tl_function_seed("function<tl::messages::ForwardMessages>", "forward_result", false,
                   bytes_of(tl::AnyUpdates{ups}));

  tl::Writer users;
  users.write_uint32(tl::kVectorId);
  users.write_int(2);
  tl::AnyUser{tl::UserEmpty{1}}.serialize(users);
  tl::AnyUser{sample_user()}.serialize(users);
  tl_function_seed("function<tl::users::GetUsers>", "get_users_result", false, users.take());
  tl::contacts::ResolveUsername resolve;
  resolve.username = "cryptochat";
  tl_function_seed("function<tl::contacts::ResolveUsername>", "resolve_request", true,
                   bytes_of(resolve));
  tl_function_seed("function<tl::contacts::ResolveUsername>", "resolve_result", false,
                   bytes_of(rp));
  tl_function_seed("function<tl::ReqPqMulti>", "req_pq_result", false, bytes_of(res));

  // Opaque: a layer type by index, then its bytes.
  auto opaque_seed = [](const std::string& file, std::string_view type, const tl::Bytes& body) {
    const std::uint16_t t = layer_type(type);
    tl::Bytes b{tl_selector("opaque"), static_cast<std::uint8_t>(t & 0xff),
                static_cast<std::uint8_t>(t >> 8)};
    b.insert(b.end(), body.begin(), body.end());
    write("tl_fuzz", file, b);
  };
  opaque_seed("opaque_geo_media", "MessageMedia", geo_media());
  opaque_seed("opaque_updates", "Updates", bytes_of(tl::AnyUpdates{ups}));
  opaque_seed("opaque_user", "User", bytes_of(tl::AnyUser{sample_user()}));
}

// ---- transport_fuzz ------------------------------------------------------------------------

void transport_seeds() {
  const tl::Bytes req = tg::wrap_plain(0x5f0000000000a004LL, bytes_of(tl::ReqPqMulti{}));
  const tl::Bytes ack = bytes_of(tl::MsgsAck{{4, 8}});
  // Header byte: bit 0 intermediate, bit 1 server side, bits 2-3 payload cap; then chunk seed.
  auto seed = [](const std::string& file, std::uint8_t header, std::uint8_t chunks,
                 const tl::Bytes& stream) {
    tl::Bytes b{header, chunks};
    b.insert(b.end(), stream.begin(), stream.end());
    write("transport_fuzz", file, b);
  };
  {
    tr::FullCodec server;  // what a client reads
    auto s = cat({server.encode(req), server.encode(ack), server.encode_error(-404)});
    seed("full_client_reads", 0x00, 0, s);
    seed("full_client_reads_chunked", 0x00, 7, s);
    seed("full_small_cap", 0x04, 3, s);
  }
  {
    tr::FullCodec client;  // what a server reads (same framing both ways)
    seed("full_server_reads", 0x02, 5, cat({client.encode(req), client.encode(ack)}));
  }
  {
    tr::IntermediateCodec client(tr::Role::kClient);
    seed("intermediate_server_reads", 0x03, 0, cat({client.encode(req), client.encode(ack)}));
    seed("intermediate_server_reads_chunked", 0x03, 11, cat({client.encode(ack)}));
  }
  {
    tr::IntermediateCodec server(tr::Role::kServer);
    seed("intermediate_client_reads", 0x01, 2,
         cat({server.encode(req), server.encode_error(-429), server.encode(ack)}));
    seed("intermediate_cap_64", 0x09, 0, cat({server.encode(tl::Bytes(128, 0x11))}));
  }
}

// ---- mtproto_fuzz --------------------------------------------------------------------------

class CountingRandom final : public mt::Random {
 public:
  void fill(std::span<std::uint8_t> out) override {
    for (auto& b : out) {
      b = static_cast<std::uint8_t>(n_++ * 31 + 7);
    }
  }

 private:
  unsigned n_ = 0;
};

// The key mtproto_fuzz uses (fuzz/mtproto_fuzz.cpp).
mt::AuthKey fuzz_key() {
  tl::Bytes raw(mt::AuthKey::kSize);
  for (std::size_t i = 0; i < raw.size(); ++i) {
    raw[i] = static_cast<std::uint8_t>(i * 7 + 3);
  }
  return *mt::AuthKey::from_bytes(raw);
}

void mtproto_seeds() {
  auto seed = [](const std::string& file, std::uint8_t selector, const tl::Bytes& body) {
    tl::Bytes b{selector};
    b.insert(b.end(), body.begin(), body.end());
    write("mtproto_fuzz", file, b);
  };
  const tl::Bytes ack = bytes_of(tl::MsgsAck{{4, 8}});
  const tl::Bytes err = bytes_of(tl::RpcError{420, "FLOOD_WAIT_3"});
  const std::int64_t base_id = (std::int64_t{1700000000} << 32) | 1;

  seed("plain_req_pq", 0, tg::wrap_plain(0x5f0000000000a004LL, bytes_of(tl::ReqPqMulti{})));
  seed("container", 1, tg::build_container({{base_id, 1, ack}, {base_id + 4, 3, err}}));
  seed("gzip_packed", 2, tg::gzip_pack(bytes_of(tl::AnyUser{sample_user()})));

  const auto key = fuzz_key();
  CountingRandom random;
  mt::PlainMessage pm{.salt = 7, .session_id = 42, .msg_id = base_id, .seq_no = 1, .body = ack};
  seed("wire_from_server", 3, mt::encrypt_message(key, mt::Sender::kServer, pm, random));
  seed("wire_from_client", 3, mt::encrypt_message(key, mt::Sender::kClient, pm, random));

  // decrypt_plaintext: sender byte, then header | body | padding (a multiple of 16 in all).
  auto plaintext = [](const mt::PlainMessage& p, std::size_t padding) {
    tl::Writer w;
    w.write_long(p.salt);
    w.write_long(p.session_id);
    w.write_long(p.msg_id);
    w.write_int(p.seq_no);
    w.write_int(static_cast<std::int32_t>(p.body.size()));
    w.write_raw(p.body);
    w.write_raw(tl::Bytes(padding, 0xab));
    return w.take();
  };
  const std::size_t pad = 16 - (mt::kPlainHeaderSize + ack.size()) % 16 + 16;
  seed("plaintext_server", 4, cat({tl::Bytes{0}, plaintext(pm, pad)}));
  mt::PlainMessage salt_msg = pm;
  salt_msg.body = bytes_of(tl::BadServerSalt{1, 2, 48, 3});
  const std::size_t pad2 = 16 - (mt::kPlainHeaderSize + salt_msg.body.size()) % 16 + 16;
  seed("plaintext_client", 4, cat({tl::Bytes{1}, plaintext(salt_msg, pad2)}));

  // inbound: flags byte, time offset, then records msg_id | salt | selector | body id.
  tl::Writer in;
  in.write_int(0);
  auto record = [&](std::int64_t msg_id, std::int64_t salt, std::uint8_t selector,
                    std::uint32_t body_id) {
    in.write_long(msg_id);
    in.write_long(salt);
    in.write_raw(tl::Bytes{selector});
    in.write_uint32(body_id);
  };
  record(base_id, 7, 1, tl::MsgsAck::kId);
  record(base_id + 4, 9, 1, tl::BadServerSalt::kId);
  record(base_id, 7, 1, tl::MsgsAck::kId);
  record(base_id + 8, 8, 0x81, tl::NewSessionCreated::kId);
  record(base_id - (std::int64_t{400} << 32), 7, 1, tl::MsgsAck::kId);
  seed("inbound_records", 5, cat({tl::Bytes{0}, in.take()}));
}

// ---- links_fuzz, session_fuzz, ipn_fuzz ----------------------------------------------------

void links_seeds() {
  const std::vector<std::pair<std::string, std::string>> seeds = {
      {"post_public", "https://t.me/durov/123"},
      {"post_private", "https://t.me/c/1234567890/45"},
      {"post_web_preview", "http://www.telegram.me/s/Crypto_News/7?single"},
      {"post_at", "@channel_name/99"},
      {"group_at", "@CryptoChat"},
      {"group_bare", "cryptochat"},
      {"group_link_with_post", "t.me/cryptochat/15/"},
      {"group_marked_id", "-1001234567890"},
      {"group_private_link", "https://t.me/c/1234567890/1"},
      {"group_invite", "https://t.me/+AbCdEfGhIjK"},
      {"group_joinchat", "https://t.me/joinchat/AbCdEf"},
      {"group_other_host", "https://example.com/cryptochat"},
      {"group_list",
       "@cryptochat\n https://t.me/CryptoChat \n-1001234567890\nt.me/c/1234567890/5\nbad name\n"
       "https://t.me/+invite\n\n@another_group\r\n"},
  };
  for (const auto& [file, text] : seeds) {
    write("links_fuzz", file, text);
  }
}

void session_seeds() {
  tg::SessionData v4;
  v4.dc_id = 2;
  v4.server_address = "149.154.167.51";
  v4.port = 443;
  v4.auth_key.resize(tg::kAuthKeyBytes);
  for (std::size_t i = 0; i < v4.auth_key.size(); ++i) {
    v4.auth_key[i] = static_cast<char>(i * 13 + 1);
  }
  tg::SessionData v6 = v4;
  v6.dc_id = 4;
  v6.server_address = "2001:67c:4e8:f004::a";
  v6.port = 8443;
  write("session_fuzz", "string_session_ipv4", tg::to_string_session(v4));
  write("session_fuzz", "string_session_ipv6", tg::to_string_session(v6) + "\n");
  write("session_fuzz", "session_file_ipv4.session", *tg::make_session_file(v4));
  write("session_fuzz", "session_file_ipv6.session", *tg::make_session_file(v6));
}

void ipn_seeds() {
  constexpr std::string_view kSecret = "fuzz-ipn-secret";  // as in fuzz/ipn_fuzz.cpp
  const std::vector<std::pair<std::string, std::string>> bodies = {
      {"finished",
       R"({"payment_id":5077125051,"payment_status":"finished","pay_address":"TNDFkiSmBQorNFacb3735q8MnT29sn8BLn","price_amount":170,"price_currency":"usd","pay_amount":155.38559757,"actually_paid":155.38559757,"pay_currency":"usdttrc20","order_id":"2f1a9c","order_description":"adbot","purchase_id":"5837122679","outcome_amount":1.01e-2,"outcome_currency":"usdttrc20","fee":{"currency":"usdttrc20","depositFee":0,"serviceFee":0.5}})"},
      {"spaced_unicode",
       "{ \"order_id\" : \"\\u00e9t\\u00e9\",\n  \"payment_status\":\"waiting\", "
       "\"b\":[1,2.50,{\"z\":null,\"a\":true}],\"a\":-0.0 }"},
      {"not_an_object", "[1,2,3]"},
  };
  for (const auto& [file, body] : bodies) {
    write("ipn_fuzz", file + "_signed",
          hqadz::payments::sign_ipn_body(body, kSecret) + "\n" + body);
    if (auto canonical = hqadz::payments::canonicalize_ipn_body(body); canonical) {
      write("ipn_fuzz", file + "_canonical_sig",
            hqadz::payments::sign_ipn_body(*canonical, kSecret) + "\n" + body);
    }
  }
  write("ipn_fuzz", "no_header", bodies[0].second);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: fuzz_seedgen <fuzz/corpus dir>\n");
    return 2;
  }
  g_root = argv[1];
  tl_seeds();
  transport_seeds();
  mtproto_seeds();
  links_seeds();
  session_seeds();
  ipn_seeds();
  std::printf("seedgen: wrote %d files under %s\n", g_written, g_root.c_str());
  return 0;
}
