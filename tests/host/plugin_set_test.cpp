#include "plugin_set.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using portico::host::ConfigProblem;
using portico::host::PluginDirs;
using portico::host::PluginEntry;
using portico::host::PluginFailures;

TEST_CASE("a required plugin's failure stops the config, an optional one's skips the plugin") {
    PluginEntry required;
    required.id = "pages";
    required.required = true;
    PluginEntry optional;
    optional.id = "analytics";
    optional.required = false;
    PluginFailures failures;

    CHECK_FALSE(failures.add(required, {"p.json", "plugins.pages.root", "not a folder"}));
    CHECK(failures.add(optional, {"p.json", "plugins.analytics", "start failed: boom"}));
    CHECK(failures.add(optional, {"templates/a.html", "", "unclosed tag", 3}));

    REQUIRE(failures.problems.size() == 1);
    CHECK(failures.problems[0].str() == "p.json: plugins.pages.root: not a folder");
    CHECK(failures.warnings ==
          std::vector<std::string>{
              "plugins.analytics: start failed: boom (optional plugin skipped)",
              "plugins.analytics: templates/a.html:3: unclosed tag (optional plugin skipped)"});
    CHECK(failures.skipped == std::set<std::string>{"analytics"});
}

TEST_CASE("the configured plugin directories come first, then the installed one, each once") {
    PluginDirs dirs;
    dirs.configured = {"/srv/plugins", "/opt/lib/portico/plugins", "/srv/plugins"};
    dirs.installed = "/opt/lib/portico/plugins";
    CHECK(dirs.all() == std::vector<std::string>{"/srv/plugins", "/opt/lib/portico/plugins"});
    dirs.configured.clear();
    CHECK(dirs.all() == std::vector<std::string>{"/opt/lib/portico/plugins"});
}
