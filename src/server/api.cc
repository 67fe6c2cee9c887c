#include "server/api.h"

#include <sodium.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "kalm/core/analysis_json.h"
#include "kalm/core/reply.h"
#include "kalm/core/text.h"
#include "kalm/domain/case_texts.h"
#include "kalm/domain/json.h"
#include "kalm/domain/patterns.h"
#include "kalm/domain/timeline.h"
#include "kalm/embedded.h"
#include "kalm/import/eml.h"
#include "kalm/import/import.h"

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

// "/api/v1/clients/12/tasks/7" against "/api/v1/clients/{id}/tasks/{sub}":
// segment by segment, a placeholder takes a positive decimal id.
bool Match(std::string_view path, std::string_view pattern, domain::Id* id,
           domain::Id* sub) {
  while (!path.empty() && !pattern.empty()) {
    const size_t ps = path.find('/', 1), qs = pattern.find('/', 1);
    const std::string_view seg = path.substr(0, ps);
    const std::string_view want = pattern.substr(0, qs);
    if (want == "/{id}" || want == "/{sub}") {
      const std::string_view digits = seg.substr(seg.empty() ? 0 : 1);
      if (digits.empty() || digits.size() > 18 ||
          digits.find_first_not_of("0123456789") != std::string_view::npos)
        return false;
      *(want == "/{id}" ? id : sub) = std::stoll(std::string(digits));
    } else if (seg != want) {
      return false;
    }
    path = ps == std::string_view::npos ? "" : path.substr(ps);
    pattern = qs == std::string_view::npos ? "" : pattern.substr(qs);
  }
  return path.empty() && pattern.empty();
}

// The version the VA sent for confirmation (not a draft being written).
const domain::Agreement* SentVersion(const std::vector<domain::Agreement>& h) {
  const domain::Agreement* open = domain::OpenVersion(h);
  return open != nullptr && open->state == domain::AgreementState::kSent
             ? open
             : nullptr;
}

// What the client confirms: a hash of the terms they see (notes excluded).
std::string Fingerprint(const domain::Agreement& a) {
  json terms = domain::ToJson(a.terms);
  terms.erase("notes");
  return TokenHash(terms.dump()).substr(0, 32);
}

bool IsLoopback(std::string_view addr) {
  return addr.rfind("127.", 0) == 0 || addr == "::1" ||
         addr.rfind("::ffff:127.", 0) == 0;
}

// The web UI's files, embedded at build time (web/, built by esbuild).
const EmbeddedFile* WebFile(std::string_view name) {
  for (const EmbeddedFile& f : web_assets::EmbeddedFiles())
    if (f.path == name) return &f;
  return nullptr;
}

std::string_view ContentType(std::string_view name) {
  auto ends = [&](std::string_view ext) {
    return name.size() >= ext.size() &&
           name.substr(name.size() - ext.size()) == ext;
  };
  if (ends(".html")) return "text/html; charset=utf-8";
  if (ends(".js")) return "text/javascript; charset=utf-8";
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".svg")) return "image/svg+xml";
  if (ends(".png")) return "image/png";
  if (ends(".json")) return "application/json";
  return "application/octet-stream";
}

// A query parameter of the target, percent-decoded; empty when absent.
std::string Query(const Request& req, std::string_view key) {
  const size_t q = req.target.find('?');
  if (q == std::string::npos) return "";
  std::string_view rest = std::string_view(req.target).substr(q + 1);
  while (!rest.empty()) {
    const size_t amp = rest.find('&');
    const std::string_view kv = rest.substr(0, amp);
    const size_t eq = kv.find('=');
    if (kv.substr(0, eq) == key && eq != std::string_view::npos) {
      std::string out;
      const std::string_view v = kv.substr(eq + 1);
      for (size_t i = 0; i < v.size(); ++i) {
        if (v[i] == '+') {
          out += ' ';
        } else if (v[i] == '%' && i + 2 < v.size() &&
                   std::isxdigit(static_cast<unsigned char>(v[i + 1])) &&
                   std::isxdigit(static_cast<unsigned char>(v[i + 2]))) {
          out += static_cast<char>(
              std::stoi(std::string(v.substr(i + 1, 2)), nullptr, 16));
          i += 2;
        } else {
          out += v[i];
        }
      }
      return out;
    }
    if (amp == std::string_view::npos) break;
    rest = rest.substr(amp + 1);
  }
  return "";
}

Status ParseBody(const Request& req, json* out) {
  if (core::FindInvalidUtf8(req.body))
    return InvalidArgumentError("the request body is not valid UTF-8");
  *out = json::parse(req.body, nullptr, false);
  if (out->is_discarded() || !out->is_object())
    return InvalidArgumentError("the request body must be a JSON object");
  return Status::Ok();
}

std::string Str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

// A list of domain values as a JSON array.
template <typename T>
json JsonList(const std::vector<T>& items) {
  json arr = json::array();
  for (const T& x : items) arr.push_back(domain::ToJson(x));
  return arr;
}

// An optional ISO-8601 time field: absent, null or empty gives nullopt.
StatusOr<std::optional<int64_t>> TimeField(const json& in, const char* key) {
  const std::string v = Str(in, key);
  if (v.empty()) return std::optional<int64_t>();
  auto t = core::ParseTimestamp(v);
  if (!t.ok()) return t.status();
  return std::optional<int64_t>(t->unix_seconds);
}

// A user as the API shows one: never the password hash.
json UserJson(const domain::User& u) {
  return {{"id", u.id},
          {"email", u.email},
          {"name", u.display_name},
          {"role", u.role}};
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

  // ---- logging in ----
  if (path == "/api/v1/session" && req.method == "POST") {
    json in;
    if (Status s = ParseBody(req, &in); !s.ok()) return Error(s);
    if (!in.contains("email") || !in["email"].is_string() ||
        !in.contains("password") || !in["password"].is_string())
      return Error(400, "invalid_argument", "email and password are required");
    const std::string email =
        domain::NormalizeEmail(in["email"].get<std::string>());
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
    return StartSession(user->first, now, 200);
  }

  // ---- the first run: the owner's account, made in the browser ----
  if (path == "/api/v1/setup" && req.method == "GET") {
    auto n = store.CountUsers();
    if (!n.ok()) return Error(n.status());
    return Json(200, {{"needed", *n == 0}});
  }
  if (path == "/api/v1/setup" && req.method == "POST") return Setup(req, now);

  if (path == "/api/v1/openapi.json" && req.method == "GET") {
    Response r;
    r.body = std::string(OpenApiDocument());
    return r;
  }
  if (path.rfind("/portal/api/", 0) == 0) return Portal(req, path, now);
  if (path.rfind("/api/", 0) != 0) return WebPage(req, path);

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
  // Every state change carries the session's CSRF token.
  if (req.method != "GET" && req.method != "HEAD") {
    auto it = req.headers.find("x-csrf-token");
    if (it == req.headers.end() || !SameSecret(it->second, session->csrf))
      return Error(403, "permission_denied", "missing or wrong X-CSRF-Token");
  }

  Ctx ctx{req, *session, now, 0, 0, std::nullopt};
  for (const Route& r : Routes()) {
    if (req.method != r.method) continue;
    if (!Match(path, r.pattern, &ctx.id, &ctx.sub)) continue;
    if (std::string_view(r.pattern).rfind("/api/v1/clients/{id}", 0) == 0) {
      auto client = store.GetClient(session->workspace_id, ctx.id);
      if (!client.ok()) return Error(client.status());
      ctx.client = std::move(*client);
    }
    return (this->*r.handler)(ctx);
  }
  return Error(404, "not_found", "no such route");
}

const std::vector<Api::Route>& Api::Routes() {
  static const auto* k = new std::vector<Route>{
      {"GET", "/api/v1/session", &Api::WhoAmI},
      {"DELETE", "/api/v1/session", &Api::Logout},
      {"GET", "/api/v1/workspace", &Api::GetWorkspace},
      {"GET", "/api/v1/clients", &Api::ListClients},
      {"POST", "/api/v1/clients", &Api::AddClient},
      {"GET", "/api/v1/clients/{id}", &Api::GetClient},
      {"GET", "/api/v1/clients/{id}/timeline", &Api::Timeline},
      {"POST", "/api/v1/clients/{id}/messages", &Api::AddMessage},
      {"POST", "/api/v1/clients/{id}/import", &Api::ImportUpload},
      {"GET", "/api/v1/clients/{id}/agreement", &Api::GetAgreement},
      {"PUT", "/api/v1/clients/{id}/agreement", &Api::SaveAgreement},
      {"GET", "/api/v1/clients/{id}/agreements", &Api::AgreementHistory},
      {"POST", "/api/v1/clients/{id}/agreement/confirm",
       &Api::ConfirmAgreement},
      {"POST", "/api/v1/analyze", &Api::Analyze},
      {"POST", "/api/v1/review", &Api::Review},
      {"POST", "/api/v1/reply", &Api::Reply},
      {"GET", "/api/v1/phrases", &Api::Phrases},
      {"GET", "/api/v1/clients/{id}/tasks", &Api::ListTasks},
      {"POST", "/api/v1/clients/{id}/tasks", &Api::AddTask},
      {"PATCH", "/api/v1/clients/{id}/tasks/{sub}", &Api::UpdateTask},
      {"GET", "/api/v1/clients/{id}/updates", &Api::ListUpdates},
      {"POST", "/api/v1/clients/{id}/updates", &Api::AddUpdate},
      {"GET", "/api/v1/cases", &Api::ListCases},
      {"POST", "/api/v1/clients/{id}/cases", &Api::OpenCase},
      {"GET", "/api/v1/cases/{id}", &Api::GetCase},
      {"PATCH", "/api/v1/cases/{id}", &Api::ChangeCase},
      {"POST", "/api/v1/cases/{id}/next", &Api::MoveCase},
      {"POST", "/api/v1/cases/{id}/goto", &Api::MoveCase},
      {"POST", "/api/v1/cases/{id}/close", &Api::MoveCase},
      {"POST", "/api/v1/cases/{id}/reopen", &Api::MoveCase},
      {"GET", "/api/v1/cases/{id}/script", &Api::CaseScript},
      {"GET", "/api/v1/cases/{id}/confirmation", &Api::CaseConfirmation},
      {"GET", "/api/v1/journal", &Api::GetJournal},
      {"POST", "/api/v1/clients/{id}/portal", &Api::CreatePortal},
      {"DELETE", "/api/v1/clients/{id}/portal", &Api::RevokePortal},
  };
  return *k;
}

std::vector<std::string> Api::RouteNames() {
  std::vector<std::string> out = {"POST /api/v1/session",
                                  "GET /api/v1/setup",
                                  "POST /api/v1/setup",
                                  "GET /api/v1/openapi.json",
                                  "GET /portal/api/{token}/agreement",
                                  "POST /portal/api/{token}/agreement/confirm",
                                  "GET /portal/api/{token}/tasks",
                                  "GET /portal/api/{token}/updates"};
  for (const Route& r : Routes())
    out.push_back(std::string(r.method) + " " + r.pattern);
  return out;
}

std::string_view OpenApiDocument() {
  for (const EmbeddedFile& f : server_assets::EmbeddedFiles())
    if (f.path == "openapi.json") return f.content;
  return "{}";
}

Response Api::StartSession(const domain::User& user, int64_t now,
                           int status) const {
  domain::Session s;
  const std::string token = RandomToken(32);
  s.token_hash = TokenHash(token);
  s.user_id = user.id;
  s.workspace_id = user.workspace_id;
  s.csrf = RandomToken(16);
  s.expires_at = now + config_.session_seconds;
  if (Status st = deps_.store->CreateSession(s, now); !st.ok())
    return Error(st);
  Response r = Json(status, {{"csrf_token", s.csrf}});
  r.headers.push_back(
      {"Set-Cookie", "kalm_session=" + token +
                         "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                         std::to_string(config_.session_seconds) +
                         (config_.secure_cookies ? "; Secure" : "")});
  return r;
}

Response Api::Setup(const Request& req, int64_t now) const {
  // Whoever reaches a fresh server first becomes its owner, so this is only
  // offered on the machine itself, and not through a proxy on it; a server
  // reached over a network is set up with `kalm user add`.
  if (!IsLoopback(req.remote) || req.headers.count("x-forwarded-for") ||
      req.headers.count("forwarded"))
    return Error(403, "permission_denied",
                 "the first account can only be made from this machine; use "
                 "`kalm user add`");
  json in;
  if (Status s = ParseBody(req, &in); !s.ok()) return Error(s);
  const std::string email = Str(in, "email"), password = Str(in, "password");
  std::string workspace = Str(in, "workspace");
  if (email.empty() || email.find('@') == std::string::npos)
    return Error(400, "invalid_argument", "an e-mail address is required");
  if (workspace.empty()) workspace = "kalm";
  auto n = deps_.store->CountUsers();
  if (!n.ok()) return Error(n.status());
  if (*n > 0)
    return Error(409, "failed_precondition",
                 "kalm has an account already; log in");
  auto hash = HashPassword(password);
  if (!hash.ok()) return Error(hash.status());
  domain::User u;
  u.email = email;
  u.display_name = Str(in, "name");
  u.role = "owner";
  auto owner = deps_.store->CreateFirstOwner(workspace, u, *hash, now);
  if (!owner.ok()) return Error(owner.status());
  return StartSession(*owner, now, 201);
}

Response Api::WebPage(const Request& req, std::string_view path) const {
  if (req.method != "GET" && req.method != "HEAD")
    return Error(404, "not_found", "no such page");
  // The app and the portal are one page; the script reads the path.
  std::string name;
  if (path == "/" || path == "/index.html" ||
      (path.rfind("/portal/", 0) == 0 && path.size() > 8))
    name = "index.html";
  else if (path.rfind("/assets/", 0) == 0)
    name = std::string(path.substr(1));
  const EmbeddedFile* f = name.empty() ? nullptr : WebFile(name);
  if (f == nullptr) return Error(404, "not_found", "no such page");
  Response r;
  r.content_type = std::string(ContentType(name));
  r.body = std::string(f->content);
  return r;
}

Response Api::WhoAmI(const Ctx& c) const {
  auto ws = deps_.store->GetWorkspace(c.session.workspace_id);
  if (!ws.ok()) return Error(ws.status());
  auto users = deps_.store->ListUsers(c.session.workspace_id);
  if (!users.ok()) return Error(users.status());
  json me = nullptr;
  for (const domain::User& u : *users)
    if (u.id == c.session.user_id) me = UserJson(u);
  // The CSRF token again, for a page that was reloaded: only a script of
  // this origin can read it.
  return Json(200, {{"user", me},
                    {"workspace", domain::ToJson(*ws)},
                    {"csrf_token", c.session.csrf},
                    {"expires_at", c.session.expires_at}});
}

Response Api::GetWorkspace(const Ctx& c) const {
  auto ws = deps_.store->GetWorkspace(c.session.workspace_id);
  if (!ws.ok()) return Error(ws.status());
  auto users = deps_.store->ListUsers(c.session.workspace_id);
  if (!users.ok()) return Error(users.status());
  json arr = json::array();
  for (const domain::User& u : *users) arr.push_back(UserJson(u));
  json j = domain::ToJson(*ws);
  j["users"] = arr;
  return Json(200, j);
}

Response Api::Logout(const Ctx& c) const {
  if (Status s = deps_.store->DeleteSession(c.session.token_hash); !s.ok())
    return Error(s);
  Response r = Json(200, {{"ok", true}});
  r.headers.push_back(
      {"Set-Cookie",
       "kalm_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"});
  return r;
}

Response Api::ListClients(const Ctx& c) const {
  auto list = deps_.store->ListClients(c.session.workspace_id);
  if (!list.ok()) return Error(list.status());
  json arr = json::array();
  for (const domain::Client& x : *list) {
    json j = domain::ToJson(x);
    // ?summary=1: the dashboard's view (reads each client's timeline).
    if (c.req.target.find("summary=1") != std::string::npos) {
      auto t = domain::LoadTimeline(*deps_.store, c.session.workspace_id, x.id);
      if (!t.ok()) return Error(t.status());
      j["summary"] = domain::ToJson(domain::Summarize(*t));
      auto h = deps_.store->AgreementHistory(c.session.workspace_id, x.id);
      if (!h.ok()) return Error(h.status());
      const domain::Agreement* confirmed = domain::ConfirmedVersion(*h);
      const domain::Agreement* open = domain::OpenVersion(*h);
      j["agreement"] = {
          {"confirmed", confirmed ? json(confirmed->version) : json(nullptr)},
          {"open",
           open ? json(std::string(domain::AgreementStateName(open->state)))
                : json(nullptr)}};
    }
    arr.push_back(std::move(j));
  }
  return Json(200, {{"clients", arr}});
}

Response Api::AddClient(const Ctx& c) const {
  json in;
  if (Status s = ParseBody(c.req, &in); !s.ok()) return Error(s);
  auto client = domain::ClientFromJson(in);
  if (!client.ok()) return Error(client.status());
  auto added = deps_.store->AddClient(c.session.workspace_id, *client, c.now);
  if (!added.ok()) return Error(added.status());
  return Json(201, {{"id", added->id}});
}

Response Api::GetClient(const Ctx& c) const {
  json j = domain::ToJson(*c.client);
  auto a =
      domain::FindCurrentAgreement(*deps_.store, c.session.workspace_id, c.id);
  if (!a.ok()) return Error(a.status());
  j["agreement"] = *a ? domain::ToJson(**a) : json(nullptr);
  return Json(200, j);
}

Response Api::Analyze(const Ctx& c) const {
  json in;
  if (Status s = ParseBody(c.req, &in); !s.ok()) return Error(s);
  if (!in.contains("text") || !in["text"].is_string())
    return Error(400, "invalid_argument", "text is required");
  core::AnalysisContext ctx;
  const std::string lang = Str(in, "lang");
  if (lang == "nl") {
    ctx.language = core::Language::kDutch;
  } else if (lang == "en") {
    ctx.language = core::Language::kEnglish;
  } else if (!lang.empty() && lang != "auto") {
    return Error(400, "invalid_argument", "lang must be nl, en or auto");
  }
  auto a = deps_.analyzer->Analyze(in["text"].get<std::string>(), ctx);
  if (!a.ok()) return Error(a.status());
  Response r;
  core::AppendJson(*a, &r.body);
  return r;
}

Response Api::Timeline(const Ctx& c) const {
  auto t = domain::LoadTimeline(*deps_.store, c.session.workspace_id, c.id);
  if (!t.ok()) return Error(t.status());
  Response r;
  domain::AppendJson(*t, &r.body);
  return r;
}

Response Api::AddMessage(const Ctx& c) const {
  json in;
  if (Status s = ParseBody(c.req, &in); !s.ok()) return Error(s);
  domain::Store& s = *deps_.store;
  const domain::Id ws = c.session.workspace_id;
  domain::Message m;
  m.body = Str(in, "text");
  m.channel = Str(in, "channel").empty() ? "paste" : Str(in, "channel");
  m.author = Str(in, "author");
  m.thread = Str(in, "thread");
  if (const std::string d = Str(in, "direction"); !d.empty()) {
    auto direction = domain::ParseDirection(d);
    if (!direction.ok()) return Error(direction.status());
    m.direction = *direction;
  }
  core::Timestamp at;
  at.unix_seconds = c.now;
  at.has_offset = true;
  if (const std::string when = Str(in, "sent_at"); !when.empty()) {
    auto t = core::ParseTimestamp(when);
    if (!t.ok()) return Error(t.status());
    at = *t;
  }
  m.sent_at = at.unix_seconds;
  m.utc_offset_minutes = at.offset_minutes;
  if (Status v = domain::Validate(m); !v.ok()) return Error(v);
  // Analysed at once, against the confirmed agreement.
  if (m.direction == domain::Direction::kIncoming) {
    auto current = domain::FindCurrentAgreement(s, ws, c.id);
    if (!current.ok()) return Error(current.status());
    core::AnalysisContext ctx =
        domain::AnalysisContextFor(*c.client, *current ? &**current : nullptr);
    ctx.at = at;
    auto analysis = deps_.analyzer->Analyze(m.body, ctx);
    if (!analysis.ok()) return Error(analysis.status());
    core::AppendJson(*analysis, &m.analysis_json);
    m.analyzer_version = analysis->analyzer_version;
  }
  std::vector<domain::Message> one = {m};
  auto added = s.AddMessages(ws, c.id, one, nullptr);
  if (!added.ok()) return Error(added.status());
  if (added->added == 0)
    return Error(409, "already_exists", "this message is stored already");
  json out = domain::ToJson(one[0]);
  return Json(201, out);
}

Response Api::ImportUpload(const Ctx& c) const {
  // The body is the export file itself (WhatsApp .txt, .eml, mbox, text).
  // The importer reads files, so it goes to a private temporary file that
  // is removed afterwards; the client's name never reaches the path.
  if (c.req.body.empty())
    return Error(400, "invalid_argument", "the upload is empty");
  std::string name = Query(c.req, "name");
  std::string ext = std::filesystem::path(name).extension().string();
  if (ext.size() > 8 || ext.find_first_not_of(".abcdefghijklmnopqrstuvwxyz"
                                              "ABCDEFGHIJKLMNOPQRSTUVWXYZ0"
                                              "123456789") != std::string::npos)
    ext.clear();
  std::error_code ec;
  const std::filesystem::path dir = std::filesystem::temp_directory_path(ec);
  if (ec) return Error(500, "internal", "no temporary directory");
  std::string tmpl = (dir / "kalm-upload-XXXXXX").string() + ext;
  const int fd = mkstemps(tmpl.data(), static_cast<int>(ext.size()));
  if (fd < 0) return Error(500, "internal", "cannot make a temporary file");
  struct Remove {
    std::string path;
    ~Remove() { std::remove(path.c_str()); }
  } remove{tmpl};
  {
    size_t done = 0;
    while (done < c.req.body.size()) {
      const ssize_t n =
          ::write(fd, c.req.body.data() + done, c.req.body.size() - done);
      if (n <= 0) {
        ::close(fd);
        return Error(503, "unavailable", "cannot write the upload to disk");
      }
      done += static_cast<size_t>(n);
    }
    ::close(fd);
  }
  import::Format format;
  const std::string fmt = Query(c.req, "format");
  if (fmt.empty() || fmt == "auto") {
    auto detected = import::DetectFormat(tmpl);
    if (!detected.ok()) return Error(detected.status());
    format = *detected;
  } else {
    auto parsed = import::ParseFormat(fmt);
    if (!parsed.ok()) return Error(parsed.status());
    format = *parsed;
  }
  import::ImportOptions o;
  for (std::string_view me = Query(c.req, "me"); !me.empty();) {
    const size_t comma = me.find(',');
    std::string one(me.substr(0, comma));
    while (!one.empty() && one.front() == ' ') one.erase(0, 1);
    while (!one.empty() && one.back() == ' ') one.pop_back();
    if (!one.empty()) o.read.me.push_back(one);
    me = comma == std::string_view::npos ? "" : me.substr(comma + 1);
  }
  const std::string tz = Query(c.req, "tz");
  o.read.tz = tz.empty() ? (c.client->timezone.empty() ? "Europe/Amsterdam"
                                                       : c.client->timezone)
                         : tz;
  o.read.date_order = Query(c.req, "date_order");
  o.read.text_time = c.now;
  o.analyzer = deps_.analyzer;
  auto current =
      domain::FindCurrentAgreement(*deps_.store, c.session.workspace_id, c.id);
  if (!current.ok()) return Error(current.status());
  o.context = domain::AnalysisContextFor(
      *c.client, current->has_value() ? &**current : nullptr);
  o.context.timezone = o.read.tz;
  auto report = import::ImportFile(*deps_.store, c.session.workspace_id, c.id,
                                   tmpl, format, o);
  if (!report.ok()) return Error(report.status());
  json j = import::ToJson(*report);
  if (!name.empty() && core::FindInvalidUtf8(name) == std::nullopt)
    j["file"] = name;
  return Json(200, j);
}

Response Api::GetAgreement(const Ctx& c) const {
  auto h = deps_.store->AgreementHistory(c.session.workspace_id, c.id);
  if (!h.ok()) return Error(h.status());
  const domain::Agreement* shown = domain::ShownVersion(*h);
  if (shown == nullptr)
    return Error(404, "not_found", "no agreement for this client yet");
  return Json(200, domain::ToJson(*shown));
}

Response Api::SaveAgreement(const Ctx& c) const {
  json in;
  if (Status s = ParseBody(c.req, &in); !s.ok()) return Error(s);
  auto terms = domain::TermsFromJson(in.contains("terms") ? in["terms"] : in);
  if (!terms.ok()) return Error(terms.status());
  auto a = deps_.store->SaveDraft(c.session.workspace_id, c.id, *terms, c.now);
  if (!a.ok()) return Error(a.status());
  return Json(200, domain::ToJson(*a));
}

Response Api::AgreementHistory(const Ctx& c) const {
  auto h = deps_.store->AgreementHistory(c.session.workspace_id, c.id);
  if (!h.ok()) return Error(h.status());
  return Json(200, {{"versions", JsonList(*h)}});
}

Response Api::ConfirmAgreement(const Ctx& c) const {
  json in;
  if (Status s = ParseBody(c.req, &in); !s.ok()) return Error(s);
  auto h = deps_.store->AgreementHistory(c.session.workspace_id, c.id);
  if (!h.ok()) return Error(h.status());
  const domain::Agreement* open = domain::OpenVersion(*h);
  if (open == nullptr)
    return Error(409, "failed_precondition", "no draft agreement to confirm");
  const std::string by = Str(in, "by"), how = Str(in, "how");
  auto r = deps_.store->Confirm(c.session.workspace_id, open->id, c.now,
                                by.empty() ? "client" : by,
                                how.empty() ? "email" : how);
  if (!r.ok()) return Error(r.status());
  return Json(200, domain::ToJson(*r));
}

Response Api::Review(const Ctx& c) const {
  if (deps_.reviewer == nullptr)
    return Error(503, "unavailable", "the reply coach is not loaded");
  json in;
  if (Status s = ParseBody(c.req, &in); !s.ok()) return Error(s);
  if (!in.contains("draft") || !in["draft"].is_string())
    return Error(400, "invalid_argument", "draft is required");
  const std::string reply_to = Str(in, "reply_to");
  core::ReviewContext ctx;
  ctx.reply_to = reply_to;
  ctx.rewrite = in.value("rewrite", false);
  auto r = deps_.reviewer->Run(in["draft"].get<std::string>(), ctx);
  if (!r.ok()) return Error(r.status());
  return Json(200, core::ToJson(*r));
}

Response Api::Reply(const Ctx& c) const {
  if (deps_.reviewer == nullptr)
    return Error(503, "unavailable", "the reply coach is not loaded");
  json in;
  if (Status s = ParseBody(c.req, &in); !s.ok()) return Error(s);
  if (!in.contains("text") || !in["text"].is_string())
    return Error(400, "invalid_argument", "text is required");
  core::ReplyContext ctx;
  if (in.contains("values") && in["values"].is_object()) {
    const auto& known = core::PhraseLibrary::Placeholders();
    for (const auto& [k, v] : in["values"].items()) {
      if (std::find(known.begin(), known.end(), k) == known.end() ||
          !v.is_string())
        return Error(400, "invalid_argument",
                     "unknown value '" + k +
                         "' (placeholders of the phrase "
                         "library only)");
      ctx.values[k] = v.get<std::string>();
    }
  }
  const std::string form = Str(in, "register");
  if (form == "je") ctx.form = core::Register::kJe;
  if (form == "u") ctx.form = core::Register::kU;
  core::ReplyComposer composer(*deps_.analyzer, deps_.reviewer->phrases());
  auto r = composer.Suggest(in["text"].get<std::string>(), ctx);
  if (!r.ok()) return Error(r.status());
  return Json(200, core::ToJson(*r));
}

Response Api::Phrases(const Ctx& c) const {
  if (deps_.reviewer == nullptr)
    return Error(503, "unavailable", "the reply coach is not loaded");
  // ?strategy=&lang=
  const std::string strategy = Query(c.req, "strategy");
  const std::string lang = Query(c.req, "lang");
  json arr = json::array();
  for (core::Language l : {core::Language::kDutch, core::Language::kEnglish}) {
    if (!lang.empty() && lang != core::LanguageCode(l)) continue;
    for (const core::Phrase* p : deps_.reviewer->phrases().Find(l, strategy)) {
      arr.push_back(core::ToJson(*p));
    }
  }
  return Json(200, {{"phrases", arr}});
}

Response Api::ListTasks(const Ctx& c) const {
  auto tasks = deps_.store->ListTasks(c.session.workspace_id, c.id);
  if (!tasks.ok()) return Error(tasks.status());
  return Json(200, {{"tasks", JsonList(*tasks)}});
}

Response Api::AddTask(const Ctx& c) const {
  json in;
  if (Status s = ParseBody(c.req, &in); !s.ok()) return Error(s);
  domain::Task t;
  t.title = Str(in, "title");
  auto deadline = TimeField(in, "deadline");
  if (!deadline.ok()) return Error(deadline.status());
  t.deadline = *deadline;
  if (in.value("waiting_on_client", false)) t.waiting_on_client_since = c.now;
  auto added = deps_.store->AddTask(c.session.workspace_id, c.id, t, c.now);
  if (!added.ok()) return Error(added.status());
  return Json(201, domain::ToJson(*added));
}

Response Api::UpdateTask(const Ctx& c) const {
  json in;
  if (Status s = ParseBody(c.req, &in); !s.ok()) return Error(s);
  auto task = deps_.store->GetTask(c.session.workspace_id, c.id, c.sub);
  if (!task.ok()) return Error(task.status());
  domain::Task t = std::move(*task);
  if (in.contains("title")) t.title = Str(in, "title");
  if (in.contains("deadline")) {  // null or "" clears it
    auto deadline = TimeField(in, "deadline");
    if (!deadline.ok()) return Error(deadline.status());
    t.deadline = *deadline;
  }
  auto flag = [&](const char* key, std::optional<int64_t>* field) -> bool {
    if (!in.contains(key)) return true;
    if (!in[key].is_boolean()) return false;
    if (!in[key].get<bool>())
      field->reset();
    else if (!*field)
      *field = c.now;
    return true;
  };
  if (!flag("done", &t.done_at) ||
      !flag("waiting_on_client", &t.waiting_on_client_since))
    return Error(400, "invalid_argument",
                 "done and waiting_on_client are true or false");
  if (Status s = deps_.store->UpdateTask(c.session.workspace_id, t); !s.ok())
    return Error(s);
  return Json(200, domain::ToJson(t));
}

Response Api::ListUpdates(const Ctx& c) const {
  auto list = deps_.store->ListStatusUpdates(c.session.workspace_id, c.id);
  if (!list.ok()) return Error(list.status());
  return Json(200, {{"updates", JsonList(*list)}});
}

Response Api::AddUpdate(const Ctx& c) const {
  json in;
  if (Status s = ParseBody(c.req, &in); !s.ok()) return Error(s);
  domain::StatusUpdate u;
  u.kind = Str(in, "kind");
  u.text = Str(in, "text");
  auto next = TimeField(in, "next_update_at");
  if (!next.ok()) return Error(next.status());
  u.next_update_at = *next;
  auto added =
      deps_.store->AddStatusUpdate(c.session.workspace_id, c.id, u, c.now);
  if (!added.ok()) return Error(added.status());
  return Json(201, domain::ToJson(*added));
}

// ---- complaint cases ----

namespace {
json CaseJson(const domain::ComplaintCase& k,
              const domain::ReflectionHints* hints) {
  json j = domain::ToJson(k);
  if (hints != nullptr) {
    json clauses = json::array();
    for (const auto& cl : hints->clauses)
      clauses.push_back(
          {{"key", cl.key}, {"value", cl.value}, {"version", cl.version}});
    j["hints"] = {{"facts", hints->facts},
                  {"judgements", hints->judgements},
                  {"clauses", clauses},
                  {"dominant_emotion", hints->dominant_emotion}};
  }
  return j;
}
}  // namespace

StatusOr<domain::Message> Api::CaseMessage(
    domain::Id ws, const domain::ComplaintCase& k) const {
  if (!k.message_id) return NotFoundError("the case has no message");
  return deps_.store->GetMessage(ws, k.client_id, *k.message_id);
}

Response Api::CaseAnswer(domain::Id ws, const domain::ComplaintCase& k,
                         int status) const {
  // With the hints for the reflection: the message's facts and judgements,
  // the client's emotion, the agreement clauses that bear on it.
  domain::ReflectionHints hints;
  if (auto m = CaseMessage(ws, k); m.ok()) {
    auto agreement =
        domain::FindCurrentAgreement(*deps_.store, ws, k.client_id);
    if (!agreement.ok()) return Error(agreement.status());
    hints = domain::HintsFor(m->body, m->analysis_json,
                             *agreement ? &**agreement : nullptr);
  }
  return Json(status, CaseJson(k, &hints));
}

Response Api::ListCases(const Ctx& c) const {
  domain::Id client = 0;
  if (const std::string q = Query(c.req, "client"); !q.empty()) {
    if (q.size() > 18 || q.find_first_not_of("0123456789") != std::string::npos)
      return Error(400, "invalid_argument", "client is an id");
    client = std::stoll(q);
  }
  auto list = deps_.store->ListCases(c.session.workspace_id, client);
  if (!list.ok()) return Error(list.status());
  json arr = json::array();
  for (const domain::ComplaintCase& k : *list)
    arr.push_back(CaseJson(k, nullptr));
  return Json(200, {{"cases", arr}});
}

Response Api::OpenCase(const Ctx& c) const {
  json in;
  if (Status s = ParseBody(c.req, &in); !s.ok()) return Error(s);
  const domain::Id ws = c.session.workspace_id;
  std::optional<domain::Message> message;
  if (in.contains("message_id") && !in["message_id"].is_null()) {
    if (!in["message_id"].is_number_integer())
      return Error(400, "invalid_argument", "message_id is an id");
    auto m =
        deps_.store->GetMessage(ws, c.id, in["message_id"].get<domain::Id>());
    if (!m.ok()) return Error(m.status());
    message = std::move(*m);
  }
  std::optional<core::ReplyComposer> composer;
  if (deps_.reviewer != nullptr)
    composer.emplace(*deps_.analyzer, deps_.reviewer->phrases());
  auto k = domain::StartCase(*c.client, message ? &*message : nullptr,
                             Str(in, "title"), composer ? &*composer : nullptr,
                             c.now);
  if (!k.ok()) return Error(k.status());
  auto added = deps_.store->AddCase(ws, *k);
  if (!added.ok()) return Error(added.status());
  return CaseAnswer(ws, *added, 201);
}

Response Api::GetCase(const Ctx& c) const {
  auto k = deps_.store->GetCase(c.session.workspace_id, c.id);
  if (!k.ok()) return Error(k.status());
  return CaseAnswer(c.session.workspace_id, *k, 200);
}

namespace {
// The revision the caller read: a change made on an older copy is refused.
Status CheckRevision(const json& in, const domain::ComplaintCase& k) {
  if (!in.contains("revision")) return Status::Ok();
  if (!in["revision"].is_number_integer())
    return InvalidArgumentError("revision is a number");
  if (in["revision"].get<int64_t>() != k.revision)
    return FailedPreconditionError(
        "the case was changed elsewhere; reload it and try again");
  return Status::Ok();
}
}  // namespace

Response Api::ChangeCase(const Ctx& c) const {
  json in;
  if (Status s = ParseBody(c.req, &in); !s.ok()) return Error(s);
  auto k = deps_.store->GetCase(c.session.workspace_id, c.id);
  if (!k.ok()) return Error(k.status());
  if (Status s = CheckRevision(in, *k); !s.ok()) return Error(s);
  if (k->closed)
    return Error(409, "failed_precondition",
                 "the case is closed; reopen it first");
  if (in.contains("title")) k->title = Str(in, "title");
  if (in.contains("content")) {
    if (!in["content"].is_object())
      return Error(400, "invalid_argument", "content must be an object");
    // The given fields replace the stored ones; the rest stays.
    json merged = domain::ToJson(k->content);
    for (const auto& [key, v] : in["content"].items()) {
      if (!merged.contains(key))
        return Error(400, "invalid_argument",
                     "unknown case field '" + key + "'");
      merged[key] = v;
    }
    auto content = domain::CaseContentFromJson(merged);
    if (!content.ok()) return Error(content.status());
    k->content = std::move(*content);
  }
  k->updated_at = c.now;
  if (Status s = domain::Validate(*k); !s.ok()) return Error(s);
  if (Status s = deps_.store->UpdateCase(c.session.workspace_id, &*k); !s.ok())
    return Error(s);
  return CaseAnswer(c.session.workspace_id, *k, 200);
}

Response Api::MoveCase(const Ctx& c) const {
  json in = json::object();
  if (!c.req.body.empty())
    if (Status s = ParseBody(c.req, &in); !s.ok()) return Error(s);
  auto k = deps_.store->GetCase(c.session.workspace_id, c.id);
  if (!k.ok()) return Error(k.status());
  if (Status s = CheckRevision(in, *k); !s.ok()) return Error(s);
  const std::string path = c.req.target.substr(0, c.req.target.find('?'));
  const std::string verb = path.substr(path.rfind('/') + 1);
  Status st;
  const bool conversation_done_before = k->completed_at[3].has_value();
  if (verb == "next") {
    st = domain::Advance(&*k, c.now);
  } else if (verb == "goto") {
    if (!in.contains("step") || !in["step"].is_number_integer())
      return Error(400, "invalid_argument", "step is 1 to 5");
    st = domain::GoTo(&*k, in["step"].get<int>(), c.now);
  } else if (verb == "close") {
    st = domain::Close(&*k, Str(in, "reason"), c.now);
  } else {
    st = domain::Reopen(&*k, c.now);
  }
  if (!st.ok()) {
    Response r = Error(st);
    if (verb == "next" && st.code() == StatusCode::kFailedPrecondition) {
      json j = json::parse(r.body);
      j["error"]["missing"] = domain::MissingForNext(*k);
      r.body = j.dump();
    }
    return r;
  }
  if (Status s = deps_.store->UpdateCase(c.session.workspace_id, &*k); !s.ok())
    return Error(s);
  // The conversation's agreed actions become follow-up tasks, once.
  if (!conversation_done_before && k->completed_at[3])
    for (const domain::Task& t : domain::FollowUpTasks(*k, c.now))
      if (auto added = deps_.store->AddTask(c.session.workspace_id,
                                            k->client_id, t, c.now);
          !added.ok())
        return Error(added.status());
  return CaseAnswer(c.session.workspace_id, *k, 200);
}

StatusOr<std::pair<domain::ComplaintCase, domain::Client>> Api::CaseText(
    const Ctx& c) const {
  if (deps_.case_texts == nullptr)
    return UnavailableError("the case texts are not loaded");
  auto k = deps_.store->GetCase(c.session.workspace_id, c.id);
  if (!k.ok()) return k.status();
  auto client = deps_.store->GetClient(c.session.workspace_id, k->client_id);
  if (!client.ok()) return client.status();
  return std::pair(std::move(*k), std::move(*client));
}

Response Api::CaseScript(const Ctx& c) const {
  const domain::Id ws = c.session.workspace_id;
  auto kc = CaseText(c);
  if (!kc.ok()) return Error(kc.status());
  const auto& [k, client] = *kc;
  std::string emotion;
  if (auto m = CaseMessage(ws, k); m.ok())
    emotion =
        domain::HintsFor(m->body, m->analysis_json, nullptr).dominant_emotion;
  const domain::ConversationScript s =
      domain::ComposeScript(k, client, emotion, *deps_.case_texts);
  json parts = json::array();
  for (const domain::ScriptPart& p : s.parts)
    parts.push_back({{"title", p.title}, {"lines", p.lines}});
  return Json(200, {{"title", s.title},
                    {"safety", s.safety},
                    {"parts", parts},
                    {"private_note", s.private_note},
                    {"text", s.Text()}});
}

Response Api::CaseConfirmation(const Ctx& c) const {
  const domain::Id ws = c.session.workspace_id;
  auto kc = CaseText(c);
  if (!kc.ok()) return Error(kc.status());
  const auto& [k, client] = *kc;
  std::string me, name, from;
  if (auto users = deps_.store->ListUsers(ws); users.ok())
    for (const domain::User& u : *users)
      if (u.id == c.session.user_id) {
        name = u.display_name;
        me = u.display_name.empty() ? u.email : u.display_name;
        from = u.email;
      }
  const domain::ConfirmationMail mail =
      domain::ComposeConfirmation(k, client, me, *deps_.case_texts);
  if (Query(c.req, "format") == "eml") {
    import::OutgoingMail m;
    m.from_name = name;
    m.from_address = from;
    m.to_name = client.name;
    m.subject = mail.subject;
    m.body = mail.body;
    m.date = c.now;
    auto eml = import::ComposeEml(m);
    if (!eml.ok()) return Error(eml.status());
    Response r;
    r.content_type = "message/rfc822";
    r.body = std::move(*eml);
    r.headers.push_back(
        {"Content-Disposition", "attachment; filename=\"confirmation-" +
                                    std::to_string(k.id) + ".eml\""});
    return r;
  }
  return Json(200, {{"subject", mail.subject}, {"body", mail.body}});
}

Response Api::GetJournal(const Ctx& c) const {
  auto cases = deps_.store->ListCases(c.session.workspace_id, 0);
  if (!cases.ok()) return Error(cases.status());
  auto clients = deps_.store->ListClients(c.session.workspace_id);
  if (!clients.ok()) return Error(clients.status());
  return Json(200, domain::ToJson(domain::BuildJournal(*cases, *clients,
                                                       Query(c.req, "q"))));
}

Response Api::CreatePortal(const Ctx& c) const {
  // 128 random bits; only the hash is stored, so the link is shown once.
  // Sending for confirmation: the open draft becomes "sent".
  auto h = deps_.store->AgreementHistory(c.session.workspace_id, c.id);
  if (!h.ok()) return Error(h.status());
  const domain::Agreement* open = domain::OpenVersion(*h);
  if (open != nullptr && open->state == domain::AgreementState::kDraft) {
    auto sent = deps_.store->MarkSent(c.session.workspace_id, open->id, c.now);
    if (!sent.ok()) return Error(sent.status());
  }
  const std::string token = RandomToken(16);
  const int64_t expires = c.now + 30 * 86400;
  if (Status s = deps_.store->CreatePortalLink(
          c.session.workspace_id, c.id, TokenHash(token), c.now, expires);
      !s.ok())
    return Error(s);
  return Json(201, {{"url", "/portal/" + token}, {"expires_at", expires}});
}

Response Api::RevokePortal(const Ctx& c) const {
  if (Status s =
          deps_.store->RevokePortalLinks(c.session.workspace_id, c.id, c.now);
      !s.ok())
    return Error(s);
  return Json(200, {{"ok", true}});
}

Response Api::Portal(const Request& req, std::string_view path,
                     int64_t now) const {
  // /portal/api/{token}/agreement[/confirm] | /tasks | /updates. A wrong,
  // expired or revoked token gets the same 404 as a page that does not exist.
  const Response missing = Error(404, "not_found", "no such page");
  std::string_view rest = path.substr(std::string_view("/portal/api/").size());
  const size_t slash = rest.find('/');
  if (slash == std::string_view::npos) return missing;
  const std::string_view token = rest.substr(0, slash);
  const std::string_view what = rest.substr(slash);
  if (token.size() != 32 ||
      token.find_first_not_of("0123456789abcdef") != std::string_view::npos)
    return missing;
  auto link = deps_.store->FindPortalLink(TokenHash(token), now);
  if (!link.ok()) {
    if (link.status().code() == StatusCode::kNotFound) return missing;
    return Error(link.status());
  }
  const auto [ws, client] = *link;
  domain::Store& s = *deps_.store;
  auto c = s.GetClient(ws, client);
  if (!c.ok()) return missing;
  if (what == "/agreement" && req.method == "GET") {
    auto h = s.AgreementHistory(ws, client);
    if (!h.ok()) return Error(h.status());
    // What the client sees: the version sent to them, else the one they
    // confirmed; never a draft the VA is still writing. No other versions,
    // no analysis, no notes of the VA.
    const domain::Agreement* shown = SentVersion(*h);
    if (shown == nullptr) shown = domain::ConfirmedVersion(*h);
    if (shown == nullptr) {
      if (domain::OpenVersion(*h) == nullptr) return missing;
      return Json(200, {{"client", c->name},
                        {"language", c->language},
                        {"register", c->form},
                        {"state", "preparing"}});
    }
    json terms = domain::ToJson(shown->terms);
    terms.erase("notes");
    return Json(
        200, {{"client", c->name},
              {"language", c->language},
              {"register", c->form},
              {"version", shown->version},
              {"fingerprint", Fingerprint(*shown)},
              {"state", std::string(domain::AgreementStateName(shown->state))},
              {"confirmed_at", shown->confirmed_at ? json(*shown->confirmed_at)
                                                   : json(nullptr)},
              {"confirmed_by", shown->confirmed_by},
              {"terms", terms}});
  }
  if (what == "/agreement/confirm" && req.method == "POST") {
    json in;
    if (!req.body.empty())
      if (Status st = ParseBody(req, &in); !st.ok()) return Error(st);
    auto h = s.AgreementHistory(ws, client);
    if (!h.ok()) return Error(h.status());
    const domain::Agreement* open = SentVersion(*h);
    if (open == nullptr)
      return Error(409, "failed_precondition", "nothing to confirm");
    // The client confirms the terms they were shown: the version number
    // stays when the VA edits and sends again, the fingerprint does not.
    if ((in.contains("version") &&
         (!in["version"].is_number_integer() ||
          in["version"].get<int>() != open->version)) ||
        (in.contains("fingerprint") &&
         Str(in, "fingerprint") != Fingerprint(*open)))
      return Error(409, "failed_precondition",
                   "the agreement changed; reload and read it again");
    const std::string by = Str(in, "by");
    auto r = s.Confirm(ws, open->id, now, by.empty() ? c->name : by, "portal");
    if (!r.ok()) return Error(r.status());
    return Json(200, {{"version", r->version},
                      {"state", "confirmed"},
                      {"confirmed_at", now}});
  }
  if (what == "/updates" && req.method == "GET") {
    auto list = s.ListStatusUpdates(ws, client);
    if (!list.ok()) return Error(list.status());
    json arr = json::array();
    for (const domain::StatusUpdate& u : *list) {
      json j = {{"kind", u.kind}, {"text", u.text}, {"at", u.created_at}};
      if (u.next_update_at) j["next_update_at"] = *u.next_update_at;
      arr.push_back(j);
    }
    return Json(200, {{"updates", arr}});
  }
  if (what == "/tasks" && req.method == "GET") {
    auto tasks = s.ListTasks(ws, client);
    if (!tasks.ok()) return Error(tasks.status());
    json arr = json::array();
    for (const domain::Task& t : *tasks) {
      json j = {{"title", t.title}};
      if (t.deadline) j["deadline"] = *t.deadline;
      j["done"] = t.done_at.has_value();
      j["waiting_on_you"] = t.waiting_on_client_since.has_value() && !t.done_at;
      arr.push_back(j);
    }
    return Json(200, {{"tasks", arr}});
  }
  return missing;
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
