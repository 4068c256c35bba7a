#include "event_transport.hpp"

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "event_loop.hpp"

namespace portico::host {

struct EventTransport::Impl {
    Impl(const ListenConfig& l, const ServerConfig& s, ExchangeHandler& h, bool admin)
        : listen(l), shared(s, h, admin) {}
    ListenConfig listen;
    transport::Shared shared;
    std::unique_ptr<transport::WorkerPool> pool;
    std::vector<std::unique_ptr<transport::EventLoop>> loops;
    std::uint16_t port = 0;
    bool stopped = false;
};

EventTransport::EventTransport(const ListenConfig& listen, const ServerConfig& server,
                               ExchangeHandler& handler, bool admin,
                               sdk::metrics::Registry* metrics)
    : impl_(std::make_unique<Impl>(listen, server, handler, admin)) {
    if (metrics) {
        sdk::metrics::Labels labels{{"listener", admin ? "admin" : "public"}};
        impl_->shared.open_gauge =
            &metrics->gauge("portico_connections_open", "Client connections open now.", labels);
        impl_->shared.accepted = &metrics->counter("portico_connections_accepted_total",
                                                   "Client connections accepted.", labels);
        const std::string listener = admin ? "admin" : "public";
        auto refused = [&](const char* reason) {
            return &metrics->counter("portico_connections_refused_total",
                                     "Connections answered 503 and closed, by reason: "
                                     "max_connections, per_client, descriptors.",
                                     {{"listener", listener}, {"reason", reason}});
        };
        impl_->shared.refused_full = refused("max_connections");
        impl_->shared.refused_client = refused("per_client");
        impl_->shared.refused_descriptors = refused("descriptors");
        auto shed = [&](const char* reason) {
            return &metrics->counter("portico_connections_shed_total",
                                     "Connections closed to make room at max_connections, by "
                                     "reason: idle (keep-alive), slow_header.",
                                     {{"listener", listener}, {"reason", reason}});
        };
        impl_->shared.shed_idle = shed("idle");
        impl_->shared.shed_slow = shed("slow_header");
        metrics->gauge("portico_connections_max", "max_connections of the listener.", labels)
            .set(static_cast<double>(server.max_connections));
    }
}

EventTransport::~EventTransport() { stop(); }

void EventTransport::start() {
    const auto& s = impl_->shared.server;
    transport::RequestParser::configureLibrary(s.max_header_bytes);
    Poco::Net::SocketAddress address;
    try {
        address = Poco::Net::SocketAddress(impl_->listen.address, impl_->listen.port);
    } catch (const Poco::Exception& e) {
        throw std::runtime_error("listen.address: cannot use \"" + impl_->listen.address +
                                 "\": " + e.displayText());
    }
    std::size_t io_threads = s.io_threads;
    if (io_threads == 0) io_threads = std::max(1u, std::thread::hardware_concurrency());
    if (impl_->shared.admin) io_threads = 1;
    // One listener per loop on the same port (SO_REUSEPORT): the kernel spreads connections and
    // no loop hands sockets to another.
    std::vector<int> fds;
    try {
        if (address.port() != 0) {
            // SO_REUSEPORT would let this process share a port another one listens on; a plain
            // bind first makes "address in use" an error as it should be.
            Poco::Net::ServerSocket probe;
            probe.bind(address, /*reuseAddress=*/true, /*reusePort=*/false);
        }
        for (std::size_t i = 0; i < io_threads; ++i) {
            Poco::Net::ServerSocket socket;
            socket.bind(address, /*reuseAddress=*/true, /*reusePort=*/true);
            socket.listen(static_cast<int>(std::min<std::uint32_t>(s.max_connections, 4096)));
            if (i == 0) {
                impl_->port = socket.address().port();
                address = Poco::Net::SocketAddress(address.host(), impl_->port);
            }
            int fd = ::dup(socket.impl()->sockfd());  // the loop owns its own descriptor
            if (fd < 0) throw std::runtime_error(std::strerror(errno));
            socket.setBlocking(false);
            fds.push_back(fd);
        }
    } catch (const std::exception& e) {
        for (int fd : fds) ::close(fd);
        std::string why = dynamic_cast<const Poco::Exception*>(&e)
                              ? dynamic_cast<const Poco::Exception&>(e).displayText()
                              : e.what();
        throw std::runtime_error("cannot listen on " + address.toString() + ": " + why);
    }
    if (!s.inline_handlers) {
        std::size_t threads = impl_->shared.admin ? 2 : s.threads;
        impl_->pool = std::make_unique<transport::WorkerPool>(threads, s.max_queued);
        impl_->shared.pool = impl_->pool.get();
    }
    for (int fd : fds) {
        impl_->loops.push_back(std::make_unique<transport::EventLoop>(impl_->shared, fd));
    }
    for (auto& loop : impl_->loops) loop->start();
}

std::uint16_t EventTransport::port() const { return impl_->port; }

void EventTransport::stopAccepting() {
    impl_->shared.stop_accepting = true;
    for (auto& loop : impl_->loops) loop->stopAccepting();
}

bool EventTransport::drain(std::chrono::milliseconds deadline) {
    auto until = std::chrono::steady_clock::now() + deadline;
    while (impl_->shared.open.load() > 0 && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return impl_->shared.open.load() == 0;
}

void EventTransport::stop() {
    if (impl_->stopped) return;
    impl_->stopped = true;
    for (auto& loop : impl_->loops) loop->stop();
    for (auto& loop : impl_->loops) loop->join();
    if (impl_->pool) impl_->pool->stop();  // before the connections its jobs point to go
    impl_->loops.clear();
    impl_->shared.pool = nullptr;
    impl_->pool.reset();
}

}  // namespace portico::host
