#include "http/static_files.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace hqadz::http {
namespace fs = std::filesystem;

namespace {

bool ends_with(const std::string& s, const char* suffix) {
  const std::string_view sv(suffix);
  return s.size() >= sv.size() && s.compare(s.size() - sv.size(), sv.size(), sv) == 0;
}

}  // namespace

std::string mime_type_for(const std::string& name) {
  static const std::pair<const char*, const char*> kTypes[] = {
      {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},         {".svg", "image/svg+xml"},
      {".png", "image/png"},                 {".jpg", "image/jpeg"},
      {".ico", "image/x-icon"},              {".webp", "image/webp"},
      {".woff2", "font/woff2"},              {".woff", "font/woff"},
      {".txt", "text/plain; charset=utf-8"}, {".map", "application/json"},
      {".webmanifest", "application/manifest+json"}};
  for (const auto& [ext, type] : kTypes) {
    if (ends_with(name, ext)) {
      return type;
    }
  }
  return "application/octet-stream";
}

StaticFiles::StaticFiles(std::string root) {
  std::error_code ec;
  auto canonical = fs::canonical(root, ec);
  if (!ec && fs::is_regular_file(canonical / "index.html", ec)) {
    root_ = canonical.string();
    available_ = true;
  }
}

std::optional<Response> StaticFiles::file_response(const std::string& relative) const {
  std::error_code ec;
  const fs::path full = fs::weakly_canonical(fs::path(root_) / relative, ec);
  if (ec) {
    return std::nullopt;
  }
  const std::string s = full.string();
  if (s.compare(0, root_.size(), root_) != 0 || (s.size() > root_.size() && s[root_.size()] != '/')) {
    return std::nullopt;  // escaped the root (e.g. through a symlink)
  }
  if (!fs::is_regular_file(full, ec)) {
    return std::nullopt;
  }
  std::ifstream in(full, std::ios::binary);
  if (!in) {
    return std::nullopt;
  }
  std::ostringstream buf;
  buf << in.rdbuf();
  Response r;
  r.body = buf.str();
  r.content_type = mime_type_for(s);
  // Vite puts content-hashed names under assets/: cache them forever, never index.html.
  r.with_header("Cache-Control", relative.rfind("assets/", 0) == 0
                                     ? "public, max-age=31536000, immutable"
                                     : "no-cache");
  return r;
}

Response StaticFiles::serve(const std::string& path) const {
  if (!available_) {
    return Response::error({core::Errc::kNotFound, "not_found", "no web UI is built here"});
  }
  std::string relative = path;
  while (!relative.empty() && relative.front() == '/') {
    relative.erase(0, 1);
  }
  bool safe = relative.find('\0') == std::string::npos;
  for (const auto& part : fs::path(relative)) {
    if (part == "..") {
      safe = false;
    }
  }
  if (safe && !relative.empty()) {
    if (auto r = file_response(relative)) {
      return *r;
    }
  }
  // Single-page app: the client-side router owns every other path.
  if (auto r = file_response("index.html")) {
    return *r;
  }
  return Response::error(core::Error::not_found());
}

}  // namespace hqadz::http
