#include "contact_plugin.hpp"

#include <Poco/Exception.h>

#include "messages_command.hpp"
#include "portico/sdk/errors.hpp"
#include "portico/sdk/random.hpp"
#include "secret.hpp"
#include "token.hpp"

namespace portico::plugins::contact {

namespace {

constexpr const char* kHtml = "text/html; charset=utf-8";

std::int64_t seconds(std::chrono::system_clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

sdk::metrics::Counter& outcome(sdk::Context& ctx, const char* name) {
    return ctx.metrics().counter("portico_contact_submissions_total",
                                 "Contact form submissions, by outcome", {{"outcome", name}});
}

}  // namespace

void ContactPlugin::configure(sdk::Context& ctx) {
    config_ = readConfig(ctx.config());
    ctx_ = &ctx;
    store_ = std::make_unique<MessageStore>(ctx.data());
    stored_ = &outcome(ctx, "stored");
    invalid_ = &outcome(ctx, "invalid");
    rejected_ = &outcome(ctx, "rejected");
    unavailable_ = &outcome(ctx, "unavailable");
    replayed_ = &outcome(ctx, "replayed");
    for (const auto& [locale, pages] : config_.pages) {
        const std::string loc = locale;
        sdk::RouteSpec form;
        form.path = pages.path;
        ctx.hooks().addRoute(
            form, [this, loc](const sdk::Request&, sdk::Response& res) { showForm(loc, res); });
        sdk::RouteSpec post;
        post.method = "POST";
        post.path = pages.path;
        post.max_body_bytes = kMaxBodyBytes;
        ctx.hooks().addRoute(post, [this, loc](const sdk::Request& req, sdk::Response& res) {
            submit(loc, req, res);
        });
        sdk::RouteSpec thanks;
        thanks.path = pages.thanks_path;
        ctx.hooks().addRoute(
            thanks, [this, loc](const sdk::Request&, sdk::Response& res) { showThanks(loc, res); });
    }
    // What the privacy page says about messages (SiteModel::publishFacts).
    ctx.siteModel().publishFacts("contact", {{"retention_days", config_.retention_days},
                                             {"deletes", config_.retention_days > 0},
                                             {"notify", config_.notify.enabled}});
}

void ContactPlugin::start(sdk::Context& ctx) {
    secret_ = config_.secret;
    if (secret_.empty()) {
        const std::string path = ctx.site().data_dir + "/contact.secret";
        bool created = false;
        secret_ = loadOrCreateSecret(path, created);
        ctx.logger()->warn(
            "no secret configured: {} the one in {}; replicas must share CONTACT_SECRET "
            "(plugins.contact.secret)",
            created ? "generated" : "using", path);
    }
    ctx.data().migrate(migrations());
    ctx.scheduler().every("contact used tokens", std::chrono::hours(1),
                          [this] { store_->deleteExpiredTokens(isoTime(ctx_->clock().now())); });
    if (config_.retention_days > 0) {
        ctx.scheduler().every("contact retention", std::chrono::hours(1),
                              [this] { deleteExpired(); });
    }
    if (config_.notify.enabled) {
        notifier_ = std::make_unique<Notifier>(config_.notify, *store_, ctx.clock(), ctx.logger(),
                                               ctx.metrics());
        ctx.scheduler().every("contact notifications",
                              std::chrono::milliseconds(config_.notify.interval_ms),
                              [this] { notifier_->runOnce(); });
    }
    ctx.logger()->info("contact form on {} locale(s), store {}", config_.pages.size(),
                       ctx.data().dialect());
}

void ContactPlugin::stop() noexcept { notifier_.reset(); }

int ContactPlugin::runCommand(sdk::CommandContext& cmd) { return runMessagesCommand(*store_, cmd); }

std::string ContactPlugin::freshToken() const {
    return issueToken(secret_, seconds(ctx_->clock().now()));
}

void ContactPlugin::deleteExpired() {
    const auto cutoff = ctx_->clock().now() - std::chrono::hours(24) * config_.retention_days;
    const std::size_t n = store_->deleteOlderThan(isoTime(cutoff));
    if (n > 0)
        ctx_->logger()->info("retention: deleted {} message(s) older than {} days", n,
                             config_.retention_days);
}

void ContactPlugin::answerForm(int status, FormView view, sdk::Response& res) const {
    view.token = freshToken();
    // The site's page for the form path, in the site's layout, when the pages plugin has one.
    auto html = ctx_->siteModel().renderPage(view.action, {{"contact", formData(view)}});
    res.send(status, kHtml, html ? std::move(*html) : renderForm(view));
    res.headers.set("Cache-Control", "no-store");
}

void ContactPlugin::showThanks(const std::string& locale, sdk::Response& res) const {
    const auto& pages = config_.pages.at(locale);
    auto html = ctx_->siteModel().renderPage(pages.thanks_path, nlohmann::json::object());
    res.send(200, kHtml, html ? std::move(*html) : renderThanks(locale, pages.path));
    res.headers.set("Cache-Control", "no-cache");
    res.headers.set("X-Robots-Tag", "noindex");
}

void ContactPlugin::showForm(const std::string& locale, sdk::Response& res) const {
    FormView view;
    view.locale = locale;
    view.action = config_.pages.at(locale).path;
    answerForm(200, std::move(view), res);
}

void ContactPlugin::submit(const std::string& locale, const sdk::Request& req, sdk::Response& res) {
    const std::string type = req.headers.getOr("Content-Type", "");
    if (type.rfind("application/x-www-form-urlencoded", 0) != 0) {
        throw sdk::HttpError(415, "send the form as application/x-www-form-urlencoded");
    }
    if (req.body.size() > kMaxBodyBytes) throw sdk::HttpError(413, "form too large");
    const auto& pages = config_.pages.at(locale);
    FormView view;
    view.locale = locale;
    view.action = pages.path;
    view.input = parseForm(req.body);
    auto& log = *ctx_->logger();
    if (!view.input.website.empty()) {
        rejected_->inc();
        log.info("rejected a form with the honeypot filled (request {})", req.request_id);
        throw sdk::HttpError(400, "form rejected");
    }
    const auto now_time = ctx_->clock().now();
    switch (checkToken(secret_, view.input.token, seconds(now_time), config_.min_fill_seconds,
                       config_.max_age_seconds)) {
        case TokenCheck::kOk:
            break;
        case TokenCheck::kInvalid:
            rejected_->inc();
            view.notice = "invalid_token";
            return answerForm(403, std::move(view), res);
        case TokenCheck::kTooFast:
            rejected_->inc();
            view.notice = "too_fast";
            return answerForm(422, std::move(view), res);
        case TokenCheck::kExpired:
            invalid_->inc();
            view.notice = "expired";
            return answerForm(422, std::move(view), res);
    }
    view.errors = validateForm(view.input);
    if (!view.errors.empty()) {
        invalid_->inc();
        return answerForm(422, std::move(view), res);
    }
    storeMessage(req, std::move(view), res);
}

void ContactPlugin::storeMessage(const sdk::Request& req, FormView view, sdk::Response& res) {
    const auto now_time = ctx_->clock().now();
    StoredMessage m;
    m.id = sdk::randomHex(16);
    m.created_at = isoTime(now_time);
    m.locale = view.locale;
    m.name = view.input.name;
    m.email = view.input.email;
    m.company = view.input.company;
    m.message = view.input.message;
    m.consent = view.input.consent;
    m.client_hash = hmacHex(secret_, "client-address:" + req.client_address).substr(0, 32);
    m.user_agent = req.headers.getOr("User-Agent", "").substr(0, 512);
    if (!isValidUtf8(m.user_agent)) m.user_agent.clear();
    // Kept until the token would be refused as expired anyway.
    const UsedToken token{hmacHex(secret_, "used-token:" + view.input.token),
                          isoTime(now_time + std::chrono::seconds(config_.max_age_seconds))};
    auto& log = *ctx_->logger();
    bool stored = false;
    try {
        stored = store_->insert(m, config_.notify.enabled, token);
    } catch (const std::exception& e) {
        const auto* poco = dynamic_cast<const Poco::Exception*>(&e);
        unavailable_->inc();
        log.error("cannot store message (request {}): {}", req.request_id,
                  poco ? poco->displayText() : std::string(e.what()));
        view.notice = "store_unavailable";
        answerForm(503, std::move(view), res);
        res.headers.set("Retry-After", std::to_string(config_.retry_after_seconds));
        return;
    }
    if (!stored) {
        // A second post of one served form: a double click, a reload, or a replay.
        replayed_->inc();
        log.info("refused a form whose token was used before (request {})", req.request_id);
        view.notice = "token_used";
        return answerForm(409, std::move(view), res);
    }
    stored_->inc();
    log.info("stored message {} ({})", m.id, m.locale);
    res.status = 303;
    res.headers.set("Location", config_.pages.at(m.locale).thanks_path);
    res.headers.set("Cache-Control", "no-store");
}

}  // namespace portico::plugins::contact
