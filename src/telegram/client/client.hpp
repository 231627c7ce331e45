#pragma once
/// The MTProto 2.0 client: one account = one TCP connection driven on one strand.
///
/// It connects to the address stored in the session first (the DC table serves migrations and
/// key creation), makes a key when the session has none, wraps the first request of every
/// connection in invokeWithLayer(initConnection), keeps salts, acks, containers, gzip, pings
/// (ping_delay_disconnect), time sync and new sessions, and reconnects with backoff, re-sending
/// every unanswered request with its original body (so the same random_ids). Errors are typed
/// (rpc_errors.hpp); timeouts, 5xx and lost connections are kTransient.
///
/// Memory: no thread and no standing buffer per account; a frame's buffer lives while it is
/// read. Thread-safety: every public call may come from any thread; callbacks run on the
/// account's strand.

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "core/clock.hpp"
#include "telegram/account.hpp"
#include "telegram/client/dc_table.hpp"
#include "telegram/tl/bytes.hpp"
#include "telegram/transport/codec.hpp"

namespace boost::asio {
class io_context;
}  // namespace boost::asio

namespace hqadz::telegram {

struct ClientSettings {
  std::chrono::milliseconds request_timeout{30'000};  // per call, across reconnects
  std::chrono::milliseconds ping_interval{60'000};
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds backoff_initial{100};
  std::chrono::milliseconds backoff_max{30'000};
  transport::Framing framing = transport::Framing::kFull;
  std::string device_model = "hqadz";
  std::string system_version = "Linux";
  std::string app_version = "0.1.0";
  std::string lang_code = "en";
  const core::Clock* clock = nullptr;  // null: the system clock
};

/// An Account plus the raw call the Account methods are built on.
class Client : public Account {
 public:
  using RawDone = std::function<void(Outcome<tl::Bytes>)>;
  /// Sends a serialized API function; `done` gets the raw result (a boxed TL object) or the
  /// typed error. Gzipped results arrive inflated.
  virtual void invoke(tl::Bytes request, RawDone done) = 0;
  /// Connections made so far (1 after the first connect; more after reconnects). For tests.
  virtual int connection_count() const = 0;
};

/// Creates a client and starts connecting. `io` must outlive it; call close() before dropping
/// the last reference to stop its timers. An options.session without auth key (empty) makes a
/// fresh key with the DC table's RSA keys.
std::shared_ptr<Client> make_client(boost::asio::io_context& io, AccountOptions options,
                                    std::shared_ptr<const DcTable> dcs,
                                    ClientSettings settings = {});
/// The same with settings shared by many clients (a process's accounts): a client keeps a
/// reference instead of a copy (~200 bytes per account). `settings` must not be null.
std::shared_ptr<Client> make_client(boost::asio::io_context& io, AccountOptions options,
                                    std::shared_ptr<const DcTable> dcs,
                                    std::shared_ptr<const ClientSettings> settings);

}  // namespace hqadz::telegram
