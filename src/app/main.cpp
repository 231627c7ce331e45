#include <malloc.h>

#include <cstdlib>

#include "app/cli.hpp"

int main(int argc, char** argv) {
  // glibc gives threads that contend for malloc arenas of their own (up to 8 per core), and
  // what one thread frees stays in its arena: the engine's, the HTTP and the Telegram threads
  // each allocate a share of every account. Two arenas measured 3.5 KiB less RSS per connected
  // account (marginal 7.1 -> 3.6 KiB from 250 to 1,000 idle accounts) and 2.6 MiB less fixed
  // RSS, at the same CPU per delivery (bench/engine). MALLOC_ARENA_MAX, when set, wins.
  if (std::getenv("MALLOC_ARENA_MAX") == nullptr) {
    mallopt(M_ARENA_MAX, 2);
  }
  return hqadz::app::run_cli(argc, argv);
}
