// kalm: entry point. All wiring happens in cli::Run.
#include "cli/cli.h"

int main(int argc, char** argv) { return kalm::cli::Run(argc, argv); }
