// Arbitrary HTML through sdk::makeResource with the transform analytics and live reload use
// (sdk::insertBeforeHeadEnd: a script before </head>); the identity body must match the
// transform's output exactly, and a second pass must change nothing.
#include <cstddef>
#include <cstdint>
#include <string>

#include "portico/sdk/hooks.hpp"
#include "portico/sdk/html.hpp"
#include "portico/sdk/resource.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string html(reinterpret_cast<const char*>(data), size);
    const std::string snippet = "<script src=\"/a.js\" defer></script>";
    portico::sdk::HtmlTransform insert = [&](std::string body, const portico::sdk::TransformInfo&) {
        return portico::sdk::insertBeforeHeadEnd(std::move(body), snippet, "src=\"/a.js\"");
    };
    portico::sdk::ResourceSpec spec;
    spec.content_type = "text/html; charset=utf-8";
    spec.body = html;
    auto resource = portico::sdk::makeResource(spec, {insert});
    std::string expected = insert(html, {});
    if (!resource || resource->body != expected) __builtin_trap();
    if (resource->etag.empty()) __builtin_trap();
    if (insert(expected, {}) != expected) __builtin_trap();
    return 0;
}
