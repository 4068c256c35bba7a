#pragma once

// Host side of the site model: the in-memory SiteModel the portico host and the test kit hand
// plugins. Not installed; plugins see `sdk::SiteModel` (portico/sdk/site_model.hpp).

#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "portico/sdk/site_model.hpp"

namespace portico::sdk::internal {

/// The in-memory SiteModel of one config generation. Thread-safe.
class MemorySiteModel final : public SiteModel {
public:
    void publish(std::vector<PageEntry> pages) override;
    std::vector<PageEntry> pages() const override;
    void publishAssets(std::vector<std::string> paths) override;
    std::vector<std::string> assets() const override;
    void publishRenderer(PageRenderer renderer) override;
    std::optional<std::string> renderPage(const std::string& path,
                                          const nlohmann::json& data) const override;
    void publishFacts(const std::string& name, nlohmann::json facts) override;
    nlohmann::json facts() const override;

private:
    mutable std::mutex mutex_;
    std::vector<PageEntry> pages_;
    std::vector<std::string> assets_;
    std::vector<PageRenderer> renderers_;
    nlohmann::json facts_ = nlohmann::json::object();
};

}  // namespace portico::sdk::internal
