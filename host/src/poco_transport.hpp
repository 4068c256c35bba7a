#pragma once

#include <atomic>
#include <memory>

#include "config.hpp"
#include "transport.hpp"

namespace Poco::Net {
class HTTPServer;
}

namespace portico::host {

/// The first transport: Poco::Net::HTTPServer with its own thread pool and explicit limits.
/// Replaced by an event-driven transport behind the same interface.
class PocoTransport final : public Transport {
public:
    /// `admin`: the admin listener (its exchanges are marked so the pipeline runs routes only).
    PocoTransport(const ListenConfig& listen, const ServerConfig& server, ExchangeHandler& handler,
                  bool admin);
    ~PocoTransport() override;

    void start() override;
    std::uint16_t port() const override;
    void stopAccepting() override;
    bool drain(std::chrono::milliseconds deadline) override;
    void stop() override;

    /// Requests being handled right now.
    int inFlight() const noexcept { return in_flight_->load(); }

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    std::shared_ptr<std::atomic<int>> in_flight_;
};

}  // namespace portico::host
