#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace portico::sdk {

/// One problem found in configuration: a dotted JSON path (relative to the plugin's block when
/// thrown by a plugin; the host prefixes `plugins.<id>`) and a lowercase message.
struct ConfigIssue {
    std::string path;
    std::string message;
    /// For problems in a content or data file rather than the config: that file (as the user
    /// knows it, e.g. "www/content/de/about.md") and its 1-based line (0 = unknown). The host
    /// then prints "file:line: message" like a compiler, instead of a JSON path.
    std::string file = {};
    int line = 0;
};

/// Thrown from `Plugin::configure()` or `Plugin::validate()` with every problem found, not just
/// the first. The host prints each issue with file and full JSON path and refuses to start.
class ConfigError : public std::runtime_error {
public:
    /// A single issue at `path` (relative to the plugin block; empty for the block itself).
    ConfigError(std::string path, std::string message);
    /// Several issues at once; `issues` must not be empty.
    explicit ConfigError(std::vector<ConfigIssue> issues);
    // Out of line so the vtable and destructor live in libportico_sdk, not in the plugin that
    // throws: the exception may outlive the plugin's library while it propagates.
    ~ConfigError() override;
    ConfigError(const ConfigError&) = default;
    ConfigError& operator=(const ConfigError&) = default;

    /// The collected issues, in the order they were found.
    const std::vector<ConfigIssue>& issues() const noexcept { return issues_; }

private:
    std::vector<ConfigIssue> issues_;
};

/// Collects config issues while a plugin reads its block, then throws them all at once.
class ConfigErrors {
public:
    /// Records one issue; never throws.
    void add(std::string path, std::string message);
    /// Records an issue located in a file other than the config (see ConfigIssue::file).
    void addInFile(std::string file, int line, std::string message);
    /// True when nothing was recorded.
    bool empty() const noexcept { return issues_.empty(); }
    /// Throws `ConfigError` with every recorded issue, if any.
    void throwIfAny() const;

private:
    std::vector<ConfigIssue> issues_;
};

/// Thrown by a handler or hook for a client-caused failure. The host answers with `status`
/// and a short plain-text body built from `message` (never a stack trace).
class HttpError : public std::runtime_error {
public:
    /// `status` is a 4xx or 5xx code; `message` is safe to show to the client.
    HttpError(int status, const std::string& message);
    ~HttpError() override;  // out of line, see ConfigError
    HttpError(const HttpError&) = default;
    HttpError& operator=(const HttpError&) = default;
    int status() const noexcept { return status_; }

private:
    int status_;
};

}  // namespace portico::sdk
