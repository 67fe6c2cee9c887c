#include "server/api.h"

#include <sodium.h>

#include <ctime>
#include <nlohmann/json.hpp>

#include "kalm/core/analysis_json.h"
#include "kalm/core/text.h"
#include "kalm/domain/json.h"

namespace kalm::server {
namespace {

using nlohmann::json;

std::string Hex(const unsigned char* p, size_t n) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (size_t i = 0; i < n; ++i) {
    out += kHex[p[i] >> 4];
    out += kHex[p[i] & 15];
  }
  return out;
}

std::string RandomToken(size_t bytes) {
  std::vector<unsigned char> b(bytes);
  randombytes_buf(b.data(), b.size());
  return Hex(b.data(), b.size());
}

// Sessions are stored by the hash of their token: a database leak gives no
// usable cookies.
std::string TokenHash(std::string_view token) {
  unsigned char h[32];
  crypto_generichash(h, sizeof h,
                     reinterpret_cast<const unsigned char*>(token.data()),
                     token.size(), nullptr, 0);
  return Hex(h, sizeof h);
}

bool SameSecret(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

Response Json(int status, const json& j) {
  Response r;
  r.status = status;
  r.body = j.dump();
  return r;
}

Response Error(int status, std::string_view code, std::string_view message) {
  return Json(status, {{"error", {{"code", code}, {"message", message}}}});
}

Response Error(const Status& s) {
  std::string code(StatusCodeName(s.code()));
  for (char& c : code)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return Error(HttpStatus(s.code()), code, s.message());
}

std::string Cookie(const Request& req, std::string_view name) {
  auto it = req.headers.find("cookie");
  if (it == req.headers.end()) return "";
  const std::string& c = it->second;
  size_t i = 0;
  while (i < c.size()) {
    while (i < c.size() && (c[i] == ' ' || c[i] == ';')) ++i;
    const size_t eq = c.find('=', i);
    const size_t end = c.find(';', i);
    if (eq == std::string::npos || (end != std::string::npos && eq > end)) {
      i = end == std::string::npos ? c.size() : end + 1;
      continue;
    }
    if (std::string_view(c).substr(i, eq - i) == name)
      return c.substr(eq + 1,
                      (end == std::string::npos ? c.size() : end) - eq - 1);
    i = end == std::string::npos ? c.size() : end + 1;
  }
  return "";
}

// "/api/v1/clients/12" against "/api/v1/clients/{id}".
bool Match(std::string_view path, std::string_view pattern, domain::Id* id) {
  const size_t brace = pattern.find("{id}");
  if (brace == std::string_view::npos) return path == pattern;
  if (path.substr(0, brace) != pattern.substr(0, brace)) return false;
  const std::string_view rest = path.substr(brace);
  const std::string_view tail = pattern.substr(brace + 4);
  if (rest.size() <= tail.size() ||
      rest.substr(rest.size() - tail.size()) != tail)
    return false;
  const std::string_view digits = rest.substr(0, rest.size() - tail.size());
  if (digits.empty() || digits.size() > 18 ||
      digits.find_first_not_of("0123456789") != std::string_view::npos)
    return false;
  *id = std::stoll(std::string(digits));
  return true;
}

}  // namespace

int HttpStatus(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kInvalidArgument:
      return 400;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kAlreadyExists:
      return 409;
    case StatusCode::kFailedPrecondition:
      return 409;
    case StatusCode::kResourceExhausted:
      return 413;
    case StatusCode::kDataLoss:
      return 500;
    case StatusCode::kUnauthenticated:
      return 401;
    case StatusCode::kPermissionDenied:
      return 403;
    case StatusCode::kUnavailable:
      return 503;
    case StatusCode::kInternal:
      return 500;
  }
  return 500;
}

Api::Api(const ServerConfig& config, ServerDeps deps)
    : config_(config), deps_(std::move(deps)) {
  if (!deps_.clock)
    deps_.clock = [] { return static_cast<int64_t>(std::time(nullptr)); };
}

Response Api::Handle(const Request& req) const {
  std::string path = req.target.substr(0, req.target.find('?'));
  const int64_t now = deps_.clock();
  domain::Store& store = *deps_.store;
  auto body_json = [&](json* out) -> Status {
    if (auto bad = core::FindInvalidUtf8(req.body))
      return InvalidArgumentError("the request body is not valid UTF-8");
    *out = json::parse(req.body, nullptr, false);
    if (out->is_discarded() || !out->is_object())
      return InvalidArgumentError("the request body must be a JSON object");
    return Status::Ok();
  };

  // ---- logging in ----
  if (path == "/api/v1/session" && req.method == "POST") {
    json in;
    if (Status s = body_json(&in); !s.ok()) return Error(s);
    if (!in.contains("email") || !in["email"].is_string() ||
        !in.contains("password") || !in["password"].is_string())
      return Error(400, "invalid_argument", "email and password are required");
    std::string email = in["email"].get<std::string>();
    for (char& c : email)
      c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    const std::string user_key = "user:" + email;
    const std::string addr_key = "addr:" + req.remote;
    const int64_t since = now - config_.failure_window_seconds;
    auto by_user = store.CountLoginFailures(user_key, since);
    auto by_addr = store.CountLoginFailures(addr_key, since);
    if (!by_user.ok()) return Error(by_user.status());
    if (!by_addr.ok()) return Error(by_addr.status());
    if (*by_user >= config_.max_failures_per_account ||
        *by_addr >= config_.max_failures_per_address) {
      Response r = Error(429, "too_many_attempts",
                         "too many failed logins; try again later");
      r.headers.push_back(
          {"Retry-After", std::to_string(config_.failure_window_seconds)});
      return r;
    }
    auto user = store.FindUserByEmail(email);
    // Same answer, and about the same time, for an unknown e-mail as for a
    // wrong password.
    const bool ok =
        user.ok()
            ? VerifyPassword(user->second, in["password"].get<std::string>())
            : (VerifyPassword("$argon2id$v=19$m=65536,t=2,p=1$"
                              "c29tZXNhbHRzb21lc2FsdA$"
                              "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                              "x"),
               false);
    if (!ok) {
      (void)store.RecordLoginFailure(user_key, now);
      (void)store.RecordLoginFailure(addr_key, now);
      return Error(401, "unauthenticated", "wrong e-mail or password");
    }
    domain::Session s;
    const std::string token = RandomToken(32);
    s.token_hash = TokenHash(token);
    s.user_id = user->first.id;
    s.workspace_id = user->first.workspace_id;
    s.csrf = RandomToken(16);
    s.expires_at = now + config_.session_seconds;
    if (Status st = store.CreateSession(s, now); !st.ok()) return Error(st);
    Response r = Json(200, {{"csrf_token", s.csrf}});
    r.headers.push_back(
        {"Set-Cookie", "kalm_session=" + token +
                           "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                           std::to_string(config_.session_seconds) +
                           (config_.secure_cookies ? "; Secure" : "")});
    return r;
  }

  if (path.rfind("/api/", 0) != 0)
    return Error(404, "not_found", "no such page");

  // ---- everything else needs a session ----
  const std::string token = Cookie(req, "kalm_session");
  if (token.empty() || token.size() > 128)
    return Error(401, "unauthenticated", "log in first");
  auto session = store.GetSession(TokenHash(token), now);
  if (!session.ok()) {
    if (session.status().code() == StatusCode::kNotFound)
      return Error(401, "unauthenticated", "log in first");
    return Error(session.status());
  }
  const domain::Id ws = session->workspace_id;
  // Every state change carries the session's CSRF token.
  if (req.method != "GET" && req.method != "HEAD") {
    auto it = req.headers.find("x-csrf-token");
    if (it == req.headers.end() || !SameSecret(it->second, session->csrf))
      return Error(403, "permission_denied", "missing or wrong X-CSRF-Token");
  }

  domain::Id id = 0;
  if (path == "/api/v1/session" && req.method == "DELETE") {
    if (Status s = store.DeleteSession(session->token_hash); !s.ok())
      return Error(s);
    Response r = Json(200, {{"ok", true}});
    r.headers.push_back({"Set-Cookie",
                         "kalm_session=; Path=/; HttpOnly; SameSite=Strict; "
                         "Max-Age=0"});
    return r;
  }
  if (path == "/api/v1/clients" && req.method == "GET") {
    auto list = store.ListClients(ws);
    if (!list.ok()) return Error(list.status());
    json arr = json::array();
    for (const domain::Client& c : *list) arr.push_back(domain::ToJson(c));
    return Json(200, {{"clients", arr}});
  }
  if (path == "/api/v1/clients" && req.method == "POST") {
    json in;
    if (Status s = body_json(&in); !s.ok()) return Error(s);
    auto c = domain::ClientFromJson(in);
    if (!c.ok()) return Error(c.status());
    auto added = store.AddClient(ws, *c, now);
    if (!added.ok()) return Error(added.status());
    return Json(201, {{"id", added->id}});
  }
  if (Match(path, "/api/v1/clients/{id}", &id) && req.method == "GET") {
    auto c = store.GetClient(ws, id);
    if (!c.ok()) return Error(c.status());
    json j = domain::ToJson(*c);
    auto a = store.CurrentAgreement(ws, id);
    j["agreement"] = a.ok() ? domain::ToJson(*a) : json(nullptr);
    return Json(200, j);
  }
  if (path == "/api/v1/analyze" && req.method == "POST") {
    json in;
    if (Status s = body_json(&in); !s.ok()) return Error(s);
    if (!in.contains("text") || !in["text"].is_string())
      return Error(400, "invalid_argument", "text is required");
    core::AnalysisContext ctx;
    if (in.contains("lang") && in["lang"].is_string()) {
      const std::string l = in["lang"].get<std::string>();
      if (l == "nl") {
        ctx.language = core::Language::kDutch;
      } else if (l == "en") {
        ctx.language = core::Language::kEnglish;
      } else if (l != "auto") {
        return Error(400, "invalid_argument", "lang must be nl, en or auto");
      }
    }
    auto a = deps_.analyzer->Analyze(in["text"].get<std::string>(), ctx);
    if (!a.ok()) return Error(a.status());
    Response r;
    core::AppendJson(*a, &r.body);
    return r;
  }
  return Error(404, "not_found", "no such route");
}

StatusOr<std::string> HashPassword(std::string_view password) {
  if (password.size() < 10)
    return InvalidArgumentError("a password needs at least 10 characters");
  if (password.size() > 1024)
    return InvalidArgumentError("a password can have at most 1024 bytes");
  if (sodium_init() < 0) return InternalError("libsodium failed to start");
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(),
                        crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    return ResourceExhaustedError("not enough memory to hash the password");
  return std::string(out);
}

bool VerifyPassword(std::string_view hash, std::string_view password) {
  if (sodium_init() < 0) return false;
  const std::string h(hash);
  return crypto_pwhash_str_verify(h.c_str(), password.data(),
                                  password.size()) == 0;
}

}  // namespace kalm::server
