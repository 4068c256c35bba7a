#include "cli.hpp"

int main(int argc, char** argv) { return portico::host::runCommandLine(argc, argv); }
