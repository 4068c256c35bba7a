#pragma once

#include <string>

#include "portico/sdk/memo.hpp"
#include "portico/sdk/plugin.hpp"
#include "snippet.hpp"

namespace portico::plugins::analytics {

/// JSON schema of the `analytics` config block.
extern const char* const kSchema;

/// Inserts an Umami or Plausible script before `</head>` of HTML pages, as an HTML transform
/// (once per prebuilt page at build time, per response for dynamic HTML), and adds the
/// provider's origin to the Content-Security-Policy of HTML answers. Active only when one of
/// `domains` is a host of the site (so not on localhost in development) or `force` is set.
class AnalyticsPlugin final : public sdk::Plugin {
public:
    void configure(sdk::Context& ctx) override;
    void start(sdk::Context& ctx) override;

private:
    Settings settings_;
    std::string tag_;
    std::string origin_;
    bool active_ = false;
    sdk::TextMemo amended_;  // the site's policies with origin_ added, by policy
};

}  // namespace portico::plugins::analytics
