# Warning and sanitizer flags shared by every target: call hqadz_target_options(target).
add_library(hqadz_options INTERFACE)
target_compile_options(hqadz_options INTERFACE -Wall -Wextra -Wpedantic -Wno-missing-field-initializers)
if(HQADZ_WERROR)
  target_compile_options(hqadz_options INTERFACE -Werror)
endif()
# Asio's awaitable.hpp misses <utility> in Boost 1.74 (TRAPS.md); Beast is header-only here.
target_compile_definitions(hqadz_options INTERFACE BOOST_ASIO_NO_DEPRECATED BOOST_BEAST_USE_STD_STRING_VIEW)

if(HQADZ_SANITIZE)
  # vptr checks need RTTI of SOCI internals that libsoci does not export.
  set(san -fsanitize=address,undefined -fno-sanitize=vptr -fno-sanitize-recover=all
          -fno-omit-frame-pointer)
  add_compile_options(${san})
  add_link_options(-fsanitize=address,undefined -fno-sanitize=vptr)
endif()
