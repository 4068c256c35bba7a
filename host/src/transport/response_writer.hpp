#pragma once

#include <string>

#include "transport.hpp"

namespace portico::host::transport {

/// How a response ends its connection.
enum class Persistence {
    kClose,        ///< `Connection: close`, the connection closes after the body
    kKeepAlive,    ///< HTTP/1.1 default: no Connection field
    kKeepAlive10,  ///< HTTP/1.0 client that asked for keep-alive: `Connection: keep-alive`
};

/// Serialises the status line and header block of `exchange.response` into `out` (cleared
/// first, capacity kept): a Date field, the response's fields except Connection,
/// Content-Length and Transfer-Encoding, then Content-Length of `exchange.payload` (the GET's
/// length for HEAD; none for 1xx, 204, 304 and a stream). No Server field. Any thread.
void writeHead(std::string& out, const Exchange& exchange, Persistence persistence);

/// The current time as an IMF-fixdate, recomputed at most once a second per thread.
const std::string& httpDate();

}  // namespace portico::host::transport
