#include "tools/tgsim/tgsim.hpp"

#include <utility>  // before Asio (TRAPS.md)

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <future>
#include <thread>
#include <vector>

#include "http/dispatcher.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "telegram/client/dc_table.hpp"
#include "telegram/mtproto/rsa.hpp"
#include "tools/tgsim/control.hpp"
#include "tools/tgsim/mtproto_server.hpp"

namespace hqadz::tgsim {
namespace {

std::string bio_string(BIO* bio) {
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(len));
}

struct PemPair {
  std::string private_pem;
  std::string public_pem;
};

core::Result<PemPair> pems_of(EVP_PKEY* pkey) {
  std::unique_ptr<BIO, decltype(&BIO_free)> priv(BIO_new(BIO_s_mem()), BIO_free);
  std::unique_ptr<BIO, decltype(&BIO_free)> pub(BIO_new(BIO_s_mem()), BIO_free);
  if (!priv || !pub ||
      PEM_write_bio_PrivateKey(priv.get(), pkey, nullptr, nullptr, 0, nullptr, nullptr) != 1 ||
      PEM_write_bio_PUBKEY(pub.get(), pkey) != 1) {
    return core::Error::internal("cannot encode the RSA key");
  }
  return PemPair{bio_string(priv.get()), bio_string(pub.get())};
}

core::Result<PemPair> generate_key() {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> pkey(EVP_RSA_gen(2048), EVP_PKEY_free);
  if (!pkey) {
    return core::Error::internal("RSA key generation failed");
  }
  return pems_of(pkey.get());
}

core::Result<PemPair> load_key(const std::string& pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> pkey(
      PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr), EVP_PKEY_free);
  if (!pkey) {
    return core::Error::invalid("bad_rsa_key", "not a PEM RSA private key");
  }
  return pems_of(pkey.get());
}

}  // namespace

struct Tgsim::Impl {
  TgsimOptions options;
  core::SystemClock clock;
  mtproto::SecureRandom random;
  World world{clock, random, options.dc_id, options.hash_secret};
  std::optional<mtproto::RsaPrivateKey> rsa;
  std::string public_pem;
  boost::asio::io_context io;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work;
  std::unique_ptr<MtprotoServer> server;
  std::vector<std::thread> threads;
  core::HostPort mtproto_bound;
  core::HostPort control_bound;
  http::Router router;
  http::Metrics metrics;
  std::unique_ptr<ControlContext> control_context;
  std::unique_ptr<http::Dispatcher> dispatcher;
  std::unique_ptr<http::Server> http_server;
  std::thread http_thread;
  bool started = false;

  explicit Impl(TgsimOptions o) : options(std::move(o)) {}
};

Tgsim::Tgsim(TgsimOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

Tgsim::~Tgsim() { stop(); }

core::Status Tgsim::start() {
  auto& s = *impl_;
  auto pems = s.options.rsa_private_key_pem.empty() ? generate_key()
                                                    : load_key(s.options.rsa_private_key_pem);
  if (!pems.ok()) {
    return pems.error();
  }
  auto rsa = mtproto::RsaPrivateKey::from_pem(pems->private_pem);
  if (!rsa.ok()) {
    return rsa.error();
  }
  s.rsa = std::move(rsa).value();
  s.public_pem = pems->public_pem;
  s.server = std::make_unique<MtprotoServer>(s.io, s.world, *s.rsa, s.clock, s.random);
  auto bound = s.server->listen(s.options.mtproto);
  if (!bound.ok()) {
    return bound.error();
  }
  s.mtproto_bound = *bound;
  s.world.set_advertised_address(bound->host, bound->port);
  s.work.emplace(s.io.get_executor());
  for (std::size_t i = 0; i < std::max<std::size_t>(1, s.options.threads); ++i) {
    s.threads.emplace_back([&s] { s.io.run(); });
  }
  s.started = true;
  if (s.options.with_control) {
    s.control_context = std::make_unique<ControlContext>(ControlContext{
        s.world, [this](const AccountInfo& a) { return session_for(a); },
        [this] { return dcs_config(); },
        [&s] { return s.server->connection_count(); }});
    add_control_routes(s.router, *s.control_context);
    http::DispatcherSettings ds;
    ds.workers = 2;
    s.dispatcher = std::make_unique<http::Dispatcher>(ds, s.router, nullptr, nullptr, s.metrics);
    http::ServerSettings hs;
    hs.listen = s.options.control;
    hs.io_threads = 1;
    s.http_server = std::make_unique<http::Server>(hs, *s.dispatcher);
    auto control = s.http_server->start();
    if (!control.ok()) {
      return control.error();
    }
    s.control_bound = *control;
    s.http_thread = std::thread([&s] { s.http_server->run(); });
  }
  return core::ok_status();
}

void Tgsim::stop() {
  auto& s = *impl_;
  if (!s.started) {
    return;
  }
  s.started = false;
  if (s.http_server) {
    s.http_server->shutdown();
    if (s.http_thread.joinable()) {
      s.http_thread.join();
    }
    s.dispatcher->stop();
  }
  // The acceptor and connections belong to the I/O threads: stop them there.
  std::promise<void> stopped;
  boost::asio::post(s.io, [&] {
    s.server->stop();
    stopped.set_value();
  });
  stopped.get_future().wait();
  s.work.reset();
  s.io.stop();
  for (auto& t : s.threads) {
    t.join();
  }
  s.threads.clear();
}

World& Tgsim::world() { return impl_->world; }
core::HostPort Tgsim::mtproto_address() const { return impl_->mtproto_bound; }
core::HostPort Tgsim::control_address() const { return impl_->control_bound; }
std::string Tgsim::control_url() const { return "http://" + impl_->control_bound.to_string(); }
std::string Tgsim::rsa_public_key_pem() const { return impl_->public_pem; }

std::string Tgsim::dcs_config() const {
  const auto& s = *impl_;
  telegram::DcTable table({{s.options.dc_id, s.mtproto_bound.host, s.mtproto_bound.port}},
                          {s.public_pem});
  return table.to_json();
}

telegram::SessionData Tgsim::session_for(const AccountInfo& account) const {
  const auto& s = *impl_;
  return telegram::SessionData{s.options.dc_id, s.mtproto_bound.host, s.mtproto_bound.port,
                               account.auth_key};
}

}  // namespace hqadz::tgsim
