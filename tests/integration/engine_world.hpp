#pragma once
/// The engine's world on the real stack, shared by the engine and fault suites: a `tgsim`
/// process with a channel and a post, `hqadz serve` on a data dir kept across restarts, an
/// admin and a customer, stock imported from tgsim accounts, adbots bought through the routes.
/// tgsim's record (GET /deliveries) is the judge; the `forwards` rows map each delivery's
/// random_id back to its slot (cycle, group, account).
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "auth_helpers.hpp"
#include "storage/database.hpp"
#include "storage/testing/test_database.hpp"
#include "tgsim_process.hpp"

namespace hqadz::testing {

int64_t now_ms();

/// Polls `done` until it holds or `timeout` passes: only for records kept by another process
/// (tgsim's deliveries, the server's database, its health answer), where no signal crosses.
template <typename F>
bool wait_until(F done, std::chrono::milliseconds timeout,
                std::chrono::milliseconds period = std::chrono::milliseconds(20)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) {
      return true;
    }
    std::this_thread::sleep_for(period);
  }
  return done();
}

/// One `forwards` row.
struct Slot {
  int64_t cycle = 0;
  std::string target;
  int64_t session = 0;
  std::string outcome;
  std::string detail;
};

class EngineWorldIT : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  /// `hqadz serve` on this test's data dir (kept across restarts); the admin and the customer
  /// are made on the first start and signed in on every one.
  void start_server();
  /// The server's database: SQLite in the data dir, or on PostgreSQL a fresh database of the
  /// throwaway cluster (false: none is available, the caller skips).
  bool use_backend(storage::Backend backend);
  HttpClient admin() const { return client_for(*server_, admin_); }
  HttpClient owner() const { return client_for(*server_, user_); }

  /// The server's database (HQADZ_DATABASE_URL of env_, else the data dir's SQLite file).
  storage::Database& db();
  void exec(const std::string& sql);
  int64_t scalar(const std::string& sql);

  /// A tgsim account imported as stock; returns the stock id.
  int64_t add_stock_account();
  /// Buys an adbot with `accounts` fresh stock accounts (manual provider, admin marks paid),
  /// then shortens its posting interval in the database (the API's minimum is 60 s).
  int64_t buy_adbot(int accounts, const std::string& distribution, int interval_seconds,
                    const nlohmann::json& plan_extra = nlohmann::json::object());
  void set_interval(int64_t adbot, int seconds);
  /// `n` public groups in tgsim; their targets ("@name") → tgsim ids.
  std::map<std::string, int64_t> make_groups(int n, int slowmode_seconds = 0);
  /// The post and `groups` as the adbot's advertisement.
  void configure(int64_t adbot, const std::map<std::string, int64_t>& groups);
  /// POST /api/adbots/{id}/{action} as the owner.
  HttpResult control(int64_t adbot, const std::string& action);
  /// The adbot's slots by random_id (a random_id carried into the next cycle: its last slot).
  std::map<int64_t, Slot> slots(int64_t adbot);
  int64_t events(int64_t adbot, const std::string& kind);

  TempDir dir_;
  TgsimProcess tg_;
  int64_t channel_ = 0;
  int64_t post_ = 0;
  std::map<std::string, std::string> env_;
  std::unique_ptr<storage::testing::TestDatabase> pg_;  // outlives the server and db_
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<storage::Database> db_;
  TestUser admin_;
  TestUser user_;
  std::map<int64_t, int64_t> tg_of_;  // stock id → tgsim account id
  int accounts_made_ = 0;
  int groups_made_ = 0;
};

}  // namespace hqadz::testing
