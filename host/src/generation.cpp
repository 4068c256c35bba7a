#include "generation.hpp"

#include <set>
#include <stdexcept>

#include "logging.hpp"
#include "portico/sdk/resource.hpp"
#include "portico/sdk/schema.hpp"

namespace portico::host {

struct Generation::Slot {
    LoadedPlugin loaded;
    std::unique_ptr<sdk::Scheduler> scheduler;
    std::unique_ptr<PluginDataStore> data;
    std::unique_ptr<PluginContext> context;
    std::unique_ptr<sdk::Plugin, void (*)(sdk::Plugin*)> plugin{nullptr, nullptr};
    bool skipped = false;
    bool started = false;  // start() was called (stop() is owed even if it threw)
};

Generation::Generation(Config config, Services& services)
    : config_(std::move(config)),
      services_(services),
      store_(std::make_unique<Store>(config_.database, config_.site.data_dir)),
      encodings_(std::make_unique<EncodingCache>(config_.site.data_dir + "/cache/encodings")),
      logger_(makeLogger("portico")) {}

Generation::~Generation() {
    stop();
    pipeline_.reset();
    // Plugin objects and every std::function they made go before their libraries.
    for (auto& slot : slots_) {
        slot->plugin.reset();
        slot->context.reset();
    }
    transforms_.clear();
    slots_.clear();
}

std::vector<std::string> Generation::order() const {
    std::vector<std::string> ids;
    for (const auto& slot : slots_) {
        if (!slot->skipped) ids.push_back(slot->loaded.id);
    }
    return ids;
}

std::vector<sdk::PluginStatus> Generation::pluginStatus() const {
    std::vector<sdk::PluginStatus> list;
    for (const auto& slot : slots_) {
        sdk::PluginStatus status;
        status.id = slot->loaded.id;
        status.version = slot->loaded.library->record().version;
        status.state = slot->skipped ? "skipped" : slot->started ? "started" : "stopped";
        list.push_back(std::move(status));
    }
    return list;
}

std::vector<std::pair<std::string, sdk::CheckResult>> Generation::runHealthChecks() const {
    std::vector<std::pair<std::string, sdk::CheckResult>> results;
    if (store_->opened()) results.emplace_back("database", store_->check());
    for (const auto& slot : slots_) {
        if (slot->skipped || !slot->started || !slot->context) continue;
        for (const auto& [name, check] : slot->context->hookSet().health) {
            try {
                results.emplace_back(name, check());
            } catch (const std::exception& e) {
                results.emplace_back(name, sdk::CheckResult{"fail", "", e.what()});
            }
        }
    }
    return results;
}

void Generation::skip(Slot& slot, const std::string& why) {
    slot.skipped = true;
    warnings_.push_back("plugins." + slot.loaded.id + ": " + why + " (optional plugin skipped)");
    logger_->warn("plugins.{}: {} (optional plugin skipped)", slot.loaded.id, why);
}

std::vector<ConfigProblem> Generation::prepare() {
    set_ = loadPlugins(config_);
    std::vector<ConfigProblem> problems = set_.problems;
    warnings_ = set_.warnings;
    if (!problems.empty()) return problems;

    scheduler_ = std::make_unique<TaskScheduler>(logger_);
    std::set<std::string> skipped_ids;
    for (auto& loaded : set_.ordered) {
        auto slot = std::make_unique<Slot>();
        slot->loaded = loaded;
        Slot& s = *slot;
        slots_.push_back(std::move(slot));
        const PluginEntry& entry = *loaded.entry;
        const std::string path = "plugins." + loaded.id;
        auto problem = [&](const std::string& sub, const std::string& message) {
            if (entry.required) {
                problems.push_back({config_.file, sdk::joinPath(path, sub), message});
            } else {
                skip(s, (sub.empty() ? "" : sub + ": ") + message);
                skipped_ids.insert(loaded.id);
            }
        };
        for (const auto& dep : loaded.dependencies) {
            if (skipped_ids.count(dep)) {
                problem("", "depends on '" + dep + "', which was skipped");
                break;
            }
        }
        if (s.skipped) continue;
        s.scheduler = scheduler_->forPlugin(loaded.id);
        s.data = std::make_unique<PluginDataStore>(*store_, loaded.id);
        s.context = std::make_unique<PluginContext>(
            loaded.id, entry.settings, makeLogger(loaded.id, entry.log_level),
            ContextServices{services_.metrics, services_.clock, services_.status, config_.site,
                            site_model_, *s.data, *s.scheduler, transforms_,
                            [this](const std::string& body) { return encodings_->get(body); }});
        try {
            s.plugin = loaded.library->create();
        } catch (const std::exception& e) {
            problem("", e.what());
            continue;
        }
        std::size_t before = problems.size();
        try {
            s.context->setRegistering(true);
            s.plugin->configure(*s.context);
            s.context->setRegistering(false);
            s.plugin->validate(*s.context);
        } catch (const sdk::ConfigError& e) {
            for (const auto& issue : e.issues()) {
                if (issue.file.empty()) {
                    problem(issue.path, issue.message);
                } else if (entry.required) {
                    problems.push_back({issue.file, "", issue.message, issue.line});
                } else {
                    problem("", issue.file + (issue.line > 0 ? ":" + std::to_string(issue.line)
                                                             : std::string()) +
                                    ": " + issue.message);
                }
            }
        } catch (const std::exception& e) {
            problem("", std::string("configure failed: ") + e.what());
        } catch (...) {
            problem("", "configure failed: unknown exception");
        }
        s.context->setRegistering(false);
        if (problems.size() != before && !entry.required) s.skipped = true;
    }
    if (!problems.empty()) return problems;

    // Check routes now so check-config reports conflicts; the serving pipeline is rebuilt
    // after start() from the plugins that actually started.
    Pipeline trial(logger_, config_.server.max_body_bytes);
    for (auto& slot : slots_) {
        if (slot->skipped) continue;
        for (const auto& conflict : trial.add(slot->loaded.id, slot->context->hookSet())) {
            problems.push_back({config_.file, "plugins." + slot->loaded.id, conflict});
        }
        for (const auto& t : slot->context->hookSet().transforms) transforms_.push_back(t);
    }
    return problems;
}

void Generation::start() {
    for (auto& slot : slots_) {
        if (slot->skipped) continue;
        slot->started = true;
        try {
            slot->plugin->start(*slot->context);
            continue;
        } catch (const std::exception& e) {
            if (!slot->loaded.entry->required) {
                slot->plugin->stop();
                slot->started = false;
                skip(*slot, std::string("start failed: ") + e.what());
                continue;
            }
            std::string message = "plugins." + slot->loaded.id + ": start failed: " + e.what();
            stop();
            throw std::runtime_error(message);
        } catch (...) {
            std::string message = "plugins." + slot->loaded.id + ": start failed";
            stop();
            throw std::runtime_error(message);
        }
    }
    reportEncodings();
    pipeline_ = std::make_unique<Pipeline>(logger_, config_.server.max_body_bytes,
                                           &services_.metrics);
    VirtualHosts virtual_hosts;
    virtual_hosts.hosts = config_.site.hosts;
    virtual_hosts.unknown_status = config_.virtual_hosts.unknown_hosts == "serve"
                                       ? 0
                                       : std::stoi(config_.virtual_hosts.unknown_hosts);
    virtual_hosts.redirect_www = config_.virtual_hosts.redirect_www;
    virtual_hosts.scheme = config_.site.base_url.substr(0, config_.site.base_url.find("://"));
    pipeline_->setVirtualHosts(std::move(virtual_hosts));
    for (auto& slot : slots_) {
        if (!slot->skipped) pipeline_->add(slot->loaded.id, slot->context->hookSet());
    }
    scheduler_->start();
    started_ = true;
}

void Generation::reportEncodings() {
    const auto s = encodings_->stats();
    const std::size_t removed = s.hits + s.built + s.rebuilt > 0 ? encodings_->prune() : 0;
    if (s.hits + s.built + s.rebuilt + s.unwritable == 0) return;
    logger_->info(
        "encoding cache: {} reused, {} built, {} rebuilt (corrupt file), {} removed "
        "(unused) in {}",
        s.hits, s.built, s.rebuilt, removed, encodings_->dir());
    if (s.unwritable > 0) {
        logger_->warn("encoding cache: cannot write {}; {} resources compressed without it",
                      encodings_->dir(), s.unwritable);
    }
}

void Generation::stop() noexcept {
    if (scheduler_) scheduler_->stop();
    for (auto it = slots_.rbegin(); it != slots_.rend(); ++it) {
        Slot& slot = **it;
        if (!slot.started) continue;
        slot.started = false;
        try {
            slot.plugin->stop();
        } catch (...) {
            logger_->error("plugins.{}: stop threw; continuing", slot.loaded.id);
        }
        logger_->debug("plugins.{}: stopped", slot.loaded.id);
    }
    started_ = false;
}

}  // namespace portico::host
