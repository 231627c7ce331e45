#include "app/demo_world.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include "crypto/encoding.hpp"
#include "crypto/random.hpp"
#include "telegram/session/session_data.hpp"
#include "tools/tgsim/tgsim.hpp"

namespace hqadz::app {
namespace {

constexpr const char* kChannel = "hqadz_demo";
constexpr const char* kPosts[] = {
    "Spring sale: 30% off every plan this week. Reply here or visit our shop.",
    "New in stock: hand-made leather wallets. Free shipping over $50.",
    "Weekend meetup, Saturday 10:00, Central Park. Everyone welcome!",
};

struct GroupSpec {
  const char* username;
  const char* title;
  int slowmode_seconds;
  bool can_write;
};
// The first three are what the web journey and the integration test configure.
constexpr GroupSpec kGroups[] = {
    {"demo_group_1", "Demo group one", 0, true},
    {"demo_group_2", "Demo group two", 0, true},
    {"demo_slow_group", "Demo group with slow mode", 300, true},
    {"demo_group_3", "Demo group three", 0, true},
    {"demo_readonly_group", "Demo announcements (members cannot write)", 0, false},
};

// Enough for the largest demo plan (15 accounts) with some left over.
constexpr int kStockAccounts = 18;
constexpr int kSpareAccounts = 2;
constexpr int64_t kApiId = 1000001;
constexpr const char* kApiHash = "a1b2c3d4e5f60718293a4b5c6d7e8f90";

}  // namespace

struct DemoWorld::Account {
  std::string username;
  std::string first_name;
  std::string phone;
  std::string auth_key;  // 256 raw bytes
  bool spare = false;
  std::string string_session;  // of this run (the port changes)
};

DemoWorld::DemoWorld(const std::string& data_dir) : path_(data_dir + "/demo-world.json") {
  load_or_create();
  tgsim::TgsimOptions options;
  options.with_control = false;  // the world is built here; nothing else needs to drive it
  options.hash_secret = hash_secret_;
  sim_ = std::make_unique<tgsim::Tgsim>(options);
  if (auto st = sim_->start(); !st.ok()) {
    throw std::runtime_error("demo: the Telegram simulator did not start: " + st.error().message);
  }
  build();
  save();
  spdlog::info("demo: Telegram simulator on {} with {} accounts",
               sim_->mtproto_address().to_string(), accounts_.size());
}

DemoWorld::~DemoWorld() = default;

std::string DemoWorld::dcs_config() const { return sim_->dcs_config(); }

std::string DemoWorld::post_link() const { return fmt::format("https://t.me/{}/1", kChannel); }

std::vector<std::string> DemoWorld::groups() const {
  std::vector<std::string> out;
  for (const auto& g : kGroups) {
    out.push_back(std::string("@") + g.username);
  }
  return out;
}

void DemoWorld::load_or_create() {
  nlohmann::json saved = nlohmann::json::object();
  if (std::ifstream in(path_); in) {
    std::stringstream s;
    s << in.rdbuf();
    saved = nlohmann::json::parse(s.str(), nullptr, false);
    if (!saved.is_object()) {
      throw std::runtime_error("demo: " + path_ + " is damaged; delete it and the data dir");
    }
  }
  const auto secret = crypto::from_hex(saved.value("hash_secret", ""));
  if (secret && secret->size() == 8) {
    std::memcpy(&hash_secret_, secret->data(), 8);
  } else {
    hash_secret_ = crypto::random_u64();
  }
  std::map<std::string, std::string> keys;
  for (const auto& a : saved.value("accounts", nlohmann::json::array())) {
    auto key = crypto::from_base64(a.value("auth_key", ""));
    if (key && key->size() == telegram::kAuthKeyBytes) {
      keys[a.value("username", "")] = *key;
    }
  }
  // The layout is fixed by the code; a key is reused when the file has one for that name.
  auto add = [&](std::string username, std::string first_name, std::string phone, bool spare) {
    auto it = keys.find(username);
    std::string key = it != keys.end() ? it->second : crypto::random_bytes(telegram::kAuthKeyBytes);
    accounts_.push_back(Account{std::move(username), std::move(first_name), std::move(phone),
                                std::move(key), spare, {}});
  };
  for (int i = 1; i <= kStockAccounts; ++i) {
    add(fmt::format("demo_acct_{:02}", i), fmt::format("Demo {}", i),
        fmt::format("+1555010{:04}", i), false);
  }
  for (int i = 1; i <= kSpareAccounts; ++i) {
    add(fmt::format("demo_spare_{}", i), fmt::format("Spare {}", i),
        fmt::format("+1555019{:04}", i), true);
  }
}

void DemoWorld::build() {
  auto& w = sim_->world();
  auto must = [](const auto& r, const std::string& what) {
    if (!r.ok()) {
      throw std::runtime_error("demo: cannot create " + what + ": " + r.error().message);
    }
  };
  // Same order on every start: tgsim numbers accounts and chats as they are made.
  std::vector<int64_t> ids;
  for (auto& a : accounts_) {
    auto made = w.create_account(a.first_name, a.username, a.auth_key);
    must(made, "account " + a.username);
    ids.push_back(made->id);
    a.string_session = telegram::to_string_session(sim_->session_for(*made));
  }
  auto channel = w.create_channel(kChannel, "hqadz demo channel");
  must(channel, "the channel");
  for (const char* text : kPosts) {
    must(w.add_post(*channel, text), "a post");
  }
  for (const auto& g : kGroups) {
    auto group = w.create_group(g.username, g.title, g.slowmode_seconds);
    must(group, std::string("group ") + g.username);
    // Members from the start: a join made in an earlier run is gone with that run's world.
    for (int64_t id : ids) {
      auto st = w.add_member(*group, id, {.can_write = g.can_write, .banned = false});
      must(st, std::string("a member of ") + g.username);
    }
  }
}

void DemoWorld::save() const {
  nlohmann::json accounts = nlohmann::json::array();
  for (const auto& a : accounts_) {
    nlohmann::json j = {{"username", a.username},
                        {"phone", a.phone},
                        {"auth_key", crypto::to_base64(a.auth_key)},
                        {"spare", a.spare}};
    if (a.spare) {
      // What the admin pastes into the stock page (StringSessions: "phone session").
      j["string_session"] = a.string_session;
      j["api_id"] = kApiId;
      j["api_hash"] = kApiHash;
    }
    accounts.push_back(std::move(j));
  }
  std::string secret(8, '\0');
  std::memcpy(secret.data(), &hash_secret_, 8);
  const nlohmann::json doc = {{"hash_secret", crypto::to_hex(secret)}, {"accounts", accounts}};
  // Auth keys: readable by the owner only, from the first byte on disk.
  const std::string tmp = path_ + ".tmp";
  const std::string text = doc.dump(2) + "\n";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  const bool written =
      fd >= 0 && ::fchmod(fd, 0600) == 0 &&
      ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  if (fd >= 0) {
    ::close(fd);
  }
  std::error_code ec;
  if (written) {
    std::filesystem::rename(tmp, path_, ec);
  }
  if (!written || ec) {
    throw std::runtime_error("demo: cannot write " + path_);
  }
}

int DemoWorld::stock_up(domain::StockService& stock) {
  int added = 0;
  for (const auto& a : accounts_) {
    if (a.spare) {
      continue;
    }
    auto r = stock.import_string_session(a.string_session, {a.phone, kApiId, kApiHash},
                                         {"demo", std::nullopt});
    if (r.ok()) {
      ++added;
    } else if (r.error().code != "duplicate_session") {
      throw std::runtime_error("demo: cannot put " + a.username + " in stock: " +
                               r.error().message);
    }
  }
  return added;
}

}  // namespace hqadz::app
