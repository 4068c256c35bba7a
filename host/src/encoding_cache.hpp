#pragma once

#include <cstddef>
#include <string>

#include "portico/sdk/file_cache.hpp"
#include "portico/sdk/resource.hpp"

namespace portico::host {

/// The gzip and brotli encodings of prebuilt resources, kept on disk by content hash so that a
/// start with unchanged content skips the compression that dominates start-up (brotli at
/// quality 11). One `sdk::FileCache` file per body, `<dir>/<sha-256 hex>.enc`; the key covers the
/// body, the levels and the zlib and brotli versions. The file layer (integrity, atomic writes,
/// 0600 in 0700, pruning) is the SDK's: a corrupt, truncated or foreign file is rebuilt and never
/// served, and a cache that cannot be written only costs time.
class EncodingCache {
public:
    /// What one generation's builds found: hits, built, rebuilt (corrupt file), unwritable.
    using Stats = sdk::FileCache::Stats;

    /// `dir` is created (0700) on the first write.
    explicit EncodingCache(std::string dir);

    /// The encodings of `body`, exactly `sdk::bestEncodings(body)`. Thread-safe.
    sdk::Encodings get(const std::string& body);

    /// Removes the cache files no `get()` of this object asked for (content that changed or
    /// went away); returns how many. Call once the generation's resources are built.
    std::size_t prune();

    Stats stats() const { return files_.stats(); }
    const std::string& dir() const noexcept { return files_.dir(); }

    /// The file name (without folder) of `body`'s encodings: 64 hex digits and ".enc".
    static std::string fileName(const std::string& body);

private:
    sdk::FileCache files_;
};

/// The bytes of an encodings file for `key` (the cache key of the body and settings), and back:
/// `decodeEncodingsFile` returns false for anything but an intact file of that key.
std::string encodeEncodingsFile(const std::string& key, const sdk::Encodings& coded);
bool decodeEncodingsFile(const std::string& bytes, const std::string& key, sdk::Encodings& out);

}  // namespace portico::host
