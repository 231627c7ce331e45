// libFuzzer target: the Telethon session importers (src/telegram/session), as uploaded. Every
// input goes to both: the StringSession text parser and the .session (SQLite v7) file parser,
// which loads the bytes in memory (sqlite3_deserialize, read-only) and never touches the disk.
// Properties: never crashes; errors carry their documented code prefix; an accepted session
// holds checked values, and written again in either format it reads back the same.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "telegram/session/session_checks.hpp"
#include "telegram/session/session_data.hpp"

namespace tg = hqadz::telegram;

namespace {

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "session_fuzz: property violated: %s\n", what);
  std::abort();
}

bool same(const tg::SessionData& a, const tg::SessionData& b) {
  return a.dc_id == b.dc_id && a.server_address == b.server_address && a.port == b.port &&
         a.auth_key == b.auth_key;
}

void accepted(const tg::SessionData& s) {
  if (!tg::check_session_values(s, "x_", "x").ok()) {
    fail("an accepted session fails the value checks");
  }
  if (s.auth_key.size() != tg::kAuthKeyBytes) {
    fail("an accepted session's key is not 256 bytes");
  }
  if (s.dc_id <= 255) {  // a StringSession holds the dc id in one byte
    auto text = tg::to_string_session(s);
    auto back = tg::parse_string_session(text);
    if (!back.ok() || !same(*back, s)) {
      fail("a session does not round-trip through a StringSession");
    }
  }
  auto file = tg::make_session_file(s);
  if (!file.ok()) {
    fail("an accepted session cannot be written as a .session file");
  }
  auto back = tg::parse_session_file(*file);
  if (!back.ok() || !same(*back, s)) {
    fail("a session does not round-trip through a .session file");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);

  auto text = tg::parse_string_session(bytes);
  if (text.ok()) {
    accepted(*text);
  } else if (text.error().code.rfind("bad_string_session_", 0) != 0) {
    fail("a StringSession refused with another code");
  }

  auto file = tg::parse_session_file(bytes);
  if (file.ok()) {
    accepted(*file);
  } else if (file.error().code.rfind("bad_session_file_", 0) != 0) {
    fail("a .session file refused with another code");
  }
  return 0;
}
