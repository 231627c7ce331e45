// Replays fuzz inputs without libFuzzer: every regular file under each argument (a file or a
// directory, walked in sorted order) goes once through LLVMFuzzerTestOneInput. Built in the
// normal (gcc, ASan/UBSan) tree so `make test` keeps every seed and every crash found as a
// regression test. A missing path is skipped (git keeps no empty regressions folder), but no
// input at all is an error: a corpus that vanished must not pass silently.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

std::vector<std::filesystem::path> inputs_under(const std::filesystem::path& root) {
  std::vector<std::filesystem::path> out;
  std::error_code ec;
  if (std::filesystem::is_regular_file(root, ec)) {
    out.push_back(root);
    return out;
  }
  if (!std::filesystem::is_directory(root, ec)) {
    std::fprintf(stderr, "replay: %s: not found, skipped\n", root.c_str());
    return out;
  }
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (entry.is_regular_file() && entry.path().filename().string().front() != '.') {
      out.push_back(entry.path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t replayed = 0;
  for (int i = 1; i < argc; ++i) {
    for (const auto& path : inputs_under(argv[i])) {
      std::ifstream in(path, std::ios::binary);
      if (!in) {
        std::fprintf(stderr, "replay: cannot read %s\n", path.c_str());
        return 2;
      }
      std::vector<char> bytes((std::istreambuf_iterator<char>(in)),
                              std::istreambuf_iterator<char>());
      std::fprintf(stderr, "replay: %s (%zu bytes)\n", path.c_str(), bytes.size());
      // A copy of exactly `size` bytes, so ASan sees any read past the end.
      std::vector<uint8_t> exact(bytes.begin(), bytes.end());
      LLVMFuzzerTestOneInput(exact.empty() ? nullptr : exact.data(), exact.size());
      ++replayed;
    }
  }
  std::printf("replayed %zu inputs\n", replayed);
  return replayed == 0 ? 1 : 0;
}
