#include "plugin_context.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "portico/sdk/errors.hpp"

namespace portico::host {

PluginContext::PluginContext(std::string id, nlohmann::json config,
                             std::shared_ptr<spdlog::logger> logger, ContextServices services)
    : id_(std::move(id)),
      config_(std::move(config)),
      logger_(std::move(logger)),
      services_(std::move(services)) {}

std::shared_ptr<const sdk::Resource> PluginContext::buildResource(sdk::ResourceSpec spec) const {
    // Plugins may build on several threads at once (sdk::buildResources).
    if (services_.resources_built && !services_.transforms.empty()) ++*services_.resources_built;
    return sdk::makeResource(std::move(spec), services_.transforms, services_.encodings);
}

void PluginContext::open(const char* what, bool empty) const {
    if (!registering_) {
        throw std::logic_error(id_ + ": " + what + " is only allowed during configure()");
    }
    if (empty) throw std::invalid_argument(id_ + ": " + what + ": empty function");
}

void PluginContext::addEarlyHook(sdk::EarlyHookSpec spec, sdk::EarlyHook hook) {
    open("addEarlyHook", !hook);
    hooks_.early.push_back({spec.band, std::move(hook), spec.blocking});
}

void PluginContext::addRoute(sdk::RouteSpec spec, sdk::Handler handler) {
    open("addRoute", !handler);
    if (spec.path.empty() || spec.path[0] != '/') {
        throw sdk::ConfigError("", "route path must start with '/', got \"" + spec.path + "\"");
    }
    if (spec.method.empty()) throw sdk::ConfigError("", "route method is empty");
    for (auto& c : spec.method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    for (auto& c : spec.host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    hooks_.routes.push_back({std::move(spec), std::move(handler), id_});
}

void PluginContext::addHeaderHook(sdk::HeaderHook hook) {
    open("addHeaderHook", !hook);
    hooks_.header.push_back(std::move(hook));
}

void PluginContext::addHtmlTransform(sdk::HtmlTransform transform) {
    open("addHtmlTransform", !transform);
    hooks_.transforms.push_back(std::move(transform));
}

void PluginContext::addCompletionHook(sdk::CompletionHook hook) {
    open("addCompletionHook", !hook);
    hooks_.completion.push_back(std::move(hook));
}

void PluginContext::addHealthCheck(std::string name, sdk::HealthCheck check) {
    open("addHealthCheck", !check);
    hooks_.health.emplace_back(std::move(name), std::move(check));
}

}  // namespace portico::host
