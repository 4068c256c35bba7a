#include "request_parser.hpp"

#include <algorithm>
#include <random>

namespace portico::host::transport {
namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// Same shape as pipeline.hpp's randomHex; kept here so the parser links (and fuzzes) alone.
std::string requestId() {
    thread_local std::mt19937_64 rng{std::random_device{}()};
    static const char* digits = "0123456789abcdef";
    std::string out(16, '0');
    for (auto& c : out) c = digits[rng() & 15u];
    return out;
}

// RFC 9110 section 5.6.2 tchar.
bool isToken(char c) {
    if (std::isalnum(static_cast<unsigned char>(c))) return true;
    for (const char* t = "!#$%&'*+-.^_`|~"; *t; ++t) {
        if (*t == c) return true;
    }
    return false;
}

RequestParser& self(http_parser* p) { return *static_cast<RequestParser*>(p->data); }

}  // namespace

RequestParser::RequestParser(const ParserLimits& limits) : limits_(limits) {
    http_parser_init(&parser_, HTTP_REQUEST);
    parser_.data = this;
}

void RequestParser::configureLibrary(std::uint32_t max_header_bytes) {
    // Portico enforces its own (smaller or equal) limit with a precise status; the library's
    // compile-time 80 KiB must not cut in first.
    http_parser_set_max_header_size(std::max<std::uint32_t>(max_header_bytes, 80 * 1024) + 1024);
}

void RequestParser::reset(sdk::Request& request) {
    http_parser_init(&parser_, HTTP_REQUEST);
    parser_.data = this;
    request_ = &request;
    request.method.clear();
    request.target.clear();
    request.path.clear();
    request.query.clear();
    request.version.clear();
    request.host.clear();
    request.request_id.clear();
    request.body.clear();
    request.headers = sdk::Headers();
    field_.clear();
    value_.clear();
    in_value_ = false;
    method_.clear();
    method_done_ = false;
    header_count_ = host_count_ = length_count_ = 0;
    header_bytes_ = trailer_bytes_ = 0;
    has_transfer_encoding_ = false;
    body_limit_ = limits_.max_body_bytes;
    runs_inline_ = false;
    raw_bytes_ = line_length_ = 0;
    seen_line_ = after_lf_ = false;
    headers_done_ = header_end_seen_ = expect_continue_ = complete_ = keep_alive_ = false;
    error_status_ = 0;
    error_detail_.clear();
}

int RequestParser::fail(int status, std::string detail) {
    if (error_status_ == 0) {
        error_status_ = status;
        error_detail_ = std::move(detail);
    }
    return -1;
}

// Walks the raw header bytes the library would accept silently: obsolete line folding (a line
// starting with SP or HT) and the exact size of the header block.
bool RequestParser::scanHeader(const char* data, std::size_t size) {
    for (std::size_t i = 0; i < size && !header_end_seen_; ++i) {
        char c = data[i];
        ++raw_bytes_;
        if (c == '\n') {
            if (line_length_ == 0) {
                if (seen_line_) header_end_seen_ = true;
            } else {
                seen_line_ = true;
                after_lf_ = true;
                line_length_ = 0;
            }
        } else if (c != '\r') {
            if (after_lf_ && (c == ' ' || c == '\t')) {
                fail(400, "obsolete line folding is not accepted");
                return false;
            }
            after_lf_ = false;
            ++line_length_;
        }
        if (raw_bytes_ > limits_.max_header_bytes) {
            if (!seen_line_) {
                fail(414, "the request line exceeds " + std::to_string(limits_.max_header_bytes) +
                              " bytes");
            } else {
                fail(431, "the request header exceeds " + std::to_string(limits_.max_header_bytes) +
                              " bytes");
            }
            return false;
        }
    }
    return true;
}

RequestParser::Result RequestParser::feed(const char* data, std::size_t size,
                                          std::size_t& consumed) {
    consumed = 0;
    if (error_status_ != 0) return Result::kError;
    std::size_t skip = 0;
    if (!method_done_) {
        // http-parser 2.9 knows a fixed list of methods; HTTP allows any token. The method is
        // read here and the library is fed a stand-in (framing never depends on the method).
        for (; skip < size && !method_done_; ++skip) {
            char c = data[skip];
            if (method_.empty() && (c == '\r' || c == '\n')) continue;  // RFC 9112 section 2.2
            if (c == ' ' && !method_.empty()) {
                method_done_ = true;
            } else if (!isToken(c) || method_.size() >= kMaxMethod) {
                consumed = size;
                fail(400, "malformed request method");
                return Result::kError;
            } else {
                method_.push_back(c);
                ++raw_bytes_;
            }
        }
        if (!method_done_) {
            consumed = size;
            return Result::kNeedMore;
        }
        ++raw_bytes_;
        line_length_ = method_.size() + 1;
        static const char kStandIn[] = "GET ";
        http_parser_execute(&parser_, &callbacks(), kStandIn, sizeof kStandIn - 1);
        data += skip;
        size -= skip;
    }
    if (size == 0) {  // http-parser reads a zero-length call as the end of the stream
        consumed = skip;
        return Result::kNeedMore;
    }
    if (!header_end_seen_ && !scanHeader(data, size)) {
        consumed = skip + size;
        return Result::kError;
    }
    std::size_t n = http_parser_execute(&parser_, &callbacks(), data, size);
    consumed = skip + n;
    if (error_status_ != 0) return Result::kError;
    auto err = HTTP_PARSER_ERRNO(&parser_);
    if (err == HPE_PAUSED || complete_) return Result::kComplete;
    if (err != HPE_OK) {
        switch (err) {
            case HPE_HEADER_OVERFLOW:
                fail(431, "the request header is too large");
                break;
            case HPE_INVALID_CONTENT_LENGTH:
            case HPE_UNEXPECTED_CONTENT_LENGTH:
                fail(400, "malformed or repeated Content-Length");
                break;
            default:
                fail(400, std::string("malformed request: ") + http_errno_description(err));
        }
        return Result::kError;
    }
    return Result::kNeedMore;
}

bool RequestParser::flushField() {
    if (field_.empty()) return true;
    if (++header_count_ > limits_.max_header_count) {
        fail(431, "more than " + std::to_string(limits_.max_header_count) + " header fields");
        return false;
    }
    while (!value_.empty() && (value_.back() == ' ' || value_.back() == '\t')) value_.pop_back();
    if (sdk::iequals(field_, "Host")) {
        ++host_count_;
    } else if (sdk::iequals(field_, "Content-Length")) {
        ++length_count_;
    } else if (sdk::iequals(field_, "Transfer-Encoding")) {
        has_transfer_encoding_ = true;
    }
    request_->headers.add(std::move(field_), std::move(value_));
    field_.clear();
    value_.clear();
    return true;
}

int RequestParser::onUrl(http_parser* p, const char* at, std::size_t n) {
    auto& s = self(p);
    s.request_->target.append(at, n);
    if (s.request_->target.size() > s.limits_.max_uri_bytes) {
        return s.fail(414, "the request target exceeds " + std::to_string(s.limits_.max_uri_bytes) +
                               " bytes");
    }
    return 0;
}

int RequestParser::onHeaderField(http_parser* p, const char* at, std::size_t n) {
    auto& s = self(p);
    // http-parser matches "Content-Length :" as Content-Length; a name is a token (RFC 9112
    // section 5.1: no whitespace before the colon), or the framing is ambiguous.
    if (!std::all_of(at, at + n, isToken)) return s.fail(400, "malformed header field name");
    if (s.headers_done_) return s.countTrailer(n, !s.in_value_);
    if (s.in_value_ && !s.flushField()) return -1;
    s.in_value_ = false;
    s.field_.append(at, n);
    return 0;
}

int RequestParser::onHeaderValue(http_parser* p, const char* at, std::size_t n) {
    auto& s = self(p);
    // CR, LF and NUL never get here as data; other controls than HTAB are not field content.
    const bool bad = std::any_of(at, at + n, [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return (u < 0x20 && u != '\t') || u == 0x7F;
    });
    if (bad) return s.fail(400, "control character in a header field value");
    if (s.headers_done_) return s.countTrailer(n, s.in_value_);
    s.value_.append(at, n);
    s.in_value_ = true;
    return 0;
}

// Trailer fields (after a chunked body) are read and dropped, never merged into the request's
// headers: they could otherwise change its Content-Type or forwarded client after the rate
// limit and routing saw the header. They count against the header size and field limits.
int RequestParser::countTrailer(std::size_t n, bool same_part) {
    trailer_bytes_ += n;
    if (!same_part) {
        in_value_ = !in_value_;
        if (in_value_ && ++header_count_ > limits_.max_header_count) {
            return fail(431, "more than " + std::to_string(limits_.max_header_count) +
                                 " header and trailer fields");
        }
    }
    if (header_bytes_ + trailer_bytes_ > limits_.max_header_bytes) {
        return fail(431, "the request header and trailer exceed " +
                             std::to_string(limits_.max_header_bytes) + " bytes");
    }
    return 0;
}

int RequestParser::onHeadersComplete(http_parser* p) {
    auto& s = self(p);
    if (!s.flushField()) return -1;
    return s.finishHeaders();
}

int RequestParser::finishHeaders() {
    auto& req = *request_;
    headers_done_ = true;
    in_value_ = false;
    header_bytes_ = raw_bytes_;
    req.method = method_;
    if (parser_.http_major != 1) return fail(505, "only HTTP/1.0 and HTTP/1.1 are served");
    req.version = parser_.http_minor == 0 ? "HTTP/1.0" : "HTTP/1.1";
    if (length_count_ > 1) return fail(400, "repeated Content-Length");
    if (length_count_ > 0 && has_transfer_encoding_) {
        return fail(400, "Content-Length together with Transfer-Encoding");
    }
    if (host_count_ > 1) return fail(400, "repeated Host header");
    if (!resolveTarget()) return fail(400, "malformed request target");
    if (req.host.empty()) {
        if (host_count_ == 0) {
            if (parser_.http_minor >= 1) return fail(400, "missing Host header");
        } else {
            req.host = sdk::hostWithoutPort(req.headers.getOr("Host", ""));
        }
    }
    if (limits_.trusted_proxies && !limits_.trusted_proxies->empty()) {
        req.client_address =
            sdk::forwardedClient(req.client_address, req.headers, *limits_.trusted_proxies);
    }
    if (limits_.route_traits) {
        const RouteTraits traits = limits_.route_traits(req);
        body_limit_ = traits.max_body_bytes;
        runs_inline_ = traits.runs_inline;
    }
    if (length_count_ == 1 && parser_.content_length > body_limit_) {
        return fail(413, "the request body exceeds " + std::to_string(body_limit_) + " bytes");
    }
    if (auto expect = req.headers.get("Expect")) {
        if (!sdk::iequals(*expect, "100-continue")) return fail(417, "unsupported expectation");
        bool body = has_transfer_encoding_ || (length_count_ == 1 && parser_.content_length > 0);
        expect_continue_ = body && parser_.http_minor >= 1;
    }
    auto id = req.headers.getOr("X-Request-Id", "");
    req.request_id = sdk::isSaneRequestId(id) ? std::move(id) : requestId();
    return 0;
}

bool RequestParser::resolveTarget() {
    auto& req = *request_;
    const std::string& target = req.target;
    if (!target.empty() && target[0] == '/') {
        auto q = target.find('?');
        req.path = sdk::percentDecode(std::string_view(target).substr(0, q));
        if (q != std::string::npos) req.query = target.substr(q + 1);
    } else if (target == "*" && req.method == "OPTIONS") {
        req.path = "*";
        return true;
    } else {
        http_parser_url url;
        http_parser_url_init(&url);
        if (http_parser_parse_url(target.data(), target.size(), 0, &url) != 0) return false;
        if (!(url.field_set & (1 << UF_SCHEMA)) || !(url.field_set & (1 << UF_HOST))) return false;
        auto part = [&](int f) {
            return std::string_view(target).substr(url.field_data[f].off, url.field_data[f].len);
        };
        auto schema = part(UF_SCHEMA);
        if (!sdk::iequals(schema, "http") && !sdk::iequals(schema, "https")) return false;
        req.host = lower(part(UF_HOST));
        req.path = (url.field_set & (1 << UF_PATH)) ? sdk::percentDecode(part(UF_PATH)) : "/";
        if (url.field_set & (1 << UF_QUERY)) req.query = std::string(part(UF_QUERY));
    }
    return req.path.find('\0') == std::string::npos && !req.path.empty() && req.path[0] == '/';
}

int RequestParser::onBody(http_parser* p, const char* at, std::size_t n) {
    auto& s = self(p);
    if (s.request_->body.size() + n > s.body_limit_) {
        return s.fail(413, "the request body exceeds " + std::to_string(s.body_limit_) + " bytes");
    }
    s.request_->body.append(at, n);
    return 0;
}

int RequestParser::onMessageComplete(http_parser* p) {
    auto& s = self(p);
    s.complete_ = true;
    s.keep_alive_ = http_should_keep_alive(p) != 0 && !p->upgrade;
    http_parser_pause(p, 1);  // stop at the message boundary: pipelined requests wait their turn
    return 0;
}

const http_parser_settings& RequestParser::callbacks() {
    static const http_parser_settings s = [] {
        http_parser_settings out{};
        http_parser_settings_init(&out);
        out.on_url = &RequestParser::onUrl;
        out.on_header_field = &RequestParser::onHeaderField;
        out.on_header_value = &RequestParser::onHeaderValue;
        out.on_headers_complete = &RequestParser::onHeadersComplete;
        out.on_body = &RequestParser::onBody;
        out.on_message_complete = &RequestParser::onMessageComplete;
        return out;
    }();
    return s;
}
}  // namespace portico::host::transport
