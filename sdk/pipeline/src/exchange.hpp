#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "portico/sdk/http.hpp"

namespace portico::host {

/// A response that stays open after its head and first bytes (server-sent events): the
/// transport writes them, then whatever the stream queues, until the stream ends, the client
/// goes or the server drains. Implemented by the host, never by plugin code, since it outlives
/// the config generation that opened it.
class ResponseStream {
public:
    virtual ~ResponseStream() = default;
    /// I/O thread, once: `wake` (callable from any thread, cheap) tells the transport that
    /// bytes are queued; called at once when some are queued already.
    virtual void attach(std::function<void()> wake) = 0;
    /// I/O thread: the bytes queued since the last call; `ended` true when nothing will follow.
    virtual std::string take(bool& ended) = 0;
    /// I/O thread: the connection is closing; `wake` is never called again once this returns.
    virtual void detach() noexcept = 0;
};

/// What the pipeline hands back to a transport: the response plus the bytes to write. `payload`
/// points into `response.body` or into the response's shared resource, both owned by
/// `response`, so it stays valid while the Exchange lives.
struct Exchange {
    /// The config generation that answered, held until the exchange is complete (its plugins
    /// and their code must outlive every request they serve). The first member, so that it is
    /// destroyed last: what a plugin put into the response goes before its code may unload.
    std::shared_ptr<const void> generation;
    sdk::Request request;
    sdk::Response response;
    std::string_view payload;
    bool head = false;   ///< HEAD: write headers (with the GET's Content-Length) but no body
    bool admin = false;  ///< arrived on the admin listener
    sdk::Completion completion;
    std::chrono::steady_clock::time_point started;
    /// Set by a streaming route (`Route::stream`): the body does not end with `payload`.
    std::shared_ptr<ResponseStream> stream;
};

/// What a transport learns of a request once its header is parsed, before any body.
struct RouteTraits {
    /// Largest request body the route accepts; a bigger one is refused with 413 unread.
    std::uint64_t max_body_bytes = 0;
    /// True when the route and every early hook never block (`RouteSpec::blocking`,
    /// `EarlyHookSpec::blocking`): the request is answered on the I/O thread, without the hand-off
    /// to a worker.
    bool runs_inline = false;
};

}  // namespace portico::host
