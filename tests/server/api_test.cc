// The JSON API over real HTTP on port 0: login, sessions, CSRF, throttling,
// workspace scoping, limits. cpp-httplib is the client.
#include "server/api.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "cli/cli.h"
#include "kalm/core/analysis_json.h"
#include "kalm/server/server.h"
#include "kalm/store/open.h"

namespace kalm::server {
namespace {

using nlohmann::json;

const cli::Coach& SharedCoach() {
  static auto* c = [] {
    auto r = cli::MakeCoach(KALM_DATA_DIR, /*with_reviewer=*/true, false);
    EXPECT_TRUE(r.ok());
    return new cli::Coach(std::move(*r));
  }();
  return *c;
}
const core::Analyzer& SharedAnalyzer() { return *SharedCoach().analyzer; }
const domain::CaseTexts& SharedCaseTexts() {
  static auto* t = [] {
    auto r = cli::MakeCaseTexts(KALM_DATA_DIR);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return new domain::CaseTexts(std::move(*r));
  }();
  return *t;
}

class Api : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> n{0};
    dir_ = std::filesystem::temp_directory_path() /
           ("kalm_api_" + std::to_string(getpid()) + "_" + std::to_string(n++));
    std::filesystem::remove_all(dir_);
    url_ = "sqlite:" + (dir_ / "k.db").string();
    auto s = store::OpenStore(url_);
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(*s);
    ws_a_ = store_->CreateWorkspace("A", 1)->id;
    ws_b_ = store_->CreateWorkspace("B", 1)->id;
    AddUser(ws_a_, "eva@a.example");
    AddUser(ws_b_, "bob@b.example");
    server_ = StartOn(store_.get());
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
  }
  void TearDown() override {
    client_.reset();
    server_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  void AddUser(domain::Id ws, const std::string& email) {
    domain::User u;
    u.email = email;
    static const std::string hash = *HashPassword("correct horse battery");
    ASSERT_TRUE(store_->AddUser(ws, u, hash, 1).ok());
  }
  std::unique_ptr<HttpServer> StartOn(domain::Store* store) {
    ServerConfig c;
    c.port = 0;
    c.max_body = 64 * 1024;
    ServerDeps d;
    d.store = store;
    d.analyzer = &SharedAnalyzer();
    d.reviewer = SharedCoach().reviewer.get();
    d.case_texts = &SharedCaseTexts();
    d.clock = [this] {
      if (hold_ms_ > 0) {
        held_ = true;
        std::this_thread::sleep_for(std::chrono::milliseconds(hold_ms_.load()));
        released_ = true;
      }
      return now_.load();
    };
    auto s = HttpServer::Start(c, d);
    EXPECT_TRUE(s.ok()) << s.status().message();
    return s.ok() ? std::move(*s) : nullptr;
  }
  // Logs in; returns the cookie header value and the CSRF token.
  std::pair<std::string, std::string> Login(const std::string& email,
                                            httplib::Client* c = nullptr) {
    auto r =
        (c ? c : client_.get())
            ->Post("/api/v1/session",
                   json{{"email", email}, {"password", "correct horse battery"}}
                       .dump(),
                   "application/json");
    EXPECT_TRUE(r);
    if (!r) return {};
    EXPECT_EQ(r->status, 200) << r->body;
    const std::string set = r->get_header_value("Set-Cookie");
    return {set.substr(0, set.find(';')), json::parse(r->body)["csrf_token"]};
  }
  httplib::Headers With(const std::pair<std::string, std::string>& s,
                        bool csrf = true) {
    httplib::Headers h = {{"Cookie", s.first}};
    if (csrf) h.insert({"X-CSRF-Token", s.second});
    return h;
  }

  std::filesystem::path dir_;
  std::string url_;
  std::unique_ptr<domain::Store> store_;
  std::unique_ptr<HttpServer> server_;
  std::unique_ptr<httplib::Client> client_;
  domain::Id ws_a_ = 0, ws_b_ = 0;
  std::atomic<int64_t> now_{1800000000};
  std::atomic<int> hold_ms_{0};  // the clock sleeps this long (shutdown test)
  std::atomic<bool> held_{false};
  std::atomic<bool> released_{false};
};

TEST_F(Api, LoginGivesAStrictHttpOnlyCookieAndACsrfToken) {
  auto r = client_->Post(
      "/api/v1/session",
      R"({"email":"Eva@A.example","password":"correct horse battery"})",
      "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  const std::string cookie = r->get_header_value("Set-Cookie");
  EXPECT_NE(cookie.find("kalm_session="), std::string::npos);
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_EQ(cookie.find("Secure"), std::string::npos);  // no TLS here
  EXPECT_EQ(json::parse(r->body)["csrf_token"].get<std::string>().size(), 32u);
  // Security headers on every answer.
  EXPECT_NE(r->get_header_value("Content-Security-Policy")
                .find("frame-ancestors 'none'"),
            std::string::npos);
  EXPECT_EQ(r->get_header_value("X-Content-Type-Options"), "nosniff");
}

TEST_F(Api, WrongPasswordsAreThrottledPerAccount) {
  for (int i = 0; i < 5; ++i) {
    auto r = client_->Post(
        "/api/v1/session",
        R"({"email":"eva@a.example","password":"wrong wrong wrong"})",
        "application/json");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 401);
    EXPECT_EQ(json::parse(r->body)["error"]["code"], "unauthenticated");
  }
  // An unknown address answers exactly like a wrong password.
  auto unknown = client_->Post(
      "/api/v1/session",
      R"({"email":"nobody@a.example","password":"whatever it is"})",
      "application/json");
  EXPECT_EQ(unknown->status, 401);
  EXPECT_EQ(json::parse(unknown->body)["error"]["message"],
            "wrong e-mail or password");
  // Now even the right password waits.
  auto r = client_->Post(
      "/api/v1/session",
      R"({"email":"eva@a.example","password":"correct horse battery"})",
      "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 429);
  EXPECT_FALSE(r->get_header_value("Retry-After").empty());
  // Another account is not blocked by Eva's failures.
  Login("bob@b.example");
  // After the window it works again.
  now_ += 16 * 60;
  Login("eva@a.example");
}

TEST_F(Api, StateChangesNeedTheCsrfToken) {
  const auto s = Login("eva@a.example");
  auto r = client_->Post("/api/v1/clients", With(s, false),
                         R"({"name":"Sanne"})", "application/json");
  EXPECT_EQ(r->status, 403);
  httplib::Headers wrong = {{"Cookie", s.first},
                            {"X-CSRF-Token", std::string(32, '0')}};
  r = client_->Post("/api/v1/clients", wrong, R"({"name":"Sanne"})",
                    "application/json");
  EXPECT_EQ(r->status, 403);
  r = client_->Post("/api/v1/clients", With(s), R"({"name":"Sanne"})",
                    "application/json");
  ASSERT_EQ(r->status, 201) << r->body;
  EXPECT_GT(json::parse(r->body)["id"].get<int64_t>(), 0);
  EXPECT_TRUE(store_->FindClient(ws_a_, "Sanne").ok());
}

TEST_F(Api, AnotherWorkspacesIdsAreNotFound) {
  const auto eva = Login("eva@a.example");
  const auto bob = Login("bob@b.example");
  auto r = client_->Post("/api/v1/clients", With(eva), R"({"name":"Sanne"})",
                         "application/json");
  const int64_t id = json::parse(r->body)["id"];
  auto mine = client_->Get(("/api/v1/clients/" + std::to_string(id)).c_str(),
                           With(eva));
  EXPECT_EQ(mine->status, 200);
  EXPECT_EQ(json::parse(mine->body)["name"], "Sanne");
  auto theirs = client_->Get(("/api/v1/clients/" + std::to_string(id)).c_str(),
                             With(bob));
  auto missing = client_->Get("/api/v1/clients/999999", With(bob));
  // Nothing tells another workspace's client from a missing one.
  EXPECT_EQ(theirs->status, 404);
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(json::parse(theirs->body)["error"]["message"],
            "client " + std::to_string(id) + " not found");
  EXPECT_EQ(json::parse(missing->body)["error"]["message"],
            "client 999999 not found");
  auto list = client_->Get("/api/v1/clients", With(bob));
  EXPECT_TRUE(json::parse(list->body)["clients"].empty());
}

TEST_F(Api, AnalyzeGivesTheSameObjectAsTheCli) {
  const auto s = Login("eva@a.example");
  const std::string text =
      "Waarom is de nieuwsbrief NOG STEEDS niet verstuurd?!";
  auto r = client_->Post("/api/v1/analyze", With(s),
                         json{{"text", text}}.dump(), "application/json");
  ASSERT_EQ(r->status, 200) << r->body;
  auto a = SharedAnalyzer().Analyze(text, {});
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(json::parse(r->body), core::ToJson(*a));
  r = client_->Post("/api/v1/analyze", With(s), R"({"text":"hi","lang":"fr"})",
                    "application/json");
  EXPECT_EQ(r->status, 400);
  r = client_->Post("/api/v1/analyze", With(s), R"({"text":"   "})",
                    "application/json");
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(json::parse(r->body)["error"]["code"], "invalid_argument");
}

TEST_F(Api, ForgedExpiredAndLoggedOutSessionsAreRefused) {
  httplib::Headers forged = {
      {"Cookie", "kalm_session=" + std::string(64, 'a')}};
  EXPECT_EQ(client_->Get("/api/v1/clients", forged)->status, 401);
  EXPECT_EQ(client_->Get("/api/v1/clients")->status, 401);
  const auto s = Login("eva@a.example");
  EXPECT_EQ(client_->Get("/api/v1/clients", With(s))->status, 200);
  auto out = client_->Delete("/api/v1/session", With(s));
  EXPECT_EQ(out->status, 200);
  EXPECT_EQ(client_->Get("/api/v1/clients", With(s))->status, 401);
  const auto t = Login("eva@a.example");
  now_ += 13 * 3600;  // past the session's 12 hours
  EXPECT_EQ(client_->Get("/api/v1/clients", With(t))->status, 401);
}

TEST_F(Api, BadRequestsGetClearErrors) {
  const auto s = Login("eva@a.example");
  auto r = client_->Post("/api/v1/clients", With(s), "{not json",
                         "application/json");
  EXPECT_EQ(r->status, 400);
  r = client_->Post("/api/v1/clients", With(s),
                    std::string("{\"name\":\"Sa\xff\"}"), "application/json");
  EXPECT_EQ(r->status, 400);
  r = client_->Post("/api/v1/clients", With(s), std::string(100 * 1024, 'x'),
                    "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(client_->Get("/api/v1/nope", With(s))->status, 404);
  EXPECT_EQ(client_->Get("/api/v1/clients/abc", With(s))->status, 404);
  r = client_->Post("/api/v1/clients", With(s), R"({"name":"Sanne"})",
                    "application/json");
  r = client_->Post("/api/v1/clients", With(s), R"({"name":"Sanne"})",
                    "application/json");
  EXPECT_EQ(r->status, 409);
  EXPECT_EQ(json::parse(r->body)["error"]["code"], "already_exists");
}

TEST_F(Api, ASecondServerOnTheSameDatabaseServesTheSession) {
  // The server keeps no state: log in on one process, be served by another.
  auto other_store = store::OpenStore(url_);
  ASSERT_TRUE(other_store.ok());
  auto other = StartOn(other_store->get());
  httplib::Client second("127.0.0.1", other->port());
  const auto s = Login("eva@a.example");
  auto r = second.Post("/api/v1/clients", With(s), R"({"name":"Tom"})",
                       "application/json");
  EXPECT_EQ(r->status, 201) << r->body;
  EXPECT_EQ(
      json::parse(client_->Get("/api/v1/clients", With(s))->body)["clients"]
          .size(),
      1u);
}

TEST_F(Api, ShutdownLetsInFlightRequestsFinish) {
  const auto s = Login("eva@a.example");
  // The clock is read inside the request: holding it there keeps one
  // request in flight while Shutdown() is called.
  hold_ms_ = 300;
  std::atomic<int> status{0};
  std::thread t([&] {
    httplib::Client c("127.0.0.1", server_->port());
    auto r = c.Get("/api/v1/clients", With(s));
    status = r ? r->status : -1;
  });
  while (!held_) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  server_->Shutdown();
  // Shutdown returns only when the request in flight has been handled.
  EXPECT_TRUE(released_.load()) << "Shutdown did not wait";
  t.join();
  EXPECT_EQ(status.load(), 200) << "the request in flight was cut off";
  httplib::Client late("127.0.0.1", server_->port());
  late.set_connection_timeout(1);
  EXPECT_FALSE(late.Get("/api/v1/clients"));
}

TEST_F(Api, OpenApiDocumentListsEveryRouteAndNoOther) {
  auto r = client_->Get("/api/v1/openapi.json");  // no login needed
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  const json doc = json::parse(r->body);
  EXPECT_EQ(doc["openapi"], "3.1.0");
  std::set<std::string> documented;
  for (const auto& [path, methods] : doc["paths"].items())
    for (const auto& [method, op] : methods.items()) {
      std::string m = method;
      for (char& ch : m) ch = static_cast<char>(std::toupper(ch));
      documented.insert(m + " " + path);
    }
  const std::vector<std::string> names = server::Api::RouteNames();
  const std::set<std::string> served(names.begin(), names.end());
  for (const std::string& x : served)
    EXPECT_TRUE(documented.count(x)) << x << " is served but not documented";
  for (const std::string& x : documented)
    EXPECT_TRUE(served.count(x)) << x << " is documented but not served";
}

TEST_F(Api, FirstRunMakesOneOwnerOnlyFromThisMachine) {
  auto fresh = store::OpenStore("sqlite:" + (dir_ / "fresh.db").string());
  ASSERT_TRUE(fresh.ok());
  auto srv = StartOn(fresh->get());
  httplib::Client c("127.0.0.1", srv->port());
  auto r = c.Get("/api/v1/setup");
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(json::parse(r->body)["needed"], true);
  // From another machine: refused (the request is handed to the API as if
  // it came from a LAN address).
  ServerConfig config;
  ServerDeps deps;
  deps.store = fresh->get();
  deps.clock = [] { return int64_t{1800000000}; };
  server::Api api(config, deps);
  Request far;
  far.method = "POST";
  far.target = "/api/v1/setup";
  far.remote = "192.168.1.20";
  far.body = R"({"email":"x@y.nl","password":"long enough pass"})";
  EXPECT_EQ(api.Handle(far).status, 403);
  // Through a reverse proxy on this machine: still from elsewhere.
  far.remote = "127.0.0.1";
  far.headers["x-forwarded-for"] = "203.0.113.9";
  EXPECT_EQ(api.Handle(far).status, 403);
  EXPECT_EQ(*fresh->get()->CountUsers(), 0);
  // Too short a password, no e-mail: 400 and nothing made.
  r = c.Post("/api/v1/setup", R"({"email":"eva@x.nl","password":"kort"})",
             "application/json");
  EXPECT_EQ(r->status, 400);
  r = c.Post("/api/v1/setup", R"({"password":"long enough pass"})",
             "application/json");
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(*fresh->get()->CountUsers(), 0);
  r = c.Post(
      "/api/v1/setup",
      R"({"workspace":"VA Eva","name":"Eva","email":"Eva@X.nl","password":"long enough pass"})",
      "application/json");
  ASSERT_EQ(r->status, 201) << r->body;
  const std::string cookie = r->get_header_value("Set-Cookie");
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  const std::string csrf = json::parse(r->body)["csrf_token"];
  // Logged in at once: the session names the owner and gives the token.
  r = c.Get("/api/v1/session",
            {{"Cookie", cookie.substr(0, cookie.find(';'))}});
  ASSERT_EQ(r->status, 200) << r->body;
  const json me = json::parse(r->body);
  EXPECT_EQ(me["user"]["email"], "eva@x.nl");
  EXPECT_EQ(me["user"]["role"], "owner");
  EXPECT_EQ(me["workspace"]["name"], "VA Eva");
  EXPECT_EQ(me["csrf_token"], csrf);
  // A second first run is refused; the setup is over.
  r = c.Post(
      "/api/v1/setup",
      R"({"workspace":"Evil","email":"evil@x.nl","password":"long enough pass"})",
      "application/json");
  EXPECT_EQ(r->status, 409);
  EXPECT_EQ(json::parse(c.Get("/api/v1/setup")->body)["needed"], false);
  EXPECT_EQ(*fresh->get()->CountUsers(), 1);
}

TEST_F(Api, SessionAndWorkspaceNeedALogin) {
  EXPECT_EQ(client_->Get("/api/v1/session")->status, 401);
  EXPECT_EQ(client_->Get("/api/v1/workspace")->status, 401);
  const auto s = Login("eva@a.example");
  auto r = client_->Get("/api/v1/workspace", With(s, false));
  ASSERT_EQ(r->status, 200);
  const json ws = json::parse(r->body);
  EXPECT_EQ(ws["name"], "A");
  ASSERT_EQ(ws["users"].size(), 1u);
  EXPECT_EQ(ws["users"][0]["email"], "eva@a.example");
  EXPECT_EQ(r->body.find("argon2"), std::string::npos);
}

TEST_F(Api, TheWebAppIsServedFromTheBinaryUnderTheCsp) {
  auto r = client_->Get("/");
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(r->body.find("/assets/app.js"), std::string::npos);
  EXPECT_EQ(r->body.find("<script>"), std::string::npos) << "inline script";
  EXPECT_NE(
      r->get_header_value("Content-Security-Policy").find("script-src 'self'"),
      std::string::npos);
  r = client_->Get("/assets/app.js");
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type"),
            "text/javascript; charset=utf-8");
  EXPECT_GT(r->body.size(), 10000u);
  EXPECT_EQ(client_->Get("/assets/app.css")->status, 200);
  // The portal page is the same page; the token is checked by its API.
  r = client_->Get(("/portal/" + std::string(32, 'a')).c_str());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(client_->Get("/assets/../index.html")->status, 404);
  EXPECT_EQ(client_->Get("/assets/nope.js")->status, 404);
  EXPECT_EQ(client_->Get("/secret")->status, 404);
  EXPECT_EQ(client_->Post("/", "x", "text/plain")->status, 404);
}

TEST_F(Api, TasksAreUpdatedAndTheDashboardSummarisesClients) {
  const auto s = Login("eva@a.example");
  auto r = client_->Post("/api/v1/clients", With(s), R"({"name":"Sanne"})",
                         "application/json");
  const std::string base =
      "/api/v1/clients/" +
      std::to_string(json::parse(r->body)["id"].get<int64_t>());
  r = client_->Post((base + "/tasks").c_str(), With(s),
                    R"({"title":"Offerte","waiting_on_client":true})",
                    "application/json");
  ASSERT_EQ(r->status, 201);
  const std::string task =
      base + "/tasks/" +
      std::to_string(json::parse(r->body)["id"].get<int64_t>());
  r = client_->Patch(task.c_str(), With(s),
                     R"({"done":true,"waiting_on_client":false})",
                     "application/json");
  ASSERT_EQ(r->status, 200) << r->body;
  json t = json::parse(r->body);
  EXPECT_EQ(t["done_at"], now_.load());
  EXPECT_FALSE(t.contains("waiting_on_client_since"));
  r = client_->Patch(task.c_str(), With(s), R"({"done":"yes"})",
                     "application/json");
  EXPECT_EQ(r->status, 400);
  r = client_->Patch((base + "/tasks/999999").c_str(), With(s),
                     R"({"done":true})", "application/json");
  EXPECT_EQ(r->status, 404);
  r = client_->Patch(task.c_str(), With(s, false), R"({"done":false})",
                     "application/json");
  EXPECT_EQ(r->status, 403) << "no CSRF token";
  // An angry message, then the dashboard's summary.
  r = client_->Post(
      (base + "/messages").c_str(), With(s),
      R"({"text":"Waarom is het verslag NOG steeds niet af?! Dit is onacceptabel."})",
      "application/json");
  ASSERT_EQ(r->status, 201) << r->body;
  r = client_->Get("/api/v1/clients?summary=1", With(s, false));
  ASSERT_EQ(r->status, 200);
  const json c = json::parse(r->body)["clients"][0];
  EXPECT_EQ(c["summary"]["messages"], 1);
  EXPECT_EQ(c["summary"]["last_incoming"]["dominant_emotion"], "anger");
  EXPECT_GE(c["summary"]["last_incoming"]["escalation_level"].get<int>(), 2);
  EXPECT_EQ(c["summary"]["step"], "observe");
  EXPECT_TRUE(c["agreement"]["confirmed"].is_null());
  // Without ?summary=1 the list stays cheap.
  r = client_->Get("/api/v1/clients", With(s, false));
  EXPECT_FALSE(json::parse(r->body)["clients"][0].contains("summary"));
}

TEST_F(Api, AnExportIsImportedFromAnUpload) {
  const auto s = Login("eva@a.example");
  auto r = client_->Post("/api/v1/clients", With(s), R"({"name":"Sanne"})",
                         "application/json");
  const std::string base =
      "/api/v1/clients/" +
      std::to_string(json::parse(r->body)["id"].get<int64_t>());
  const std::string chat =
      "12-03-2026 09:15 - Sanne: Hoi Eva, is de nieuwsbrief al klaar?\n"
      "12-03-2026 09:20 - Eva: Ja, ik stuur hem zo!\n"
      "12-03-2026 22:47 - Sanne: WAAROM heb ik nog niks?!\n";
  r = client_->Post((base + "/import?name=WhatsApp%20Chat.txt&me=Eva").c_str(),
                    With(s), chat, "application/octet-stream");
  ASSERT_EQ(r->status, 200) << r->body;
  json rep = json::parse(r->body);
  EXPECT_EQ(rep["format"], "whatsapp");
  EXPECT_EQ(rep["imported"], 3);
  EXPECT_EQ(rep["file"], "WhatsApp Chat.txt");
  // Again: everything is there already.
  r = client_->Post((base + "/import?name=chat.txt&me=Eva").c_str(), With(s),
                    chat, "application/octet-stream");
  rep = json::parse(r->body);
  EXPECT_EQ(rep["imported"], 0);
  EXPECT_EQ(rep["duplicates"], 3);
  r = client_->Get((base + "/timeline").c_str(), With(s, false));
  const json tl = json::parse(r->body);
  ASSERT_EQ(tl["messages"].size(), 3u);
  EXPECT_EQ(tl["messages"][1]["direction"], "outgoing");
  EXPECT_TRUE(tl["messages"][2]["analysis"].is_object());
  // Empty and binary uploads are refused with a clear error.
  r = client_->Post((base + "/import").c_str(), With(s), "",
                    "application/octet-stream");
  EXPECT_EQ(r->status, 400);
  r = client_->Post((base + "/import?format=fax").c_str(), With(s), chat,
                    "application/octet-stream");
  EXPECT_EQ(r->status, 400);
  // Without a session cookie the upload limit does not apply: 413 before
  // the body is read.
  httplib::Client anon("127.0.0.1", server_->port());
  r = anon.Post((base + "/import").c_str(), std::string(100 * 1024, 'x'),
                "application/octet-stream");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  // Bigger than a JSON body may be, within the upload limit.
  std::string big;
  for (int i = 0; big.size() < 100 * 1024; ++i)
    big += "13-03-2026 10:" + std::to_string(10 + i % 50) +
           " - Sanne: bericht " + std::to_string(i) + "\n";
  r = client_->Post((base + "/import?name=big.txt&me=Eva").c_str(), With(s),
                    big, "application/octet-stream");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_GT(json::parse(r->body)["imported"].get<int>(), 1000);
}

TEST_F(Api, ACaseWalksFromAMessageToTheJournal) {
  const auto s = Login("eva@a.example");
  auto r = client_->Post(
      "/api/v1/clients", With(s),
      R"({"name":"Sanne de Vries","language":"nl","register":"je"})",
      "application/json");
  const std::string base =
      "/api/v1/clients/" +
      std::to_string(json::parse(r->body)["id"].get<int64_t>());
  ASSERT_EQ(client_
                ->Put((base + "/agreement").c_str(), With(s),
                      R"({"scope":["Maandverslag maken"],"reaction_hours":24})",
                      "application/json")
                ->status,
            200);
  ASSERT_EQ(client_
                ->Post((base + "/agreement/confirm").c_str(), With(s), "{}",
                       "application/json")
                ->status,
            200);
  r = client_->Post(
      (base + "/messages").c_str(), With(s),
      R"({"text":"Waarom is het maandverslag NOG steeds niet af?! Dit is echt onbetrouwbaar."})",
      "application/json");
  ASSERT_EQ(r->status, 201);
  const int64_t mid = json::parse(r->body)["id"];
  // Another client's message id: not found.
  r = client_->Post((base + "/cases").c_str(), With(s),
                    R"({"message_id":999999})", "application/json");
  EXPECT_EQ(r->status, 404);
  r = client_->Post((base + "/cases").c_str(), With(s),
                    json{{"message_id", mid}}.dump(), "application/json");
  ASSERT_EQ(r->status, 201) << r->body;
  json k = json::parse(r->body);
  const std::string url =
      "/api/v1/cases/" + std::to_string(k["id"].get<int64_t>());
  EXPECT_EQ(k["step"], 1);
  EXPECT_FALSE(k["content"]["receipt"].get<std::string>().empty());
  EXPECT_EQ(k["hints"]["dominant_emotion"], "anger");
  EXPECT_EQ(k["missing"], json::array({"reaction"}));
  // Next without the reaction: 409 naming what is missing.
  r = client_->Post((url + "/next").c_str(), With(s), "{}", "application/json");
  EXPECT_EQ(r->status, 409);
  EXPECT_EQ(json::parse(r->body)["error"]["missing"],
            json::array({"reaction"}));
  r = client_->Patch(url.c_str(), With(s),
                     json{{"revision", k["revision"]},
                          {"content", {{"reaction", "defensive"}}}}
                         .dump(),
                     "application/json");
  ASSERT_EQ(r->status, 200) << r->body;
  k = json::parse(r->body);
  // A change made on the copy read before is refused.
  r = client_->Patch(url.c_str(), With(s),
                     R"({"revision":1,"content":{"reaction":"calm"}})",
                     "application/json");
  EXPECT_EQ(r->status, 409);
  r = client_->Patch(url.c_str(), With(s), R"({"content":{"mood":"x"}})",
                     "application/json");
  EXPECT_EQ(r->status, 400) << "unknown field";
  r = client_->Post((url + "/next").c_str(), With(s), "", "application/json");
  ASSERT_EQ(r->status, 200) << r->body;
  r = client_->Patch(
      url.c_str(), With(s),
      R"({"content":{"reflection":["","","","","","Het was een dag te laat."]}})",
      "application/json");
  ASSERT_EQ(r->status, 200) << r->body;
  ASSERT_EQ(
      client_->Post((url + "/next").c_str(), With(s), "", "application/json")
          ->status,
      200);
  // The proposal may not exceed the maximum.
  r = client_->Patch(
      url.c_str(), With(s),
      R"({"content":{"summary":"Het verslag was te laat.","proposal":{"text":"Korting","cents":8000},"maximum":{"text":"GEHEIM","cents":5000}}})",
      "application/json");
  EXPECT_EQ(r->status, 400);
  r = client_->Patch(
      url.c_str(), With(s),
      R"({"content":{"summary":"Het verslag was te laat.","proposal":{"text":"Korting","cents":3000},"maximum":{"text":"GEHEIM","cents":5000}}})",
      "application/json");
  ASSERT_EQ(r->status, 200) << r->body;
  r = client_->Get((url + "/script").c_str(), With(s, false));
  ASSERT_EQ(r->status, 200);
  const json script = json::parse(r->body);
  EXPECT_EQ(script["parts"].size(), 5u);
  EXPECT_NE(script["private_note"].get<std::string>().find("GEHEIM"),
            std::string::npos);
  ASSERT_EQ(
      client_->Post((url + "/next").c_str(), With(s), "", "application/json")
          ->status,
      200);
  // Going back and forward again.
  r = client_->Post((url + "/goto").c_str(), With(s), R"({"step":2})",
                    "application/json");
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(json::parse(r->body)["step"], 2);
  EXPECT_EQ(client_
                ->Post((url + "/goto").c_str(), With(s), R"({"step":5})",
                       "application/json")
                ->status,
            400);
  ASSERT_EQ(client_
                ->Post((url + "/goto").c_str(), With(s), R"({"step":4})",
                       "application/json")
                ->status,
            200);
  r = client_->Patch(
      url.c_str(), With(s),
      R"({"content":{"outcome":"resolved","actions":[{"what":"Verslag opleveren","owner":"me","due":1796000000}],"follow_up_at":1797000000}})",
      "application/json");
  ASSERT_EQ(r->status, 200) << r->body;
  r = client_->Get((url + "/confirmation").c_str(), With(s, false));
  ASSERT_EQ(r->status, 200);
  const json mail = json::parse(r->body);
  EXPECT_NE(mail["body"].get<std::string>().find("Verslag opleveren"),
            std::string::npos);
  EXPECT_EQ(r->body.find("GEHEIM"), std::string::npos);
  r = client_->Get((url + "/confirmation?format=eml").c_str(), With(s, false));
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type"), "message/rfc822");
  EXPECT_NE(r->get_header_value("Content-Disposition").find(".eml"),
            std::string::npos);
  EXPECT_NE(r->body.find("From: eva@a.example"), std::string::npos) << r->body;
  EXPECT_EQ(r->body.find("GEHEIM"), std::string::npos);
  ASSERT_EQ(
      client_->Post((url + "/next").c_str(), With(s), "", "application/json")
          ->status,
      200);
  ASSERT_EQ(
      client_
          ->Patch(
              url.c_str(), With(s),
              R"({"content":{"triggers":["onbetrouwbaar genoemd"],"next_time":"Eerder melden."}})",
              "application/json")
          ->status,
      200);
  r = client_->Post((url + "/next").c_str(), With(s), "", "application/json");
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(json::parse(r->body)["closed"], true);
  EXPECT_EQ(json::parse(r->body)["close_reason"], "done");
  // The agreed action became a task, once (going back and on again did not
  // add it twice).
  r = client_->Get((base + "/tasks").c_str(), With(s, false));
  ASSERT_EQ(json::parse(r->body)["tasks"].size(), 1u);
  EXPECT_EQ(json::parse(r->body)["tasks"][0]["title"], "Verslag opleveren");
  EXPECT_EQ(json::parse(r->body)["tasks"][0]["deadline"], 1796000000);
  // What the client can see — the receipt, the portal — holds no limit,
  // reflection or analysis.
  const std::string receipt = k["content"]["receipt"];
  for (const char* word : {"GEHEIM", "anger", "emotion", "escalat", "cool_down",
                           "defensive", "dag te laat"})
    EXPECT_EQ(receipt.find(word), std::string::npos) << receipt;
  r = client_->Post((base + "/portal").c_str(), With(s), "",
                    "application/json");
  ASSERT_EQ(r->status, 201);
  const std::string portal =
      "/portal/api/" + json::parse(r->body)["url"].get<std::string>().substr(8);
  httplib::Client anon("127.0.0.1", server_->port());
  for (const char* part : {"/agreement", "/tasks", "/updates"}) {
    auto p = anon.Get((portal + part).c_str());
    ASSERT_EQ(p->status, 200) << part;
    for (const char* word : {"GEHEIM", "dag te laat", "onbetrouwbaar genoemd",
                             "Eerder melden", "anger"})
      EXPECT_EQ(p->body.find(word), std::string::npos)
          << part << ": " << p->body;
  }
  r = client_->Get("/api/v1/journal?q=onbetrouwbaar", With(s, false));
  ASSERT_EQ(r->status, 200);
  ASSERT_EQ(json::parse(r->body)["entries"].size(), 1u);
  EXPECT_EQ(json::parse(r->body)["entries"][0]["client"], "Sanne de Vries");
  // Closed: no more changes until reopened.
  EXPECT_EQ(client_
                ->Patch(url.c_str(), With(s), R"({"content":{"notes":"x"}})",
                        "application/json")
                ->status,
            409);
  ASSERT_EQ(
      client_->Post((url + "/reopen").c_str(), With(s), "", "application/json")
          ->status,
      200);
  EXPECT_EQ(client_
                ->Post((url + "/close").c_str(), With(s), R"({"reason":""})",
                       "application/json")
                ->status,
            400);
  ASSERT_EQ(client_
                ->Post((url + "/close").c_str(), With(s),
                       R"({"reason":"Opgelost"})", "application/json")
                ->status,
            200);
  r = client_->Get(
      ("/api/v1/cases?client=" + base.substr(base.rfind('/') + 1)).c_str(),
      With(s, false));
  ASSERT_EQ(json::parse(r->body)["cases"].size(), 1u);
  EXPECT_EQ(json::parse(r->body)["cases"][0]["close_reason"], "Opgelost");
}

TEST_F(Api, EveryRouteWithAnotherWorkspacesIdIsNotFound) {
  const auto eva = Login("eva@a.example");
  const auto bob = Login("bob@b.example");
  auto r = client_->Post("/api/v1/clients", With(eva), R"({"name":"Sanne"})",
                         "application/json");
  const std::string id =
      std::to_string(json::parse(r->body)["id"].get<int64_t>());
  ASSERT_EQ(client_
                ->Put(("/api/v1/clients/" + id + "/agreement").c_str(),
                      With(eva), R"({"scope":["inbox"]})", "application/json")
                ->status,
            200);
  r = client_->Post(("/api/v1/clients/" + id + "/tasks").c_str(), With(eva),
                    R"({"title":"Offerte"})", "application/json");
  ASSERT_EQ(r->status, 201);
  const std::string task =
      std::to_string(json::parse(r->body)["id"].get<int64_t>());
  r = client_->Post(("/api/v1/clients/" + id + "/cases").c_str(), With(eva),
                    R"({"title":"Klacht"})", "application/json");
  ASSERT_EQ(r->status, 201) << r->body;
  const std::string kase =
      std::to_string(json::parse(r->body)["id"].get<int64_t>());
  int checked = 0;
  for (const std::string& route : server::Api::RouteNames()) {
    const size_t at = route.find("{id}");
    if (at == std::string::npos) continue;
    const std::string method = route.substr(0, route.find(' '));
    std::string path = route.substr(route.find(' ') + 1);
    const bool is_case = path.rfind("/api/v1/cases/", 0) == 0;
    path.replace(path.find("{id}"), 4, is_case ? kase : id);
    if (path.find("{sub}") != std::string::npos)
      path.replace(path.find("{sub}"), 5, task);
    const std::string body =
        R"({"text":"Hoi","by":"x","scope":[],"done":true})";
    httplib::Result res =
        method == "GET" ? client_->Get(path.c_str(), With(bob))
        : method == "PUT"
            ? client_->Put(path.c_str(), With(bob), body, "application/json")
        : method == "PATCH"
            ? client_->Patch(path.c_str(), With(bob), body, "application/json")
        : method == "POST"
            ? client_->Post(path.c_str(), With(bob), body, "application/json")
            : client_->Delete(path.c_str(), With(bob));
    ASSERT_TRUE(res) << route;
    EXPECT_EQ(res->status, 404) << route << ": " << res->body;
    ++checked;
  }
  EXPECT_GE(checked, 16);
  // Eva's case is untouched.
  r = client_->Get(("/api/v1/cases/" + kase).c_str(), With(eva, false));
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(json::parse(r->body)["revision"], 1);
  EXPECT_EQ(json::parse(r->body)["closed"], false);
  EXPECT_TRUE(
      json::parse(
          client_->Get("/api/v1/cases", With(bob, false))->body)["cases"]
          .empty());
  EXPECT_TRUE(
      json::parse(
          client_->Get("/api/v1/journal", With(bob, false))->body)["entries"]
          .empty());
  // Bob's own client with Eva's task: still not found, and not changed.
  r = client_->Post("/api/v1/clients", With(bob), R"({"name":"Piet"})",
                    "application/json");
  const std::string bobs =
      std::to_string(json::parse(r->body)["id"].get<int64_t>());
  r = client_->Patch(("/api/v1/clients/" + bobs + "/tasks/" + task).c_str(),
                     With(bob), R"({"done":true})", "application/json");
  EXPECT_EQ(r->status, 404) << r->body;
  r = client_->Get(("/api/v1/clients/" + id + "/tasks").c_str(), With(eva));
  EXPECT_FALSE(json::parse(r->body)["tasks"][0].contains("done_at"));
  // Eva's data is untouched.
  EXPECT_TRUE(store_->CurrentAgreement(ws_a_, std::stoll(id)).status().code() ==
              StatusCode::kNotFound);
  EXPECT_EQ(store_->AgreementHistory(ws_a_, std::stoll(id))->size(), 1u);
}

TEST_F(Api, AgreementMessagesAndTimeline) {
  const auto s = Login("eva@a.example");
  auto r = client_->Post("/api/v1/clients", With(s), R"({"name":"Sanne"})",
                         "application/json");
  const std::string base =
      "/api/v1/clients/" +
      std::to_string(json::parse(r->body)["id"].get<int64_t>());
  const json terms = {
      {"availability",
       {{{"weekday", 0}, {"start_minute", 540}, {"end_minute", 1020}},
        {{"weekday", 4}, {"start_minute", 540}, {"end_minute", 1020}}}},
      {"scope", {"inbox", "agenda"}},
      {"out_of_scope_rate", {{"cents", 6000}, {"currency", "EUR"}}}};
  r = client_->Put((base + "/agreement").c_str(), With(s), terms.dump(),
                   "application/json");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(json::parse(r->body)["state"], "draft");
  r = client_->Post((base + "/agreement/confirm").c_str(), With(s),
                    R"({"by":"Sanne","how":"portal"})", "application/json");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(json::parse(r->body)["state"], "confirmed");
  EXPECT_EQ(client_->Get((base + "/agreements").c_str(), With(s))->status, 200);
  // A Sunday-evening message, analysed against the agreement at once.
  r = client_->Post(
      (base + "/messages").c_str(), With(s),
      R"({"text":"Hoe staat het ervoor? Ben je al begonnen?","sent_at":"2026-03-08T21:40:00+01:00"})",
      "application/json");
  ASSERT_EQ(r->status, 201) << r->body;
  const json m = json::parse(r->body);
  bool after_hours = false;
  for (const auto& sig : m["analysis"]["signals"])
    after_hours = after_hours || sig["id"] == "timing.after_hours";
  EXPECT_TRUE(after_hours) << m.dump();
  // The same message again is refused.
  r = client_->Post(
      (base + "/messages").c_str(), With(s),
      R"({"text":"Hoe staat het ervoor? Ben je al begonnen?","sent_at":"2026-03-08T21:40:00+01:00"})",
      "application/json");
  EXPECT_EQ(r->status, 409);
  r = client_->Get((base + "/timeline").c_str(), With(s));
  ASSERT_EQ(r->status, 200);
  const json tl = json::parse(r->body);
  EXPECT_EQ(tl["messages"].size(), 1u);
  EXPECT_TRUE(tl["patterns"].contains("step"));
}

TEST_F(Api, ReviewReplyAndPhrases) {
  const auto s = Login("eva@a.example");
  auto r = client_->Post(
      "/api/v1/review", With(s),
      json{{"draft", "Zoals ik al zei wacht ik nog op jouw cijfers!!"},
           {"reply_to", "Waarom is het verslag NOG STEEDS niet af?!"},
           {"rewrite", true}}
          .dump(),
      "application/json");
  ASSERT_EQ(r->status, 200) << r->body;
  const json review = json::parse(r->body);
  EXPECT_FALSE(review["findings"].empty());
  EXPECT_TRUE(review.contains("rewrite"));
  r = client_->Post(
      "/api/v1/reply", With(s),
      json{{"text", "Kun je ook even de webshop van mijn vrouw bijhouden?"},
           {"values", {{"client", "Tom"}, {"me", "Eva"}}}}
          .dump(),
      "application/json");
  ASSERT_EQ(r->status, 200) << r->body;
  const json reply = json::parse(r->body);
  ASSERT_GE(reply["variants"].size(), 2u);
  EXPECT_NE(reply["variants"][0]["text"].get<std::string>().find("Tom"),
            std::string::npos);
  r = client_->Post("/api/v1/reply", With(s),
                    R"({"text":"Hoi","values":{"datum":"x"}})",
                    "application/json");
  EXPECT_EQ(r->status, 400);
  r = client_->Get("/api/v1/phrases?strategy=boundary&lang=nl", With(s));
  ASSERT_EQ(r->status, 200);
  const json phrases = json::parse(r->body)["phrases"];
  ASSERT_FALSE(phrases.empty());
  for (const auto& p : phrases) {
    EXPECT_EQ(p["strategy"], "boundary");
    EXPECT_EQ(p["language"], "nl");
  }
}

TEST_F(Api, PortalLinkShowsAndConfirmsTheAgreementAndNothingElse) {
  const auto s = Login("eva@a.example");
  auto r = client_->Post("/api/v1/clients", With(s), R"({"name":"Sanne"})",
                         "application/json");
  const std::string base =
      "/api/v1/clients/" +
      std::to_string(json::parse(r->body)["id"].get<int64_t>());
  ASSERT_EQ(
      client_
          ->Put((base + "/agreement").c_str(), With(s),
                R"({"scope":["inbox"],"notes":"Privé: max 2 uur korting"})",
                "application/json")
          ->status,
      200);
  r = client_->Post((base + "/portal").c_str(), With(s), "",
                    "application/json");
  ASSERT_EQ(r->status, 201) << r->body;
  const std::string url = json::parse(r->body)["url"];
  ASSERT_EQ(url.size(), std::string("/portal/").size() + 32);
  const std::string api = "/portal/api/" + url.substr(8);
  // No session needed: the link is the key.
  httplib::Client anon("127.0.0.1", server_->port());
  r = anon.Get((api + "/agreement").c_str());
  ASSERT_EQ(r->status, 200) << r->body;
  const json shown = json::parse(r->body);
  EXPECT_EQ(shown["client"], "Sanne");
  EXPECT_EQ(shown["state"], "sent");  // making the link sends the draft
  EXPECT_EQ(shown["terms"]["scope"], json::array({"inbox"}));
  EXPECT_EQ(r->body.find("Privé"), std::string::npos)
      << "the VA's notes leaked";
  ASSERT_EQ(
      client_
          ->Post(
              (base + "/tasks").c_str(), With(s),
              R"({"title":"Nieuwsbrief april","deadline":"2027-04-02T17:00:00+02:00","waiting_on_client":true})",
              "application/json")
          ->status,
      201);
  r = anon.Get((api + "/tasks").c_str());
  ASSERT_EQ(r->status, 200);
  const json board = json::parse(r->body)["tasks"];
  ASSERT_EQ(board.size(), 1u);
  EXPECT_EQ(board[0]["title"], "Nieuwsbrief april");
  EXPECT_EQ(board[0]["waiting_on_you"], true);
  EXPECT_EQ(json::parse(
                client_->Get((base + "/tasks").c_str(), With(s))->body)["tasks"]
                .size(),
            1u);
  // Status updates reach the portal, without ids or anything else.
  r = client_->Post(
      (base + "/updates").c_str(), With(s),
      R"({"kind":"started","text":"Ik ben begonnen met de nieuwsbrief.","next_update_at":"2027-04-01T17:00:00+02:00"})",
      "application/json");
  ASSERT_EQ(r->status, 201) << r->body;
  r = client_->Post((base + "/updates").c_str(), With(s),
                    R"({"kind":"rumour","text":"x"})", "application/json");
  EXPECT_EQ(r->status, 400);
  r = anon.Get((api + "/updates").c_str());
  ASSERT_EQ(r->status, 200);
  const json updates = json::parse(r->body)["updates"];
  ASSERT_EQ(updates.size(), 1u);
  EXPECT_EQ(updates[0]["kind"], "started");
  EXPECT_EQ(updates[0]["next_update_at"], 1806591600);
  EXPECT_FALSE(updates[0].contains("id"));
  EXPECT_FALSE(updates[0].contains("client_id"));
  // Confirming another version than the one shown is refused.
  r = anon.Post((api + "/agreement/confirm").c_str(), R"({"version":7})",
                "application/json");
  EXPECT_EQ(r->status, 409);
  // The VA edits what was sent: it is a draft again, the client sees that a
  // new version is coming and cannot confirm the old view.
  const std::string old_print = shown["fingerprint"];
  ASSERT_EQ(client_
                ->Put((base + "/agreement").c_str(), With(s),
                      R"({"scope":["inbox","agenda"]})", "application/json")
                ->status,
            200);
  r = anon.Get((api + "/agreement").c_str());
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(json::parse(r->body)["state"], "preparing");
  EXPECT_FALSE(json::parse(r->body).contains("terms"));
  r = anon.Post((api + "/agreement/confirm").c_str(), R"({"version":1})",
                "application/json");
  EXPECT_EQ(r->status, 409);
  // Sent again: same version number, other terms, other fingerprint.
  ASSERT_EQ(
      client_->Post((base + "/portal").c_str(), With(s), "", "application/json")
          ->status,
      201);
  r = anon.Get((api + "/agreement").c_str());
  const json again = json::parse(r->body);
  EXPECT_EQ(again["version"], 1);
  EXPECT_NE(again["fingerprint"], old_print);
  r = anon.Post((api + "/agreement/confirm").c_str(),
                json{{"version", 1}, {"fingerprint", old_print}}.dump(),
                "application/json");
  EXPECT_EQ(r->status, 409) << "confirmed terms the client never saw";
  r = anon.Post(
      (api + "/agreement/confirm").c_str(),
      json{{"version", 1}, {"fingerprint", again["fingerprint"]}}.dump(),
      "application/json");
  ASSERT_EQ(r->status, 200) << r->body;
  auto current = client_->Get((base + "/agreement").c_str(), With(s));
  const json a = json::parse(current->body);
  EXPECT_EQ(a["state"], "confirmed");
  EXPECT_EQ(a["confirmed_how"], "portal");
  EXPECT_EQ(a["confirmed_by"], "Sanne");
  // Wrong, revoked and expired tokens look exactly like a missing page.
  const auto missing = anon.Get("/portal/api/nope/agreement");
  const auto wrong =
      anon.Get(("/portal/api/" + std::string(32, '0') + "/agreement").c_str());
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(wrong->status, 404);
  EXPECT_EQ(wrong->body, missing->body);
  now_ += 31 * 86400;
  EXPECT_EQ(anon.Get((api + "/agreement").c_str())->body, missing->body);
  now_ -= 31 * 86400;
  EXPECT_EQ(anon.Get((api + "/agreement").c_str())->status, 200);
  const auto s2 = Login("eva@a.example");
  ASSERT_EQ(client_->Delete((base + "/portal").c_str(), With(s2))->status, 200);
  EXPECT_EQ(anon.Get((api + "/agreement").c_str())->body, missing->body);
}

}  // namespace
}  // namespace kalm::server
