// libFuzzer target: parsing a message after the transport, as the client (and tgsim) do it:
// unencrypted messages, MTProto 2.0 decryption and the inner header, msg_container,
// gzip_packed and the session checks (src/telegram/mtproto, src/telegram/client/
// service_messages). Byte 0 picks the parser; the rest is its input.
// Properties: never crashes; what parses, built again, parses to the same value; a message
// encrypted with the key decrypts to the header and body it holds; a msg_id accepted once is
// refused as a duplicate.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <vector>

#include "core/clock.hpp"
#include "telegram/client/service_messages.hpp"
#include "telegram/mtproto/auth_key.hpp"
#include "telegram/mtproto/inbound_checks.hpp"
#include "telegram/mtproto/message_crypto.hpp"
#include "telegram/tl/reader.hpp"

namespace tg = hqadz::telegram;
namespace mt = hqadz::telegram::mtproto;
namespace tl = hqadz::telegram::tl;

namespace {

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "mtproto_fuzz: property violated: %s\n", what);
  std::abort();
}

const mt::AuthKey& fuzz_key() {
  static const mt::AuthKey key = [] {
    tl::Bytes raw(mt::AuthKey::kSize);
    for (std::size_t i = 0; i < raw.size(); ++i) {
      raw[i] = static_cast<std::uint8_t>(i * 7 + 3);
    }
    return *mt::AuthKey::from_bytes(raw);
  }();
  return key;
}

void plain(tl::ByteSpan in) {
  auto env = tg::unwrap_plain(in);
  if (!env.ok()) {
    return;
  }
  auto back = tg::wrap_plain(env->msg_id, env->body);
  if (!std::equal(back.begin(), back.end(), in.begin(), in.end())) {
    fail("unencrypted message does not round-trip");
  }
}

void container(tl::ByteSpan in) {
  auto msgs = tg::parse_container(in);
  if (!msgs.ok()) {
    return;
  }
  auto built = tg::build_container(*msgs);
  auto again = tg::parse_container(built);
  if (!again.ok() || again->size() != msgs->size()) {
    fail("container does not parse once built again");
  }
  for (std::size_t i = 0; i < msgs->size(); ++i) {
    const auto& a = (*msgs)[i];
    const auto& b = (*again)[i];
    if (a.msg_id != b.msg_id || a.seq_no != b.seq_no || a.body != b.body) {
      fail("container message differs once built again");
    }
  }
  if (built.size() > in.size()) {
    fail("container built again is longer than its source");
  }
}

void gzip(tl::ByteSpan in) {
  constexpr std::size_t kCap = 1 << 16;  // small, so bombs are cheap to refuse
  auto out = tg::gzip_unpack(in, kCap);
  if (!out.ok()) {
    return;
  }
  if (out->size() > kCap) {
    fail("gzip_unpack went past its cap");
  }
  auto again = tg::gzip_unpack(tg::gzip_pack(*out), kCap);
  if (!again.ok() || *again != *out) {
    fail("gzip_packed does not round-trip");
  }
}

// The input as the wire form (whatever the fuzzer makes of it rarely passes msg_key).
void decrypt_wire(tl::ByteSpan in) {
  for (auto sender : {mt::Sender::kServer, mt::Sender::kClient}) {
    auto m = mt::decrypt_message(fuzz_key(), sender, in);
    if (m.ok() && m->body.size() + mt::kPlainHeaderSize + mt::kMinPadding > in.size()) {
      fail("decrypted body larger than the message");
    }
  }
}

// The input as the plaintext (header, body, padding), encrypted with the key first: reaches
// the inner header checks.
void decrypt_plaintext(tl::ByteSpan in) {
  if (in.empty()) {
    return;
  }
  const auto sender = (in[0] & 1) != 0 ? mt::Sender::kClient : mt::Sender::kServer;
  tl::Bytes padded(in.begin() + 1, in.end());
  padded.resize(padded.size() / 16 * 16);
  if (padded.empty()) {
    return;
  }
  auto wire = mt::encrypt_padded(fuzz_key(), sender, padded);
  auto m = mt::decrypt_message(fuzz_key(), sender, wire);
  if (!m.ok()) {
    if (m.error() == mt::DecryptErrc::kMsgKeyMismatch ||
        m.error() == mt::DecryptErrc::kAuthKeyIdMismatch) {
      fail("a message encrypted with the key does not authenticate");
    }
    return;
  }
  tl::Reader r(padded);
  const auto salt = r.read_long();
  const auto session = r.read_long();
  const auto msg_id = r.read_long();
  const auto seq_no = r.read_int();
  const auto len = r.read_int();
  if (m->salt != salt || m->session_id != session || m->msg_id != msg_id || m->seq_no != seq_no ||
      static_cast<std::int64_t>(m->body.size()) != len ||
      !std::equal(m->body.begin(), m->body.end(), padded.begin() + mt::kPlainHeaderSize)) {
    fail("decrypted message differs from the plaintext");
  }
  const auto padding = padded.size() - mt::kPlainHeaderSize - m->body.size();
  if (padding < mt::kMinPadding || padding > mt::kMaxPadding) {
    fail("padding outside its bounds accepted");
  }
  (void)mt::InboundChecker::options_for(m->body);
}

// A sequence of (msg_id, salt, session selector, body id) records through one checker.
void inbound(tl::ByteSpan in) {
  hqadz::core::ManualClock clock;
  mt::InboundPolicy policy;
  policy.remember = 8;  // small, so the forgetting path is reached
  if (!in.empty() && (in[0] & 1) != 0) {
    policy.sender = mt::Sender::kClient;
  }
  mt::InboundChecker checker(clock, policy);
  checker.reset(42);
  tl::Reader r(in.empty() ? in : in.subspan(1));
  if (r.remaining() >= 4) {
    checker.set_time_offset(r.read_int());
  }
  checker.set_accepted_salts({7, 8});
  while (r.remaining() >= 21) {
    mt::PlainMessage m;
    m.msg_id = r.read_long();
    m.salt = r.read_long();
    const auto selector = r.read_raw(1)[0];
    m.session_id = (selector & 1) != 0 ? 42 : 43;
    const auto body_id = r.read_uint32();
    tl::Bytes body(4);
    for (int i = 0; i < 4; ++i) {
      body[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(body_id >> (8 * i));
    }
    m.body = body;
    const auto options = mt::InboundChecker::options_for(m.body);
    if (checker.check(m, options).ok()) {
      auto again = checker.check(m, options);
      if (again.ok() || again.error() != mt::InboundErrc::kDuplicateMsgId) {
        fail("a msg_id accepted twice");
      }
    }
    if ((selector & 0x80) != 0) {
      clock.advance(hqadz::core::Millis{(selector & 0x7f) * 1000});
    }
  }
}

using Entry = void (*)(tl::ByteSpan);
constexpr Entry kEntries[] = {plain, container, gzip, decrypt_wire, decrypt_plaintext, inbound};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) {
    return 0;
  }
  kEntries[data[0] % std::size(kEntries)](tl::ByteSpan(data + 1, size - 1));
  return 0;
}
