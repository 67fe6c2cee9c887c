// kalm: entry point. The only place that picks implementations: the store
// engines (src/store) behind the CLI's Store interface.
#include "cli/cli.h"
#include "kalm/store/open.h"

int main(int argc, char** argv) {
  kalm::cli::Wiring wiring;
  wiring.open_store = [](std::string_view url) {
    return kalm::store::OpenStore(url);
  };
  wiring.default_db_url = [] { return kalm::store::DefaultDatabaseUrl(); };
  return kalm::cli::Run(argc, argv, wiring);
}
