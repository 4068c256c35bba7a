#include "portico/testkit/test_host.hpp"

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <stdexcept>

#include "command_context.hpp"
#include "portico/internal/commands.hpp"
#include "portico/sdk/schema.hpp"
#include "test_context.hpp"

namespace portico::testkit {

namespace {

// Joins route conflicts into one message.
std::string joinLines(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& line : lines) out += (out.empty() ? "" : "; ") + line;
    return out;
}

}  // namespace

TestHost::TestHost(const std::string& plugin_file, nlohmann::json config, TestHostOptions options)
    : state_(std::make_unique<State>()) {
    State& s = *state_;
    s.library = sdk::PluginLibrary::open(plugin_file);
    const std::string id = s.library->id();

    if (config.is_null()) config = nlohmann::json::object();
    std::string level = options.log_level;
    if (config.is_object()) {
        const auto it = config.find("log_level");
        if (it != config.end() && it->is_string()) level = it->get<std::string>();
        for (const char* key : {"enabled", "required", "log_level"}) config.erase(key);
    }
    nlohmann::json schema;
    try {
        const char* text = s.library->record().config_schema;
        schema = nlohmann::json::parse(text != nullptr ? text : "{}");
    } catch (const nlohmann::json::exception& e) {
        throw std::runtime_error(plugin_file + ": config schema of plugin '" + id +
                                 "' is not valid JSON: " + e.what());
    }
    std::vector<sdk::ConfigIssue> issues;
    sdk::validateAgainstSchema(schema, config, "", issues);
    if (!issues.empty()) throw sdk::ConfigError(std::move(issues));

    s.sink = std::make_shared<detail::MemorySink>();
    auto logger = std::make_shared<spdlog::logger>(id, s.sink);
    logger->set_pattern("[%l] %v");
    logger->set_level(spdlog::level::from_str(level));

    s.site.base_url = options.base_url;
    s.site.hosts = options.hosts;
    s.site.locales = options.locales;
    s.site.default_locale = options.locales.empty() ? "" : options.locales.front();
    s.site.config_dir = s.temp_dir.path();
    s.site.data_dir = options.data_dir.empty() ? s.temp_dir.path() + "/data" : options.data_dir;
    std::filesystem::create_directories(s.site.data_dir);
    s.data = std::make_unique<detail::TestDataStore>(s.site.data_dir);
    s.data->setPluginId(id);

    s.context = std::make_unique<host::PluginContext>(id, std::move(config), std::move(logger),
                                                      host::ContextServices{s.metrics,
                                                                            s.clock,
                                                                            s.status,
                                                                            s.site,
                                                                            s.site_model,
                                                                            *s.data,
                                                                            s.scheduler,
                                                                            s.transforms,
                                                                            {}});
    s.plugin = s.library->create();
    // An exception thrown inside the plugin may have its type (vtable, destructor) in the
    // plugin's .so, which is closed when this constructor fails. Rethrow a copy whose type
    // lives in the SDK or the standard library instead.
    auto rethrow_detached = []() {
        try {
            throw;
        } catch (const sdk::ConfigError& e) {
            throw sdk::ConfigError(e.issues());
        } catch (const sdk::HttpError& e) {
            throw sdk::HttpError(e.status(), e.what());
        } catch (const std::exception& e) {
            throw std::runtime_error(e.what());
        } catch (...) {
            throw std::runtime_error("unknown exception from the plugin");
        }
    };
    for (const auto& [name, facts] : options.site_facts.items()) {
        s.site_model.publishFacts(name, facts);
    }
    s.context->setRegistering(true);
    try {
        s.plugin->configure(*s.context);
    } catch (...) {
        s.context->setRegistering(false);
        rethrow_detached();
    }
    s.context->setRegistering(false);
    const host::HookSet& hooks = s.context->hookSet();
    s.transforms = hooks.transforms;
    for (const auto& [name, check] : hooks.health) s.status.addCheck(name, check);
    for (const auto& route : hooks.routes) s.routes.push_back({route.spec, route.handler});
    try {
        s.plugin->validate(*s.context);
    } catch (...) {
        rethrow_detached();
    }
    // The host's pipeline, as one config generation of `portico` builds it for this plugin.
    auto pipeline_logger = std::make_shared<spdlog::logger>("portico", s.sink);
    pipeline_logger->set_pattern("[%l] %v");
    s.pipeline =
        std::make_unique<host::Pipeline>(pipeline_logger, options.max_body_bytes, &s.metrics);
    host::VirtualHosts virtual_hosts;
    virtual_hosts.hosts = options.hosts;
    virtual_hosts.unknown_status = options.unknown_hosts;
    virtual_hosts.redirect_www = options.redirect_www;
    virtual_hosts.scheme = options.base_url.substr(0, options.base_url.find("://"));
    s.pipeline->setVirtualHosts(std::move(virtual_hosts));
    const auto conflicts = s.pipeline->add(id, hooks);
    if (!conflicts.empty()) throw std::logic_error(id + ": " + joinLines(conflicts));
    s.started = true;
    try {
        s.plugin->start(*s.context);
    } catch (...) {
        s.scheduler.clear();
        s.plugin->stop();
        s.stopped = true;
        rethrow_detached();
    }
    s.status.setStarted(true);
    s.status.setPlugins({{id, s.library->record().version, "started", ""}});
}

TestHost::~TestHost() {
    State& s = *state_;
    s.scheduler.clear();  // tasks stop before Plugin::stop(), as in the host
    if (s.started && !s.stopped) {
        s.plugin->stop();
        s.stopped = true;
    }
    s.plugin.reset();
    s.pipeline.reset();
    s.routes.clear();
    s.context.reset();
    s.transforms.clear();
    // The rest of State (library last) goes with state_.
}

sdk::Response TestHost::handle(const sdk::Request& request) { return run(request, false); }

sdk::Response TestHost::handleAdmin(const sdk::Request& request) { return run(request, true); }

sdk::Response TestHost::run(const sdk::Request& request, bool admin) {
    State& s = *state_;
    host::Exchange exchange;
    exchange.request = request;
    exchange.admin = admin;
    const auto started = s.clock.monotonic();
    s.pipeline->handle(exchange);
    exchange.completion.duration = s.clock.monotonic() - started;
    exchange.completion.bytes_sent = exchange.head ? 0 : exchange.payload.size();
    std::string body = exchange.head ? std::string() : std::string(exchange.payload);
    s.pipeline->complete(exchange);
    s.last_completion = exchange.completion;
    sdk::Response out = std::move(exchange.response);
    out.body = std::move(body);
    return out;
}

const nlohmann::json& TestHost::config() const { return state_->context->config(); }
sdk::Plugin& TestHost::plugin() { return *state_->plugin; }
const portico_plugin_record& TestHost::record() const { return state_->library->record(); }
FakeClock& TestHost::clock() { return state_->clock; }
ManualScheduler& TestHost::scheduler() { return state_->scheduler; }
sdk::metrics::Registry& TestHost::metrics() { return state_->metrics; }
const sdk::SiteInfo& TestHost::site() const { return state_->context->site(); }
TestStatus& TestHost::status() { return state_->status; }
sdk::SiteModel& TestHost::siteModel() { return state_->site_model; }
sdk::DataStore& TestHost::data() { return *state_->data; }
std::vector<std::string> TestHost::logLines() const { return state_->sink->lines(); }
const std::vector<RegisteredRoute>& TestHost::routes() const { return state_->routes; }
std::size_t TestHost::earlyHookCount() const { return state_->context->hookSet().early.size(); }
std::size_t TestHost::blockingEarlyHookCount() const {
    const auto& early = state_->context->hookSet().early;
    return static_cast<std::size_t>(
        std::count_if(early.begin(), early.end(), [](const auto& e) { return e.blocking; }));
}
std::size_t TestHost::headerHookCount() const { return state_->context->hookSet().header.size(); }
std::size_t TestHost::htmlTransformCount() const {
    return state_->context->hookSet().transforms.size();
}
std::size_t TestHost::completionHookCount() const {
    return state_->context->hookSet().completion.size();
}
const sdk::Completion& TestHost::lastCompletion() const { return state_->last_completion; }

CommandResult TestHost::runCommand(const std::string& name, std::vector<std::string> words,
                                   std::map<std::string, std::string> options) {
    State& s = *state_;
    const portico_plugin_command* command = sdk::findCommand(s.library->commands(), name);
    if (command == nullptr) {
        throw std::invalid_argument("plugin '" + s.library->id() + "' adds no command '" + name +
                                    "'");
    }
    const auto values = sdk::splitNames(command->value_options);
    const auto flags = sdk::splitNames(command->flags);
    for (const auto& [option, value] : options) {
        const bool is_flag = std::count(flags.begin(), flags.end(), option) > 0;
        if (is_flag && value != "true") {
            throw std::invalid_argument("command '" + name + "': flag '--" + option +
                                        "' takes no value; pass \"true\"");
        }
        if (!is_flag && std::count(values.begin(), values.end(), option) == 0) {
            throw std::invalid_argument("command '" + name + "' has no option '--" + option + "'");
        }
    }
    if (words.size() > command->max_positional) {
        throw std::invalid_argument("command '" + name + "' takes at most " +
                                    std::to_string(command->max_positional) + " words");
    }
    std::ostringstream out, err;
    host::PluginCommandContext context(name, *s.context, std::move(words), std::move(options), out,
                                       err);
    const int status = host::runCommand(*command, *s.plugin, context);
    return {status, out.str(), err.str()};
}

std::shared_ptr<const sdk::Resource> TestHost::buildResource(sdk::ResourceSpec spec) const {
    return state_->context->buildResource(std::move(spec));
}

}  // namespace portico::testkit
