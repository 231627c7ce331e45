#include "app/cli_io.hpp"

#include <fstream>
#include <iostream>

#include "telegram/session/session_data.hpp"

namespace hqadz::app {

void print_json(const nlohmann::json& j) {
  std::cout << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << std::endl;
}

core::Result<std::string> read_session_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return core::Error::invalid("cannot_read_file", "cannot open " + path);
  }
  std::string bytes(telegram::kMaxSessionFileBytes + 1, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (in.bad()) {
    return core::Error::invalid("cannot_read_file", "cannot read " + path);
  }
  bytes.resize(static_cast<size_t>(in.gcount()));
  return bytes;
}

}  // namespace hqadz::app
