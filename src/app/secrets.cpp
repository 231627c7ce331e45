#include "app/secrets.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "crypto/encoding.hpp"
#include "crypto/random.hpp"

namespace hqadz::app {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  std::string text = s.str();
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

}  // namespace

std::string load_or_create_secret(const std::string& path, size_t bytes) {
  const std::string fresh = crypto::to_base64(crypto::random_bytes(bytes)) + "\n";
  // O_EXCL: if another process made it first, we read theirs.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) {
    const bool ok = ::write(fd, fresh.data(), fresh.size()) == static_cast<ssize_t>(fresh.size());
    ::fsync(fd);
    ::close(fd);
    if (!ok) {
      throw std::runtime_error("cannot write " + path);
    }
  } else if (errno != EEXIST) {
    throw std::runtime_error("cannot create " + path);
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && (st.st_mode & 077) != 0) {
    ::chmod(path.c_str(), 0600);
  }
  auto raw = crypto::from_base64(read_file(path));
  if (!raw || raw->size() < bytes) {
    throw std::runtime_error(path + " does not hold a valid secret; remove it to make a new one");
  }
  return *raw;
}

}  // namespace hqadz::app
