// Telethon 1.25.1 (Debian's, under /usr/bin/python3) as a client of tgsim: the independent
// check that tgsim serves a real MTProto client, and that our CLI reads Telethon's files.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "telegram/client/session_tool.hpp"
#include "tools/tgsim/tgsim.hpp"

namespace hqadz::tgsim {
namespace {

struct ProcessRun {
  int status = -1;
  std::string out;
};

ProcessRun run(const std::string& cmd) {
  ProcessRun r;
  FILE* pipe = popen((cmd + " 2>&1").c_str(), "r");
  if (pipe == nullptr) {
    return r;
  }
  std::array<char, 4096> buf{};
  std::size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) {
    r.out.append(buf.data(), n);
  }
  r.status = pclose(pipe);
  return r;
}

// The last line of the script's output, as JSON.
nlohmann::json last_json(const std::string& out) {
  auto end = out.find_last_not_of("\r\n");
  auto start = out.rfind('\n', end);
  auto line = out.substr(start == std::string::npos ? 0 : start + 1, end - start);
  return nlohmann::json::parse(line, nullptr, false);
}

class TelethonVsTgsim : public ::testing::Test {
 protected:
  void SetUp() override {
    if (run(std::string(HQADZ_SYSTEM_PYTHON) + " -c 'import telethon'").status != 0) {
      GTEST_SKIP() << "python3-telethon is not installed (scripts/bootstrap installs it)";
    }
    sim_ = std::make_unique<Tgsim>(TgsimOptions{});
    ASSERT_TRUE(sim_->start().ok());
  }
  ProcessRun script(const std::string& mode, const std::string& extra = "") {
    return run(std::string(HQADZ_SYSTEM_PYTHON) + " " + HQADZ_TGSIM_TESTDATA +
               "/telethon_client.py " + sim_->control_url() + " " + mode + " " + extra);
  }
  std::unique_ptr<Tgsim> sim_;
};

TEST_F(TelethonVsTgsim, ConnectGetMeForwardWithTgsimSessionFile) {
  auto r = script("session");
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_TRUE(last_json(r.out).contains("message_id")) << r.out;
}

TEST_F(TelethonVsTgsim, FloodWaitIsRetriedByTelethonAndDeliveredOnce) {
  auto r = script("flood");
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_EQ(last_json(r.out)["deliveries"], 2) << r.out;
}

TEST_F(TelethonVsTgsim, TelethonMakesAFreshKeyWithTgsimsRsaKey) {
  auto r = script("fresh_key");
  ASSERT_EQ(r.status, 0) << r.out;
}

TEST_F(TelethonVsTgsim, SessionCheckReadsATelethonMadeSessionFile) {
  auto dir = std::filesystem::temp_directory_path() /
             ("tgsim_telethon_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto path = (dir / "made.session").string();
  auto r = script("make_session", path);
  ASSERT_EQ(r.status, 0) << r.out;
  auto expected = last_json(r.out);

  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  auto session = telegram::parse_session_file(bytes.str());
  ASSERT_TRUE(session.ok()) << session.error().message;
  telegram::SessionToolOptions o;
  o.session = *session;
  o.telegram_dcs = sim_->dcs_config();
  auto me = telegram::check_session(o);
  EXPECT_EQ(me["id"], expected["id"]) << me.dump();
  EXPECT_EQ(me["username"], expected["username"]) << me.dump();

  // The real CLI, when it has been built beside us.
  auto hqadz = std::filesystem::path(HQADZ_BIN_DIR) / "hqadz";
  if (std::filesystem::exists(hqadz)) {
    auto cli = run("HQADZ_TELEGRAM_DCS='" + sim_->dcs_config() + "' " + hqadz.string() +
                   " session check --data-dir " + (dir / "data").string() + " --file " + path +
                   " 2>/dev/null");
    EXPECT_EQ(cli.status, 0) << cli.out;
    EXPECT_EQ(last_json(cli.out)["id"], expected["id"]) << cli.out;
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace hqadz::tgsim
