#include <utility>  // before Asio (TRAPS.md)

#include "app/telegram_runtime.hpp"

#include <boost/asio.hpp>
#include <spdlog/spdlog.h>

#include "telegram/client/client.hpp"

namespace hqadz::app {

struct TelegramRuntime::Impl {
  Impl(domain::StockService& s, std::shared_ptr<const telegram::DcTable> d)
      : stock(s), dcs(std::move(d)), work(boost::asio::make_work_guard(io)) {}
  domain::StockService& stock;
  std::shared_ptr<const telegram::DcTable> dcs;
  // One copy for every account (a client keeps a reference, not its own ~200-byte copy).
  std::shared_ptr<const telegram::ClientSettings> settings =
      std::make_shared<const telegram::ClientSettings>();
  boost::asio::io_context io;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work;
  std::vector<std::thread> threads;
};

TelegramRuntime::TelegramRuntime(domain::StockService& stock, const std::string& dcs_setting,
                                 size_t threads) {
  auto table = telegram::DcTable::from_setting(dcs_setting);
  if (!table.ok()) {
    throw std::runtime_error("HQADZ_TELEGRAM_DCS: " + table.error().message);
  }
  impl_ = std::make_unique<Impl>(stock, std::make_shared<const telegram::DcTable>(*table));
  for (size_t i = 0; i < threads; ++i) {
    impl_->threads.emplace_back([im = impl_.get()] { im->io.run(); });
  }
}

TelegramRuntime::~TelegramRuntime() {
  impl_->work.reset();
  impl_->io.stop();
  for (auto& t : impl_->threads) {
    t.join();
  }
}

boost::asio::io_context& TelegramRuntime::io() { return impl_->io; }

std::shared_ptr<telegram::Account> TelegramRuntime::open(int64_t session_id) {
  auto s = impl_->stock.decrypt(session_id);
  if (!s.ok()) {
    spdlog::error("account #{} cannot be opened: {}", session_id, s.error().message);
    return nullptr;
  }
  telegram::AccountOptions options{s->session, s->api_id, s->api_hash};
  // The client dials the DC table's address for the session's DC, never the stored one; a DC
  // the table does not know is not opened at all.
  if (impl_->dcs->find(options.session.dc_id) == nullptr) {
    spdlog::error("account #{} names DC {}, which is not in the DC table: not opened", session_id,
                  options.session.dc_id);
    return nullptr;
  }
  return telegram::make_client(impl_->io, std::move(options), impl_->dcs, impl_->settings);
}

}  // namespace hqadz::app
