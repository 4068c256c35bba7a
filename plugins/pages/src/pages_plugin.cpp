#include "pages_plugin.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "portico/sdk/resource.hpp"

namespace fs = std::filesystem;

namespace portico::plugins::pages {

const char* const kSchema = R"json({
  "type": "object",
  "properties": {
    "root": {"type": "string", "default": "www", "minLength": 1,
             "description": "folder whose files are served; relative to the working directory"},
    "index": {"type": "string", "default": "index.html", "minLength": 1,
              "description": "file served for a folder's URL (one ending in '/')"}
  }
})json";

void PagesPlugin::configure(sdk::Context& ctx) {
    root_ = ctx.config().at("root").get<std::string>();
    index_ = ctx.config().at("index").get<std::string>();
    sdk::RouteSpec all;
    all.path = "/";
    all.prefix = true;
    ctx.hooks().addRoute(all, [this](const sdk::Request& req, sdk::Response& res) { serve(req, res); });
}

void PagesPlugin::validate(sdk::Context& ctx) {
    std::error_code ec;
    if (!fs::is_directory(root_, ec)) {
        throw sdk::ConfigError("root", "folder not found: \"" + root_ + "\"");
    }
}

void PagesPlugin::start(sdk::Context& ctx) {
    fs::path root = fs::absolute(root_);
    for (const auto& item : fs::recursive_directory_iterator(root)) {
        if (!item.is_regular_file()) continue;
        std::ifstream in(item.path(), std::ios::binary);
        std::ostringstream body;
        body << in.rdbuf();
        std::string url = "/" + fs::relative(item.path(), root).generic_string();
        sdk::ResourceSpec spec;
        spec.body = body.str();
        spec.content_type = sdk::contentTypeFor(item.path().filename().string());
        spec.info.path = url;
        auto resource = ctx.buildResource(std::move(spec));
        if (item.path().filename() == index_) {
            resources_[url.substr(0, url.size() - index_.size())] = resource;
        }
        resources_[url] = std::move(resource);
    }
    ctx.logger()->info("serving {} files from {}", resources_.size(), root.string());
}

void PagesPlugin::serve(const sdk::Request& req, sdk::Response& res) const {
    auto it = resources_.find(req.path);
    if (it == resources_.end()) {
        throw sdk::HttpError(404, "no page at " + req.path);
    }
    res.serve(it->second);
}

}  // namespace portico::plugins::pages
