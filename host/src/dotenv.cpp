#include "dotenv.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <set>

#include "portico/sdk/schema.hpp"

namespace portico::host {

namespace {

using nlohmann::json;

bool isNameStart(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }

bool isNameChar(char c) { return isNameStart(c) || (c >= '0' && c <= '9'); }

bool isVariableName(const std::string& name) {
    return !name.empty() && isNameStart(name[0]) &&
           std::all_of(name.begin(), name.end(), isNameChar);
}

bool isBlank(char c) { return c == ' ' || c == '\t'; }

std::string jsonQuoted(const std::string& text) {
    return nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// After a closing quote only blanks and a comment may follow.
bool onlyCommentFollows(const std::string& line, std::size_t pos) {
    while (pos < line.size() && isBlank(line[pos])) ++pos;
    return pos == line.size() || line[pos] == '#';
}

// Parses one non-blank, non-comment line; returns an error message or empty on success.
std::string parseLine(const std::string& line, std::string& key, std::string& value) {
    std::size_t pos = 0;
    while (pos < line.size() && isBlank(line[pos])) ++pos;
    if (line.compare(pos, 6, "export") == 0 && pos + 6 < line.size() && isBlank(line[pos + 6])) {
        pos += 6;
        while (pos < line.size() && isBlank(line[pos])) ++pos;
    }
    const std::size_t name_start = pos;
    while (pos < line.size() && line[pos] != '=' && !isBlank(line[pos])) ++pos;
    key = line.substr(name_start, pos - name_start);
    while (pos < line.size() && isBlank(line[pos])) ++pos;
    if (pos == line.size() || line[pos] != '=') {
        return "expected KEY=VALUE, got " + jsonQuoted(line);
    }
    if (!isVariableName(key)) {
        return "invalid variable name " + jsonQuoted(key) +
               "; names are letters, digits and underscores, not starting with a digit";
    }
    ++pos;
    while (pos < line.size() && isBlank(line[pos])) ++pos;
    value.clear();
    if (pos < line.size() && line[pos] == '\'') {
        const std::size_t close = line.find('\'', pos + 1);
        if (close == std::string::npos) {
            return "unterminated single-quoted value for " + key;
        }
        value = line.substr(pos + 1, close - pos - 1);
        if (!onlyCommentFollows(line, close + 1)) {
            return "unexpected text after the closing quote of " + key;
        }
        return {};
    }
    if (pos < line.size() && line[pos] == '"') {
        for (++pos; pos < line.size(); ++pos) {
            const char c = line[pos];
            if (c == '"') {
                if (!onlyCommentFollows(line, pos + 1)) {
                    return "unexpected text after the closing quote of " + key;
                }
                return {};
            }
            if (c == '\\' && pos + 1 < line.size()) {
                const char next = line[++pos];
                switch (next) {
                    case 'n':
                        value += '\n';
                        break;
                    case 't':
                        value += '\t';
                        break;
                    case 'r':
                        value += '\r';
                        break;
                    case '"':
                        value += '"';
                        break;
                    case '\\':
                        value += '\\';
                        break;
                    default:
                        value += '\\';
                        value += next;
                        break;
                }
                continue;
            }
            value += c;
        }
        return "unterminated double-quoted value for " + key;
    }
    std::size_t end = pos;
    while (end < line.size()) {
        if (line[end] == '#' && end > pos && isBlank(line[end - 1])) break;
        ++end;
    }
    while (end > pos && isBlank(line[end - 1])) --end;
    value = line.substr(pos, end - pos);
    return {};
}

// Replaces ${VAR}, ${VAR:-default} and $${ in every string value (not in keys) and records
// where it did so.
class Substituter {
public:
    Substituter(const Dotenv& dotenv, const std::string& file, std::vector<ConfigProblem>& problems)
        : dotenv_(dotenv), file_(file), problems_(problems) {}

    void walk(json& value, const std::string& path, const std::string& pointer) {
        if (value.is_object()) {
            for (auto& [key, child] : value.items()) {
                walk(child, sdk::joinPath(path, key),
                     (nlohmann::json::json_pointer(pointer) / key).to_string());
            }
        } else if (value.is_array()) {
            for (std::size_t i = 0; i < value.size(); ++i) {
                walk(value[i], sdk::joinPath(path, "[" + std::to_string(i) + "]"),
                     pointer + "/" + std::to_string(i));
            }
        } else if (value.is_string()) {
            substituteString(value, path, pointer);
        }
    }

    const std::set<std::string>& substituted() const { return substituted_; }
    const std::set<std::string>& failedPaths() const { return failed_paths_; }

private:
    std::optional<std::string> lookup(const std::string& name) const {
        if (const char* env = std::getenv(name.c_str())) return std::string(env);
        auto it = dotenv_.values.find(name);
        if (it != dotenv_.values.end()) return it->second;
        return std::nullopt;
    }

    void fail(const std::string& path, std::string message) {
        ConfigProblem problem;
        problem.file = file_;
        problem.path = path;
        problem.message = std::move(message);
        problems_.push_back(std::move(problem));
        failed_paths_.insert(path);
    }

    void substituteString(json& value, const std::string& path, const std::string& pointer) {
        const std::string text = value.get<std::string>();
        if (text.find('$') == std::string::npos) return;
        std::string out;
        bool used = false;
        bool failed = false;
        std::size_t i = 0;
        while (i < text.size()) {
            if (text.compare(i, 3, "$${") == 0) {
                out += "${";
                i += 3;
                continue;
            }
            if (text.compare(i, 2, "${") != 0) {
                out += text[i++];
                continue;
            }
            const std::size_t close = text.find('}', i + 2);
            if (close == std::string::npos) {
                fail(path, "unterminated variable reference " + jsonQuoted(text.substr(i)) +
                               "; expected '}'");
                return;
            }
            const std::string inner = text.substr(i + 2, close - i - 2);
            const std::size_t separator = inner.find(":-");
            const std::string name = inner.substr(0, separator);
            i = close + 1;
            used = true;
            if (!isVariableName(name)) {
                fail(path, "invalid variable reference " + jsonQuoted("${" + inner + "}") +
                               "; expected ${NAME} or ${NAME:-default}");
                failed = true;
                continue;
            }
            const auto found = lookup(name);
            if (separator != std::string::npos) {
                out += found && !found->empty() ? *found : inner.substr(separator + 2);
            } else if (found) {
                out += *found;
            } else {
                fail(path, "environment variable '" + name + "' is not set and has no default");
                failed = true;
            }
        }
        if (failed) return;
        value = out;
        if (used) substituted_.insert(pointer);
    }

    const Dotenv& dotenv_;
    const std::string& file_;
    std::vector<ConfigProblem>& problems_;
    std::set<std::string> substituted_;
    std::set<std::string> failed_paths_;
};

}  // namespace

Dotenv parseDotenv(const std::string& text, const std::string& file) {
    Dotenv result;
    std::size_t start = 0;
    if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) start = 3;
    int line_number = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        std::string line = text.substr(start, end - start);
        ++line_number;
        start = end + 1;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        const std::size_t first = line.find_first_not_of(" \t");
        if (first == std::string::npos || line[first] == '#') continue;
        std::string key;
        std::string value;
        const std::string error = parseLine(line, key, value);
        if (error.empty()) {
            result.values[key] = value;
        } else {
            ConfigProblem problem;
            problem.file = file;
            problem.line = line_number;
            problem.message = error;
            result.problems.push_back(std::move(problem));
        }
    }
    return result;
}

int readTextFile(const std::string& path, std::string& text) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return errno;
    text.clear();
    char buffer[65536];
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n == 0) break;
        if (n < 0) {
            if (errno == EINTR) continue;
            const int error = errno;
            ::close(fd);
            return error;
        }
        text.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return 0;
}

Dotenv readDotenv(const std::string& path) {
    std::string text;
    const int error = readTextFile(path, text);
    if (error == ENOENT) return {};
    if (error != 0) {
        Dotenv result;
        ConfigProblem problem;
        problem.file = path;
        problem.message = std::string("cannot read .env file: ") + std::strerror(error);
        result.problems.push_back(std::move(problem));
        return result;
    }
    return parseDotenv(text, path);
}

Substitution substituteVariables(nlohmann::json& doc, const Dotenv& dotenv, const std::string& file,
                                 std::vector<ConfigProblem>& problems) {
    Substituter substituter(dotenv, file, problems);
    substituter.walk(doc, "", "");
    return Substitution{substituter.substituted(), substituter.failedPaths()};
}

}  // namespace portico::host
