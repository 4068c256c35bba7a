#include "portico/sdk/entry.hpp"

#include "sitemap_plugin.hpp"

PORTICO_PLUGIN(portico::plugins::sitemap::SitemapPlugin, "sitemap", "0.1.0",
               "Serves sitemap.xml from the site model and robots.txt per host",
               portico::plugins::sitemap::kSchema, "pages")
