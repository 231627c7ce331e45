#pragma once
/// tgsim as a library: a World, its MTProto server and its control API, started together.
/// The `tgsim` binary, the engine tests and `hqadz serve --demo` all embed this.
///
///   hqadz::tgsim::Tgsim sim({});              // 127.0.0.1, ports chosen by the OS
///   sim.start();                               // binds, starts its threads
///   auto acct = sim.world().create_account("Ann", "ann_bot").value();
///   auto session = sim.session_for(acct);      // SessionData pointing at this tgsim
///   setenv("HQADZ_TELEGRAM_DCS", sim.dcs_config()...);  // or pass it to DcTable::parse
///   sim.stop();
///
/// Thread-safe after start(); stop() is idempotent and also run by the destructor.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/config.hpp"
#include "core/result.hpp"
#include "telegram/session/session_data.hpp"
#include "tools/tgsim/world.hpp"

namespace hqadz::tgsim {

struct TgsimOptions {
  core::HostPort mtproto{"127.0.0.1", 0};
  core::HostPort control{"127.0.0.1", 0};
  bool with_control = true;          // the HTTP control API (embedders may not need it)
  std::string rsa_private_key_pem;   // empty: a fresh 2048-bit key per start
  int dc_id = 2;
  std::size_t threads = 1;           // MTProto I/O threads
  /// Access hashes derive from it; fixed, they survive a restart (see World). Empty: random.
  std::optional<std::uint64_t> hash_secret;
};

class Tgsim {
 public:
  explicit Tgsim(TgsimOptions options);
  ~Tgsim();
  Tgsim(const Tgsim&) = delete;
  Tgsim& operator=(const Tgsim&) = delete;

  /// Binds both endpoints and starts serving. Errors: bad key, port in use.
  core::Status start();
  void stop();

  World& world();
  core::HostPort mtproto_address() const;
  core::HostPort control_address() const;
  /// "http://HOST:PORT" of the control API.
  std::string control_url() const;
  /// The HQADZ_TELEGRAM_DCS value (JSON) pointing hqadz at this tgsim.
  std::string dcs_config() const;
  /// The RSA public key clients need (SPKI PEM), e.g. for telethon.crypto.rsa.add_key.
  std::string rsa_public_key_pem() const;
  /// A session (dc, address, port, key) for an account of this world.
  telegram::SessionData session_for(const AccountInfo& account) const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace hqadz::tgsim
