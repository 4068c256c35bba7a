#include "poco_transport.hpp"

#include <thread>

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>

#include "pipeline.hpp"

namespace portico::host {
namespace {

bool saneRequestId(const std::string& id) {
    if (id.empty() || id.size() > 64) return false;
    for (char c : id) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') {
            return false;
        }
    }
    return true;
}

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// Host header value without the port ("example.com:8080" -> "example.com", "[::1]:80" -> "::1").
std::string hostName(const std::string& value) {
    if (!value.empty() && value[0] == '[') {
        auto end = value.find(']');
        return lower(value.substr(1, end == std::string::npos ? std::string::npos : end - 1));
    }
    return lower(value.substr(0, value.find(':')));
}

class Handler final : public Poco::Net::HTTPRequestHandler {
public:
    Handler(ExchangeHandler& sink, const ServerConfig& server,
            std::shared_ptr<std::atomic<int>> in_flight, bool admin)
        : sink_(sink), server_(server), in_flight_(std::move(in_flight)), admin_(admin) {}

    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override {
        struct Count {
            std::atomic<int>& n;
            explicit Count(std::atomic<int>& c) : n(c) { ++n; }
            ~Count() { --n; }
        } count(*in_flight_);

        Exchange ex;
        ex.admin = admin_;
        ex.started = std::chrono::steady_clock::now();
        auto& impl = static_cast<Poco::Net::HTTPServerRequestImpl&>(request);
        impl.socket().setSendTimeout(
            Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(server_.send_timeout_ms) * 1000));
        if (!convert(request, ex)) {
            reply(request, response, ex);
            return;
        }
        sink_.handle(ex);
        reply(request, response, ex);
    }

private:
    // Fills ex.request; on a client error fills ex.response instead and returns false.
    bool convert(Poco::Net::HTTPServerRequest& in, Exchange& ex) {
        auto& req = ex.request;
        req.method = in.getMethod();
        req.target = in.getURI();
        req.version = in.getVersion();
        req.client_address = in.clientAddress().host().toString();
        for (const auto& [name, value] : in) req.headers.add(name, value);
        auto id = in.get("X-Request-Id", "");
        req.request_id = saneRequestId(id) ? id : randomHex(16);
        if (req.target.size() > server_.max_uri_bytes) {
            setError(ex.response, 414);
            return false;
        }
        try {
            Poco::URI uri(req.target);
            req.path = uri.getPath();
            req.query = uri.getRawQuery();
            if (!uri.getHost().empty()) req.host = lower(uri.getHost());
        } catch (const std::exception&) {
            setError(ex.response, 400, "malformed request target");
            return false;
        }
        if (req.path.empty() || req.path[0] != '/') {
            if (req.method == "OPTIONS" && req.target == "*") {
                req.path = "*";
            } else {
                setError(ex.response, 400, "malformed request target");
                return false;
            }
        }
        if (req.host.empty()) {
            if (!in.has("Host")) {
                if (req.version == "HTTP/1.1") {
                    setError(ex.response, 400, "missing Host header");
                    return false;
                }
            } else {
                req.host = hostName(in.getHost());
            }
        }
        std::uint64_t limit = sink_.maxBodyBytes();
        if (in.hasContentLength() && static_cast<std::uint64_t>(in.getContentLength64()) > limit) {
            setError(ex.response, 413, "the request body exceeds " + std::to_string(limit) + " bytes");
            ex.response.headers.set("Connection", "close");
            return false;
        }
        if (in.hasContentLength() || in.getChunkedTransferEncoding()) {
            std::istream& body = in.stream();
            char buf[8192];
            while (body) {
                body.read(buf, sizeof buf);
                req.body.append(buf, static_cast<std::size_t>(body.gcount()));
                if (req.body.size() > limit) {
                    setError(ex.response, 413,
                             "the request body exceeds " + std::to_string(limit) + " bytes");
                    ex.response.headers.set("Connection", "close");
                    return false;
                }
            }
        }
        return true;
    }

    void reply(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
               Exchange& ex) {
        auto& res = ex.response;
        if (ex.payload.empty() && !res.body.empty() && !res.resource) ex.payload = res.body;
        response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(res.status));
        response.setReason(sdk::reasonPhrase(res.status));
        bool close = sink_.draining();
        for (const auto& [name, value] : res.headers.fields()) {
            if (sdk::iequals(name, "Connection")) {
                if (sdk::iequals(value, "close")) close = true;
                continue;
            }
            if (sdk::iequals(name, "Content-Length") || sdk::iequals(name, "Transfer-Encoding")) {
                continue;
            }
            response.add(name, value);
        }
        if (close) response.setKeepAlive(false);
        try {
            if (res.status == 304 || res.status == 204 || res.status < 200) {
                response.send();
            } else {
                response.sendBuffer(ex.payload.data(), ex.payload.size());
                if (request.getMethod() != "HEAD") ex.completion.bytes_sent = ex.payload.size();
            }
        } catch (const std::exception&) {
            // The client went away or stalled past the send timeout; nothing left to answer.
        }
        ex.completion.duration = std::chrono::steady_clock::now() - ex.started;
        sink_.complete(ex);
    }

    ExchangeHandler& sink_;
    const ServerConfig& server_;
    std::shared_ptr<std::atomic<int>> in_flight_;
    bool admin_;
};

class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
public:
    Factory(ExchangeHandler& sink, const ServerConfig& server,
            std::shared_ptr<std::atomic<int>> in_flight, bool admin)
        : sink_(sink), server_(server), in_flight_(std::move(in_flight)), admin_(admin) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(
        const Poco::Net::HTTPServerRequest&) override {
        return new Handler(sink_, server_, in_flight_, admin_);
    }

private:
    ExchangeHandler& sink_;
    const ServerConfig& server_;
    std::shared_ptr<std::atomic<int>> in_flight_;
    bool admin_;
};

}  // namespace

struct PocoTransport::Impl {
    Impl(const ListenConfig& l, const ServerConfig& s, ExchangeHandler& h, bool a)
        : listen(l), server(s), sink(h), admin(a) {}
    ListenConfig listen;
    ServerConfig server;
    ExchangeHandler& sink;
    bool admin;
    std::unique_ptr<Poco::ThreadPool> pool;
    std::unique_ptr<Poco::Net::HTTPServer> http;
    std::uint16_t port = 0;
    bool stopped = false;
};

PocoTransport::PocoTransport(const ListenConfig& listen, const ServerConfig& server,
                             ExchangeHandler& handler, bool admin)
    : impl_(std::make_unique<Impl>(listen, server, handler, admin)), in_flight_(std::make_shared<std::atomic<int>>(0)) {}

PocoTransport::~PocoTransport() { stop(); }

void PocoTransport::start() {
    auto& s = impl_->server;
    Poco::Net::SocketAddress address;
    try {
        address = Poco::Net::SocketAddress(impl_->listen.address, impl_->listen.port);
    } catch (const Poco::Exception& e) {
        throw std::runtime_error("listen.address: cannot use \"" + impl_->listen.address +
                                 "\": " + e.displayText());
    }
    Poco::Net::ServerSocket socket;
    try {
        socket.bind(address, /*reuseAddress=*/true, /*reusePort=*/false);
        socket.listen(1024);
    } catch (const Poco::Exception& e) {
        throw std::runtime_error("cannot listen on " + address.toString() + ": " +
                                 e.displayText());
    }
    impl_->port = socket.address().port();
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(static_cast<int>(s.threads));
    params->setMaxQueued(static_cast<int>(s.max_queued));
    params->setKeepAlive(true);
    params->setMaxKeepAliveRequests(static_cast<int>(s.max_keep_alive_requests));
    params->setKeepAliveTimeout(
        Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(s.keep_alive_timeout_ms) * 1000));
    params->setTimeout(
        Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(s.header_timeout_ms) * 1000));
    params->setServerName("portico");
    impl_->pool = std::make_unique<Poco::ThreadPool>(2, static_cast<int>(s.threads) + 1);
    impl_->http = std::make_unique<Poco::Net::HTTPServer>(
        new Factory(impl_->sink, impl_->server, in_flight_, impl_->admin), *impl_->pool, socket, params);
    impl_->http->start();
}

std::uint16_t PocoTransport::port() const { return impl_->port; }

void PocoTransport::stopAccepting() {
    if (impl_->http) impl_->http->stop();
}

bool PocoTransport::drain(std::chrono::milliseconds deadline) {
    auto until = std::chrono::steady_clock::now() + deadline;
    while (std::chrono::steady_clock::now() < until) {
        if (in_flight_->load() == 0) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return in_flight_->load() == 0;
}

void PocoTransport::stop() {
    if (impl_->stopped || !impl_->http) return;
    impl_->stopped = true;
    impl_->http->stopAll(true);
    impl_->pool->joinAll();
    impl_->http.reset();
}

}  // namespace portico::host
