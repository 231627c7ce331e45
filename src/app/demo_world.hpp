#pragma once
/// The Telegram side of `hqadz serve --demo`: tgsim embedded on loopback and a demo world
/// built on every start (tgsim keeps it in memory): a channel with posts, public groups (one
/// with slow mode, one where nobody may write) and demo accounts that are members of all of
/// them.
///
/// The accounts' auth keys and the world's hash secret are kept in
/// <data-dir>/demo-world.json (0600, demo mode only): the world is rebuilt in the same order
/// with the same keys, so the stock rows and the peers the engine cached in a previous run
/// keep working after a restart. Spare accounts stay out of stock: their StringSessions are
/// in that file for the admin to upload.

#include <memory>
#include <string>
#include <vector>

#include "domain/stock.hpp"

namespace hqadz::tgsim {
class Tgsim;
}  // namespace hqadz::tgsim

namespace hqadz::app {

class DemoWorld {
 public:
  /// Loads or creates demo-world.json, starts tgsim and builds the world. Throws on failure
  /// (a start-up error).
  explicit DemoWorld(const std::string& data_dir);
  ~DemoWorld();
  DemoWorld(const DemoWorld&) = delete;
  DemoWorld& operator=(const DemoWorld&) = delete;

  /// The HQADZ_TELEGRAM_DCS value pointing at the embedded tgsim.
  std::string dcs_config() const;
  /// Imports the demo accounts (not the spares) that stock does not hold yet; returns how
  /// many it added. Throws when an import fails for another reason than "already there".
  int stock_up(domain::StockService& stock);

  /// What the banner suggests typing.
  std::string post_link() const;
  std::vector<std::string> groups() const;
  std::string file_path() const { return path_; }

 private:
  struct Account;
  void load_or_create();
  void save() const;
  void build();

  std::string path_;
  std::uint64_t hash_secret_ = 0;
  std::vector<Account> accounts_;
  std::unique_ptr<tgsim::Tgsim> sim_;
};

}  // namespace hqadz::app
