// `portico export DIR`: renders the site like `serve` (no socket) and writes every page and
// asset of the site model, with its .gz and .br variants, for a static server or CDN.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>

#include "cli.hpp"
#include "config_report.hpp"
#include "generation.hpp"
#include "logging.hpp"
#include "server.hpp"
#include "store/store.hpp"

namespace fs = std::filesystem;

namespace portico::host {
namespace {

bool safeUrlPath(const std::string& path) {
    if (path.empty() || path[0] != '/' || path.find('\0') != std::string::npos) return false;
    return ("/" + path + "/").find("/../") == std::string::npos &&
           path.find("/./") == std::string::npos;
}

bool writeFile(const fs::path& file, const std::string& bytes) {
    std::error_code ec;
    fs::create_directories(file.parent_path(), ec);
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << bytes;
    return static_cast<bool>(out);
}

// GETs `path` through the pipeline; writes it under `dir` when the status is `expect`.
bool exportPath(const Generation& generation, const std::string& host, const std::string& path,
                const fs::path& file, int expect, std::size_t& written) {
    Exchange ex;
    ex.request.method = "GET";
    ex.request.target = path;
    ex.request.path = path;
    ex.request.version = "HTTP/1.1";
    ex.request.host = host;
    ex.request.client_address = "127.0.0.1";
    ex.request.request_id = "export";
    ex.request.headers.set("Host", host);
    generation.pipeline().handle(ex);
    if (ex.response.status != expect) {
        std::fprintf(stderr, "export: %s: got status %d, expected %d\n", path.c_str(),
                     ex.response.status, expect);
        return false;
    }
    const auto& res = ex.response;
    bool ok = writeFile(file, res.resource ? res.resource->body : res.body);
    ++written;
    if (res.resource && !res.resource->gzip.empty()) {
        ok = writeFile(file.string() + ".gz", res.resource->gzip) && ok;
        ++written;
    }
    if (res.resource && !res.resource->brotli.empty()) {
        ok = writeFile(file.string() + ".br", res.resource->brotli) && ok;
        ++written;
    }
    if (!ok) std::fprintf(stderr, "export: %s: cannot write\n", file.c_str());
    return ok;
}

}  // namespace

int runExport(const CommandLine& cli) {
    if (cli.positional.empty()) {
        std::fprintf(stderr, "portico: export needs a target folder: portico export DIR\n");
        return 2;
    }
    const fs::path dir = cli.positional.front();
    const std::string file = configPath(cli);
    const auto loaded = loadConfigOrReport(file);
    if (!loaded) return 1;
    const Config& config = *loaded;
    LogConfig quiet = config.log;
    quiet.file.clear();
    quiet.access_log = false;
    quiet.level = "warn";
    setupLogging(quiet);
    try {
        makePrivateDir(config.site.data_dir);
    } catch (const fs::filesystem_error& e) {
        std::fprintf(stderr, "export: cannot create data_dir \"%s\": %s\n",
                     config.site.data_dir.c_str(), e.code().message().c_str());
        return 1;
    }
    Server status;
    Services services(status);
    Generation generation(config, services);
    auto problems = generation.prepare();
    if (!problems.empty()) {
        printProblems(problems);
        return 1;
    }
    try {
        generation.start();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 1;
    }
    std::string host = config.site.hosts.empty() ? "localhost" : config.site.hosts.front();
    std::set<std::string> paths = {"/"};
    for (const auto& page : generation.siteModel().pages()) {
        if (!page.host.empty()) continue;  // other hosts are not part of the main site's tree
        for (const auto& [locale, path] : page.paths) paths.insert(path);
    }
    for (const auto& asset : generation.siteModel().assets()) paths.insert(asset);
    bool ok = true;
    std::size_t written = 0;
    for (const auto& path : paths) {
        if (!safeUrlPath(path)) {
            std::fprintf(stderr, "export: refusing unsafe path \"%s\"\n", path.c_str());
            ok = false;
            continue;
        }
        fs::path target = dir / path.substr(1);
        if (path.back() == '/') target /= "index.html";
        ok = exportPath(generation, host, path, target, 200, written) && ok;
    }
    // Error pages for static servers: the neutral one and each locale's.
    const std::string missing = "/portico-export-missing-page/";
    ok = exportPath(generation, host, missing, dir / "404.html", 404, written) && ok;
    for (const auto& locale : config.site.locales) {
        ok = exportPath(generation, host, "/" + locale + missing, dir / locale / "404.html", 404,
                        written) &&
             ok;
    }
    generation.stop();
    std::printf("%s: exported %zu files (%zu paths) to %s\n", file.c_str(), written,
                paths.size() + 1 + config.site.locales.size(), dir.c_str());
    return ok ? 0 : 1;
}

}  // namespace portico::host
