#pragma once

#include <memory>

#include "config.hpp"
#include "portico/sdk/metrics.hpp"
#include "transport.hpp"

namespace portico::host {

/// Portico's event-driven HTTP/1.1 transport: `io_threads` epoll loops over non-blocking
/// sockets (one SO_REUSEPORT listener each), handlers on a bounded worker pool of `threads`
/// (or inline on the I/O thread with `inline_handlers`). A connection waiting for bytes holds
/// no thread. Limits and timeouts come from ServerConfig.
class EventTransport final : public Transport {
public:
    /// `admin`: the admin listener (one I/O thread; its exchanges are marked admin).
    /// `metrics`: where the connection gauges and counters are registered; may be null.
    EventTransport(const ListenConfig& listen, const ServerConfig& server, ExchangeHandler& handler,
                   bool admin, sdk::metrics::Registry* metrics = nullptr);
    ~EventTransport() override;

    void start() override;
    std::uint16_t port() const override;
    void stopAccepting() override;
    bool drain(std::chrono::milliseconds deadline) override;
    void stop() override;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace portico::host
