#include "portico/sdk/file_cache.hpp"

#include <Poco/SHA2Engine.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <filesystem>
#include <system_error>
#include <thread>

namespace portico::sdk {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kDigest = 32;  // SHA-256
constexpr std::size_t kKeyLength = 64;

std::string sha256(std::initializer_list<std::string_view> parts) {
    Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
    for (auto part : parts) engine.update(part.data(), static_cast<unsigned>(part.size()));
    const auto& digest = engine.digest();
    return std::string(digest.begin(), digest.end());
}

std::string hex(const std::string& bytes) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (unsigned char c : bytes) {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out;
}

void putLength(std::string& out, std::uint64_t n) {
    for (int i = 0; i < 8; ++i) out += static_cast<char>((n >> (8 * i)) & 0xFF);
}

std::uint64_t getLength(std::string_view in, std::size_t at) {
    std::uint64_t n = 0;
    for (int i = 7; i >= 0; --i) n = (n << 8) | static_cast<unsigned char>(in[at + i]);
    return n;
}

std::string header(std::string_view format, std::string_view key) {
    std::string out(format);
    out += '\n';
    out += key;
    out += '\n';
    return out;
}

bool readWhole(const std::string& path, std::string& out) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) return false;
    struct stat st {};
    const bool ok = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    if (ok) {
        out.resize(static_cast<std::size_t>(st.st_size));
        std::size_t got = 0;
        while (got < out.size()) {
            const ssize_t n = ::read(fd, out.data() + got, out.size() - got);
            if (n <= 0) break;
            got += static_cast<std::size_t>(n);
        }
        out.resize(got);
    }
    ::close(fd);
    return ok;
}

}  // namespace

std::string encodeCacheFile(std::string_view format, std::string_view key,
                            std::string_view payload) {
    std::string out = header(format, key);
    putLength(out, payload.size());
    out += payload;
    return out + sha256({out});
}

std::optional<std::string> decodeCacheFile(std::string_view bytes, std::string_view format,
                                           std::string_view key) {
    const std::string head = header(format, key);
    const std::size_t fixed = head.size() + 8;
    if (bytes.size() < fixed + kDigest || bytes.compare(0, head.size(), head) != 0) {
        return std::nullopt;
    }
    const std::uint64_t length = getLength(bytes, head.size());
    if (length != bytes.size() - fixed - kDigest) return std::nullopt;
    const std::string_view content = bytes.substr(0, bytes.size() - kDigest);
    if (bytes.compare(content.size(), kDigest, sha256({content})) != 0) return std::nullopt;
    return std::string(bytes.substr(fixed, length));
}

unsigned makePrivateDir(const std::string& dir) {
    fs::create_directories(dir);
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0) {
        throw fs::filesystem_error("cannot stat", dir,
                                   std::error_code(errno, std::generic_category()));
    }
    const unsigned mode = st.st_mode & 07777;
    if (mode == 0700) return 0;
    if (::chmod(dir.c_str(), 0700) != 0) {
        throw fs::filesystem_error("cannot chmod 0700", dir,
                                   std::error_code(errno, std::generic_category()));
    }
    return (mode & 077) != 0 ? mode : 0;  // narrower (e.g. 0500 after a restore) is not news
}

FileCache::FileCache(std::string dir, std::string format, std::string suffix)
    : dir_(std::move(dir)), format_(std::move(format)), suffix_(std::move(suffix)) {}

std::string FileCache::key(std::initializer_list<std::string_view> parts) const {
    Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
    engine.update(format_.data(), static_cast<unsigned>(format_.size()));
    for (auto part : parts) {
        std::string length;
        putLength(length, part.size());
        engine.update(length.data(), static_cast<unsigned>(length.size()));
        engine.update(part.data(), static_cast<unsigned>(part.size()));
    }
    const auto& digest = engine.digest();
    return hex(std::string(digest.begin(), digest.end()));
}

std::optional<std::string> FileCache::read(const std::string& key, bool& found) {
    const std::string name = fileName(key);
    {
        std::lock_guard<std::mutex> lock(mutex_);
        used_.insert(name);
    }
    std::string bytes;
    found = readWhole(dir_ + "/" + name, bytes);
    if (!found) return std::nullopt;
    return decodeCacheFile(bytes, format_, key);
}

std::optional<std::string> FileCache::load(const std::string& key) {
    bool found = false;
    return read(key, found);
}

bool FileCache::store(const std::string& key, std::string_view payload) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!dir_ready_) {
            try {
                makePrivateDir(dir_);
                dir_ready_ = true;
            } catch (const std::exception&) {
                return false;
            }
        }
    }
    const std::string name = fileName(key);
    // A private temporary file renamed into place: a reader sees a whole file or none, and two
    // processes sharing data_dir never interleave their writes.
    const std::string temp =
        dir_ + "/." + name + "." + std::to_string(::getpid()) + "." +
        std::to_string(std::hash<std::thread::id>{}(std::this_thread::get_id()));
    const int fd =
        ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) return false;
    const std::string bytes = encodeCacheFile(format_, key, payload);
    std::size_t put = 0;
    while (put < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + put, bytes.size() - put);
        if (n <= 0) break;
        put += static_cast<std::size_t>(n);
    }
    const bool ok = put == bytes.size() && ::fchmod(fd, 0600) == 0;
    ::close(fd);
    if (!ok || ::rename(temp.c_str(), (dir_ + "/" + name).c_str()) != 0) {
        ::unlink(temp.c_str());
        return false;
    }
    return true;
}

std::string FileCache::get(const std::string& key, const std::function<std::string()>& compute) {
    bool found = false;
    if (auto hit = read(key, found)) {
        ++hits_;
        return std::move(*hit);
    }
    std::string payload = compute();
    if (!store(key, payload)) {
        ++unwritable_;
    } else {
        ++(found ? rebuilt_ : built_);
    }
    return payload;
}

std::size_t FileCache::prune() {
    std::lock_guard<std::mutex> lock(mutex_);
    std::size_t removed = 0;
    std::error_code ec;
    const std::size_t whole = kKeyLength + suffix_.size();
    for (fs::directory_iterator it(dir_, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        const bool ours = name.size() == whole &&
                          name.compare(kKeyLength, suffix_.size(), suffix_) == 0 &&
                          name.find_first_not_of("0123456789abcdef") == kKeyLength;
        // ".<key><suffix>.<pid>.<thread>": a temporary file of a process that died writing it.
        const bool orphan = name.size() > 1 + whole && name[0] == '.' &&
                            name.compare(1 + kKeyLength, suffix_.size() + 1, suffix_ + ".") == 0;
        if (((ours && !used_.count(name)) || orphan) && ::unlink(it->path().c_str()) == 0) {
            ++removed;
        }
    }
    return removed;
}

FileCache::Stats FileCache::stats() const {
    Stats s;
    s.hits = hits_;
    s.built = built_;
    s.rebuilt = rebuilt_;
    s.unwritable = unwritable_;
    return s;
}

}  // namespace portico::sdk
