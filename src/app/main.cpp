#include "app/cli.hpp"

int main(int argc, char** argv) { return hqadz::app::run_cli(argc, argv); }
