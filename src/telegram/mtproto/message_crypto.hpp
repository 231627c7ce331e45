#pragma once
/// MTProto 2.0 message encryption (core.telegram.org/mtproto/description):
///   wire = auth_key_id | msg_key | AES-256-IGE(salt session_id msg_id seq_no len body padding)
/// Pure functions; no state. Session-level checks (session id, msg_id, salt) are in
/// inbound_checks.hpp.

#include <array>
#include <cstdint>
#include <string_view>

#include "telegram/mtproto/auth_key.hpp"
#include "telegram/mtproto/random.hpp"
#include "telegram/tl/bytes.hpp"
#include "telegram/tl/expected.hpp"

namespace hqadz::telegram::mtproto {

/// Who encrypted the message; selects x = 0 (client) or x = 8 (server) in the KDF.
enum class Sender { kClient, kServer };

using MsgKey = std::array<std::uint8_t, 16>;

struct AesKeyIv {
  std::array<std::uint8_t, 32> key;
  std::array<std::uint8_t, 32> iv;
};

/// msg_key = SHA256(auth_key[88+x : 120+x] + plaintext_with_padding)[8:24].
MsgKey compute_msg_key(const AuthKey& key, tl::ByteSpan plaintext_with_padding, Sender sender);
/// The AES key and iv for a message from msg_key (MTProto 2.0 KDF).
AesKeyIv derive_aes_key_iv(const AuthKey& key, const MsgKey& msg_key, Sender sender);

/// The decrypted inner header and body of a message.
struct PlainMessage {
  std::int64_t salt = 0;
  std::int64_t session_id = 0;
  std::int64_t msg_id = 0;
  std::int32_t seq_no = 0;
  tl::Bytes body;

  bool operator==(const PlainMessage&) const = default;
};

/// Padding bounds of MTProto 2.0.
inline constexpr std::size_t kMinPadding = 12;
inline constexpr std::size_t kMaxPadding = 1024;
/// salt + session_id + msg_id + seq_no + length.
inline constexpr std::size_t kPlainHeaderSize = 32;

/// Encrypts with random padding of 12..27 bytes (the least that aligns to 16).
tl::Bytes encrypt_message(const AuthKey& key, Sender sender, const PlainMessage& message,
                          Random& random);
/// Encrypts an already padded plaintext (its length a multiple of 16). For tests and vectors.
tl::Bytes encrypt_padded(const AuthKey& key, Sender sender, tl::ByteSpan plaintext_with_padding);

enum class DecryptErrc {
  kTooShort,           // shorter than the smallest valid message
  kBadBlockLength,     // encrypted part not a multiple of 16
  kAuthKeyIdMismatch,  // not for this key
  kMsgKeyMismatch,     // tampered with, or wrong direction
  kBadLength,          // inner length negative, unaligned or beyond the data
  kBadPadding,         // padding outside 12..1024 bytes
};
std::string_view to_string(DecryptErrc e);

/// Decrypts and verifies a message from `sender` (so x = 8 when the client decrypts what the
/// server sent). Every check is done before any byte of the body is returned.
Expected<PlainMessage, DecryptErrc> decrypt_message(const AuthKey& key, Sender sender,
                                                    tl::ByteSpan wire);

}  // namespace hqadz::telegram::mtproto
