#include "portico/sdk/errors.hpp"

#include <utility>

namespace portico::sdk {

namespace {

std::string joinIssues(const std::vector<ConfigIssue>& issues) {
    if (issues.empty()) {
        return "invalid configuration";
    }
    std::string text;
    for (const auto& issue : issues) {
        if (!text.empty()) {
            text += '\n';
        }
        if (!issue.file.empty()) {
            text += issue.file;
            if (issue.line > 0) text += ":" + std::to_string(issue.line);
            text += ": ";
        } else if (!issue.path.empty()) {
            text += issue.path;
            text += ": ";
        }
        text += issue.message;
    }
    return text;
}

}  // namespace

ConfigError::ConfigError(std::string path, std::string message)
    : ConfigError(std::vector<ConfigIssue>{ConfigIssue{std::move(path), std::move(message)}}) {}

ConfigError::ConfigError(std::vector<ConfigIssue> issues)
    : std::runtime_error(joinIssues(issues)), issues_(std::move(issues)) {}

void ConfigErrors::add(std::string path, std::string message) {
    issues_.push_back(ConfigIssue{std::move(path), std::move(message)});
}

void ConfigErrors::addInFile(std::string file, int line, std::string message) {
    issues_.push_back(ConfigIssue{"", std::move(message), std::move(file), line});
}

void ConfigErrors::throwIfAny() const {
    if (!issues_.empty()) {
        throw ConfigError(issues_);
    }
}

ConfigError::~ConfigError() = default;
HttpError::~HttpError() = default;

HttpError::HttpError(int status, const std::string& message)
    : std::runtime_error(message), status_(status) {}

}  // namespace portico::sdk
