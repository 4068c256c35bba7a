#include "config.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <filesystem>
#include <sstream>
#include <utility>

#include "dotenv.hpp"
#include "portico/internal/plugin_id.hpp"
#include "portico/sdk/schema.hpp"

namespace portico::host {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string jsonQuoted(const std::string& text) {
    return json(text).dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string joinProblems(const std::vector<ConfigProblem>& problems) {
    std::string text;
    for (const auto& problem : problems) {
        if (!text.empty()) text += '\n';
        text += problem.str();
    }
    return text.empty() ? "invalid configuration" : text;
}

// Turns nlohmann's "[json.exception.parse_error.101] parse error at line 1, column 4: syntax
// error while parsing array - unexpected number literal; expected ']'" into
// "syntax error: unexpected number literal; expected ']'".
std::string syntaxMessage(const std::string& what) {
    std::string cause = what;
    const std::size_t dash = cause.find(" - ");
    if (dash != std::string::npos) {
        cause = cause.substr(dash + 3);
    } else {
        const std::size_t colon = cause.find(": ");
        if (colon != std::string::npos) cause = cause.substr(colon + 2);
    }
    if (!cause.empty()) {
        cause[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(cause[0])));
    }
    return "syntax error: " + cause;
}

ConfigProblem syntaxProblem(const std::string& file, const std::string& text,
                            const json::parse_error& error) {
    // `byte` is the 1-based index of the last character read; past the end for EOF errors.
    std::size_t offset = error.byte > 0 ? error.byte - 1 : 0;
    offset = std::min(offset, text.size());
    ConfigProblem problem;
    problem.file = file;
    problem.message = syntaxMessage(error.what());
    problem.line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + offset, '\n'));
    const std::size_t line_start = text.rfind('\n', offset == 0 ? 0 : offset - 1);
    const bool first_line = line_start == std::string::npos || offset == 0;
    problem.column = static_cast<int>(first_line ? offset + 1 : offset - line_start);
    return problem;
}

std::string absolutePath(const std::string& path) {
    std::string out = fs::absolute(fs::path(path)).lexically_normal().string();
    while (out.size() > 1 && out.back() == '/') out.pop_back();
    return out;
}

// Problems from schema issues, minus those at paths whose substitution already failed (the
// raw "${X}" text would only add a confusing type error).
void addIssues(const std::string& file, const std::vector<sdk::ConfigIssue>& issues,
               const std::set<std::string>& skip, std::vector<ConfigProblem>& problems) {
    for (const auto& issue : issues) {
        if (skip.count(issue.path) > 0) continue;
        ConfigProblem problem;
        problem.file = file;
        problem.path = issue.path;
        problem.message = issue.message;
        problems.push_back(std::move(problem));
    }
}

std::vector<std::string> hostKeys() {
    std::vector<std::string> keys;
    for (const auto& [key, sub] : pluginEntrySchema()["properties"].items()) keys.push_back(key);
    return keys;
}

bool isHostKey(const std::string& key) {
    static const std::vector<std::string> keys = hostKeys();
    return std::find(keys.begin(), keys.end(), key) != keys.end();
}

bool isStringArray(const json& value) {
    return value.is_array() &&
           std::all_of(value.begin(), value.end(), [](const json& v) { return v.is_string(); });
}

std::vector<std::string> strings(const json& value) {
    std::vector<std::string> out;
    for (const auto& v : value) out.push_back(v.get<std::string>());
    return out;
}

void checkSite(const std::string& file, json& site, const std::set<std::string>& skip,
               std::vector<ConfigProblem>& problems) {
    auto add = [&](const std::string& path, std::string message) {
        if (skip.count(path) > 0) return;
        ConfigProblem problem;
        problem.file = file;
        problem.path = path;
        problem.message = std::move(message);
        problems.push_back(std::move(problem));
    };

    if (site.contains("base_url") && site["base_url"].is_string()) {
        std::string url = site["base_url"].get<std::string>();
        const std::size_t scheme = url.rfind("https://", 0) == 0  ? 8
                                   : url.rfind("http://", 0) == 0 ? 7
                                                                  : 0;
        if (scheme == 0) {
            add("site.base_url", "must start with http:// or https://, got " + jsonQuoted(url));
        } else {
            while (url.size() > scheme && url.back() == '/') url.pop_back();
            if (url.size() == scheme) {
                add("site.base_url", "must name a host after the scheme, got " +
                                         jsonQuoted(site["base_url"].get<std::string>()));
            }
            site["base_url"] = url;
        }
    }

    if (!site.contains("locales") || !isStringArray(site["locales"])) return;
    const auto locales = strings(site["locales"]);
    for (std::size_t i = 0; i < locales.size(); ++i) {
        if (std::find(locales.begin(), locales.begin() + static_cast<std::ptrdiff_t>(i),
                      locales[i]) != locales.begin() + static_cast<std::ptrdiff_t>(i)) {
            add("site.locales[" + std::to_string(i) + "]",
                "duplicate locale " + jsonQuoted(locales[i]));
        }
    }
    if (locales.empty()) return;
    if (!site.contains("default_locale")) {
        site["default_locale"] = locales.front();
    } else if (site["default_locale"].is_string()) {
        const auto wanted = site["default_locale"].get<std::string>();
        if (std::find(locales.begin(), locales.end(), wanted) == locales.end()) {
            std::string list;
            for (const auto& locale : locales)
                list += (list.empty() ? "" : ", ") + jsonQuoted(locale);
            add("site.default_locale", "must be one of " + list + "; got " + jsonQuoted(wanted));
        }
    }
}

// Splits one plugin block into host keys and settings and checks the host keys.
PluginEntry readPluginEntry(const std::string& file, const std::string& id, const json& block,
                            const std::set<std::string>& substituted,
                            const std::set<std::string>& skip,
                            std::vector<ConfigProblem>& problems) {
    PluginEntry entry;
    entry.id = id;
    entry.settings = json::object();
    json host_part = json::object();
    for (const auto& [key, value] : block.items()) {
        (isHostKey(key) ? host_part : entry.settings)[key] = value;
    }

    const std::string prefix = (json::json_pointer("/plugins") / id).to_string() + "/";
    std::set<std::string> relative;
    for (const auto& pointer : substituted) {
        if (pointer.compare(0, prefix.size(), prefix) != 0) continue;
        const std::string rest = pointer.substr(prefix.size() - 1);
        relative.insert(rest);
        const std::string first = rest.substr(1, rest.find('/', 1) - 1);
        if (!isHostKey(first)) entry.substituted.insert(rest);
    }

    std::vector<sdk::ConfigIssue> issues;
    sdk::validateAgainstSchema(pluginEntrySchema(), host_part, sdk::joinPath("plugins", id), issues,
                               relative);
    addIssues(file, issues, skip, problems);
    // The schema filled in the defaults. A value of the wrong type is a problem above; it
    // counts as enabled and required so that the block's own problems are reported too.
    entry.enabled = !host_part["enabled"].is_boolean() || host_part["enabled"].get<bool>();
    entry.required = !host_part["required"].is_boolean() || host_part["required"].get<bool>();
    if (host_part.contains("log_level") && host_part["log_level"].is_string()) {
        entry.log_level = host_part["log_level"].get<std::string>();
    }
    return entry;
}

// `server.trusted_proxies`: a list of CIDRs, or one string of them separated by commas or
// spaces (as an environment variable gives it). Problems carry the element's path.
std::vector<sdk::Cidr> trustedProxies(const std::string& file, const json& value,
                                      const std::set<std::string>& skip,
                                      std::vector<ConfigProblem>& problems) {
    const std::string path = "server.trusted_proxies";
    std::vector<std::pair<std::string, std::string>> entries;  // (path, text)
    if (value.is_string()) {
        std::string text = value.get<std::string>();
        std::replace(text.begin(), text.end(), ',', ' ');
        std::istringstream words(text);
        for (std::string word; words >> word;) entries.emplace_back(path, word);
    } else if (value.is_array()) {
        for (std::size_t i = 0; i < value.size(); ++i) {
            if (value[i].is_string()) {
                entries.emplace_back(path + "[" + std::to_string(i) + "]",
                                     value[i].get<std::string>());
            }
        }
    }
    std::vector<sdk::Cidr> out;
    for (const auto& [where, text] : entries) {
        if (auto cidr = sdk::Cidr::parse(text)) {
            out.push_back(*cidr);
        } else if (skip.count(path) == 0) {
            ConfigProblem problem;
            problem.file = file;
            problem.path = where;
            problem.message = "not an IP address or CIDR, got " + jsonQuoted(text);
            problems.push_back(std::move(problem));
        }
    }
    return out;
}

std::vector<std::string> pluginOrder(const std::string& text) {
    std::vector<std::string> ids;
    const auto ordered = nlohmann::ordered_json::parse(text, nullptr, false, true);
    if (ordered.is_object() && ordered.contains("plugins") && ordered["plugins"].is_object()) {
        for (const auto& [id, block] : ordered["plugins"].items()) ids.push_back(id);
    }
    return ids;
}

template <typename T>
T get(const json& object, const char* key) {
    return object.at(key).get<T>();
}

}  // namespace

std::string ConfigProblem::str() const {
    std::string out = file;
    if (line > 0) {
        out += ":" + std::to_string(line);
        if (column > 0) out += ":" + std::to_string(column);
        return out + ": " + message;
    }
    if (!path.empty()) out += (out.empty() ? "" : ": ") + path;
    return out + (out.empty() ? "" : ": ") + message;
}

ConfigLoadError::ConfigLoadError(std::vector<ConfigProblem> problems)
    : std::runtime_error(joinProblems(problems)), problems_(std::move(problems)) {}

namespace {

ConfigProblem problemAt(const std::string& file, std::string json_path, std::string message) {
    ConfigProblem problem;
    problem.file = file;
    problem.path = std::move(json_path);
    problem.message = std::move(message);
    return problem;
}

// The document after parsing, .env and ${VAR} substitution; `parsed` is false (and the problem
// recorded) when the file cannot be read or is not JSON.
struct Document {
    std::string text;
    json doc;
    Substitution substitution;
    bool parsed = false;
};

Document readDocument(const std::string& path, std::vector<ConfigProblem>& problems) {
    Document d;
    if (const int error = readTextFile(path, d.text); error != 0) {
        problems.push_back(
            problemAt(path, "", std::string("cannot read config file: ") + std::strerror(error)));
        return d;
    }
    try {
        d.doc = json::parse(d.text, nullptr, true, true);
    } catch (const json::parse_error& error) {
        problems.push_back(syntaxProblem(path, d.text, error));
        return d;
    }
    const fs::path parent = fs::path(path).parent_path();
    const Dotenv dotenv = readDotenv(parent.empty() ? ".env" : (parent / ".env").string());
    problems.insert(problems.end(), dotenv.problems.begin(), dotenv.problems.end());
    d.substitution = substituteVariables(d.doc, dotenv, path, problems);
    d.parsed = true;
    return d;
}

// Checks the host part beyond the schema and splits the plugin blocks; fills the defaults in.
std::vector<PluginEntry> checkDocument(const std::string& path, Document& d,
                                       std::vector<sdk::Cidr>& trusted,
                                       std::vector<ConfigProblem>& problems) {
    const auto& skip = d.substitution.failed_paths;
    std::vector<sdk::ConfigIssue> issues;
    sdk::validateAgainstSchema(hostSchema(), d.doc, "", issues, d.substitution.substituted);
    addIssues(path, issues, skip, problems);

    std::vector<PluginEntry> plugins;
    json& doc = d.doc;
    if (!doc.is_object()) return plugins;
    if (doc.contains("server") && doc["server"].is_object() &&
        doc["server"].contains("trusted_proxies")) {
        trusted = trustedProxies(path, doc["server"]["trusted_proxies"], skip, problems);
    }
    if (doc.contains("site") && doc["site"].is_object())
        checkSite(path, doc["site"], skip, problems);
    if (!doc.contains("plugins") || !doc["plugins"].is_object()) return plugins;
    for (const auto& id : pluginOrder(d.text)) {
        const json& block = doc["plugins"][id];
        const bool valid_id = sdk::isPluginId(id);
        if (!valid_id) {
            problems.push_back(problemAt(path, "plugins",
                                         std::string("plugin id must match ") +
                                             sdk::kPluginIdPattern + ", got " + jsonQuoted(id)));
        }
        if (!block.is_object()) continue;
        auto entry = readPluginEntry(path, id, block, d.substitution.substituted, skip, problems);
        if (valid_id) plugins.push_back(std::move(entry));
    }
    return plugins;
}

// Whether the plugin blocks can still be checked: plugin_dirs and the plugins object are fine.
bool pluginsCheckable(const std::vector<ConfigProblem>& problems) {
    return std::none_of(problems.begin(), problems.end(), [](const ConfigProblem& p) {
        return p.line > 0 || p.path.rfind("plugin_dirs", 0) == 0 || p.path == "plugins";
    });
}

std::vector<std::string> pluginDirs(const json& doc) {
    std::vector<std::string> dirs;
    if (!doc.is_object() || !doc.contains("plugin_dirs") || !isStringArray(doc["plugin_dirs"])) {
        return dirs;
    }
    for (const auto& dir : doc["plugin_dirs"]) dirs.push_back(absolutePath(dir.get<std::string>()));
    return dirs;
}

void fillServer(const json& server, ServerConfig& s) {
    s.threads = get<std::uint32_t>(server, "threads");
    s.io_threads = get<std::uint32_t>(server, "io_threads");
    s.inline_handlers = get<bool>(server, "inline_handlers");
    s.max_queued = get<std::uint32_t>(server, "max_queued");
    s.max_connections = get<std::uint32_t>(server, "max_connections");
    s.max_connections_per_client = get<std::uint32_t>(server, "max_connections_per_client");
    s.keep_alive_timeout_ms = get<std::uint32_t>(server, "keep_alive_timeout_ms");
    s.max_keep_alive_requests = get<std::uint32_t>(server, "max_keep_alive_requests");
    s.header_timeout_ms = get<std::uint32_t>(server, "header_timeout_ms");
    s.body_timeout_ms = get<std::uint32_t>(server, "body_timeout_ms");
    s.send_timeout_ms = get<std::uint32_t>(server, "send_timeout_ms");
    s.max_body_bytes = get<std::uint64_t>(server, "max_body_bytes");
    s.max_header_bytes = get<std::uint32_t>(server, "max_header_bytes");
    s.max_header_count = get<std::uint32_t>(server, "max_header_count");
    s.max_uri_bytes = get<std::uint32_t>(server, "max_uri_bytes");
    s.shutdown_timeout_ms = get<std::uint32_t>(server, "shutdown_timeout_ms");
    s.drain_delay_ms = get<std::uint32_t>(server, "drain_delay_ms");
}

void fillLog(const json& log, LogConfig& l) {
    l.level = get<std::string>(log, "level");
    l.format = get<std::string>(log, "format");
    l.file = get<std::string>(log, "file");
    if (!l.file.empty()) l.file = absolutePath(l.file);
    l.max_size_bytes = get<std::uint64_t>(log, "max_size_mb") * 1024 * 1024;
    l.max_files = get<std::uint32_t>(log, "max_files");
    l.access_log = get<bool>(log, "access_log");
}

// The typed config from a valid document whose defaults the schema filled in.
void fillConfig(const json& doc, Config& config) {
    const json& listen = doc["listen"];
    config.listen.address = get<std::string>(listen, "address");
    config.listen.port = get<std::uint16_t>(listen, "port");
    const json& admin = doc["admin"];
    config.admin.enabled = get<bool>(admin, "enabled");
    config.admin.listen.address = get<std::string>(admin, "address");
    config.admin.listen.port = get<std::uint16_t>(admin, "port");
    fillLog(doc["log"], config.log);
    fillServer(doc["server"], config.server);

    const json& database = doc["database"];
    config.database.url = get<std::string>(database, "url");
    config.database.pool_min = get<std::uint32_t>(database, "pool_min");
    config.database.pool_max = get<std::uint32_t>(database, "pool_max");
    config.database.busy_timeout_ms = get<std::uint32_t>(database, "busy_timeout_ms");

    const json& site = doc["site"];
    config.site.base_url = get<std::string>(site, "base_url");
    config.site.hosts = strings(site["hosts"]);
    config.site.locales = strings(site["locales"]);
    config.site.default_locale = get<std::string>(site, "default_locale");
    config.virtual_hosts.unknown_hosts = get<std::string>(site, "unknown_hosts");
    config.virtual_hosts.redirect_www = get<bool>(site, "redirect_www");
    config.site.data_dir = absolutePath(get<std::string>(doc, "data_dir"));
    config.site.config_dir = config.directory;
    config.site.admin_address = config.admin.enabled ? config.admin.listen.address : "";
}

}  // namespace

ConfigRead readConfig(const std::string& path) {
    ConfigRead read;
    Config& config = read.config;
    config.file = path;
    const fs::path parent = fs::path(path).parent_path();
    config.directory = absolutePath(parent.empty() ? "." : parent.string());

    Document d = readDocument(path, read.problems);
    if (!d.parsed) return read;
    std::vector<sdk::Cidr> trusted;
    config.plugins = checkDocument(path, d, trusted, read.problems);
    config.plugin_dirs = pluginDirs(d.doc);
    if (!read.problems.empty()) {
        read.plugins_checkable = pluginsCheckable(read.problems);
        return read;
    }
    fillConfig(d.doc, config);
    config.server.trusted_proxies = std::move(trusted);
    return read;
}

Config loadConfig(const std::string& path) {
    ConfigRead read = readConfig(path);
    if (!read.problems.empty()) throw ConfigLoadError(std::move(read.problems));
    return std::move(read.config);
}

std::vector<ConfigProblem> validatePluginBlock(const Config& config, PluginEntry& entry,
                                               const nlohmann::json& schema) {
    // The host keys were taken out of the block already; naming them as known properties
    // (without defaults) only makes "did you mean 'enabled'?" and the allowed-keys list right.
    json merged = schema;
    if (merged.is_object()) {
        for (const auto& [key, sub] : pluginEntrySchema()["properties"].items()) {
            if (merged.contains("properties") && merged["properties"].contains(key)) continue;
            merged["properties"][key] = json{{"description", sub["description"]}};
        }
    }
    if (entry.settings.is_null()) entry.settings = json::object();
    std::vector<sdk::ConfigIssue> issues;
    sdk::validateAgainstSchema(merged, entry.settings, sdk::joinPath("plugins", entry.id), issues,
                               entry.substituted);
    std::vector<ConfigProblem> problems;
    addIssues(config.file, issues, {}, problems);
    return problems;
}

}  // namespace portico::host
