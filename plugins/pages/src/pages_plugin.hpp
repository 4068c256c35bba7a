#pragma once

#include <map>
#include <memory>
#include <string>

#include "portico/sdk/plugin.hpp"

namespace portico::plugins::pages {

/// JSON schema of the `pages` config block.
extern const char* const kSchema;

/// Serves the site's files from `root`, each prebuilt at start into an immutable resource.
/// (The Markdown, template and locale machinery builds on this.)
class PagesPlugin final : public sdk::Plugin {
public:
    void configure(sdk::Context& ctx) override;
    void validate(sdk::Context& ctx) override;
    void start(sdk::Context& ctx) override;

private:
    void serve(const sdk::Request& req, sdk::Response& res) const;

    std::string root_;
    std::string index_;
    std::map<std::string, std::shared_ptr<const sdk::Resource>> resources_;  // by URL path
};

}  // namespace portico::plugins::pages
