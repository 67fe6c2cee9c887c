#include "server/api.h"

#include <sodium.h>

#include <ctime>
#include <nlohmann/json.hpp>

#include "kalm/core/analysis_json.h"
#include "kalm/core/reply.h"
#include "kalm/core/text.h"
#include "kalm/domain/json.h"
#include "kalm/domain/patterns.h"
#include "kalm/domain/timeline.h"
#include "kalm/embedded.h"

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

  if (path == "/api/v1/openapi.json" && req.method == "GET") {
    Response r;
    r.body = std::string(OpenApiDocument());
    return r;
  }
  if (path.rfind("/portal/api/", 0) == 0) return Portal(req, path, now);
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
  // Every state change carries the session's CSRF token.
  if (req.method != "GET" && req.method != "HEAD") {
    auto it = req.headers.find("x-csrf-token");
    if (it == req.headers.end() || !SameSecret(it->second, session->csrf))
      return Error(403, "permission_denied", "missing or wrong X-CSRF-Token");
  }

  Ctx ctx{req, *session, now, 0, std::nullopt};
  for (const Route& r : Routes()) {
    if (req.method != r.method) continue;
    if (!Match(path, r.pattern, &ctx.id)) continue;
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
      {"DELETE", "/api/v1/session", &Api::Logout},
      {"GET", "/api/v1/clients", &Api::ListClients},
      {"POST", "/api/v1/clients", &Api::AddClient},
      {"GET", "/api/v1/clients/{id}", &Api::GetClient},
      {"GET", "/api/v1/clients/{id}/timeline", &Api::Timeline},
      {"POST", "/api/v1/clients/{id}/messages", &Api::AddMessage},
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
      {"POST", "/api/v1/clients/{id}/portal", &Api::CreatePortal},
      {"DELETE", "/api/v1/clients/{id}/portal", &Api::RevokePortal},
  };
  return *k;
}

std::vector<std::string> Api::RouteNames() {
  std::vector<std::string> out = {"POST /api/v1/session",
                                  "GET /api/v1/openapi.json",
                                  "GET /portal/api/{token}/agreement",
                                  "POST /portal/api/{token}/agreement/confirm",
                                  "GET /portal/api/{token}/tasks"};
  for (const Route& r : Routes())
    out.push_back(std::string(r.method) + " " + r.pattern);
  return out;
}

std::string_view OpenApiDocument() {
  for (const EmbeddedFile& f : server_assets::EmbeddedFiles())
    if (f.path == "openapi.json") return f.content;
  return "{}";
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
  for (const domain::Client& x : *list) arr.push_back(domain::ToJson(x));
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
  return Json(200, domain::ToJson(*t));
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
  json arr = json::array();
  for (const domain::Agreement& a : *h) arr.push_back(domain::ToJson(a));
  return Json(200, {{"versions", arr}});
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
  std::string strategy, lang;
  const size_t q = c.req.target.find('?');
  if (q != std::string::npos) {
    std::string_view query = std::string_view(c.req.target).substr(q + 1);
    while (!query.empty()) {
      const size_t amp = query.find('&');
      const std::string_view kv = query.substr(0, amp);
      const size_t eq = kv.find('=');
      if (eq != std::string_view::npos) {
        const std::string_view k = kv.substr(0, eq), v = kv.substr(eq + 1);
        if (k == "strategy") strategy = std::string(v);
        if (k == "lang") lang = std::string(v);
      }
      if (amp == std::string_view::npos) break;
      query = query.substr(amp + 1);
    }
  }
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
  json arr = json::array();
  for (const domain::Task& t : *tasks) arr.push_back(domain::ToJson(t));
  return Json(200, {{"tasks", arr}});
}

Response Api::AddTask(const Ctx& c) const {
  json in;
  if (Status s = ParseBody(c.req, &in); !s.ok()) return Error(s);
  domain::Task t;
  t.title = Str(in, "title");
  if (const std::string d = Str(in, "deadline"); !d.empty()) {
    auto ts = core::ParseTimestamp(d);
    if (!ts.ok()) return Error(ts.status());
    t.deadline = ts->unix_seconds;
  }
  if (in.value("waiting_on_client", false)) t.waiting_on_client_since = c.now;
  auto added = deps_.store->AddTask(c.session.workspace_id, c.id, t, c.now);
  if (!added.ok()) return Error(added.status());
  return Json(201, domain::ToJson(*added));
}

Response Api::CreatePortal(const Ctx& c) const {
  // 128 random bits; only the hash is stored, so the link is shown once.
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
  // /portal/api/{token}/agreement[/confirm] | /tasks. A wrong, expired or
  // revoked token gets the same 404 as a page that does not exist.
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
    // What the client sees: the open draft waiting for them, else the one
    // they confirmed. No other versions, no analysis, no notes of the VA.
    const domain::Agreement* shown = domain::OpenVersion(*h);
    if (shown == nullptr) shown = domain::ConfirmedVersion(*h);
    if (shown == nullptr) return missing;
    json terms = domain::ToJson(shown->terms);
    terms.erase("notes");
    return Json(
        200, {{"client", c->name},
              {"version", shown->version},
              {"state", std::string(domain::AgreementStateName(shown->state))},
              {"confirmed_at", shown->confirmed_at ? json(*shown->confirmed_at)
                                                   : json(nullptr)},
              {"terms", terms}});
  }
  if (what == "/agreement/confirm" && req.method == "POST") {
    json in;
    if (!req.body.empty())
      if (Status st = ParseBody(req, &in); !st.ok()) return Error(st);
    auto h = s.AgreementHistory(ws, client);
    if (!h.ok()) return Error(h.status());
    const domain::Agreement* open = domain::OpenVersion(*h);
    if (open == nullptr)
      return Error(409, "failed_precondition", "nothing to confirm");
    // The client confirms the version they were shown.
    if (in.contains("version") && (!in["version"].is_number_integer() ||
                                   in["version"].get<int>() != open->version))
      return Error(409, "failed_precondition",
                   "the agreement changed; reload and read it again");
    const std::string by = Str(in, "by");
    auto r = s.Confirm(ws, open->id, now, by.empty() ? c->name : by, "portal");
    if (!r.ok()) return Error(r.status());
    return Json(200, {{"version", r->version},
                      {"state", "confirmed"},
                      {"confirmed_at", now}});
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
