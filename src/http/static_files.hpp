#pragma once
/// Serves the built web UI (web/dist) with single-page-app fallback: a non-API path that names
/// no file gets index.html. Paths are confined to the root (no "..", no symlinks out).

#include <optional>
#include <string>

#include "http/message.hpp"

namespace hqadz::http {

class StaticFiles {
 public:
  /// `root` may not exist (no web UI built): then every path answers 404.
  explicit StaticFiles(std::string root);

  /// GET/HEAD of a non-API `path` (already percent-decoded).
  Response serve(const std::string& path) const;
  bool available() const { return available_; }

 private:
  std::optional<Response> file_response(const std::string& relative) const;

  std::string root_;  // canonical
  bool available_ = false;
};

/// Content-Type for a file name by extension.
std::string mime_type_for(const std::string& name);

}  // namespace hqadz::http
