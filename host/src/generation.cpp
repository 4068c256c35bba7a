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
    bool configured = false;  // configure() returned; validate() and start() are owed
    bool started = false;     // start() was called (stop() is owed even if it threw)
};

Generation::Generation(Config config, Services& services)
    : config_(std::move(config)),
      services_(services),
      number_(++services.generations),
      store_(std::make_unique<Store>(config_.database, config_.site.data_dir,
                                     services.existing_store_only)),
      encodings_(std::make_unique<EncodingCache>(config_.site.data_dir + "/cache/encodings")),
      logger_(makeLogger("portico")),
      site_model_(std::make_unique<sdk::internal::MemorySiteModel>()) {
    if (services.host_hooks) host_hooks_ = services.host_hooks(number_);
}

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

std::vector<const sdk::PluginLibrary*> Generation::libraries() const {
    std::vector<const sdk::PluginLibrary*> out;
    for (const auto& loaded : set_.ordered) out.push_back(loaded.library.get());
    return out;
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

std::optional<Generation::PreparedPlugin> Generation::prepared(const std::string& id) {
    for (auto& slot : slots_) {
        if (slot->loaded.id != id || slot->skipped || !slot->configured) continue;
        return PreparedPlugin{*slot->loaded.library, *slot->plugin, *slot->context};
    }
    return std::nullopt;
}

ConfigProblem Generation::problemAt(const Slot& slot, const std::string& sub,
                                    const std::string& message) const {
    return {config_.file, sdk::joinPath("plugins." + slot.loaded.id, sub), message};
}

bool Generation::fail(Slot& slot, const ConfigProblem& problem) {
    if (!failures_.add(*slot.loaded.entry, problem)) return false;
    slot.skipped = true;
    logger_->warn("{}", failures_.warnings.back());
    // A skipped plugin contributes nothing: its routes, hooks and health checks are left out
    // wherever slots are read, its scheduled tasks go here and its transforms on the next
    // collectTransforms().
    if (scheduler_) scheduler_->removeOwner(slot.loaded.id);
    return true;
}

std::string Generation::skippedDependency(const Slot& slot) const {
    for (const auto& dep : slot.loaded.dependencies) {
        if (failures_.skipped.count(dep)) return "depends on '" + dep + "', which was skipped";
    }
    return "";
}

void Generation::buildSlots() {
    for (auto& loaded : set_.ordered) {
        auto slot = std::make_unique<Slot>();
        slot->loaded = loaded;
        slots_.push_back(std::move(slot));
    }
}

void Generation::reportConfigError(Slot& slot, const sdk::ConfigError& error) {
    for (const auto& issue : error.issues()) {
        if (issue.file.empty()) {
            fail(slot, problemAt(slot, issue.path, issue.message));
        } else {
            fail(slot, {issue.file, "", issue.message, issue.line});
        }
    }
}

void Generation::configureAll() {
    for (auto& slot : slots_) {
        Slot& s = *slot;
        if (s.skipped) continue;
        if (const std::string why = skippedDependency(s); !why.empty()) {
            fail(s, problemAt(s, "", why));
            continue;
        }
        const PluginEntry& entry = *s.loaded.entry;
        s.scheduler = scheduler_->forPlugin(s.loaded.id);
        s.data = std::make_unique<PluginDataStore>(*store_, s.loaded.id);
        s.context = std::make_unique<PluginContext>(
            s.loaded.id, entry.settings, makeLogger(s.loaded.id, entry.log_level),
            ContextServices{services_.metrics, services_.clock, services_.status, config_.site,
                            *site_model_, *s.data, *s.scheduler, transforms_,
                            [this](const std::string& body) { return encodings_->get(body); },
                            &resources_built_});
        try {
            s.plugin = s.loaded.library->create();
        } catch (const std::exception& e) {
            fail(s, problemAt(s, "", e.what()));
            continue;
        }
        s.context->setRegistering(true);
        try {
            s.plugin->configure(*s.context);
            s.configured = true;
        } catch (const sdk::ConfigError& e) {
            reportConfigError(s, e);
        } catch (const std::exception& e) {
            fail(s, problemAt(s, "", std::string("configure failed: ") + e.what()));
        } catch (...) {
            fail(s, problemAt(s, "", "configure failed: unknown exception"));
        }
        s.context->setRegistering(false);
    }
}

void Generation::validateAll() {
    for (auto& slot : slots_) {
        Slot& s = *slot;
        if (s.skipped || !s.configured) continue;
        if (const std::string why = skippedDependency(s); !why.empty()) {
            fail(s, problemAt(s, "", why));
            s.configured = false;
            continue;
        }
        try {
            s.plugin->validate(*s.context);
        } catch (const sdk::ConfigError& e) {
            reportConfigError(s, e);
        } catch (const std::exception& e) {
            fail(s, problemAt(s, "", std::string("validate failed: ") + e.what()));
        } catch (...) {
            fail(s, problemAt(s, "", "validate failed: unknown exception"));
        }
    }
}

std::vector<ConfigProblem> Generation::checkRoutes() {
    // Check routes now so check-config reports conflicts; the serving pipeline is rebuilt
    // after start() from the plugins that actually started.
    std::vector<ConfigProblem> problems;
    Pipeline trial(logger_, config_.server.max_body_bytes);
    for (const auto& conflict : trial.add("", host_hooks_)) {
        problems.push_back({config_.file, "", conflict});
    }
    for (auto& slot : slots_) {
        if (slot->skipped) continue;
        for (const auto& conflict : trial.add(slot->loaded.id, slot->context->hookSet())) {
            problems.push_back(problemAt(*slot, "", conflict));
        }
    }
    return problems;
}

void Generation::collectTransforms() {
    transforms_.clear();
    for (auto& slot : slots_) {
        if (slot->skipped || !slot->context) continue;
        for (const auto& t : slot->context->hookSet().transforms) transforms_.push_back(t);
    }
    for (const auto& t : host_hooks_.transforms) transforms_.push_back(t);
}

std::vector<ConfigProblem> Generation::prepare() {
    set_ = loadPlugins(config_, number_);
    failures_ = set_.failures;
    reportUpgrades();
    if (!failures_.problems.empty()) return failures_.problems;

    scheduler_ = std::make_unique<TaskScheduler>(logger_);
    buildSlots();
    configureAll();
    validateAll();
    if (!failures_.problems.empty()) return failures_.problems;
    collectTransforms();
    return checkRoutes();
}

bool Generation::startAll() {
    for (auto& slot : slots_) {
        Slot& s = *slot;
        if (s.skipped) continue;
        const std::size_t built_before = resources_built_;
        std::string why = skippedDependency(s);
        if (why.empty()) {
            s.started = true;
            try {
                s.plugin->start(*s.context);
                continue;
            } catch (const std::exception& e) {
                why = std::string("start failed: ") + e.what();
            } catch (...) {
                why = "start failed: unknown exception";
            }
            s.plugin->stop();  // cleanup runs after a failed start
            s.started = false;
        }
        const bool had_transforms = !s.context->hookSet().transforms.empty();
        if (!fail(s, problemAt(s, "", why))) {
            stop();
            throw std::runtime_error("plugins." + s.loaded.id + ": " + why);
        }
        if (had_transforms) {
            collectTransforms();
            if (built_before > 0) return false;
        }
    }
    return true;
}

void Generation::resetPlugins() {
    stop();
    for (auto& slot : slots_) {
        slot->plugin.reset();
        slot->context.reset();
        slot->data.reset();
        slot->scheduler.reset();  // a view of the scheduler replaced below
        slot->configured = false;
    }
    transforms_.clear();
    resources_built_ = 0;
    site_model_ = std::make_unique<sdk::internal::MemorySiteModel>();
    scheduler_ = std::make_unique<TaskScheduler>(logger_);
    const std::size_t before = failures_.problems.size();
    configureAll();
    validateAll();
    if (failures_.problems.size() != before) {
        throw std::runtime_error(failures_.problems[before].str());
    }
    collectTransforms();
}

void Generation::start() {
    while (!startAll()) {
        logger_->info(
            "restarting the plugins without those skipped: resources were built with "
            "their HTML transforms");
        resetPlugins();
    }
    reportEncodings();
    buildPipeline();
    scheduler_->start();
    started_ = true;
}

void Generation::buildPipeline() {
    pipeline_ =
        std::make_unique<Pipeline>(logger_, config_.server.max_body_bytes, &services_.metrics);
    VirtualHosts virtual_hosts;
    virtual_hosts.hosts = config_.site.hosts;
    virtual_hosts.unknown_status = config_.virtual_hosts.unknown_hosts == "serve"
                                       ? 0
                                       : std::stoi(config_.virtual_hosts.unknown_hosts);
    virtual_hosts.redirect_www = config_.virtual_hosts.redirect_www;
    virtual_hosts.scheme = config_.site.base_url.substr(0, config_.site.base_url.find("://"));
    pipeline_->setVirtualHosts(std::move(virtual_hosts));
    pipeline_->add("", host_hooks_);  // first: its header hook contributes to the plugins' CSP
    for (auto& slot : slots_) {
        if (!slot->skipped) pipeline_->add(slot->loaded.id, slot->context->hookSet());
    }
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

void Generation::reportUpgrades() const {
    if (number_ == 1) return;  // at start-up every plugin is new
    for (const auto& loaded : set_.ordered) {
        const sdk::LibraryInfo info = loaded.library->info();
        if (info.generation != number_) continue;  // unchanged: the running library serves on
        logger_->info("plugins.{}: {} changed: loaded version {} beside the running one", info.id,
                      info.path, info.version);
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
