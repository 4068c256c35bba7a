#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>

#include "config.hpp"
#include "overload.hpp"
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
    ClientTable clients;                              ///< open connections per client address
    std::atomic<std::int64_t> descriptors_logged{0};  ///< steady ns of the last EMFILE warning
    sdk::metrics::Gauge* open_gauge = nullptr;
    sdk::metrics::Counter* accepted = nullptr;
    /// Refusals by reason: max_connections, per_client, descriptors.
    sdk::metrics::Counter* refused_full = nullptr;
    sdk::metrics::Counter* refused_client = nullptr;
    sdk::metrics::Counter* refused_descriptors = nullptr;
    /// Connections closed early to make room: idle keep-alive, slowest header.
    sdk::metrics::Counter* shed_idle = nullptr;
    sdk::metrics::Counter* shed_slow = nullptr;

    bool draining() const noexcept { return stop_accepting.load() || sink.draining(); }
    /// Open connections over max_connections (0 .. 1, more while refusing).
    double occupancy() const noexcept {
        return static_cast<double>(open.load(std::memory_order_relaxed)) /
               static_cast<double>(std::max<std::uint32_t>(1, server.max_connections));
    }
    ParserLimits limits() const noexcept {
        return {server.max_header_bytes,
                server.max_header_count,
                server.max_uri_bytes,
                server.max_body_bytes,
                [this](const sdk::Request& request) { return sink.routeTraits(request, admin); },
                &server.trusted_proxies};
    }
};

/// Per-connection timers. Each list is FIFO by the time its timer was set, and at any moment one
/// duration applies to the whole list (the configured one, or the overload-scaled one for header
/// and idle timers), so the head always expires first. kStreamTimer: an open event stream has
/// been quiet for kStreamKeepAlive and gets a comment, so proxies and browsers keep it.
enum TimerKind {
    kHeaderTimer,
    kBodyTimer,
    kIdleTimer,
    kSendTimer,
    kLingerTimer,
    kStreamTimer,
    kTimerKinds
};

/// How long an event stream may stay silent before it gets a keep-alive comment.
inline constexpr std::chrono::seconds kStreamKeepAlive{15};
/// Bytes an event stream may have queued for a client that does not read; past it, it closes.
inline constexpr std::size_t kStreamBacklog = 64 * 1024;

}  // namespace portico::host::transport
