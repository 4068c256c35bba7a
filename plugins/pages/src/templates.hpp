#pragma once

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "issues.hpp"

namespace portico::plugins::pages {

/// Template helpers a page sees besides its data: `{{#url}}KEY{{/url}}` and
/// `{{#asset}}PATH{{/asset}}`. Each returns the URL, or records the problem and returns "".
struct Helpers {
    std::function<std::string(const std::string& key)> url;
    std::function<std::string(const std::string& path)> asset;
};

/// The layouts and partials of `<root>/templates`, parsed once.
class Templates {
public:
    /// Loads `layouts/*.mustache` and `partials/*.mustache` below `dir` and checks their syntax.
    void load(const std::string& dir, const std::string& shown, Issues& issues);
    bool hasLayout(const std::string& name) const { return layouts_.count(name) > 0; }
    bool hasPartial(const std::string& name) const { return partials_.count(name) > 0; }
    /// The shown file name of a partial, for errors.
    std::string partialFile(const std::string& name) const {
        return shown_ + "/partials/" + name + ".mustache";
    }
    /// The shown file name of a layout, for errors.
    std::string layoutFile(const std::string& name) const {
        return shown_ + "/layouts/" + name + ".mustache";
    }
    /// Renders layout `name` with `data` (plus every partial and the helpers). Errors from the
    /// mustache engine are reported against the layout file.
    std::string render(const std::string& name, const nlohmann::json& data, const Helpers& helpers,
                       Issues& issues) const;

    /// Renders partial `name` alone with `data` (e.g. "picture" for a Markdown image); "" when
    /// there is no such partial. Engine errors are reported against the partial's file.
    std::string renderPartial(const std::string& name, const nlohmann::json& data,
                              Issues& issues) const;

private:
    std::string shown_;
    std::map<std::string, std::string> layouts_;
    std::map<std::string, std::string> partials_;
};

}  // namespace portico::plugins::pages
