#include <utility>  // before Asio: Boost 1.74's awaitable.hpp misses it (TRAPS.md)

#include "http/server.hpp"

#include <algorithm>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

#include <atomic>
#include <limits>
#include <mutex>
#include <thread>
#include <vector>

namespace hqadz::http {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

std::vector<std::pair<std::string, std::string>> browser_security_headers() {
  // style-src 'unsafe-inline': Swagger UI and React set style attributes; scripts stay 'self'.
  return {{"Content-Security-Policy",
           "default-src 'self'; script-src 'self'; img-src 'self' data:; "
           "style-src 'self' 'unsafe-inline'; font-src 'self'; connect-src 'self'; "
           "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"},
          {"X-Content-Type-Options", "nosniff"},
          {"X-Frame-Options", "DENY"},
          {"Referrer-Policy", "same-origin"}};
}
using tcp = net::ip::tcp;

namespace {
class Session;
}

struct Server::Impl : std::enable_shared_from_this<Server::Impl> {
  Impl(ServerSettings s, Service& svc)
      : settings(std::move(s)),
        service(svc),
        control(net::make_strand(ioc)),
        acceptor(control),
        signals(control),
        drain_timer(control) {}

  void accept();
  void begin_shutdown();
  void session_ended();

  ServerSettings settings;
  Service& service;
  net::io_context ioc;
  // The acceptor, signals and the drain timer live on one strand: shutdown touches them all.
  net::strand<net::io_context::executor_type> control;
  tcp::acceptor acceptor;
  net::signal_set signals;
  net::steady_timer drain_timer;
  std::function<void()> on_shutdown;
  std::atomic<bool> stopping{false};
  std::atomic<size_t> live{0};
  std::mutex mutex;
  std::vector<std::weak_ptr<Session>> sessions;  // guarded by mutex
};

namespace {

bool is_timeout_or_closed(const beast::error_code& ec) {
  return ec == beast::error::timeout || ec == net::error::operation_aborted ||
         ec == bhttp::error::end_of_stream || ec == net::error::eof ||
         ec == net::error::connection_reset || ec == net::error::bad_descriptor ||
         ec == bhttp::error::partial_message;
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, std::shared_ptr<Server::Impl> server)
      : stream_(std::move(socket)), server_(std::move(server)) {
    beast::error_code ec;
    auto ep = stream_.socket().remote_endpoint(ec);
    peer_ = ec ? std::string("unknown") : ep.address().to_string();
    ++server_->live;
  }
  ~Session() { server_->session_ended(); }

  void start() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read_header(); });
  }

  /// Shutdown: close now if idle, else after the response in flight.
  void drain() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      self->draining_ = true;
      if (!self->busy_ || self->stream_source_) {  // an event stream has no end to wait for
        self->close();
      }
    });
  }

  void force_close() {
    net::post(stream_.get_executor(), [self = shared_from_this()] { self->close(); });
  }

 private:
  void read_header() {
    busy_ = false;
    if (draining_) {
      return close();
    }
    parser_.emplace();
    parser_->header_limit(server_->settings.header_limit);
    // The limit is the route's, known only once the header is read: checked in on_header.
    parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    stream_.expires_after(first_ ? server_->settings.header_timeout
                                 : server_->settings.idle_timeout);
    first_ = false;
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             [self = shared_from_this()](beast::error_code ec, size_t) {
                               self->on_header(ec);
                             });
  }

  void on_header(beast::error_code ec) {
    if (ec == bhttp::error::body_limit) {
      busy_ = true;
      return send_error(413, "payload_too_large", "request body is over the limit", true);
    }
    if (ec) {
      if (is_timeout_or_closed(ec)) {
        return close();
      }
      busy_ = true;
      return send_error(400, "bad_request", "malformed HTTP request: " + ec.message(), true);
    }
    busy_ = true;
    auto& req = parser_->get();
    const uint64_t limit = server_->service.body_limit_for(
        std::string_view(req.method_string().data(), req.method_string().size()),
        std::string_view(req.target().data(), req.target().size()));
    if (auto len = parser_->content_length(); len && *len > limit) {
      return send_error(413, "payload_too_large",
                        "request body of " + std::to_string(*len) + " bytes is over the limit of " +
                            std::to_string(limit),
                        true);
    }
    parser_->body_limit(limit);
    if (beast::iequals(req[bhttp::field::expect], "100-continue")) {
      auto cont = std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::continue_,
                                                                        req.version());
      stream_.expires_after(server_->settings.body_timeout);
      return bhttp::async_write(stream_, *cont,
                                [self = shared_from_this(), cont](beast::error_code wec, size_t) {
                                  if (wec) {
                                    return self->close();
                                  }
                                  self->read_body();
                                });
    }
    read_body();
  }

  void read_body() {
    stream_.expires_after(server_->settings.body_timeout);
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = shared_from_this()](beast::error_code ec, size_t) {
                        self->on_body(ec);
                      });
  }

  void on_body(beast::error_code ec) {
    if (ec == bhttp::error::body_limit) {
      return send_error(413, "payload_too_large", "request body is over the limit", true);
    }
    if (ec) {
      if (is_timeout_or_closed(ec)) {
        return close();
      }
      return send_error(400, "bad_request", "malformed HTTP request: " + ec.message(), true);
    }
    auto msg = parser_->release();
    keep_alive_ = msg.keep_alive();
    head_ = msg.method() == bhttp::verb::head;
    Request r;
    r.method = std::string(msg.method_string());
    r.target = std::string(msg.target());
    for (const auto& f : msg) {
      r.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    }
    r.body = std::move(msg.body());
    r.client_address = peer_;
    stream_.expires_never();  // the handler may take its time; shutdown bounds it
    server_->service.handle(std::move(r), [self = shared_from_this()](Response resp) {
      net::post(self->stream_.get_executor(), [self, resp = std::move(resp)]() mutable {
        self->write(std::move(resp), false);
      });
    });
  }

  void send_error(int status, const char* code, const std::string& message, bool close_after) {
    keep_alive_ = false;
    head_ = false;
    write(Response::error({status == 413 ? core::Errc::kPayloadTooLarge
                                         : core::Errc::kInvalidArgument,
                           code, message}),
          close_after);
  }

  /// A streamed body: the head, then chunks as the source yields them; the close ends it.
  void write_stream(Response r) {
    std::string head = "HTTP/1.1 " + std::to_string(r.status) + " OK\r\nServer: hqadz\r\n";
    head += "Content-Type: " + r.content_type + "\r\nCache-Control: no-cache\r\n";
    for (auto& [k, v] : r.headers) {
      head += k + ": " + v + "\r\n";
    }
    head += "Connection: close\r\n\r\n" + r.body;
    stream_source_ = std::move(r.stream);
    stream_timer_.emplace(stream_.get_executor());
    send_chunk(std::make_shared<std::string>(std::move(head)));
  }

  void send_chunk(std::shared_ptr<std::string> bytes) {
    stream_.expires_after(server_->settings.body_timeout);
    net::async_write(stream_, net::buffer(*bytes),
                     [self = shared_from_this(), bytes](beast::error_code ec, size_t) {
                       if (ec || self->draining_) {
                         return self->close();
                       }
                       self->stream_timer_->expires_after(self->stream_source_->interval);
                       self->stream_timer_->async_wait([self](beast::error_code tec) {
                         if (tec || self->draining_) {
                           return self->close();
                         }
                         self->poll_stream();
                       });
                     });
  }

  /// The source may block (it reads the database): it is polled on the service's workers,
  /// and the chunk goes out from this connection's strand.
  void poll_stream() {
    server_->service.run_blocking([self = shared_from_this(), source = stream_source_] {
      std::optional<std::string> next;
      try {
        next = source->poll();
      } catch (const std::exception& e) {
        spdlog::warn("stream ended by an error: {}", e.what());
      }
      net::post(self->stream_.get_executor(), [self, next = std::move(next)]() mutable {
        if (!next || self->draining_) {
          return self->close();
        }
        self->send_chunk(std::make_shared<std::string>(std::move(*next)));
      });
    });
  }

  void write(Response r, bool linger) {
    for (const auto& [name, value] : server_->settings.response_headers) {
      const bool set = std::any_of(r.headers.begin(), r.headers.end(),
                                   [&](const auto& h) { return beast::iequals(h.first, name); });
      if (!set) {
        r.headers.emplace_back(name, value);
      }
    }
    if (r.stream && !linger) {
      return write_stream(std::move(r));
    }
    auto res = std::make_shared<bhttp::response<bhttp::string_body>>(
        static_cast<bhttp::status>(r.status), 11);
    res->set(bhttp::field::server, "hqadz");
    if (!r.content_type.empty()) {
      res->set(bhttp::field::content_type, r.content_type);
    }
    for (auto& [k, v] : r.headers) {
      res->insert(k, v);
    }
    res->keep_alive(keep_alive_ && !draining_ && !linger);
    const size_t size = r.body.size();
    res->body() = std::move(r.body);
    res->prepare_payload();
    if (head_) {
      res->body().clear();
      res->content_length(size);
    }
    stream_.expires_after(server_->settings.body_timeout);
    bhttp::async_write(stream_, *res,
                       [self = shared_from_this(), res, linger](beast::error_code ec, size_t) {
                         if (ec) {
                           return self->close();
                         }
                         if (linger) {
                           return self->linger_close();
                         }
                         if (res->need_eof() || self->draining_) {
                           return self->close();
                         }
                         self->read_header();
                       });
  }

  /// Closes after an early answer (e.g. 413) without resetting the connection under a client
  /// that is still sending its body: stop writing, read and drop for a moment, then close.
  void linger_close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.expires_after(std::chrono::seconds(1));
    drain_buf_.resize(8192);
    drain_more();
  }
  void drain_more() {
    stream_.async_read_some(net::buffer(drain_buf_),
                            [self = shared_from_this()](beast::error_code ec, size_t) {
                              if (ec) {
                                return self->close();
                              }
                              self->drain_more();
                            });
  }

  void close() {
    beast::error_code ec;
    if (stream_timer_) {
      stream_timer_->cancel();
    }
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.socket().close(ec);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::shared_ptr<Server::Impl> server_;
  std::string peer_;
  std::vector<char> drain_buf_;
  std::shared_ptr<StreamSource> stream_source_;
  std::optional<net::steady_timer> stream_timer_;
  bool first_ = true;
  bool busy_ = false;
  bool draining_ = false;
  bool keep_alive_ = true;
  bool head_ = false;
};

}  // namespace

void Server::Impl::accept() {
  acceptor.async_accept(
      net::make_strand(ioc), [self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
        if (self->stopping) {
          return;
        }
        if (ec) {
          if (ec == net::error::operation_aborted) {
            return;
          }
          spdlog::warn("accept failed: {}", ec.message());
          // Out of descriptors or similar: pause briefly instead of spinning.
          auto timer =
              std::make_shared<net::steady_timer>(self->control, std::chrono::milliseconds(50));
          return timer->async_wait([self, timer](beast::error_code) { self->accept(); });
        }
        auto session = std::make_shared<Session>(std::move(socket), self);
        {
          std::lock_guard lock(self->mutex);
          std::erase_if(self->sessions, [](auto& w) { return w.expired(); });
          self->sessions.push_back(session);
        }
        session->start();
        self->accept();
      });
}

void Server::Impl::begin_shutdown() {
  if (stopping.exchange(true)) {
    return;
  }
  spdlog::info("shutting down: finishing requests in flight");
  beast::error_code ec;
  acceptor.close(ec);
  signals.cancel(ec);
  if (on_shutdown) {
    on_shutdown();
  }
  std::vector<std::shared_ptr<Session>> open;
  {
    std::lock_guard lock(mutex);
    for (auto& w : sessions) {
      if (auto s = w.lock()) {
        open.push_back(std::move(s));
      }
    }
  }
  for (auto& s : open) {
    s->drain();
  }
  if (live == 0) {
    return;
  }
  drain_timer.expires_after(settings.drain_timeout);
  drain_timer.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (ec) {
      return;  // every connection finished in time
    }
    spdlog::warn("shutdown: closing {} connection(s) still open", self->live.load());
    std::lock_guard lock(self->mutex);
    for (auto& w : self->sessions) {
      if (auto s = w.lock()) {
        s->force_close();
      }
    }
  });
}

void Server::Impl::session_ended() {
  if (--live == 0 && stopping) {
    net::post(control, [self = shared_from_this()] { self->drain_timer.cancel(); });
  }
}

Server::Server(ServerSettings settings, Service& service)
    : impl_(std::make_shared<Impl>(std::move(settings), service)) {}

Server::~Server() {
  impl_->ioc.stop();
}

core::Result<core::HostPort> Server::start() {
  auto& im = *impl_;
  beast::error_code ec;
  const auto address = net::ip::make_address(im.settings.listen.host, ec);
  if (ec) {
    return core::Error::invalid("bad_listen", "cannot listen on '" + im.settings.listen.host +
                                                  "': not an IP address");
  }
  const tcp::endpoint endpoint(address, im.settings.listen.port);
  im.acceptor.open(endpoint.protocol(), ec);
  if (!ec) {
    im.acceptor.set_option(net::socket_base::reuse_address(true), ec);
    im.acceptor.bind(endpoint, ec);
  }
  if (!ec) {
    im.acceptor.listen(net::socket_base::max_listen_connections, ec);
  }
  if (ec) {
    return core::Error::unavailable("listen_failed",
                                    "cannot listen on " + im.settings.listen.to_string() + ": " +
                                        ec.message());
  }
  if (im.settings.handle_signals) {
    im.signals.add(SIGINT);
    im.signals.add(SIGTERM);
    im.signals.async_wait([self = impl_](beast::error_code e, int) {
      if (!e) {
        self->begin_shutdown();
      }
    });
  }
  im.accept();
  const auto bound = im.acceptor.local_endpoint();
  return core::HostPort{bound.address().to_string(), bound.port()};
}

void Server::run() {
  std::vector<std::thread> threads;
  for (size_t i = 1; i < impl_->settings.io_threads; ++i) {
    threads.emplace_back([this] { impl_->ioc.run(); });
  }
  impl_->ioc.run();
  for (auto& t : threads) {
    t.join();
  }
}

void Server::shutdown() {
  net::post(impl_->control, [self = impl_] { self->begin_shutdown(); });
}

void Server::set_on_shutdown(std::function<void()> fn) { impl_->on_shutdown = std::move(fn); }

size_t Server::open_connections() const { return impl_->live.load(); }

}  // namespace hqadz::http
