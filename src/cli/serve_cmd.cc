// kalm serve and kalm user add.
#include <pthread.h>
#include <signal.h>

#include <ctime>
#include <iostream>

#include "cli/cli.h"
#include "kalm/server/server.h"

namespace kalm::cli {

int RunServe(const Wiring& wiring, const ServeFlags& f,
             const std::string& data_dir) {
  const std::string url = DatabaseUrl(wiring, f.store);
  auto store = wiring.open_store(url);
  if (!store.ok()) return Fail(store.status());
  // Built before the first request, so the first user does not wait for it:
  // the analyzer and the reply coach, from one read of the data files.
  auto coach = MakeCoach(data_dir, /*with_reviewer=*/true, /*lazy=*/false);
  if (!coach.ok()) return Fail(coach.status());

  // SIGINT and SIGTERM are taken by this thread only (the server threads
  // inherit the blocked mask), for a graceful stop.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);

  server::ServerConfig config;
  config.bind = f.bind;
  config.port = static_cast<uint16_t>(f.port);
  config.threads = f.threads;
  config.secure_cookies = f.secure_cookies;
  server::ServerDeps deps;
  deps.store = store->get();
  deps.analyzer = coach->analyzer.get();
  deps.reviewer = coach->reviewer.get();
  auto case_texts = MakeCaseTexts(data_dir);
  if (!case_texts.ok()) return Fail(case_texts.status());
  deps.case_texts = &*case_texts;
  auto srv = server::HttpServer::Start(config, deps);
  if (!srv.ok()) return Fail(srv.status());
  std::cout << "kalm serves on http://" << f.bind << ":" << (*srv)->port()
            << "/ (database: "
            << (url.rfind("postgres", 0) == 0 ? "postgresql" : url) << ")\n";
  auto users = (*store)->CountUsers();
  if (users.ok() && *users == 0)
    std::cout << "No account yet: open the address above in your browser to "
                 "create the first one (from this machine), or run\n"
                 "  kalm user add YOU@EXAMPLE.NL --workspace \"Your name\" "
                 "(the password is read from standard input)\n";
  std::cout.flush();
  int sig = 0;
  sigwait(&stop, &sig);
  std::cerr << "kalm: stopping (in-flight requests finish first)\n";
  (*srv)->Shutdown();
  (*srv)->Wait();
  return 0;
}

int RunUserAdd(const Wiring& wiring, const UserFlags& f) {
  auto ws = OpenWorkspace(wiring, f.store, /*create=*/true);
  if (!ws.ok()) return Fail(ws.status());
  // The password comes on standard input (one line), never as an argument
  // that other users could see in the process list.
  std::string password;
  std::getline(std::cin, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  auto hash = server::HashPassword(password);
  if (!hash.ok()) return Fail(hash.status());
  domain::User u;
  u.email = f.email;
  u.display_name = f.name;
  u.role = f.role;
  auto added =
      ws->store->AddUser(ws->workspace, u, *hash,
                         static_cast<domain::UnixTime>(std::time(nullptr)));
  if (!added.ok()) return Fail(added.status());
  std::cout << "user " << added->email << " added to workspace "
            << (f.store.workspace.empty() ? "default" : f.store.workspace)
            << "\n";
  return 0;
}

}  // namespace kalm::cli
