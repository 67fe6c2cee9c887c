// Internal: the API's routes and handlers, independent of the transport, so
// the HTTP layer only parses and writes.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kalm/server/server.h"

namespace kalm::server {

struct Request {
  std::string method;                          // GET, POST, ...
  std::string target;                          // path with query
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string remote;  // the peer address
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

class Api {
 public:
  Api(const ServerConfig& config, ServerDeps deps);
  Response Handle(const Request& req) const;

  // The routes that need a session, as "METHOD /path/{id}" (for the test
  // that holds them against the OpenAPI document).
  static std::vector<std::string> RouteNames();

 private:
  struct Ctx {
    const Request& req;
    const domain::Session& session;
    int64_t now;
    domain::Id id;   // the {id} of the path, when it has one
    domain::Id sub;  // the {sub} of the path (a task of the client)
    // For /clients/{id}/...: that client, checked to be the caller's before
    // any handler reads the body (another workspace's id is a 404 always).
    std::optional<domain::Client> client;
  };
  using Handler = Response (Api::*)(const Ctx&) const;
  struct Route {
    const char* method;
    const char* pattern;
    Handler handler;
  };
  static const std::vector<Route>& Routes();

  Response StartSession(const domain::User& user, int64_t now,
                        int status) const;
  Response Setup(const Request& req, int64_t now) const;
  Response WebPage(const Request& req, std::string_view path) const;
  Response WhoAmI(const Ctx& c) const;
  Response GetWorkspace(const Ctx& c) const;
  Response UpdateTask(const Ctx& c) const;
  Response ListUpdates(const Ctx& c) const;
  Response AddUpdate(const Ctx& c) const;
  Response Logout(const Ctx& c) const;
  Response ListClients(const Ctx& c) const;
  Response AddClient(const Ctx& c) const;
  Response GetClient(const Ctx& c) const;
  Response Analyze(const Ctx& c) const;
  Response Timeline(const Ctx& c) const;
  Response AddMessage(const Ctx& c) const;
  Response ImportUpload(const Ctx& c) const;
  Response GetAgreement(const Ctx& c) const;
  Response SaveAgreement(const Ctx& c) const;
  Response AgreementHistory(const Ctx& c) const;
  Response ConfirmAgreement(const Ctx& c) const;
  Response Review(const Ctx& c) const;
  Response Reply(const Ctx& c) const;
  Response Phrases(const Ctx& c) const;
  Response ListTasks(const Ctx& c) const;
  Response AddTask(const Ctx& c) const;
  Response ListCases(const Ctx& c) const;
  Response OpenCase(const Ctx& c) const;
  Response GetCase(const Ctx& c) const;
  Response ChangeCase(const Ctx& c) const;
  Response MoveCase(const Ctx& c) const;  // next, goto, close, reopen
  Response CaseScript(const Ctx& c) const;
  Response CaseConfirmation(const Ctx& c) const;
  Response GetJournal(const Ctx& c) const;
  StatusOr<domain::Message> CaseMessage(domain::Id ws,
                                        const domain::ComplaintCase& k) const;
  Response CaseAnswer(domain::Id ws, const domain::ComplaintCase& k,
                      int status) const;
  // The case of the path and its client, for its texts. Errors: kUnavailable
  // (no case texts loaded), those of the store.
  StatusOr<std::pair<domain::ComplaintCase, domain::Client>> CaseText(
      const Ctx& c) const;
  Response CreatePortal(const Ctx& c) const;
  Response RevokePortal(const Ctx& c) const;
  // The client portal: no session, the link's token is the key.
  Response Portal(const Request& req, std::string_view path, int64_t now) const;

  ServerConfig config_;
  ServerDeps deps_;
};

// The OpenAPI 3.1 document of the API (src/server/openapi.json, embedded).
std::string_view OpenApiDocument();

// The HTTP status of an error code (one place: docs/api.md lists them).
int HttpStatus(StatusCode code);

}  // namespace kalm::server
