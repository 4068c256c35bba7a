#include "compression.hpp"

#include <cstdlib>
#include <stdexcept>

#include "portico/sdk/resource.hpp"

namespace portico::host {
namespace {

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

// True when the comma-separated `list` names `token` (case-insensitively) or is "*".
bool listsToken(std::string_view list, std::string_view token) {
    std::size_t pos = 0;
    while (pos <= list.size()) {
        std::size_t end = list.find(',', pos);
        if (end == std::string_view::npos) end = list.size();
        const std::string_view item = trim(list.substr(pos, end - pos));
        if (item == "*" || sdk::iequals(item, token)) return true;
        pos = end + 1;
    }
    return false;
}

// Statuses whose answers have no body to encode.
bool carriesBody(int status) { return status >= 200 && status != 204 && status != 304; }

}  // namespace

double acceptQuality(const std::string& accept_encoding, const std::string& coding) {
    const std::string& header = accept_encoding;
    double star = -1;
    std::size_t pos = 0;
    while (pos <= header.size()) {
        std::size_t end = header.find(',', pos);
        if (end == std::string::npos) end = header.size();
        const std::string item = header.substr(pos, end - pos);
        pos = end + 1;
        const std::size_t semi = item.find(';');
        const std::string_view name = trim(std::string_view(item).substr(0, semi));
        double q = 1.0;
        if (semi != std::string::npos) {
            std::size_t qpos = item.find("q=", semi);
            if (qpos != std::string::npos) q = std::strtod(item.c_str() + qpos + 2, nullptr);
        }
        if (sdk::iequals(name, coding)) return q;
        if (name == "*") star = q;
    }
    return star;
}

Encoding chooseEncoding(const std::string& accept_encoding, bool brotli, bool gzip) {
    if (brotli && acceptQuality(accept_encoding, "br") > 0) return Encoding::kBrotli;
    if (gzip && acceptQuality(accept_encoding, "gzip") > 0) return Encoding::kGzip;
    return Encoding::kIdentity;
}

void addVary(sdk::Headers& headers, std::string_view token) {
    std::string merged;
    for (const auto& [name, value] : headers.fields()) {
        if (!sdk::iequals(name, "Vary") || trim(value).empty()) continue;
        if (listsToken(value, token)) return;
        merged += (merged.empty() ? "" : ", ") + std::string(trim(value));
    }
    headers.set("Vary", merged.empty() ? std::string(token) : merged + ", " + std::string(token));
}

Encoding compressDynamic(const std::string& accept_encoding, sdk::Response& response,
                         const DynamicCompression& policy) {
    auto& headers = response.headers;
    if (response.resource || !carriesBody(response.status) || headers.has("Content-Encoding") ||
        headers.has("Content-Range") || response.body.size() < policy.min_bytes ||
        !sdk::isCompressible(headers.getOr("Content-Type", ""))) {
        return Encoding::kIdentity;
    }
    addVary(headers, "Accept-Encoding");
    const Encoding coding = chooseEncoding(accept_encoding, true, true);
    if (coding == Encoding::kIdentity) return coding;
    std::string encoded;
    try {
        encoded = coding == Encoding::kBrotli
                      ? sdk::brotliCompress(response.body, policy.brotli_quality)
                      : sdk::gzipCompress(response.body, policy.gzip_level);
    } catch (const std::exception&) {
        return Encoding::kIdentity;  // the coder failed: the identity body is still right
    }
    if (encoded.empty() || encoded.size() >= response.body.size()) return Encoding::kIdentity;
    response.body = std::move(encoded);
    headers.set("Content-Encoding", coding == Encoding::kBrotli ? "br" : "gzip");
    // The bytes changed, so a strong validator no longer names them; a weak one still does
    // (nginx does the same when it compresses).
    if (auto etag = headers.get("ETag"); etag && !etag->empty() && etag->front() == '"') {
        headers.set("ETag", "W/" + *etag);
    }
    return coding;
}

}  // namespace portico::host
