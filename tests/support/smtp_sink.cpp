#include <utility>  // before Asio (TRAPS.md)

#include "smtp_sink.hpp"

#include <sys/socket.h>

#include <boost/asio.hpp>

#include <condition_variable>
#include <mutex>
#include <thread>

namespace hqadz::testing {
namespace net = boost::asio;

struct SmtpSink::Impl {
  net::io_context ioc;
  net::ip::tcp::acceptor acceptor{ioc};
  std::thread thread;
  mutable std::mutex mutex;
  std::condition_variable cv;
  std::vector<SinkMail> mails;  // guarded by mutex

  void serve() {
    while (true) {
      net::ip::tcp::socket socket(ioc);
      boost::system::error_code ec;
      acceptor.accept(socket, ec);
      if (ec) {
        return;
      }
      session(socket);
    }
  }

  static bool read_line(net::ip::tcp::socket& s, net::streambuf& buf, std::string& line) {
    boost::system::error_code ec;
    net::read_until(s, buf, "\r\n", ec);
    if (ec) {
      return false;
    }
    std::istream in(&buf);
    std::getline(in, line);
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    return true;
  }

  static void say(net::ip::tcp::socket& s, const std::string& text) {
    boost::system::error_code ec;
    net::write(s, net::buffer(text + "\r\n"), ec);
  }

  void session(net::ip::tcp::socket& s) {
    net::streambuf buf;
    std::string line;
    SinkMail mail;
    say(s, "220 sink ESMTP ready");
    while (read_line(s, buf, line)) {
      std::string upper = line.substr(0, 10);
      for (char& c : upper) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      }
      if (upper.rfind("EHLO", 0) == 0) {
        say(s, "250-sink\r\n250-8BITMIME\r\n250 SIZE 10485760");
      } else if (upper.rfind("HELO", 0) == 0) {
        say(s, "250 sink");
      } else if (upper.rfind("MAIL FROM:", 0) == 0) {
        mail = {};
        mail.from = line.substr(10);
        say(s, "250 ok");
      } else if (upper.rfind("RCPT TO:", 0) == 0) {
        mail.to.push_back(line.substr(8));
        say(s, "250 ok");
      } else if (upper.rfind("DATA", 0) == 0) {
        say(s, "354 end with .");
        std::string data;
        while (read_line(s, buf, line) && line != ".") {
          data += (line.rfind("..", 0) == 0 ? line.substr(1) : line) + "\n";
        }
        mail.data = data;
        {
          std::lock_guard lock(mutex);
          mails.push_back(mail);
        }
        cv.notify_all();
        say(s, "250 queued");
      } else if (upper.rfind("QUIT", 0) == 0) {
        say(s, "221 bye");
        return;
      } else if (upper.rfind("RSET", 0) == 0 || upper.rfind("NOOP", 0) == 0) {
        say(s, "250 ok");
      } else {
        say(s, "502 not implemented");
      }
    }
  }
};

SmtpSink::SmtpSink() : impl_(std::make_unique<Impl>()) {
  net::ip::tcp::endpoint ep(net::ip::make_address("127.0.0.1"), 0);
  impl_->acceptor.open(ep.protocol());
  impl_->acceptor.set_option(net::socket_base::reuse_address(true));
  impl_->acceptor.bind(ep);
  impl_->acceptor.listen();
  impl_->thread = std::thread([this] { impl_->serve(); });
}

SmtpSink::~SmtpSink() {
  ::shutdown(impl_->acceptor.native_handle(), SHUT_RDWR);
  impl_->thread.join();
  boost::system::error_code ec;
  impl_->acceptor.close(ec);
}

uint16_t SmtpSink::port() const { return impl_->acceptor.local_endpoint().port(); }
std::string SmtpSink::url() const { return "smtp://127.0.0.1:" + std::to_string(port()); }

std::vector<SinkMail> SmtpSink::mails() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->mails;
}

std::optional<SinkMail> SmtpSink::wait_for(const std::string& needle,
                                           std::chrono::milliseconds timeout) {
  std::unique_lock lock(impl_->mutex);
  std::optional<SinkMail> found;
  impl_->cv.wait_for(lock, timeout, [&] {
    for (const auto& m : impl_->mails) {
      if (m.data.find(needle) != std::string::npos) {
        found = m;
        return true;
      }
    }
    return false;
  });
  return found;
}

}  // namespace hqadz::testing
