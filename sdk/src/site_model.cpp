#include "portico/sdk/internal/site_model.hpp"

namespace portico::sdk::internal {

void MemorySiteModel::publish(std::vector<PageEntry> pages) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& page : pages) pages_.push_back(std::move(page));
}

std::vector<PageEntry> MemorySiteModel::pages() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return pages_;
}

void MemorySiteModel::publishAssets(std::vector<std::string> paths) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& path : paths) assets_.push_back(std::move(path));
}

std::vector<std::string> MemorySiteModel::assets() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return assets_;
}

void MemorySiteModel::publishRenderer(PageRenderer renderer) {
    std::lock_guard<std::mutex> lock(mutex_);
    renderers_.push_back(std::move(renderer));
}

std::optional<std::string> MemorySiteModel::renderPage(const std::string& path,
                                                       const nlohmann::json& data) const {
    std::vector<PageRenderer> renderers;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        renderers = renderers_;
    }
    for (const auto& render : renderers) {
        if (auto html = render(path, data)) return html;
    }
    return std::nullopt;
}

void MemorySiteModel::publishFacts(const std::string& name, nlohmann::json facts) {
    std::lock_guard<std::mutex> lock(mutex_);
    facts_[name] = std::move(facts);
}

nlohmann::json MemorySiteModel::facts() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return facts_;
}

}  // namespace portico::sdk::internal
