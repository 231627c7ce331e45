#include "telegram/mtproto/message_crypto.hpp"

#include <algorithm>

#include "telegram/mtproto/aes_ige.hpp"
#include "telegram/mtproto/hashes.hpp"
#include "telegram/tl/reader.hpp"
#include "telegram/tl/writer.hpp"

namespace hqadz::telegram::mtproto {
namespace {

std::size_t x_of(Sender s) { return s == Sender::kClient ? 0 : 8; }

void put_u64(tl::Bytes& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) {
    out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  }
}

}  // namespace

MsgKey compute_msg_key(const AuthKey& key, tl::ByteSpan plaintext_with_padding, Sender sender) {
  tl::ByteSpan k(key.bytes());
  auto h = sha256({k.subspan(88 + x_of(sender), 32), plaintext_with_padding});
  MsgKey out{};
  std::copy(h.begin() + 8, h.begin() + 24, out.begin());
  return out;
}

AesKeyIv derive_aes_key_iv(const AuthKey& key, const MsgKey& msg_key, Sender sender) {
  tl::ByteSpan k(key.bytes());
  std::size_t x = x_of(sender);
  auto a = sha256({msg_key, k.subspan(x, 36)});
  auto b = sha256({k.subspan(40 + x, 36), msg_key});
  AesKeyIv out{};
  auto it = std::copy(a.begin(), a.begin() + 8, out.key.begin());
  it = std::copy(b.begin() + 8, b.begin() + 24, it);
  std::copy(a.begin() + 24, a.end(), it);
  auto jt = std::copy(b.begin(), b.begin() + 8, out.iv.begin());
  jt = std::copy(a.begin() + 8, a.begin() + 24, jt);
  std::copy(b.begin() + 24, b.end(), jt);
  return out;
}

tl::Bytes encrypt_padded(const AuthKey& key, Sender sender, tl::ByteSpan plaintext_with_padding) {
  auto msg_key = compute_msg_key(key, plaintext_with_padding, sender);
  auto aes = derive_aes_key_iv(key, msg_key, sender);
  auto encrypted = aes_ige_encrypt(aes.key, aes.iv, plaintext_with_padding);
  tl::Bytes out;
  if (!encrypted.ok()) {
    return out;  // only for unaligned input, which callers of this helper never pass
  }
  out.reserve(24 + encrypted->size());
  put_u64(out, key.id());
  out.insert(out.end(), msg_key.begin(), msg_key.end());
  out.insert(out.end(), encrypted->begin(), encrypted->end());
  return out;
}

tl::Bytes encrypt_message(const AuthKey& key, Sender sender, const PlainMessage& message,
                          Random& random) {
  tl::Writer w;
  w.write_long(message.salt);
  w.write_long(message.session_id);
  w.write_long(message.msg_id);
  w.write_int(message.seq_no);
  w.write_int(static_cast<std::int32_t>(message.body.size()));
  w.write_raw(message.body);
  auto plain = w.take();
  std::size_t pad = kMinPadding + (16 - (plain.size() + kMinPadding) % 16) % 16;
  std::size_t at = plain.size();
  plain.resize(at + pad);
  random.fill(std::span<std::uint8_t>(plain).subspan(at));
  return encrypt_padded(key, sender, plain);
}

Expected<PlainMessage, DecryptErrc> decrypt_message(const AuthKey& key, Sender sender,
                                                    tl::ByteSpan wire) {
  constexpr std::size_t kOuter = 8 + 16;
  if (wire.size() < kOuter + kPlainHeaderSize + kMinPadding) {
    return DecryptErrc::kTooShort;
  }
  auto encrypted = wire.subspan(kOuter);
  if (encrypted.size() % 16 != 0) {
    return DecryptErrc::kBadBlockLength;
  }
  tl::Reader outer(wire);
  if (static_cast<std::uint64_t>(outer.read_long()) != key.id()) {
    return DecryptErrc::kAuthKeyIdMismatch;
  }
  MsgKey msg_key{};
  auto mk = wire.subspan(8, 16);
  std::copy(mk.begin(), mk.end(), msg_key.begin());
  auto aes = derive_aes_key_iv(key, msg_key, sender);
  auto plain = aes_ige_decrypt(aes.key, aes.iv, encrypted);
  if (!plain.ok()) {
    return DecryptErrc::kBadBlockLength;
  }
  if (!equal_ct(compute_msg_key(key, *plain, sender), msg_key)) {
    return DecryptErrc::kMsgKeyMismatch;
  }
  tl::Reader r(*plain);
  PlainMessage m;
  m.salt = r.read_long();
  m.session_id = r.read_long();
  m.msg_id = r.read_long();
  m.seq_no = r.read_int();
  auto len = r.read_int();
  if (len < 0 || len % 4 != 0 || static_cast<std::size_t>(len) > r.remaining()) {
    return DecryptErrc::kBadLength;
  }
  std::size_t padding = r.remaining() - static_cast<std::size_t>(len);
  if (padding < kMinPadding || padding > kMaxPadding) {
    return DecryptErrc::kBadPadding;
  }
  auto body = r.read_raw(static_cast<std::size_t>(len));
  m.body.assign(body.begin(), body.end());
  return m;
}

std::string_view to_string(DecryptErrc e) {
  switch (e) {
    case DecryptErrc::kTooShort:
      return "too_short";
    case DecryptErrc::kBadBlockLength:
      return "bad_block_length";
    case DecryptErrc::kAuthKeyIdMismatch:
      return "auth_key_id_mismatch";
    case DecryptErrc::kMsgKeyMismatch:
      return "msg_key_mismatch";
    case DecryptErrc::kBadLength:
      return "bad_length";
    case DecryptErrc::kBadPadding:
      return "bad_padding";
  }
  return "unknown";
}

}  // namespace hqadz::telegram::mtproto
