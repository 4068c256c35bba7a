#pragma once

#include <http_parser.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "portico/sdk/http.hpp"
#include "portico/sdk/net.hpp"
#include "transport.hpp"

namespace portico::host::transport {

/// Limits a RequestParser enforces, from ServerConfig (body: the largest any route accepts).
struct ParserLimits {
    std::uint32_t max_header_bytes = 16 * 1024;
    std::uint32_t max_header_count = 100;
    std::uint32_t max_uri_bytes = 8 * 1024;
    std::uint64_t max_body_bytes = 1024 * 1024;
    /// When set, asked once a request's header is complete: the route's own body limit (so an
    /// over-limit body is refused with 413 before any of it is read) and whether it runs inline.
    std::function<RouteTraits(const sdk::Request&)> route_traits;
    /// Peers whose X-Forwarded-For / Forwarded names the client (`server.trusted_proxies`); the
    /// parser decides `Request::client_address` from the peer address the connection put there.
    const std::vector<sdk::Cidr>* trusted_proxies = nullptr;
};

/// Incremental HTTP/1.1 request parser on the packaged http-parser (nodejs/http-parser 2.9),
/// with Portico's limits and request-smuggling defences on top: obsolete line folding, Content-
/// Length with Transfer-Encoding, duplicate or malformed Content-Length and a missing or
/// repeated Host are errors. Fills an sdk::Request; no sockets, no clock, so it can be fuzzed.
/// One instance per connection; not thread-safe.
class RequestParser {
public:
    enum class Result {
        kNeedMore,  ///< every byte consumed, the message is not complete yet
        kComplete,  ///< one request is complete; unconsumed bytes belong to the next one
        kError,     ///< malformed or over a limit: answer `errorStatus()` and close
    };

    explicit RequestParser(const ParserLimits& limits);

    /// Starts a new request written into `request` (which is cleared first, except
    /// `client_address`: the connection sets it to the TCP peer, and the parser replaces it with
    /// the forwarded client once the header is complete and the peer is a trusted proxy).
    void reset(sdk::Request& request);
    /// Parses up to `size` bytes; sets `consumed` to how many were used.
    Result feed(const char* data, std::size_t size, std::size_t& consumed);

    /// Status for kError: 400, 413, 414 or 431.
    int errorStatus() const noexcept { return error_status_; }
    /// Why the request was refused, for the response body.
    const std::string& errorDetail() const noexcept { return error_detail_; }
    /// True once any byte of the current request arrived.
    bool started() const noexcept { return raw_bytes_ > 0; }
    /// True once the header block is complete (the body may still be arriving).
    bool headersComplete() const noexcept { return headers_done_; }
    /// The client sent `Expect: 100-continue` and a body is still to come.
    bool expectsContinue() const noexcept { return expect_continue_; }
    /// After kComplete: the connection may carry another request.
    bool keepAlive() const noexcept { return keep_alive_; }
    /// The current request may be answered on the I/O thread (see `RouteTraits`).
    bool runsInline() const noexcept { return runs_inline_; }

    /// Sets the largest header http-parser itself accepts; call once before any parsing.
    static void configureLibrary(std::uint32_t max_header_bytes);

private:
    static const http_parser_settings& callbacks();
    static int onUrl(http_parser* p, const char* at, std::size_t n);
    static int onHeaderField(http_parser* p, const char* at, std::size_t n);
    static int onHeaderValue(http_parser* p, const char* at, std::size_t n);
    static int onHeadersComplete(http_parser* p);
    static int onBody(http_parser* p, const char* at, std::size_t n);
    static int onMessageComplete(http_parser* p);

    int fail(int status, std::string detail);
    bool flushField();
    bool scanHeader(const char* data, std::size_t size);
    int finishHeaders();
    int countTrailer(std::size_t n, bool same_part);
    bool resolveTarget();

    static constexpr std::size_t kMaxMethod = 32;

    ParserLimits limits_;
    std::uint64_t body_limit_ = 0;  ///< of the current request, once its header is complete
    bool runs_inline_ = false;      ///< of the current request, once its header is complete
    http_parser parser_{};
    std::string method_;
    bool method_done_ = false;
    sdk::Request* request_ = nullptr;
    std::string field_;
    std::string value_;
    bool in_value_ = false;
    std::size_t header_count_ = 0;
    std::size_t host_count_ = 0;
    std::size_t length_count_ = 0;
    bool has_transfer_encoding_ = false;
    std::size_t raw_bytes_ = 0;      // header bytes seen by the raw scan
    std::size_t header_bytes_ = 0;   // size of the header block, once complete
    std::size_t trailer_bytes_ = 0;  // trailer field bytes after a chunked body
    std::size_t line_length_ = 0;    // bytes of the current header line before its LF
    bool seen_line_ = false;         // a non-empty line (the request line) was seen
    bool after_lf_ = false;          // the previous byte ended a non-empty line
    bool headers_done_ = false;
    bool header_end_seen_ = false;
    bool expect_continue_ = false;
    bool complete_ = false;
    bool keep_alive_ = false;
    int error_status_ = 0;
    std::string error_detail_;
};

}  // namespace portico::host::transport
