// Linked into every integration test (an object library, so it is never dropped): notes each
// test that ran in `$HQADZ_CONTRACT_DIR/<pid>.ran`. The contract check enforces "every route
// has a recorded response" only when every recording test ran, so that `ctest -R CommerceIT`
// still validates what that test saw without failing on the routes it never calls.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

namespace {

class RanMarker final : public ::testing::EmptyTestEventListener {
  void OnTestEnd(const ::testing::TestInfo& info) override {
    const char* dir = std::getenv("HQADZ_CONTRACT_DIR");
    if (dir == nullptr || *dir == 0) {
      return;
    }
    const std::string line = std::string(info.test_suite_name()) + "." + info.name() + "\n";
    const std::string path = std::string(dir) + "/" + std::to_string(::getpid()) + ".ran";
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd >= 0) {
      (void)!::write(fd, line.data(), line.size());
      ::close(fd);
    }
  }
};

// Before main: gtest_main's InitGoogleTest keeps listeners appended earlier.
const bool kRegistered = [] {
  ::testing::UnitTest::GetInstance()->listeners().Append(new RanMarker);
  return true;
}();

}  // namespace
