#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "portico/sdk/context.hpp"
#include "portico/sdk/errors.hpp"
#include "portico/sdk/net.hpp"

namespace portico::host {

/// One problem in the config, ready to print as "<file>: <path>: <message>" (or
/// "<file>:<line>:<column>: <message>" for syntax errors, where `path` is empty).
struct ConfigProblem {
    std::string file;
    std::string path;     ///< dotted JSON path, e.g. "plugins.hello.greeting"; may be empty
    std::string message;  ///< lowercase, "cause" with the offending value quoted
    int line = 0;         ///< 1-based, 0 when unknown
    int column = 0;       ///< 1-based, 0 when unknown
    std::string str() const;
};

/// Thrown by `loadConfig` with every problem found in one run.
class ConfigLoadError : public std::runtime_error {
public:
    explicit ConfigLoadError(std::vector<ConfigProblem> problems);
    const std::vector<ConfigProblem>& problems() const noexcept { return problems_; }

private:
    std::vector<ConfigProblem> problems_;
};

// The typed host config. Every default lives in the schema (`hostSchema()`, host_schema.cpp)
// and nowhere else: `loadConfig` fills every field from the document after the schema filled in
// the defaults, so the members here are only zero-initialised.

struct ListenConfig {
    std::string address;
    std::uint16_t port = 0;
};

struct AdminConfig {
    bool enabled = false;
    ListenConfig listen;
};

struct LogConfig {
    std::string level;   ///< trace, debug, info, warn, error, critical, off
    std::string format;  ///< text | json
    std::string file;    ///< empty: no file
    std::uint64_t max_size_bytes = 0;
    std::uint32_t max_files = 0;
    bool access_log = false;
};

struct ServerConfig {
    std::uint32_t threads = 0;                     ///< worker threads
    std::uint32_t io_threads = 0;                  ///< event loops; 0 = one per core
    bool inline_handlers = false;                  ///< run handlers on the I/O threads
    std::uint32_t max_queued = 0;                  ///< connections waiting for a worker
    std::uint32_t max_connections = 0;             ///< 0: from the open-file limit (fd_limit.hpp)
    std::uint32_t max_connections_per_client = 0;  ///< 0: no limit; trusted proxies exempt
    std::uint32_t keep_alive_timeout_ms = 0;
    std::uint32_t max_keep_alive_requests = 0;
    std::uint32_t header_timeout_ms = 0;  ///< whole request header
    std::uint32_t body_timeout_ms = 0;
    std::uint32_t send_timeout_ms = 0;
    std::uint64_t max_body_bytes = 0;
    std::uint32_t max_header_bytes = 0;
    std::uint32_t max_header_count = 0;
    std::uint32_t max_uri_bytes = 0;
    std::uint32_t shutdown_timeout_ms = 0;   ///< in-flight requests get this long on SIGTERM
    std::uint32_t drain_delay_ms = 0;        ///< readiness fails this long before accepting stops
    std::vector<sdk::Cidr> trusted_proxies;  ///< peers whose forwarded client is believed
};

/// The data store (see store/store.hpp): SQLite in data_dir unless `url` names PostgreSQL.
struct DatabaseConfig {
    std::string url;  ///< empty: SQLite file data_dir/portico.db
    std::uint32_t pool_min = 0;
    std::uint32_t pool_max = 0;
    std::uint32_t busy_timeout_ms = 0;
};

/// The host's virtual-host policy (`site.unknown_hosts`, `site.redirect_www`).
struct VirtualHostConfig {
    std::string unknown_hosts;  ///< serve | 404 | 421
    bool redirect_www = false;
};

/// One entry of the `plugins` object.
struct PluginEntry {
    std::string id;
    bool enabled = false;               ///< from the block, its default from pluginEntrySchema()
    bool required = false;              ///< likewise; a value of the wrong type counts as true
    std::string log_level;              ///< empty: the host's level
    nlohmann::json settings;            ///< the block without the host keys, not yet schema-checked
    std::set<std::string> substituted;  ///< JSON pointers (within `settings`) filled by ${VAR}
};

/// The whole config after parsing, `${VAR}` substitution and validation of the host part.
/// Plugin blocks are validated later against each plugin's schema (see `validatePluginBlock`).
struct Config {
    std::string file;       ///< as given
    std::string directory;  ///< absolute directory of the file
    ListenConfig listen;
    AdminConfig admin;
    LogConfig log;
    ServerConfig server;
    sdk::SiteInfo site;  ///< data_dir and config_dir absolute
    VirtualHostConfig virtual_hosts;
    DatabaseConfig database;
    std::vector<std::string> plugin_dirs;  ///< absolute; empty: the defaults
    std::vector<PluginEntry> plugins;      ///< in file order
};

/// Reads `path` (JSON with // and /* */ comments), reads an optional `.env` beside it (the
/// process environment wins), substitutes `${VAR}` / `${VAR:-default}` in string values
/// (`$${` is a literal `${`), and validates the host keys against `hostSchema()`.
/// Relative paths (data_dir, plugin_dirs, log.file) are resolved against the working directory.
/// Throws `ConfigLoadError` with every problem.
Config loadConfig(const std::string& path);

/// What `readConfig` found: the config, or with problems only what could be read safely.
struct ConfigRead {
    /// Without problems: the whole config. With problems: `file`, `directory`, `plugin_dirs`
    /// (when valid) and the plugin entries with valid ids, enough to check the plugin blocks
    /// in the same run; `plugins_checkable` says whether that is worth doing.
    Config config;
    std::vector<ConfigProblem> problems;
    bool plugins_checkable = false;
};

/// `loadConfig` without the exception: every problem of the host part is returned.
ConfigRead readConfig(const std::string& path);

/// The declared schema of the host part of the config (everything but the plugin settings).
const nlohmann::json& hostSchema();

/// Host keys every plugin block may have besides the plugin's own settings.
const nlohmann::json& pluginEntrySchema();

/// Validates one plugin's settings against its schema in place (defaults filled in); problems
/// carry `file` and paths under "plugins.<id>". Returns the problems; never throws for bad input.
std::vector<ConfigProblem> validatePluginBlock(const Config& config, PluginEntry& entry,
                                               const nlohmann::json& schema);

}  // namespace portico::host
