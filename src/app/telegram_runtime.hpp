#pragma once
/// The process's Telegram side: one I/O context (and its threads) for every account connection,
/// the DC table, and opening a stock account as a live client.

#include <memory>
#include <thread>
#include <vector>

#include "domain/stock.hpp"
#include "telegram/account.hpp"

namespace boost::asio {
class io_context;
}

namespace hqadz::app {

class TelegramRuntime {
 public:
  /// `dcs_setting`: HQADZ_TELEGRAM_DCS (empty: Telegram's own). Throws on a bad value. When
  /// set, its address for a DC wins over the one a stock session was imported with.
  TelegramRuntime(domain::StockService& stock, const std::string& dcs_setting, size_t threads = 1);
  ~TelegramRuntime();

  /// The account of stock row `session_id`, connecting; null when it cannot be decrypted.
  std::shared_ptr<telegram::Account> open(int64_t session_id);

  /// The I/O context every connection runs on (the engine runs its adbots there too).
  boost::asio::io_context& io();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace hqadz::app
