#include "live_reload.hpp"

#include <algorithm>
#include <functional>
#include <nlohmann/json.hpp>
#include <utility>

#include "portico/sdk/csp.hpp"
#include "portico/sdk/fingerprint.hpp"
#include "portico/sdk/html.hpp"
#include "portico/sdk/resource.hpp"

namespace portico::host {
namespace {

// The browser side: reloads the page on `reload`, shows why on `failed`, and reloads on
// (re)connecting when the server serves another generation than the page came from (its
// Server-Timing says which). The overlay is styled through the CSSOM, which a CSP without
// 'unsafe-inline' allows.
constexpr const char* kScript = R"JS(// portico serve --watch: reload this page after each rebuild
(() => {
  'use strict';
  const root = document.documentElement;
  const navigation = performance.getEntriesByType('navigation')[0];
  const timing = ((navigation && navigation.serverTiming) || [])
    .find((entry) => entry.name === 'portico-generation');
  let page = timing ? Number(timing.description) : 0;
  const data = (event) => {
    try { return JSON.parse(event.data); } catch (e) { return {}; }
  };
  const show = (errors) => {
    let box = document.getElementById('portico-livereload-error');
    if (!box) {
      box = document.createElement('div');
      box.id = 'portico-livereload-error';
      box.setAttribute('role', 'alert');
      Object.assign(box.style, {
        position: 'fixed', left: '0', right: '0', bottom: '0', zIndex: '2147483647',
        maxHeight: '50vh', overflow: 'auto', margin: '0', padding: '1rem',
        background: '#3b0a0a', color: '#ffe4e4', borderTop: '4px solid #ff5c5c',
        font: '14px/1.45 ui-monospace, monospace', whiteSpace: 'pre-wrap',
      });
      document.body.append(box);
    }
    box.textContent = 'portico: the rebuild failed; this page shows the last good build.\n\n' +
      errors.join('\n');
    root.dataset.porticoLivereload = 'failed';
  };
  const source = new EventSource('/_portico/livereload');
  source.addEventListener('hello', (event) => {
    const { generation } = data(event);
    // Once per generation: a page that still names an older one after reloading never loops.
    const asked = sessionStorage.getItem('portico-livereload');
    if (page && generation !== page && asked !== String(generation)) {
      sessionStorage.setItem('portico-livereload', String(generation));
      location.reload();
      return;
    }
    page = generation;
    if (root.dataset.porticoLivereload !== 'failed') root.dataset.porticoLivereload = 'connected';
  });
  source.addEventListener('reload', () => location.reload());
  source.addEventListener('failed', (event) => show(data(event).errors || []));
})();
)JS";

// One SSE message: `event: <name>` and the JSON `data` on one line (dump escapes newlines).
std::string message(const char* name, const nlohmann::json& data) {
    return std::string("event: ") + name +
           "\ndata: " + data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) +
           "\n\n";
}

bool isHtml(const sdk::Response& res) {
    const std::string* type =
        res.resource ? &res.resource->content_type : res.headers.find("Content-Type");
    return type && type->compare(0, 9, "text/html") == 0;
}

}  // namespace

// The stream of one open tab. The hub queues text under its lock; the connection takes it on
// its I/O thread after a wake-up.
class LiveReload::Channel final : public ResponseStream {
public:
    explicit Channel(std::string first) : queued_(std::move(first)) {}

    void attach(std::function<void()> wake) override {
        std::lock_guard<std::mutex> lock(mutex_);
        wake_ = std::move(wake);
        if (!queued_.empty()) wake_();
    }
    std::string take(bool& ended) override {
        std::lock_guard<std::mutex> lock(mutex_);
        ended = false;
        return std::exchange(queued_, {});
    }
    void detach() noexcept override {
        std::lock_guard<std::mutex> lock(mutex_);
        wake_ = nullptr;
    }
    void push(const std::string& text) {
        std::lock_guard<std::mutex> lock(mutex_);
        const bool idle = queued_.empty();
        queued_ += text;
        if (idle && wake_) wake_();  // one wake-up until the connection takes what is queued
    }

private:
    std::mutex mutex_;
    std::string queued_;
    std::function<void()> wake_;
};

LiveReload::LiveReload() {
    sdk::ResourceSpec spec;
    spec.body = kScript;
    spec.content_type = "text/javascript; charset=utf-8";
    spec.cache_control = "public, max-age=31536000, immutable";
    script_path_ =
        sdk::fingerprintedName(std::string(kEndpoint) + ".js", sdk::contentFingerprint(spec.body));
    script_ = sdk::makeResource(std::move(spec), {});
}

LiveReload::~LiveReload() = default;

HookSet LiveReload::hooks(std::uint64_t generation) {
    HookSet set;
    Route stream;
    stream.spec.path = std::string(kEndpoint);
    stream.spec.blocking = false;
    stream.handler = [](const sdk::Request&, sdk::Response& res) {
        res.send(200, "text/event-stream; charset=utf-8", "retry: 1000\n\n");
        res.headers.set("Cache-Control", "no-store");
        res.headers.set("X-Accel-Buffering", "no");  // a proxy in front must not hold events back
    };
    stream.stream = [this] { return open(); };
    set.routes.push_back(std::move(stream));
    Route script;
    script.spec.path = script_path_;
    script.spec.blocking = false;
    script.handler = [resource = script_](const sdk::Request&, sdk::Response& res) {
        res.serve(resource);
    };
    set.routes.push_back(std::move(script));
    set.transforms.push_back(
        [this](std::string html, const sdk::TransformInfo&) { return inject(std::move(html)); });
    set.header.push_back([generation](const sdk::Request&, sdk::Response& res) {
        if (!isHtml(res)) return;
        // In a header, not the page: the page's bytes (and so its encodings and ETag) stay the
        // same from one generation to the next, so a rebuild compresses only what changed.
        res.headers.set("Server-Timing",
                        "portico-generation;desc=\"" + std::to_string(generation) + "\"");
        // A contribution the headers plugin merges into the site's policy (or the only policy
        // without it): the page may open its own origin's event stream.
        const std::string* found = res.headers.find("Content-Security-Policy");
        sdk::Csp csp = sdk::Csp::parse(found ? *found : std::string());
        csp.add("connect-src", {"'self'"});
        res.headers.set("Content-Security-Policy", csp.str());
    });
    return set;
}

std::string LiveReload::inject(std::string html) const {
    const std::string marker = "src=\"" + script_path_ + "\"";
    return sdk::insertBeforeHeadEnd(std::move(html), "<script " + marker + " defer></script>",
                                    marker);
}

std::shared_ptr<ResponseStream> LiveReload::open() {
    std::lock_guard<std::mutex> lock(mutex_);
    channels_.erase(std::remove_if(channels_.begin(), channels_.end(),
                                   [](const auto& c) { return c.expired(); }),
                    channels_.end());
    if (channels_.size() >= kMaxStreams) return nullptr;
    // The greeting is queued under the lock that registers the channel: no event falls between.
    auto channel =
        std::make_shared<Channel>(message("hello", {{"generation", serving_}}) + failure_);
    channels_.push_back(channel);
    return channel;
}

void LiveReload::broadcast(const std::string& event) {
    for (const auto& weak : channels_) {
        if (auto channel = weak.lock()) channel->push(event);
    }
}

void LiveReload::reloaded(std::uint64_t generation) {
    std::lock_guard<std::mutex> lock(mutex_);
    serving_ = generation;
    failure_.clear();
    broadcast(message("reload", {{"generation", generation}}));
}

void LiveReload::failed(const std::vector<std::string>& errors) {
    std::lock_guard<std::mutex> lock(mutex_);
    failure_ = message("failed", {{"generation", serving_}, {"errors", errors}});
    broadcast(failure_);
}

std::size_t LiveReload::streams() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return static_cast<std::size_t>(std::count_if(channels_.begin(), channels_.end(),
                                                  [](const auto& c) { return !c.expired(); }));
}

}  // namespace portico::host
