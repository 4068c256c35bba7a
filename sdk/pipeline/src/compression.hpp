#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "portico/sdk/http.hpp"

namespace portico::host {

/// The q-value of `coding` in an Accept-Encoding value: -1 when it is absent (and no `*`
/// names it), 0 when it is refused.
double acceptQuality(const std::string& accept_encoding, const std::string& coding);

/// A content coding the host sends.
enum class Encoding { kIdentity, kBrotli, kGzip };

/// The coding to send for `accept_encoding` among those available: brotli before gzip, each
/// only when its q-value is above 0; identity otherwise.
Encoding chooseEncoding(const std::string& accept_encoding, bool brotli, bool gzip);

/// Adds `token` to the response's Vary, merged into one field with what is there already,
/// unless it is listed (case-insensitively) or Vary is `*`.
void addVary(sdk::Headers& headers, std::string_view token);

/// How the host compresses dynamic answers (`Response::body`) per request: fast settings, since
/// every request pays for them, unlike prebuilt resources. Measured on the contact page (4.7 kB,
/// tests/bench/compression.sh): brotli 5 is 5% smaller than 4 for about 13% more time, 6 and up
/// gain nothing until the slow 9-11; gzip 5 gives 6's size (zlib's set-up dominates its time).
struct DynamicCompression {
    std::size_t min_bytes = 256;  ///< smaller bodies go out as they are
    int gzip_level = 5;
    int brotli_quality = 5;
};

/// Compresses a dynamic answer in place for a client that sent `accept_encoding`: when the
/// handler set no Content-Encoding, the status carries a body, the type is compressible and
/// the body has at least `policy.min_bytes`. Such an answer gets `Vary: Accept-Encoding` whatever
/// the client accepts; when it is encoded (and smaller), the body is replaced, Content-Encoding is
/// set and a strong ETag becomes weak. Returns the coding used. Any thread; throws only
/// `std::bad_alloc` (a coding that fails leaves the body as it was).
Encoding compressDynamic(const std::string& accept_encoding, sdk::Response& response,
                         const DynamicCompression& policy = {});

}  // namespace portico::host
