// hqadz_bench_connect: connects many accounts at once with our MTProto client (the engine's
// client), to measure time-to-all-connected and resident memory per connected account, of this
// process and of the server (tgsim) it talks to.
//
//   hqadz_bench_connect --sessions FILE --dcs JSON [--threads 2] [--in-flight 1000]
//                       [--server-pid PID] [--hold-ms 0]
//
// FILE has one Telethon StringSession per line (tgsim's POST /accounts). An account counts as
// connected when its get_me() has answered (the key works and the connection is up). Prints one
// JSON object on stdout; exits 1 if some account failed.
#include <utility>  // before Asio (TRAPS.md)

#include <sys/resource.h>

#include <atomic>
#include <boost/asio.hpp>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "telegram/client/client.hpp"
#include "telegram/session/session_data.hpp"

namespace {

using hqadz::telegram::Client;

/// Resident set (kB) of a process from /proc/<pid>/status; -1 when unreadable.
long rss_kib(const std::string& pid) {
  std::ifstream in("/proc/" + pid + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) {
      return std::stol(line.substr(6));
    }
  }
  return -1;
}

std::string arg(int argc, char** argv, const std::string& name, const std::string& fallback) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (name == argv[i]) {
      return argv[i + 1];
    }
  }
  return fallback;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string sessions_file = arg(argc, argv, "--sessions", "");
  const std::string dcs_json = arg(argc, argv, "--dcs", "");
  const size_t threads = std::stoul(arg(argc, argv, "--threads", "2"));
  const size_t in_flight = std::stoul(arg(argc, argv, "--in-flight", "1000"));
  const std::string server_pid = arg(argc, argv, "--server-pid", "");
  const long hold_ms = std::stol(arg(argc, argv, "--hold-ms", "0"));
  if (sessions_file.empty() || dcs_json.empty()) {
    std::cerr << "usage: hqadz_bench_connect --sessions FILE --dcs JSON [--threads N] "
                 "[--in-flight N] [--server-pid PID] [--hold-ms MS]\n";
    return 2;
  }
  // One socket per account: lift the soft descriptor limit to the hard one.
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    setrlimit(RLIMIT_NOFILE, &lim);
  }
  getrlimit(RLIMIT_NOFILE, &lim);

  auto table = hqadz::telegram::DcTable::parse(dcs_json);
  if (!table.ok()) {
    std::cerr << "bad --dcs: " << table.error().message << "\n";
    return 2;
  }
  auto dcs = std::make_shared<const hqadz::telegram::DcTable>(*table);
  std::vector<hqadz::telegram::SessionData> sessions;
  {
    std::ifstream in(sessions_file);
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty()) {
        continue;
      }
      auto s = hqadz::telegram::parse_string_session(line);
      if (!s.ok()) {
        std::cerr << "bad session line: " << s.error().message << "\n";
        return 2;
      }
      sessions.push_back(*s);
    }
  }
  const std::string self = std::to_string(::getpid());
  const long self_before = rss_kib(self);
  const long server_before = server_pid.empty() ? -1 : rss_kib(server_pid);

  boost::asio::io_context io;
  auto work = boost::asio::make_work_guard(io);
  std::vector<std::thread> pool;
  for (size_t i = 0; i < threads; ++i) {
    pool.emplace_back([&io] { io.run(); });
  }

  std::vector<std::shared_ptr<Client>> clients(sessions.size());
  std::mutex mutex;
  std::condition_variable cv;
  size_t started = 0;
  size_t answered = 0;
  size_t failed = 0;
  std::string first_error;
  // One settings object for all clients, as the engine's TelegramRuntime shares it.
  auto settings = std::make_shared<const hqadz::telegram::ClientSettings>();
  const auto t0 = std::chrono::steady_clock::now();
  // At most `in_flight` connections being set up at once (a SYN flood helps nobody).
  for (size_t i = 0; i < sessions.size(); ++i) {
    {
      std::unique_lock lock(mutex);
      cv.wait(lock, [&] { return started - answered < in_flight; });
      ++started;
    }
    hqadz::telegram::AccountOptions options{sessions[i], 12345, "0123456789abcdef0123456789abcdef"};
    clients[i] = hqadz::telegram::make_client(io, std::move(options), dcs, settings);
    clients[i]->get_me([&](hqadz::telegram::Outcome<hqadz::telegram::Me> me) {
      std::lock_guard lock(mutex);
      ++answered;
      if (!me.ok()) {
        ++failed;
        if (first_error.empty()) {
          first_error = me.error().name;
        }
      }
      cv.notify_all();
    });
  }
  {
    std::unique_lock lock(mutex);
    cv.wait(lock, [&] { return answered == sessions.size(); });
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  // Let pending acks and pings settle before reading memory.
  std::this_thread::sleep_for(std::chrono::milliseconds(1000 + hold_ms));
  const long self_after = rss_kib(self);
  const long server_after = server_pid.empty() ? -1 : rss_kib(server_pid);
  const double n = static_cast<double>(std::max<size_t>(1, sessions.size()));
  nlohmann::json out = {
      {"accounts", sessions.size()},
      {"connected", sessions.size() - failed},
      {"failed", failed},
      {"first_error", first_error},
      {"seconds_to_all_connected", seconds},
      {"client_threads", threads},
      {"nofile_limit", static_cast<long long>(lim.rlim_cur)},
      {"client_rss_kib_before", self_before},
      {"client_rss_kib_after", self_after},
      {"client_kib_per_account", static_cast<double>(self_after - self_before) / n},
      {"server_rss_kib_before", server_before},
      {"server_rss_kib_after", server_after},
      {"server_kib_per_account",
       server_pid.empty() ? 0.0 : static_cast<double>(server_after - server_before) / n}};
  std::cout << out.dump() << std::endl;
  for (auto& c : clients) {
    c->close();
  }
  work.reset();
  for (auto& t : pool) {
    t.join();
  }
  clients.clear();
  return failed == 0 ? 0 : 1;
}
