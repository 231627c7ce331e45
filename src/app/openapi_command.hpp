#pragma once
/// `hqadz openapi`: prints the OpenAPI document of every route `serve --demo` registers (the
/// demo-only ones tagged "demo"), the same on every machine: it reads no configuration and
/// builds the route table over a throwaway data dir.

namespace hqadz::app {

int run_openapi();

}  // namespace hqadz::app
