#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string_view>

#include "portico/sdk/http.hpp"

namespace portico::host {

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
