#pragma once

#include <atomic>
#include <chrono>

#include "config.hpp"
#include "portico/sdk/metrics.hpp"
#include "request_parser.hpp"
#include "transport.hpp"
#include "worker_pool.hpp"

namespace portico::host::transport {

using Clock = std::chrono::steady_clock;

/// What every I/O loop of one listener shares. Lives as long as the transport.
struct Shared {
    Shared(const ServerConfig& s, ExchangeHandler& h, bool a) : server(s), sink(h), admin(a) {}
    ServerConfig server;
    ExchangeHandler& sink;
    bool admin;
    WorkerPool* pool = nullptr;  ///< null: handlers run inline on the I/O thread
    std::atomic<int> open{0};    ///< connections counted against max_connections
    std::atomic<bool> stop_accepting{false};
    sdk::metrics::Gauge* open_gauge = nullptr;
    sdk::metrics::Counter* accepted = nullptr;
    sdk::metrics::Counter* refused = nullptr;

    bool draining() const noexcept { return stop_accepting.load() || sink.draining(); }
    ParserLimits limits() const noexcept {
        return {server.max_header_bytes,
                server.max_header_count,
                server.max_uri_bytes,
                server.max_body_bytes,
                [this](const sdk::Request& request) { return sink.routeTraits(request, admin); },
                &server.trusted_proxies};
    }
};

/// Per-connection deadlines; each kind has one fixed duration, so a FIFO list per kind stays
/// sorted by deadline.
enum TimerKind { kHeaderTimer, kBodyTimer, kIdleTimer, kSendTimer, kLingerTimer, kTimerKinds };

}  // namespace portico::host::transport
