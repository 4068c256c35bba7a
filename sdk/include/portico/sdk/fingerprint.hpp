#pragma once

// Asset fingerprinting: a short content hash in a file's name, so the file can be served with
// "immutable" caching and a change gets a new URL. The one rule for every plugin that publishes
// assets (pages, studio).

#include <cstddef>
#include <string>
#include <string_view>

namespace portico::sdk {

/// How many hex digits `contentFingerprint` gives by default (40 bits: no collision among a
/// site's assets in practice, and a short URL).
inline constexpr std::size_t kFingerprintLength = 10;

/// The first `length` hex digits (1 to 40) of the SHA-1 of `bytes`: the same bytes always give
/// the same text. For names and change detection, not for security. Pure; any thread; throws
/// `std::invalid_argument` for a length outside 1..40.
std::string contentFingerprint(std::string_view bytes, std::size_t length = kFingerprintLength);

/// `path` with "." + `fingerprint` before the extension of its last segment:
/// ("css/site.css", "3f2a1b4c5d") -> "css/site.3f2a1b4c5d.css". A last segment without an
/// extension, or a dot file, gets it at the end: "LICENSE.3f2a1b4c5d", "a/.nojekyll.3f2a1b4c5d".
/// Serve a file as `fingerprintedName(rel, contentFingerprint(body))`. Pure; any thread.
std::string fingerprintedName(std::string_view path, std::string_view fingerprint);

}  // namespace portico::sdk
