#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "config.hpp"

namespace portico::host {

/// Variables read from a `.env` file, and the lines that could not be read.
struct Dotenv {
    std::map<std::string, std::string> values;
    std::vector<ConfigProblem> problems;  ///< `file` and `line` set, `path` empty
};

/// Parses the text of a `.env` file: `KEY=VALUE` lines, an optional `export ` prefix, blank
/// lines and `#` comments. Values may be single-quoted (literal), double-quoted (`\n`, `\t`,
/// `\r`, `\"`, `\\` escapes) or bare (trimmed; ` #` starts a comment). Values are not expanded.
/// A later assignment of the same key wins. `file` names the file in problems.
Dotenv parseDotenv(const std::string& text, const std::string& file);

/// Reads a whole file into `text`. Returns 0, or the errno of the failed open or read
/// (ENOENT for a missing file, EISDIR for a directory).
int readTextFile(const std::string& path, std::string& text);

/// Reads and parses the file at `path`. A missing file is no problem: empty result.
Dotenv readDotenv(const std::string& path);

/// Where `substituteVariables` filled in variables and where it failed.
struct Substitution {
    std::set<std::string> substituted;   ///< JSON pointers of strings that used a variable
    std::set<std::string> failed_paths;  ///< dotted paths of strings that could not be expanded
};

/// Replaces `${VAR}` and `${VAR:-default}` (default when VAR is unset or empty) in every string
/// value of `doc`, in arrays and nested objects but not in keys; `$${` is a literal `${`.
/// Variables come from the process environment, then from `dotenv`. An unset variable without
/// default or a malformed reference is a problem (with `file` and the dotted path) and leaves
/// that string unchanged. A default is taken literally up to the first `}`.
Substitution substituteVariables(nlohmann::json& doc, const Dotenv& dotenv, const std::string& file,
                                 std::vector<ConfigProblem>& problems);

}  // namespace portico::host
