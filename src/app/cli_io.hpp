#pragma once
/// What every subcommand shares: its one JSON document on stdout, and reading a session file.

#include <nlohmann/json.hpp>

#include <string>

#include "core/result.hpp"

namespace hqadz::app {

/// Machine-readable output: one JSON document on stdout, flushed at once.
void print_json(const nlohmann::json& j);

/// A Telethon `.session` file's bytes, read to at most one byte over the parser's limit
/// (enough for it to say "too large" without reading a huge file whole).
core::Result<std::string> read_session_file(const std::string& path);

}  // namespace hqadz::app
