// tgsim: a Telegram MTProto server over an in-memory world, for tests and demos.
#include <CLI/CLI.hpp>

#include <csignal>
#include <fstream>
#include <iostream>
#include <sstream>

#include "tools/tgsim/tgsim.hpp"

int main(int argc, char** argv) {
  CLI::App app{"tgsim: an MTProto server over an in-memory Telegram world"};
  std::string listen = "127.0.0.1:0";
  std::string control = "127.0.0.1:0";
  std::string key_file;
  app.add_option("--listen", listen, "MTProto address HOST:PORT");
  app.add_option("--control", control, "control API address HOST:PORT (keep it on loopback)");
  app.add_option("--rsa-key", key_file, "PEM RSA private key (default: a fresh key)");
  CLI11_PARSE(app, argc, argv);

  hqadz::tgsim::TgsimOptions options;
  auto mtproto = hqadz::core::parse_host_port(listen);
  auto ctl = hqadz::core::parse_host_port(control);
  if (!mtproto.ok() || !ctl.ok()) {
    std::cerr << "tgsim: bad --listen or --control address\n";
    return 2;
  }
  options.mtproto = *mtproto;
  options.control = *ctl;
  if (!key_file.empty()) {
    std::ifstream in(key_file);
    std::stringstream pem;
    pem << in.rdbuf();
    options.rsa_private_key_pem = pem.str();
  }
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // threads inherit it; we wait below

  hqadz::tgsim::Tgsim sim(options);
  if (auto started = sim.start(); !started.ok()) {
    std::cerr << "tgsim: " << started.error().message << "\n";
    return 1;
  }
  std::cout << "tgsim mtproto on " << sim.mtproto_address().to_string() << " control on "
            << sim.control_url() << std::endl;
  int sig = 0;
  sigwait(&signals, &sig);
  sim.stop();
  return 0;
}
