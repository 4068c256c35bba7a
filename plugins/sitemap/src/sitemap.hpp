#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "portico/sdk/site_model.hpp"

namespace portico::plugins::sitemap {

/// Limits of one sitemap file (sitemaps.org: 50,000 URLs, 50 MB uncompressed).
struct Limits {
    std::size_t max_urls = 50000;
    std::size_t max_bytes = 50u * 1024 * 1024;
};

/// The XML documents of one host's sitemap, by URL path: "/sitemap.xml" alone, or, when the
/// URLs do not fit one file, "/sitemap.xml" as a sitemap index over "/sitemaps/1.xml", ...
struct Documents {
    std::vector<std::pair<std::string, std::string>> files;  ///< path -> XML, index first
};

/// Builds the sitemap of `pages` under `base_url` (no trailing slash): every indexable page's
/// every locale path once, with its lastmod and xhtml:link alternates for every version
/// (itself included) and x-default. Pages that are not indexable are left out. Pure.
Documents buildSitemap(const std::vector<sdk::PageEntry>& pages, const std::string& base_url,
                       const Limits& limits = {});

}  // namespace portico::plugins::sitemap
