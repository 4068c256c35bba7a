#include "images.hpp"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <optional>
#include <thread>

#include "portico/sdk/file_cache.hpp"
#include "portico/sdk/fingerprint.hpp"

namespace portico::plugins::pages {
namespace {

std::optional<ImageFormat> sourceFormat(const std::string& rel) {
    auto dot = rel.rfind('.');
    if (dot == std::string::npos) return std::nullopt;
    std::string ext = rel.substr(dot + 1);
    for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (ext == "jpg" || ext == "jpeg") return ImageFormat::kJpeg;
    if (ext == "png") return ImageFormat::kPng;
    return std::nullopt;
}

int qualityFor(const ImagesConfig& config, ImageFormat format) {
    switch (format) {
        case ImageFormat::kAvif:
            return config.avif_quality;
        case ImageFormat::kWebp:
            return config.webp_quality;
        default:
            return config.jpeg_quality;
    }
}

// "img/owner.jpg" + "480w" + avif -> "img/owner-480w.avif"
std::string variantRel(const std::string& rel, const std::string& tag, ImageFormat format) {
    auto dot = rel.rfind('.');
    return rel.substr(0, dot) + "-" + tag + "." + formatExtension(format);
}

ImageVariant plan(const ImageSet& set, const std::string& source_hash, ImageFormat format,
                  int width, int height, bool cover, const ImagesConfig& config) {
    static const std::string versions = codecVersions();
    ImageVariant v;
    v.format = format;
    v.width = width;
    v.height = height;
    v.cover = cover;
    const std::string q = std::to_string(qualityFor(config, format));
    const std::string speed = std::to_string(config.avif_speed);
    // The key names everything the bytes depend on; the URL carries part of it, so a new
    // setting or library gives a new URL and "immutable" stays true.
    const sdk::FileCache naming("", kImageCacheFormat, kImageCacheSuffix);
    v.key = naming.key({versions, source_hash, formatName(format), std::to_string(width),
                        std::to_string(height), cover ? "cover" : "scale", q, speed});
    const std::string tag = cover ? "og" : std::to_string(width) + "w";
    v.url =
        "/assets/" + sdk::fingerprintedName(variantRel(set.rel, tag, format), v.key.substr(0, 10));
    return v;
}

}  // namespace

std::vector<const ImageVariant*> ImageSet::of(ImageFormat f) const {
    std::vector<const ImageVariant*> out;
    for (const auto& v : variants) {
        if (v.format == f) out.push_back(&v);
    }
    return out;
}

const ImageVariant& ImageSet::fallback() const {
    const ImageVariant* best = nullptr;
    for (const auto* v : of(format)) {
        if (!best || v->width <= 800) best = v;
    }
    return *best;
}

std::map<std::string, ImageSet> planImages(const std::map<std::string, Asset>& assets,
                                           const ImagesConfig& config, const std::string& shown) {
    std::map<std::string, ImageSet> sets;
    for (const auto& [rel, asset] : assets) {
        auto format = sourceFormat(rel);
        if (!format || asset.width <= 0 || asset.height <= 0) continue;
        ImageSet set;
        set.rel = rel;
        set.shown = shown + "/" + rel;
        set.format = *format;
        set.width = asset.width;
        set.height = asset.height;
        set.url = asset.url;
        const std::string hash = sdk::contentFingerprint(asset.body, 40);
        std::vector<int> widths;
        for (int w : config.widths) {
            if (w < asset.width) widths.push_back(w);
        }
        widths.push_back(asset.width);
        std::vector<ImageFormat> formats;
        if (config.avif) formats.push_back(ImageFormat::kAvif);
        if (config.webp) formats.push_back(ImageFormat::kWebp);
        formats.push_back(*format);
        for (auto f : formats) {
            for (int w : widths) {
                set.variants.push_back(plan(
                    set, hash, f, w, scaledHeight(asset.width, asset.height, w), false, config));
            }
        }
        set.og = plan(set, hash, ImageFormat::kJpeg, kOgWidth, kOgHeight, true, config);
        sets.emplace(rel, std::move(set));
    }
    return sets;
}

namespace {

// Fills one set's variants; throws ImageError when the source cannot be decoded.
bool encodeSet(ImageSet& set, const Asset& asset, const ImagesConfig& config,
               sdk::FileCache* cache) {
    std::optional<Raster> source;
    auto pixels = [&]() -> const Raster& {
        if (!source) {
            try {
                source = decodeImage(asset.body, set.format);
            } catch (const ImageError& e) {
                throw ImageError(std::string("cannot decode the image: ") + e.what());
            }
            if (source->width != set.width || source->height != set.height) {
                throw ImageError("decoded size " + std::to_string(source->width) + "x" +
                                 std::to_string(source->height) + " differs from the header's " +
                                 std::to_string(set.width) + "x" + std::to_string(set.height));
            }
        }
        return *source;
    };
    auto make = [&](const ImageVariant& v) {
        const Raster& in = pixels();
        try {
            Raster out =
                v.cover ? coverImage(in, v.width, v.height) : resizeImage(in, v.width, v.height);
            return encodeImage(out, v.format, qualityFor(config, v.format), config.avif_speed);
        } catch (const ImageError& e) {
            throw ImageError("cannot make " + v.url + ": " + e.what());
        }
    };
    std::vector<ImageVariant*> all;
    for (auto& v : set.variants) all.push_back(&v);
    all.push_back(&set.og);
    for (ImageVariant* v : all) {
        v->body = cache ? cache->get(v->key, [&] { return make(*v); }) : make(*v);
    }
    return source.has_value();
}

}  // namespace

ImageStats encodeImages(std::map<std::string, ImageSet>& sets,
                        const std::map<std::string, Asset>& assets, const ImagesConfig& config,
                        sdk::FileCache* cache, Issues& issues, unsigned threads) {
    std::vector<ImageSet*> work;
    for (auto& [rel, set] : sets) work.push_back(&set);
    std::atomic<std::size_t> next{0}, decoded{0};
    std::mutex mutex;
    std::vector<std::string> failed;
    Issues found;
    auto run = [&] {
        for (std::size_t i = next++; i < work.size(); i = next++) {
            ImageSet& set = *work[i];
            try {
                if (encodeSet(set, assets.at(set.rel), config, cache)) ++decoded;
            } catch (const std::exception& e) {
                std::lock_guard<std::mutex> lock(mutex);
                found.push_back({set.shown, 0, e.what()});
                failed.push_back(set.rel);
            }
        }
    };
    const unsigned n =
        std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(work.size())));
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < n; ++t) pool.emplace_back(run);
    run();
    for (auto& t : pool) t.join();
    std::sort(found.begin(), found.end(),
              [](const ContentIssue& a, const ContentIssue& b) { return a.file < b.file; });
    issues.insert(issues.end(), found.begin(), found.end());
    for (const auto& rel : failed) sets.erase(rel);
    ImageStats stats;
    stats.sources = sets.size();
    stats.decoded = decoded;
    for (const auto& [rel, set] : sets) {
        for (const auto& v : set.variants) stats.bytes += v.body.size();
        stats.bytes += set.og.body.size();
        stats.variants += set.variants.size() + 1;
    }
    return stats;
}

}  // namespace portico::plugins::pages
