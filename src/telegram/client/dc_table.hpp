#pragma once
/// Where Telegram's data centres are and which RSA keys sign their key exchange.
///
/// Defaults are Telegram's public production addresses and keys. `HQADZ_TELEGRAM_DCS`
/// overrides them (to point at tgsim) with a JSON object:
///
///   {"dcs": [{"id": 2, "host": "127.0.0.1", "port": 40123}, ...],
///    "rsa_public_keys": ["-----BEGIN PUBLIC KEY-----\n...", ...]}
///
/// `dcs` (required, non-empty) replaces the whole default table; `rsa_public_keys` (optional,
/// PKCS#1 or SPKI PEM) replaces the default keys when present. Immutable once built.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "telegram/mtproto/rsa.hpp"

namespace hqadz::telegram {

struct DcAddress {
  int id = 0;
  std::string host;  // an IPv4 or IPv6 literal
  std::uint16_t port = 0;
};

class DcTable {
 public:
  /// Telegram's production DCs 1..5 (port 443) and its RSA keys as Telethon 1.25.1 ships them.
  static DcTable telegram_defaults();
  /// Parses the HQADZ_TELEGRAM_DCS JSON described above. Errors: "bad_telegram_dcs".
  static core::Result<DcTable> parse(std::string_view json);
  /// An empty value means the defaults.
  static core::Result<DcTable> from_setting(std::string_view value);

  DcTable(std::vector<DcAddress> dcs, std::vector<std::string> rsa_pems);

  const DcAddress* find(int dc_id) const;
  const std::vector<DcAddress>& dcs() const { return dcs_; }
  const std::vector<mtproto::RsaPublicKey>& rsa_keys() const { return keys_; }
  /// The JSON form parse() accepts (round-trips).
  std::string to_json() const;

 private:
  std::vector<DcAddress> dcs_;
  std::vector<std::string> pems_;
  std::vector<mtproto::RsaPublicKey> keys_;
};

}  // namespace hqadz::telegram
