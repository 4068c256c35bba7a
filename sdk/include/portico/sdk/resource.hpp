#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "portico/sdk/context.hpp"
#include "portico/sdk/hooks.hpp"
#include "portico/sdk/http.hpp"

namespace portico::sdk {

/// Builds an immutable resource: applies `transforms` in order when the content type is
/// text/html, computes a strong ETag over the final body, and adds gzip (zlib, level 9) and
/// brotli (quality 11) variants when the type is compressible and the variant is smaller.
/// Cache-Control defaults to "no-cache". Thread-safe; meant for start-up, not per request.
std::shared_ptr<const Resource> makeResource(ResourceSpec spec,
                                             const std::vector<HtmlTransform>& transforms);

/// True for text/*, JSON, JavaScript, XML and SVG types.
bool isCompressible(std::string_view content_type) noexcept;

/// The content type for a file name's extension ("a.css" -> "text/css; charset=utf-8"),
/// "application/octet-stream" when unknown.
std::string contentTypeFor(std::string_view file_name);

/// An HTTP date (IMF-fixdate) for seconds since the epoch.
std::string httpDate(long long epoch_seconds);

}  // namespace portico::sdk
