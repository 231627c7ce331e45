// tlgen: generates C++ for the TL schema at build time.
// Usage: tlgen --out DIR --typed FILE... --full FILE...
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "telegram/tlgen/emit.hpp"

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    throw std::runtime_error("cannot read " + path);
  }
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Rewrites only on change, so an unchanged schema does not trigger a rebuild.
void write_if_changed(const std::string& path, const std::string& text) {
  std::ifstream in(path);
  if (in) {
    std::ostringstream s;
    s << in.rdbuf();
    if (s.str() == text) {
      return;
    }
  }
  std::ofstream out(path, std::ios::trunc);
  out << text;
  if (!out) {
    throw std::runtime_error("cannot write " + path);
  }
}

}  // namespace

int main(int argc, char** argv) {
  using namespace hqadz::telegram::tlgen;
  try {
    std::string out;
    std::vector<Schema> typed;
    std::vector<Schema> full;
    std::vector<Schema>* target = nullptr;
    for (int i = 1; i < argc; ++i) {
      std::string a = argv[i];
      if (a == "--out" && i + 1 < argc) {
        out = argv[++i];
      } else if (a == "--typed") {
        target = &typed;
      } else if (a == "--full") {
        target = &full;
      } else if (target != nullptr) {
        try {
          target->push_back(parse_schema(read_file(a), target == &full));
        } catch (const std::exception& e) {
          throw std::runtime_error(a + ": " + e.what());
        }
      } else {
        throw std::runtime_error("unexpected argument " + a);
      }
    }
    if (out.empty() || typed.empty()) {
      throw std::runtime_error("usage: tlgen --out DIR --typed FILE... --full FILE...");
    }
    Model model(std::move(typed), std::move(full));
    write_if_changed(out + "/tl_types.hpp", emit_header(model));
    write_if_changed(out + "/tl_types.cpp", emit_source(model));
    write_if_changed(out + "/tl_tables.cpp", emit_tables(model));
  } catch (const std::exception& e) {
    std::cerr << "tlgen: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
