#pragma once

// A content-addressed cache of derived bytes on disk (compressed bodies, image variants): a
// start with unchanged inputs reads what an earlier one computed instead of computing it again.

#include <atomic>
#include <cstddef>
#include <functional>
#include <initializer_list>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace portico::sdk {

/// One folder of cache files, `<dir>/<64 hex digits><suffix>`, mode 0600 in a 0700 folder like
/// the rest of data_dir. A file's name is the SHA-256 of the cache's `format` and the inputs
/// (`key()`); the file carries the format, its key, the payload's length and a SHA-256 of all
/// that, so a corrupt, truncated, foreign or older-format file is detected, rebuilt and never
/// returned. Writes go to a private temporary file renamed into place, so a reader sees a whole
/// file or none, even with several processes sharing the folder. A folder that cannot be
/// written only costs time: `get()` then computes on every call.
///
/// Put every setting that changes the output (levels, library versions) into `format` or the
/// key parts. One object per folder and generation; every member is thread-safe.
class FileCache {
public:
    /// What the calls of `get()` found so far.
    struct Stats {
        std::size_t hits = 0;        ///< read from a valid file
        std::size_t built = 0;       ///< no file yet: computed and written
        std::size_t rebuilt = 0;     ///< the file was damaged or foreign: computed and rewritten
        std::size_t unwritable = 0;  ///< computed, but the file could not be written
    };

    /// `dir` is created (0700, parents too) on the first write. `format` names the file format
    /// and its version, e.g. "PORTICO-IMAGES-1"; a new version makes every old file a miss.
    /// `suffix` ends each file name, e.g. ".img". Never throws but `bad_alloc`.
    FileCache(std::string dir, std::string format, std::string suffix);

    /// The key of a set of inputs: 64 hex digits of the SHA-256 of the format and each part
    /// (length-prefixed, so ("ab", "c") and ("a", "bc") differ). Pure; any thread.
    std::string key(std::initializer_list<std::string_view> parts) const;

    /// The payload stored under `key`, or nullopt when there is no intact file for it. Marks the
    /// key as used (see `prune()`). Counts nothing. Any thread.
    std::optional<std::string> load(const std::string& key);

    /// Writes `payload` under `key` atomically; false when the folder or file cannot be written.
    /// Any thread.
    bool store(const std::string& key, std::string_view payload);

    /// The payload under `key`: read from its file, else `compute()` written to it. Counts a
    /// hit, built, rebuilt or unwritable in `stats()`. Exceptions of `compute` pass through and
    /// nothing is written. Any thread, concurrently (two calls for one key may both compute).
    std::string get(const std::string& key, const std::function<std::string()>& compute);

    /// Removes the files of this cache's suffix that no `load()`/`get()` of this object asked
    /// for (inputs that changed or went away) and temporary files left by a process that died
    /// while writing; other files are left alone. Returns how many were removed. Call once the
    /// generation's work is done. Any thread.
    std::size_t prune();

    Stats stats() const;
    const std::string& dir() const noexcept { return dir_; }
    /// The file name (without folder) for `key`: `key` + suffix.
    std::string fileName(const std::string& key) const { return key + suffix_; }

private:
    std::optional<std::string> read(const std::string& key, bool& found);

    std::string dir_;
    std::string format_;
    std::string suffix_;
    std::atomic<std::size_t> hits_{0}, built_{0}, rebuilt_{0}, unwritable_{0};
    mutable std::mutex mutex_;
    std::set<std::string> used_;  // file names asked for, under mutex_
    bool dir_ready_ = false;      // under mutex_
};

/// The bytes of a cache file of `format` holding `payload` under `key`, and back:
/// `decodeCacheFile` returns nullopt for anything but an intact file of that format and key.
/// Pure; for tests and tools that inspect a cache.
std::string encodeCacheFile(std::string_view format, std::string_view key,
                            std::string_view payload);
std::optional<std::string> decodeCacheFile(std::string_view bytes, std::string_view format,
                                           std::string_view key);

/// Creates `dir` and missing parents so that only its owner may enter it (0700 whatever the
/// umask); an existing wider folder is narrowed. Returns the mode it had when narrowed, else 0.
/// Throws `std::filesystem::filesystem_error`.
unsigned makePrivateDir(const std::string& dir);

}  // namespace portico::sdk
