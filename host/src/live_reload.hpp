#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline.hpp"
#include "portico/sdk/http.hpp"

namespace portico::host {

/// `serve --watch`: open browser tabs reload after each rebuild. Each config generation built in
/// watch mode gets the host's hooks from `hooks()`: a server-sent-events stream at kEndpoint,
/// the script that listens to it (a fingerprinted file, so a strict CSP needs no inline script),
/// an HTML transform that adds the script to every page, and on HTML answers `connect-src
/// 'self'` for the stream and the serving generation in Server-Timing. Without `--watch` none of it
/// exists: the endpoint is a 404 and no page names the script. Thread-safe.
class LiveReload {
public:
    static constexpr std::string_view kEndpoint = "/_portico/livereload";
    /// Streams open at once; more get 503 (each holds a connection of the public listener).
    static constexpr std::size_t kMaxStreams = 32;

    LiveReload();
    ~LiveReload();
    LiveReload(const LiveReload&) = delete;
    LiveReload& operator=(const LiveReload&) = delete;

    /// The hooks of config generation `generation` (its HTML answers name it in Server-Timing,
    /// so a tab that missed a rebuild while it was loading or disconnected reloads when it
    /// connects).
    HookSet hooks(std::uint64_t generation);

    /// Main thread: `generation` serves now (at start-up too); every stream gets a `reload`
    /// event.
    void reloaded(std::uint64_t generation);
    /// Main thread: a rebuild failed with `errors`; every stream gets a `failed` event, and so
    /// does each one opened until the next successful rebuild.
    void failed(const std::vector<std::string>& errors);
    /// Streams open now.
    std::size_t streams() const;

    /// `<script src="/_portico/livereload.<hash>.js" defer></script>` before `</head>`;
    /// unchanged when the script is there already or the page has no head.
    std::string inject(std::string html) const;
    /// The script's fingerprinted path.
    const std::string& scriptPath() const noexcept { return script_path_; }

private:
    class Channel;
    std::shared_ptr<ResponseStream> open();
    void broadcast(const std::string& event);

    std::shared_ptr<const sdk::Resource> script_;
    std::string script_path_;
    mutable std::mutex mutex_;  // guards the fields below
    std::vector<std::weak_ptr<Channel>> channels_;
    std::uint64_t serving_ = 0;
    std::string failure_;  // the last `failed` event while the rebuild stays broken
};

}  // namespace portico::host
