// `portico reference`: the configuration reference as Markdown, generated from the schemas the
// host and every plugin carry, so the documentation cannot drift from what is validated.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "config_report.hpp"
#include "config.hpp"
#include "plugin_set.hpp"
#include "portico/internal/library.hpp"

namespace portico::host {
namespace {

using nlohmann::json;

std::string cell(std::string text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        if (c == '|') {
            out += "\\|";
        } else if (c == '\n') {
            out += ' ';
        } else {
            out += c;
        }
    }
    return out;
}

std::string typeName(const json& schema) {
    if (!schema.contains("type")) return "any";
    const json& type = schema["type"];
    std::string name;
    if (type.is_array()) {
        for (const auto& t : type) name += (name.empty() ? "" : " or ") + t.get<std::string>();
    } else {
        name = type.get<std::string>();
    }
    if (name == "array" && schema.contains("items") && schema["items"].contains("type")) {
        name += " of " + typeName(schema["items"]);
    }
    return name;
}

std::string constraints(const json& schema) {
    std::string out;
    auto add = [&out](const std::string& text) { out += (out.empty() ? "" : "; ") + text; };
    if (schema.contains("enum")) {
        std::string values;
        for (const auto& v : schema["enum"]) values += (values.empty() ? "" : ", ") + v.dump();
        add("one of " + values);
    }
    if (schema.contains("minimum")) add("min " + schema["minimum"].dump());
    if (schema.contains("maximum")) add("max " + schema["maximum"].dump());
    if (schema.contains("minLength")) add("min length " + schema["minLength"].dump());
    if (schema.contains("maxLength")) add("max length " + schema["maxLength"].dump());
    if (schema.contains("minItems")) add("min items " + schema["minItems"].dump());
    if (schema.contains("maxItems")) add("max items " + schema["maxItems"].dump());
    if (schema.contains("pattern")) add("pattern `" + schema["pattern"].get<std::string>() + "`");
    return out;
}

void rows(const json& schema, const std::string& path, bool required, std::string& out) {
    if (!path.empty()) {
        std::string type = typeName(schema);
        if (required) type += ", required";
        std::string limits = constraints(schema);
        std::string def = schema.contains("default") ? "`" + schema["default"].dump() + "`" : "";
        std::string text = schema.value("description", "");
        if (!limits.empty()) text += (text.empty() ? "" : " ") + ("(" + limits + ")");
        out += "| `" + cell(path) + "` | " + cell(type) + " | " + cell(def) + " | " + cell(text) +
               " |\n";
    }
    if (schema.contains("properties")) {
        json required_keys = schema.value("required", json::array());
        for (const auto& [key, child] : schema["properties"].items()) {
            bool is_required = std::find(required_keys.begin(), required_keys.end(), key) !=
                               required_keys.end();
            rows(child, path.empty() ? key : path + "." + key, is_required, out);
        }
    }
    if (schema.contains("additionalProperties") && schema["additionalProperties"].is_object() &&
        !schema["additionalProperties"].empty()) {
        rows(schema["additionalProperties"], path + ".<name>", false, out);
    }
    if (schema.contains("items") && schema["items"].is_object() &&
        schema["items"].contains("properties")) {
        json items = schema["items"];
        items.erase("description");  // the array's own row already describes it
        for (const auto& [key, child] : items["properties"].items()) {
            json required_keys = items.value("required", json::array());
            bool is_required = std::find(required_keys.begin(), required_keys.end(), key) !=
                               required_keys.end();
            rows(child, path + "[]." + key, is_required, out);
        }
    }
}

std::string table(const json& schema, const std::string& prefix) {
    std::string out = "| Key | Type | Default | Description |\n|---|---|---|---|\n";
    if (prefix.empty()) {
        rows(schema, "", false, out);
    } else {
        json required_keys = schema.value("required", json::array());
        json properties = schema.value("properties", json::object());
        for (const auto& [key, child] : properties.items()) {
            bool is_required = std::find(required_keys.begin(), required_keys.end(), key) !=
                               required_keys.end();
            rows(child, prefix + key, is_required, out);
        }
    }
    return out;
}

}  // namespace

std::string configReference(const std::map<std::string, std::string>& plugins) {
    std::string out =
        "# Configuration reference\n\n"
        "Generated by `portico reference` from the schemas built into the host and the plugins;\n"
        "a test fails when this file is out of date (regenerate it with\n"
        "`build/dev/bin/portico reference --out config/REFERENCE.md`). The config file is JSON\n"
        "with comments; any string may use `${VAR}` or `${VAR:-default}` from the environment or\n"
        "a `.env` file beside it, and substituted strings become integers or booleans where the\n"
        "schema says so. Unknown keys are errors.\n\n"
        "## Host\n\n";
    json host = hostSchema();
    host["properties"].erase("plugins");
    host["properties"].erase("$schema");
    out += table(host, "");
    out +=
        "\n## Plugins\n\n"
        "`plugins` maps a plugin id to its block. Every block takes these host keys beside the\n"
        "plugin's own:\n\n";
    out += table(pluginEntrySchema(), "plugins.<id>.");
    for (const auto& [id, path] : plugins) {
        auto library = sdk::PluginLibrary::open(path);
        const auto& record = library->record();
        json schema = json::parse(record.config_schema);
        for (const char* host_key : {"enabled", "required", "log_level"}) {
            if (schema.contains("properties")) schema["properties"].erase(host_key);
        }
        out += "\n### `" + id + "` " + record.version + "\n\n" + record.summary + ".\n\n";
        if (schema.value("properties", json::object()).empty()) {
            out += "No settings of its own.\n";
        } else {
            out += table(schema, "plugins." + id + ".");
        }
    }
    return out;
}

int runReference(const CommandLine& cli) {
    Config config;
    if (cli.options.count("config")) {
        auto loaded = loadConfigOrReport(cli.options.at("config"));
        if (!loaded) return 1;
        config = std::move(*loaded);
    }
    std::vector<ConfigProblem> problems;
    auto found = discoverPlugins(pluginSearchDirs(config), configPath(cli), problems);
    if (!problems.empty()) {
        printProblems(problems);
        return 1;
    }
    std::string text;
    try {
        text = configReference(found);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "portico reference: %s\n", e.what());
        return 1;
    }
    auto out = cli.options.find("out");
    if (out == cli.options.end()) {
        std::fwrite(text.data(), 1, text.size(), stdout);
        return 0;
    }
    std::ofstream file(out->second, std::ios::binary | std::ios::trunc);
    file << text;
    file.close();
    if (!file) {
        std::fprintf(stderr, "portico reference: cannot write %s\n", out->second.c_str());
        return 1;
    }
    return 0;
}

}  // namespace portico::host
