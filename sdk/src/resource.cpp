#include "portico/sdk/resource.hpp"

#include <Poco/DigestEngine.h>
#include <Poco/SHA1Engine.h>
#include <brotli/encode.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <ctime>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace portico::sdk {

namespace {

std::string lowerAscii(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    }
    return out;
}

// "Text/HTML; charset=utf-8" -> "text/html"
std::string mediaType(std::string_view content_type) {
    std::string_view type = content_type.substr(0, content_type.find(';'));
    while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
    while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
    return lowerAscii(type);
}

bool endsWith(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::string strongEtag(const std::string& body) {
    Poco::SHA1Engine sha1;
    sha1.update(body.data(), static_cast<unsigned>(body.size()));
    Poco::DigestEngine::Digest digest = sha1.digest();
    digest.resize(16);  // 128 bits is plenty to tell versions of one URL apart
    return "\"" + Poco::DigestEngine::digestToHex(digest) + "\"";
}

}  // namespace

Encodings bestEncodings(std::string_view body) {
    return {gzipCompress(body, kGzipBestLevel), brotliCompress(body, kBrotliBestQuality)};
}

std::string bestEncodingsVersion() {
    const std::uint32_t v = BrotliEncoderVersion();  // 0xMMMmmmppp: 12 bits, 12 bits, 12 bits
    return std::string("zlib ") + zlibVersion() + " level " + std::to_string(kGzipBestLevel) +
           ", brotli " + std::to_string(v >> 24) + "." + std::to_string((v >> 12) & 0xFFF) + "." +
           std::to_string(v & 0xFFF) + " quality " + std::to_string(kBrotliBestQuality);
}

std::shared_ptr<const Resource> makeResource(ResourceSpec spec,
                                             const std::vector<HtmlTransform>& transforms) {
    return makeResource(std::move(spec), transforms, {});
}

std::shared_ptr<const Resource> makeResource(ResourceSpec spec,
                                             const std::vector<HtmlTransform>& transforms,
                                             const EncodingSource& encodings) {
    auto res = std::make_shared<Resource>();
    const std::string type = mediaType(spec.content_type);
    if (type == "text/html") {
        for (const auto& transform : transforms) {
            spec.body = transform(std::move(spec.body), spec.info);
        }
    }
    res->content_type = std::move(spec.content_type);
    res->body = std::move(spec.body);
    res->etag = strongEtag(res->body);
    res->last_modified = std::move(spec.last_modified);
    res->cache_control = spec.cache_control.empty() ? "no-cache" : std::move(spec.cache_control);
    if (!res->body.empty() && isCompressible(res->content_type)) {
        Encodings coded = encodings ? encodings(res->body) : bestEncodings(res->body);
        if (coded.gzip.size() < res->body.size()) res->gzip = std::move(coded.gzip);
        if (!coded.brotli.empty() && coded.brotli.size() < res->body.size()) {
            res->brotli = std::move(coded.brotli);
        }
    }
    return res;
}

std::vector<std::shared_ptr<const Resource>> buildResources(const Context& ctx,
                                                            std::vector<ResourceSpec> specs,
                                                            unsigned threads) {
    std::vector<std::shared_ptr<const Resource>> built(specs.size());
    // One per core, at most 8: brotli at quality 11 holds megabytes per call, and a container
    // limited to a few CPUs of a large host still sees every core here.
    if (threads == 0) threads = std::clamp(std::thread::hardware_concurrency(), 1u, 8u);
    threads = static_cast<unsigned>(std::min<std::size_t>(threads, specs.size()));
    std::atomic<std::size_t> next{0};
    std::mutex mutex;
    std::exception_ptr failure;
    auto work = [&] {
        for (std::size_t i = next++; i < specs.size(); i = next++) {
            try {
                built[i] = ctx.buildResource(std::move(specs[i]));
            } catch (...) {
                std::lock_guard<std::mutex> lock(mutex);
                if (!failure) failure = std::current_exception();
            }
        }
    };
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
    work();  // this thread is one of them
    for (auto& thread : pool) thread.join();
    if (failure) std::rethrow_exception(failure);
    return built;
}

std::string gzipCompress(std::string_view input, int level) {
    if (level < 1 || level > 9) {
        throw std::invalid_argument("gzip: level must be 1 to 9, got " + std::to_string(level));
    }
    z_stream stream{};
    // windowBits 15 + 16 asks zlib for a gzip wrapper instead of a zlib one.
    if (deflateInit2(&stream, level, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK) {
        throw std::runtime_error("gzip: deflateInit2 failed");
    }
    std::string out(deflateBound(&stream, static_cast<uLong>(input.size())), '\0');
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
    stream.avail_in = static_cast<uInt>(input.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&stream, Z_FINISH);
    const std::size_t written = stream.total_out;
    deflateEnd(&stream);
    if (rc != Z_STREAM_END) throw std::runtime_error("gzip: deflate did not finish");
    out.resize(written);
    return out;
}

std::string brotliCompress(std::string_view input, int quality) {
    if (quality < BROTLI_MIN_QUALITY || quality > BROTLI_MAX_QUALITY) {
        throw std::invalid_argument("brotli: quality must be 0 to 11, got " +
                                    std::to_string(quality));
    }
    std::size_t size = BrotliEncoderMaxCompressedSize(input.size());
    if (size == 0) return {};  // input too large for a one-shot call
    std::string out(size, '\0');
    const int ok =
        BrotliEncoderCompress(quality, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_TEXT, input.size(),
                              reinterpret_cast<const std::uint8_t*>(input.data()), &size,
                              reinterpret_cast<std::uint8_t*>(out.data()));
    if (!ok) return {};
    out.resize(size);
    return out;
}

bool isCompressible(std::string_view content_type) noexcept {
    try {
        const std::string type = mediaType(content_type);
        if (type.rfind("text/", 0) == 0) return true;
        if (endsWith(type, "+json") || endsWith(type, "+xml")) return true;
        return type == "application/json" || type == "application/javascript" ||
               type == "application/x-javascript" || type == "application/ecmascript" ||
               type == "application/xml";
    } catch (...) {
        return false;
    }
}

std::string contentTypeFor(std::string_view file_name) {
    const std::size_t slash = file_name.find_last_of('/');
    const std::string_view base =
        slash == std::string_view::npos ? file_name : file_name.substr(slash + 1);
    const std::size_t dot = base.find_last_of('.');
    if (dot == std::string_view::npos || dot == 0) return "application/octet-stream";
    const std::string ext = lowerAscii(base.substr(dot + 1));

    struct Entry {
        const char* ext;
        const char* type;
        bool text;  // gets "; charset=utf-8"
    };
    static const Entry kTypes[] = {
        {"html", "text/html", true},       {"htm", "text/html", true},
        {"css", "text/css", true},         {"js", "text/javascript", true},
        {"mjs", "text/javascript", true},  {"json", "application/json", true},
        {"map", "application/json", true}, {"webmanifest", "application/manifest+json", true},
        {"xml", "application/xml", true},  {"svg", "image/svg+xml", true},
        {"txt", "text/plain", true},       {"md", "text/markdown", true},
        {"png", "image/png", false},       {"jpg", "image/jpeg", false},
        {"jpeg", "image/jpeg", false},     {"gif", "image/gif", false},
        {"webp", "image/webp", false},     {"avif", "image/avif", false},
        {"ico", "image/x-icon", false},    {"woff", "font/woff", false},
        {"woff2", "font/woff2", false},    {"pdf", "application/pdf", false},
    };
    for (const auto& entry : kTypes) {
        if (ext == entry.ext) {
            return entry.text ? std::string(entry.type) + "; charset=utf-8" : entry.type;
        }
    }
    return "application/octet-stream";
}

std::string httpDate(long long epoch_seconds) {
    // Built by hand: strftime would follow the process locale, and HTTP dates are English.
    static const char* const kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const std::time_t t = static_cast<std::time_t>(epoch_seconds);
    std::tm tm{};
    if (gmtime_r(&t, &tm) == nullptr) throw std::out_of_range("httpDate: time out of range");
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday],
                  tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                  tm.tm_sec);
    return buf;
}

std::string rfc3339(std::chrono::system_clock::time_point time) {
    const std::time_t t = std::chrono::system_clock::to_time_t(time);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

}  // namespace portico::sdk
