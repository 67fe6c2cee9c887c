// Internal: the API's routes and handlers, independent of the transport, so
// the HTTP layer only parses and writes.
#pragma once

#include <map>
#include <string>

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

 private:
  ServerConfig config_;
  ServerDeps deps_;
};

// The HTTP status of an error code (one place: docs/api.md lists them).
int HttpStatus(StatusCode code);

}  // namespace kalm::server
