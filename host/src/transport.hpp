#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string_view>

#include "exchange.hpp"

namespace portico::host {

/// The host side a transport calls into; implemented by the server, which routes to the
/// current config generation. Called on transport worker threads, concurrently.
class ExchangeHandler {
public:
    virtual ~ExchangeHandler() = default;
    /// Fills `exchange.response` and `exchange.payload` for `exchange.request`. Never throws.
    virtual void handle(Exchange& exchange) noexcept = 0;
    /// Called once the response has been written (or writing failed). Never throws.
    virtual void complete(Exchange& exchange) noexcept = 0;
    /// What the route that `request` (its header parsed, no body yet) would reach needs: its
    /// body limit and whether it runs inline. Called on I/O threads.
    virtual RouteTraits routeTraits(const sdk::Request& request, bool admin) const noexcept = 0;
    /// True once shutdown began: responses then carry `Connection: close`.
    virtual bool draining() const noexcept = 0;
};

/// Accepts connections and speaks HTTP/1.1. Nothing outside a transport implementation may
/// depend on Poco's server classes.
class Transport {
public:
    virtual ~Transport() = default;
    /// Binds and starts accepting. Throws on bind failure with the address in the message.
    virtual void start() = 0;
    /// The bound port (useful with port 0).
    virtual std::uint16_t port() const = 0;
    /// Stops accepting new connections; in-flight requests continue.
    virtual void stopAccepting() = 0;
    /// Waits until no request is in flight or `deadline` passes; true if everything finished.
    virtual bool drain(std::chrono::milliseconds deadline) = 0;
    /// Closes everything still open. Idempotent.
    virtual void stop() = 0;
};

}  // namespace portico::host
