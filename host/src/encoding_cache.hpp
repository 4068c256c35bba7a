#pragma once

#include <atomic>
#include <cstddef>
#include <mutex>
#include <set>
#include <string>

#include "portico/sdk/resource.hpp"

namespace portico::host {

/// The gzip and brotli encodings of prebuilt resources, kept on disk by content hash so that a
/// start with unchanged content skips the compression that dominates start-up (brotli at
/// quality 11). One file per body, `<dir>/<sha-256 hex>.enc`, mode 0600 in a 0700 folder like
/// the rest of data_dir. The hash covers the body, the levels and the zlib and brotli versions;
/// the file carries its own key, lengths and a SHA-256 of its content, so a corrupt, truncated
/// or foreign file is detected, rebuilt and never served. A cache that cannot be written only
/// costs time: the encodings are then computed as without it.
class EncodingCache {
public:
    /// What one generation's builds found.
    struct Stats {
        std::size_t hits = 0;        ///< read from a valid file
        std::size_t built = 0;       ///< no file yet: compressed and written
        std::size_t rebuilt = 0;     ///< the file was corrupt: compressed and rewritten
        std::size_t unwritable = 0;  ///< compressed, but the file could not be written
    };

    /// `dir` is created (0700) on the first write.
    explicit EncodingCache(std::string dir);

    /// The encodings of `body`, exactly `sdk::bestEncodings(body)`. Thread-safe.
    sdk::Encodings get(const std::string& body);

    /// Removes the cache files no `get()` of this object asked for (content that changed or
    /// went away); returns how many. Call once the generation's resources are built.
    std::size_t prune();

    Stats stats() const;
    const std::string& dir() const noexcept { return dir_; }

    /// The file name (without folder) of `body`'s encodings: 64 hex digits and ".enc".
    static std::string fileName(const std::string& body);

private:
    bool write(const std::string& name, const std::string& key, const sdk::Encodings& coded);

    std::string dir_;
    std::atomic<std::size_t> hits_{0}, built_{0}, rebuilt_{0}, unwritable_{0};
    mutable std::mutex mutex_;
    std::set<std::string> used_;  // file names asked for, under mutex_
    bool dir_ready_ = false;      // under mutex_
};

/// The bytes of an encodings file for `key` (the hash of the body and settings), and back:
/// `decodeEncodingsFile` returns false for anything but an intact file of that key.
std::string encodeEncodingsFile(const std::string& key, const sdk::Encodings& coded);
bool decodeEncodingsFile(const std::string& bytes, const std::string& key, sdk::Encodings& out);

}  // namespace portico::host
