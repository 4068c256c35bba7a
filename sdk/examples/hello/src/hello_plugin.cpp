#include "hello_plugin.hpp"

#include <cctype>

namespace portico::plugins::hello {

const char* const kSchema = R"({
  "type": "object",
  "properties": {
    "greeting": {"type": "string", "minLength": 1, "default": "Hello",
                 "description": "Word put before the visitor's name."},
    "path": {"type": "string", "default": "/hello",
             "description": "URL path of the greeting route."}
  }
})";

const char* const kCommandUsage =
    "usage: portico hello greet NAME [--shout] [--config FILE]\n\n"
    "Prints the greeting the hello plugin answers GET <path>?name=NAME with, using the\n"
    "greeting of the config.\n\n"
    "options:\n"
    "  --shout         in capitals\n";

void HelloPlugin::configure(sdk::Context& ctx) {
    const auto& config = ctx.config();
    greeting_ = config.at("greeting").get<std::string>();
    path_ = config.at("path").get<std::string>();

    sdk::ConfigErrors errors;
    if (path_.empty() || path_.front() != '/') {
        errors.add("path", "must start with '/', got \"" + path_ + "\"");
    }
    errors.throwIfAny();

    sdk::RouteSpec route;
    route.method = "GET";
    route.path = path_;
    ctx.hooks().addRoute(route,
                         [this](const sdk::Request& req, sdk::Response& res) { greet(req, res); });
    ctx.hooks().addHeaderHook(
        [](const sdk::Request&, sdk::Response& res) { res.headers.set("X-Hello", "1"); });
}

void HelloPlugin::start(sdk::Context& ctx) { ctx.logger()->info("greeting at {}", path_); }

int HelloPlugin::runCommand(sdk::CommandContext& cmd) {
    const auto& words = cmd.words();
    if (words.size() != 2 || words[0] != "greet") {
        cmd.err() << "hello: expected 'greet NAME'\n";
        return 2;
    }
    std::string text = greeting_ + ", " + words[1] + "!";
    if (cmd.has("shout")) {
        for (auto& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    cmd.out() << text << "\n";
    return 0;
}

void HelloPlugin::greet(const sdk::Request& req, sdk::Response& res) const {
    const std::string name = req.queryParam("name").value_or("world");
    res.send(200, "text/plain; charset=utf-8", greeting_ + ", " + name + "!");
}

}  // namespace portico::plugins::hello
