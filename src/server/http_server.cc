// The HTTP transport: Boost.Beast sessions on an Asio io_context run by a
// few threads. Parses, limits and answers; the routes are in api.cc.
#include <sodium.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <mutex>
#include <thread>

#include "server/api.h"

namespace kalm::server {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

struct Shared {
  Api api;
  size_t max_body;
  size_t max_upload;
  std::atomic<int> in_flight{0};
  std::atomic<bool> stopping{false};
  Shared(const ServerConfig& c, ServerDeps d)
      : api(c, std::move(d)), max_body(c.max_body), max_upload(c.max_upload) {}
};

http::response<http::string_body> ToBeast(Response&& r, unsigned version,
                                          bool keep_alive) {
  http::response<http::string_body> res{static_cast<http::status>(r.status),
                                        version};
  res.set(http::field::server, "kalm");
  res.set(http::field::content_type, r.content_type);
  // The browser may load nothing from elsewhere, run no inline script, and
  // frame nothing of ours.
  res.set("Content-Security-Policy",
          "default-src 'self'; script-src 'self'; object-src 'none'; "
          "frame-ancestors 'none'; base-uri 'none'");
  res.set("X-Content-Type-Options", "nosniff");
  res.set("X-Frame-Options", "DENY");
  res.set("Referrer-Policy", "no-referrer");
  res.set(http::field::cache_control, "no-store");
  for (const auto& [k, v] : r.headers) res.insert(k, v);
  res.keep_alive(keep_alive);
  res.body() = std::move(r.body);  // a timeline is a megabyte: no copy
  res.prepare_payload();
  return res;
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, std::shared_ptr<Shared> shared)
      : stream_(std::move(socket)), shared_(std::move(shared)) {}

  void Run() {
    net::dispatch(
        stream_.get_executor(),
        beast::bind_front_handler(&Session::Read, shared_from_this()));
  }

 private:
  void Read() {
    if (shared_->stopping) return Close();
    parser_.emplace();
    // Beast checks Content-Length against the limit when the header is
    // parsed, so the upload limit applies until the route is known.
    parser_->body_limit(std::max(shared_->max_body, shared_->max_upload));
    parser_->header_limit(16 * 1024);
    stream_.expires_after(std::chrono::seconds(30));
    // The header first: an upload route may take a bigger body.
    http::async_read_header(
        stream_, buffer_, *parser_,
        beast::bind_front_handler(&Session::OnHeader, shared_from_this()));
  }

  void OnHeader(beast::error_code ec, std::size_t) {
    if (ec) return OnRead(ec, 0);
    const auto t = parser_->get().target();
    const std::string_view target(t.data(), t.size());
    // Only a request that carries a session cookie may send an upload's
    // size; the session itself is checked once the body is in.
    const auto cookie = parser_->get()[http::field::cookie];
    const bool upload =
        parser_->get().method() == http::verb::post &&
        target.substr(0, target.find('?')).ends_with("/import") &&
        std::string_view(cookie.data(), cookie.size()).find("kalm_session=") !=
            std::string_view::npos;
    if (!upload) {
      const auto length = parser_->content_length();
      if (length && *length > shared_->max_body)
        return OnRead(http::error::body_limit, 0);
      parser_->body_limit(shared_->max_body);
    }
    stream_.expires_after(std::chrono::seconds(120));
    http::async_read(
        stream_, buffer_, *parser_,
        beast::bind_front_handler(&Session::OnRead, shared_from_this()));
  }

  void OnRead(beast::error_code ec, std::size_t) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout)
      return Close();
    if (ec == http::error::body_limit || ec == http::error::header_limit) {
      Response r;
      r.status = 413;
      r.body =
          R"({"error":{"code":"resource_exhausted","message":"the request is too large"}})";
      return Write(ToBeast(std::move(r), 11, false));
    }
    if (ec) return Close();
    ++shared_->in_flight;
    counted_ = true;
    auto req = parser_->release();
    Request in;
    in.method = std::string(req.method_string());
    in.target = std::string(req.target());
    for (const auto& f : req) {
      std::string name(f.name_string());
      for (char& c : name)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      in.headers[name] = std::string(f.value());
    }
    in.body = std::move(req.body());
    beast::error_code ignore;
    const auto peer = stream_.socket().remote_endpoint(ignore);
    in.remote = ignore ? "" : peer.address().to_string();
    Response out;
    try {
      out = shared_->api.Handle(in);
    } catch (const std::exception&) {
      // No exception crosses the layer: a bug becomes a 500, not a crash.
      out.status = 500;
      out.body = R"({"error":{"code":"internal","message":"internal error"}})";
    }
    Write(ToBeast(std::move(out), req.version(),
                  req.keep_alive() && !shared_->stopping));
  }

  void Write(http::response<http::string_body>&& res) {
    auto sp =
        std::make_shared<http::response<http::string_body>>(std::move(res));
    res_ = sp;
    http::async_write(
        stream_, *sp,
        beast::bind_front_handler(&Session::OnWrite, shared_from_this(),
                                  sp->need_eof()));
  }

  void OnWrite(bool close, beast::error_code ec, std::size_t) {
    if (counted_) --shared_->in_flight;
    counted_ = false;
    res_.reset();
    if (ec || close) return Close();
    Read();
  }

  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<void> res_;
  std::shared_ptr<Shared> shared_;
  bool counted_ = false;  // this request is in shared_->in_flight
};

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(net::io_context& ioc, std::shared_ptr<Shared> shared)
      : ioc_(ioc),
        acceptor_(net::make_strand(ioc)),
        shared_(std::move(shared)) {}

  Status Open(const tcp::endpoint& at) {
    beast::error_code ec;
    acceptor_.open(at.protocol(), ec);
    if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(at, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec)
      return UnavailableError("cannot listen on " + at.address().to_string() +
                              ":" + std::to_string(at.port()) + ": " +
                              ec.message());
    return Status::Ok();
  }
  uint16_t port() const { return acceptor_.local_endpoint().port(); }
  void Accept() {
    acceptor_.async_accept(
        net::make_strand(ioc_),
        beast::bind_front_handler(&Listener::OnAccept, shared_from_this()));
  }
  void Stop() {
    net::post(acceptor_.get_executor(), [self = shared_from_this()] {
      beast::error_code ec;
      self->acceptor_.close(ec);
    });
  }

 private:
  void OnAccept(beast::error_code ec, tcp::socket socket) {
    if (!ec) std::make_shared<Session>(std::move(socket), shared_)->Run();
    if (acceptor_.is_open()) Accept();
  }
  net::io_context& ioc_;
  tcp::acceptor acceptor_;
  std::shared_ptr<Shared> shared_;
};

}  // namespace

struct HttpServer::Impl {
  net::io_context ioc;
  std::shared_ptr<Shared> shared;
  std::shared_ptr<Listener> listener;
  std::vector<std::thread> threads;
  std::mutex mu;
  bool stopped = false;
  uint16_t port = 0;
};

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() {
  Shutdown();
  Wait();
}

StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(
    const ServerConfig& config, ServerDeps deps) {
  if (deps.store == nullptr || deps.analyzer == nullptr)
    return InternalError("the server needs a store and an analyzer");
  if (sodium_init() < 0) return InternalError("libsodium failed to start");
  beast::error_code ec;
  const auto address = net::ip::make_address(config.bind, ec);
  if (ec)
    return InvalidArgumentError("not an IP address to bind: '" + config.bind +
                                "'");
  auto impl = std::make_unique<Impl>();
  impl->shared = std::make_shared<Shared>(config, std::move(deps));
  impl->listener = std::make_shared<Listener>(impl->ioc, impl->shared);
  KALM_RETURN_IF_ERROR(
      impl->listener->Open(tcp::endpoint(address, config.port)));
  impl->port = impl->listener->port();
  impl->listener->Accept();
  const int n = std::max(1, config.threads);
  for (int i = 0; i < n; ++i)
    impl->threads.emplace_back([io = &impl->ioc] { io->run(); });
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

uint16_t HttpServer::port() const { return impl_->port; }

void HttpServer::Shutdown() {
  {
    std::lock_guard<std::mutex> l(impl_->mu);
    if (impl_->stopped) return;
    impl_->stopped = true;
  }
  impl_->shared->stopping = true;
  impl_->listener->Stop();
  // In-flight requests finish (up to 10 s); idle keep-alive connections are
  // dropped with the io_context.
  for (int i = 0; i < 1000 && impl_->shared->in_flight > 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  impl_->ioc.stop();
}

void HttpServer::Wait() {
  for (std::thread& t : impl_->threads)
    if (t.joinable()) t.join();
}

}  // namespace kalm::server
