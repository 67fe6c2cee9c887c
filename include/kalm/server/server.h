// kalm's HTTP server: the JSON API under /api/v1 (Boost.Beast on Asio), with
// accounts, sessions and CSRF protection. It keeps no state of its own:
// sessions and login throttling live in the Store, so several processes can
// serve one PostgreSQL database behind a load balancer.
//
// Thread-safety: Start() runs the server on its own threads; Shutdown() may
// be called from any thread (also a signal-watching one) and returns when
// in-flight requests have finished. The Store and the analyzer must be
// thread-safe and outlive the server.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "kalm/core/analyzer.h"
#include "kalm/core/review.h"
#include "kalm/core/status.h"
#include "kalm/domain/case_texts.h"
#include "kalm/domain/store.h"

namespace kalm::server {

struct ServerConfig {
  std::string bind = "127.0.0.1";
  uint16_t port = 8080;  // 0: any free port (tests)
  int threads = 2;
  size_t max_body = 2 << 20;     // bytes of a request body
  size_t max_upload = 64 << 20;  // bytes of an import upload
  bool secure_cookies = false;   // behind TLS: cookies get Secure
  int64_t session_seconds = 12 * 3600;
  // Login throttling: failures within the window before 429.
  int max_failures_per_account = 5;
  int max_failures_per_address = 20;
  int64_t failure_window_seconds = 15 * 60;
};

struct ServerDeps {
  domain::Store* store = nullptr;
  const core::Analyzer* analyzer = nullptr;
  // The reply coach (review, reply suggestions, phrases); its routes answer
  // 503 without it.
  const core::Reviewer* reviewer = nullptr;
  // The complaint case's script and mail texts; the script and confirmation
  // routes answer 503 without them.
  const domain::CaseTexts* case_texts = nullptr;
  std::function<int64_t()> clock;  // UTC seconds; empty: the system clock
};

class HttpServer {
 public:
  // Binds and starts serving. Errors: kUnavailable (the address is in use or
  // cannot be bound), kInvalidArgument (a bad bind address).
  static StatusOr<std::unique_ptr<HttpServer>> Start(const ServerConfig& config,
                                                     ServerDeps deps);
  ~HttpServer();
  uint16_t port() const;
  // Stops accepting, lets in-flight requests finish, then stops.
  void Shutdown();
  // Blocks until the server has stopped.
  void Wait();

 private:
  struct Impl;
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Password hashing for accounts (argon2id, libsodium's interactive limits).
// Errors: kResourceExhausted when the hash cannot get its memory;
// kInvalidArgument for a password shorter than 10 or longer than 1024 bytes.
StatusOr<std::string> HashPassword(std::string_view password);
bool VerifyPassword(std::string_view hash, std::string_view password);

}  // namespace kalm::server
