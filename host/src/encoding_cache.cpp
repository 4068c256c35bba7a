#include "encoding_cache.hpp"

#include <Poco/SHA2Engine.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <system_error>
#include <thread>

#include "store/store.hpp"

namespace portico::host {
namespace {

namespace fs = std::filesystem;

const std::string kMagic = "PORTICO-ENCODINGS-1\n";
constexpr std::size_t kDigest = 32;  // SHA-256
constexpr const char* kSuffix = ".enc";

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

// The raw key of `body`: what is encoded and how.
std::string keyOf(const std::string& body) {
    static const std::string settings = sdk::bestEncodingsVersion();
    return sha256({kMagic, settings, "\n", body});
}

void putLength(std::string& out, std::uint64_t n) {
    for (int i = 0; i < 8; ++i) out += static_cast<char>((n >> (8 * i)) & 0xFF);
}

std::uint64_t getLength(const std::string& in, std::size_t at) {
    std::uint64_t n = 0;
    for (int i = 7; i >= 0; --i) n = (n << 8) | static_cast<unsigned char>(in[at + i]);
    return n;
}

bool readWhole(const std::string& path, std::string& out) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) return false;
    struct stat st {};
    bool ok = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
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

std::string encodeEncodingsFile(const std::string& key, const sdk::Encodings& coded) {
    std::string out = kMagic + key;
    putLength(out, coded.gzip.size());
    putLength(out, coded.brotli.size());
    out += coded.gzip;
    out += coded.brotli;
    return out + sha256({out});
}

bool decodeEncodingsFile(const std::string& bytes, const std::string& key, sdk::Encodings& out) {
    const std::size_t header = kMagic.size() + kDigest + 16;
    if (bytes.size() < header + kDigest || bytes.compare(0, kMagic.size(), kMagic) != 0 ||
        bytes.compare(kMagic.size(), kDigest, key) != 0) {
        return false;
    }
    const std::uint64_t gzip = getLength(bytes, kMagic.size() + kDigest);
    const std::uint64_t brotli = getLength(bytes, kMagic.size() + kDigest + 8);
    const std::size_t room = bytes.size() - header - kDigest;
    if (gzip > room || brotli > room - gzip || gzip + brotli != room) return false;
    const std::string_view content(bytes.data(), bytes.size() - kDigest);
    if (bytes.compare(content.size(), kDigest, sha256({content})) != 0) return false;
    out.gzip = bytes.substr(header, gzip);
    out.brotli = bytes.substr(header + gzip, brotli);
    return true;
}

EncodingCache::EncodingCache(std::string dir) : dir_(std::move(dir)) {}

std::string EncodingCache::fileName(const std::string& body) { return hex(keyOf(body)) + kSuffix; }

sdk::Encodings EncodingCache::get(const std::string& body) {
    const std::string key = keyOf(body);
    const std::string name = hex(key) + kSuffix;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        used_.insert(name);
    }
    std::string bytes;
    sdk::Encodings coded;
    const bool found = readWhole(dir_ + "/" + name, bytes);
    if (found && decodeEncodingsFile(bytes, key, coded)) {
        ++hits_;
        return coded;
    }
    coded = sdk::bestEncodings(body);
    if (!write(name, key, coded)) {
        ++unwritable_;
    } else {
        ++(found ? rebuilt_ : built_);
    }
    return coded;
}

bool EncodingCache::write(const std::string& name, const std::string& key,
                          const sdk::Encodings& coded) {
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
    // A private temporary file renamed into place: a reader sees a whole file or none, and two
    // processes sharing data_dir never interleave their writes.
    const std::string temp =
        dir_ + "/." + name + "." + std::to_string(::getpid()) + "." +
        std::to_string(std::hash<std::thread::id>{}(std::this_thread::get_id()));
    const int fd =
        ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) return false;
    const std::string bytes = encodeEncodingsFile(key, coded);
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

std::size_t EncodingCache::prune() {
    std::lock_guard<std::mutex> lock(mutex_);
    std::size_t removed = 0;
    std::error_code ec;
    for (fs::directory_iterator it(dir_, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        const bool ours = name.size() == 64 + 4 && name.compare(64, 4, kSuffix) == 0 &&
                          name.find_first_not_of("0123456789abcdef") == 64;
        // A temporary file left by a process that died while writing it.
        const bool orphan = name.size() > 1 + 64 + 4 && name[0] == '.' &&
                            name.compare(1 + 64, 5, std::string(kSuffix) + ".") == 0;
        if (((ours && !used_.count(name)) || orphan) && ::unlink(it->path().c_str()) == 0) {
            ++removed;
        }
    }
    return removed;
}

EncodingCache::Stats EncodingCache::stats() const {
    Stats s;
    s.hits = hits_;
    s.built = built_;
    s.rebuilt = rebuilt_;
    s.unwritable = unwritable_;
    return s;
}

}  // namespace portico::host
