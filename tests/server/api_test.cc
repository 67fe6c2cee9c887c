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
  int checked = 0;
  for (const std::string& route : server::Api::RouteNames()) {
    const size_t at = route.find("{id}");
    if (at == std::string::npos) continue;
    const std::string method = route.substr(0, route.find(' '));
    std::string path = route.substr(route.find(' ') + 1);
    path.replace(path.find("{id}"), 4, id);
    const std::string body = R"({"text":"Hoi","by":"x","scope":[]})";
    httplib::Result res =
        method == "GET" ? client_->Get(path.c_str(), With(bob))
        : method == "PUT"
            ? client_->Put(path.c_str(), With(bob), body, "application/json")
        : method == "POST"
            ? client_->Post(path.c_str(), With(bob), body, "application/json")
            : client_->Delete(path.c_str(), With(bob));
    ASSERT_TRUE(res) << route;
    EXPECT_EQ(res->status, 404) << route << ": " << res->body;
    ++checked;
  }
  EXPECT_GE(checked, 6);
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
  EXPECT_EQ(shown["state"], "draft");
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
  // Confirming another version than the one shown is refused.
  r = anon.Post((api + "/agreement/confirm").c_str(), R"({"version":7})",
                "application/json");
  EXPECT_EQ(r->status, 409);
  r = anon.Post((api + "/agreement/confirm").c_str(), R"({"version":1})",
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
