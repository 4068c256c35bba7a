#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "portico/sdk/context.hpp"
#include "portico/sdk/hooks.hpp"
#include "portico/sdk/http.hpp"

namespace portico::sdk {

/// The encoded forms of one body at the best settings, whatever their size:
/// `gzipCompress(body, kGzipBestLevel)` and `brotliCompress(body, kBrotliBestQuality)`.
struct Encodings {
    std::string gzip;
    std::string brotli;
};

/// Compresses `body` both ways at the best settings. Pure; any thread; throws
/// std::runtime_error when zlib fails.
Encodings bestEncodings(std::string_view body);

/// Names the coders and settings behind `bestEncodings`, e.g. "zlib 1.2.13 level 9, brotli
/// 1.0.9 quality 11": the same text promises the same bytes for the same body, so a cache of
/// encodings keys on it. Pure; any thread.
std::string bestEncodingsVersion();

/// Where `makeResource` gets the encodings of a compressible body. It must give exactly what
/// `bestEncodings(body)` gives (the host's on-disk cache does), so the served bytes never
/// depend on where they came from. Called on the thread that builds the resource.
using EncodingSource = std::function<Encodings(const std::string& body)>;

/// Builds an immutable resource: applies `transforms` in order when the content type is
/// text/html, computes a strong ETag over the final body, and adds gzip (zlib, level 9) and
/// brotli (quality 11) variants when the type is compressible and the variant is smaller.
/// Cache-Control defaults to "no-cache". Thread-safe; meant for start-up, not per request.
std::shared_ptr<const Resource> makeResource(ResourceSpec spec,
                                             const std::vector<HtmlTransform>& transforms);

/// `makeResource` with the encodings from `encodings` (`bestEncodings` when it is empty).
std::shared_ptr<const Resource> makeResource(ResourceSpec spec,
                                             const std::vector<HtmlTransform>& transforms,
                                             const EncodingSource& encodings);

/// Builds every spec with `ctx.buildResource()` on up to `threads` threads (0: one per core, at
/// most 8), for a plugin's `start()` that builds a whole site at once: compression dominates
/// start-up and each resource is independent. The results are in the order of `specs`. When a
/// build throws, the others still finish, then the first exception is rethrown.
std::vector<std::shared_ptr<const Resource>> buildResources(const Context& ctx,
                                                            std::vector<ResourceSpec> specs,
                                                            unsigned threads = 0);

/// The zlib level and brotli quality `makeResource` uses: the smallest output, worth its time
/// once at start-up.
inline constexpr int kGzipBestLevel = 9;
inline constexpr int kBrotliBestQuality = 11;

/// Compresses `input` into one gzip member (RFC 1952) with zlib at `level`, from 1 (fastest)
/// to 9 (smallest). The same input and level always give the same bytes. Pure; any thread;
/// throws std::invalid_argument for a level outside 1..9, std::runtime_error when zlib fails.
std::string gzipCompress(std::string_view input, int level);

/// Compresses `input` with brotli in text mode (every compressible type is text of some kind)
/// at `quality`, from 0 (fastest) to 11 (smallest). The same input and quality always give the
/// same bytes. Returns an empty string when brotli cannot encode the input in one call. Pure;
/// any thread; throws std::invalid_argument for a quality outside 0..11.
std::string brotliCompress(std::string_view input, int quality);

/// True for text/*, JSON, JavaScript, XML and SVG types.
bool isCompressible(std::string_view content_type) noexcept;

/// The content type for a file name's extension ("a.css" -> "text/css; charset=utf-8"),
/// "application/octet-stream" when unknown.
std::string contentTypeFor(std::string_view file_name);

/// An HTTP date (IMF-fixdate) for seconds since the epoch.
std::string httpDate(long long epoch_seconds);

/// An RFC 3339 UTC time to the second, "2026-01-01T00:00:00Z", for JSON documents and stored
/// rows. Pure; any thread.
std::string rfc3339(std::chrono::system_clock::time_point time);

}  // namespace portico::sdk
