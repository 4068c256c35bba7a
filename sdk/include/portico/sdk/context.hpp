#pragma once

#include <spdlog/logger.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "portico/sdk/clock.hpp"
#include "portico/sdk/hooks.hpp"
#include "portico/sdk/http.hpp"
#include "portico/sdk/metrics.hpp"
#include "portico/sdk/site_model.hpp"
#include "portico/sdk/status.hpp"

namespace portico::sdk {

class DataStore;  // portico/sdk/data.hpp, included by the plugins that use the store

/// Host-level facts about the site, from the host part of the config.
struct SiteInfo {
    std::string base_url;              ///< e.g. "https://example.com", no trailing slash
    std::vector<std::string> hosts;    ///< host names the site answers to
    std::vector<std::string> locales;  ///< e.g. {"de", "en"}, the default first
    std::string default_locale;
    std::string data_dir;    ///< absolute path, exists
    std::string config_dir;  ///< absolute directory of the config file
    /// The address the admin listener binds (`admin.address`), or "" when `admin.enabled` is
    /// false. A plugin with admin routes checks it to require a credential off loopback.
    /// ABI 2.3.
    std::string admin_address;
};

/// How a resource should be built; see `Context::buildResource()`.
struct ResourceSpec {
    std::string body;
    std::string content_type;   ///< e.g. "text/html; charset=utf-8"
    std::string cache_control;  ///< empty: "no-cache" (revalidate with the ETag)
    std::string last_modified;  ///< IMF-fixdate or empty
    TransformInfo info;         ///< passed to HTML transforms
};

/// Everything the host hands one plugin for one config generation. The reference passed to
/// the lifecycle methods stays valid until after `Plugin::stop()` returns.
class Context {
public:
    virtual ~Context() = default;

    /// The plugin's id, as in the config's `plugins` object.
    virtual const std::string& pluginId() const = 0;
    /// The plugin's config block, validated against its schema, with defaults filled in and
    /// `${VAR}` substituted. Host keys (`enabled`, `required`, `log_level`) are removed.
    virtual const nlohmann::json& config() const = 0;
    /// A logger named after the plugin, with the plugin's level. Thread-safe.
    virtual std::shared_ptr<spdlog::logger> logger() const = 0;
    /// The process-wide metrics registry. Thread-safe.
    virtual metrics::Registry& metrics() = 0;
    virtual const Clock& clock() const = 0;
    virtual Scheduler& scheduler() = 0;
    virtual const SiteInfo& site() const = 0;
    /// Hook registration; only during `configure()`.
    virtual Hooks& hooks() = 0;
    /// Builds an immutable resource: runs every registered HTML transform (for text/html),
    /// computes a strong ETag and the gzip and brotli variants. Call from `start()` or later,
    /// never per request. Thread-safe.
    virtual std::shared_ptr<const Resource> buildResource(ResourceSpec spec) const = 0;
    /// Live host facts (draining, plugins, health checks). Valid for the plugin's lifetime.
    virtual const HostStatus& status() const = 0;
    /// The pages of this config generation (see site_model.hpp).
    virtual SiteModel& siteModel() = 0;
    /// The host's data store, opened on first use: call `migrate()` from `start()`, take
    /// sessions from `start()` on, on any thread. Valid for the plugin's lifetime. Include
    /// "portico/sdk/data.hpp" to use it (the one SDK header that brings in Poco).
    virtual DataStore& data() = 0;
};

}  // namespace portico::sdk
