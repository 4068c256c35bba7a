#include "picture.hpp"

namespace portico::plugins::pages {

std::string srcset(const ImageSet& set, ImageFormat format) {
    std::string out;
    for (const auto* v : set.of(format)) {
        out += (out.empty() ? "" : ", ") + v->url + " " + std::to_string(v->width) + "w";
    }
    return out;
}

nlohmann::json pictureData(const Asset& asset, const ImageSet* set, const PictureUse& use) {
    nlohmann::json out = {{"src", asset.url},
                          {"url", asset.url},
                          {"srcset", ""},
                          {"avif", ""},
                          {"webp", ""},
                          {"sizes", use.sizes},
                          {"width", std::to_string(asset.width)},
                          {"height", std::to_string(asset.height)},
                          {"alt", use.alt},
                          {"class", use.css_class},
                          {"priority", use.priority},
                          {"eager", use.priority || use.eager}};
    if (set) {
        out["src"] = set->fallback().url;
        out["url"] = set->fallback().url;
        out["srcset"] = srcset(*set, set->format);
        out["avif"] = srcset(*set, ImageFormat::kAvif);
        out["webp"] = srcset(*set, ImageFormat::kWebp);
    }
    return out;
}

}  // namespace portico::plugins::pages
