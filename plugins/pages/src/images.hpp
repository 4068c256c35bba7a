#pragma once

#include <map>
#include <string>
#include <vector>

#include "assets.hpp"
#include "image_codec.hpp"
#include "issues.hpp"
#include "portico/sdk/file_cache.hpp"

namespace portico::plugins::pages {

/// The typed `images` block of the pages config.
struct ImagesConfig {
    std::vector<int> widths = {480, 800, 1200, 1600};  ///< ascending, no duplicates
    int jpeg_quality = 82;
    int webp_quality = 80;
    int avif_quality = 75;
    int avif_speed = 8;
    bool avif = true;
    bool webp = true;
    std::string sizes_content = "(min-width: 48rem) 42rem, calc(100vw - 2rem)";
    std::string sizes_portrait = "(min-width: 48rem) 18rem, 11rem";
    std::string sizes_card =
        "(min-width: 70rem) 22rem, (min-width: 48rem) 45vw, calc(100vw - 2rem)";
};

/// The FileCache format and suffix of <data_dir>/cache/images; a new format version makes every
/// older file a miss (and changes every variant URL).
inline constexpr const char* kImageCacheFormat = "PORTICO-IMAGES-1";
inline constexpr const char* kImageCacheSuffix = ".img";

/// The Open Graph rendition every raster image gets (a cover crop).
inline constexpr int kOgWidth = 1200;
inline constexpr int kOgHeight = 630;

/// One file made from a source image.
struct ImageVariant {
    ImageFormat format = ImageFormat::kJpeg;
    int width = 0;
    int height = 0;
    bool cover = false;  ///< cropped to width x height (the og:image), else scaled whole
    std::string key;     ///< cache key: source, settings and library versions
    std::string url;     ///< e.g. "/assets/img/owner-480w.3f2a1b4c5d.avif"
    std::string body;    ///< filled by encodeImages
};

/// A JPEG or PNG of the asset folder and the variants planned for it.
struct ImageSet {
    std::string rel;    ///< e.g. "img/owner.jpg"
    std::string shown;  ///< as in errors, e.g. "www/assets/img/owner.jpg"
    ImageFormat format = ImageFormat::kJpeg;
    int width = 0;  ///< intrinsic, from the file's header
    int height = 0;
    std::string url;                     ///< the original's own asset URL
    std::vector<ImageVariant> variants;  ///< by format (avif, webp, original's), width ascending
    ImageVariant og;                     ///< 1200x630 JPEG cover crop

    /// The variants of `format`, width ascending.
    std::vector<const ImageVariant*> of(ImageFormat format) const;
    /// The original format's variant to put in <img src>: the widest up to 800 px.
    const ImageVariant& fallback() const;
};

/// Plans the variants of every JPEG and PNG in `assets` (widths from `config` below the
/// image's own width, plus that width; never upscaled) without touching a pixel: URLs and
/// sizes are known before anything is encoded. `shown` is how the asset folder appears in
/// errors. Pure.
std::map<std::string, ImageSet> planImages(const std::map<std::string, Asset>& assets,
                                           const ImagesConfig& config, const std::string& shown);

/// What encodeImages did.
struct ImageStats {
    std::size_t sources = 0;  ///< images with variants
    std::size_t decoded = 0;  ///< sources decoded because some variant was not cached
    std::size_t bytes = 0;    ///< all variants together
    std::size_t variants = 0;
    sdk::FileCache::Stats cache;  ///< hits, built, rebuilt, unwritable
    std::size_t pruned = 0;       ///< cache files of images no longer built
};

/// Fills every variant's body: from `cache` (a FileCache over <data_dir>/cache/images; may be
/// null) where it holds the key, else decoded once per source, scaled and encoded, and stored.
/// Sources run in parallel on up to `threads` threads. A source that cannot be decoded is a
/// content error naming its file and the decoder's reason; its set is removed from `sets`.
ImageStats encodeImages(std::map<std::string, ImageSet>& sets,
                        const std::map<std::string, Asset>& assets, const ImagesConfig& config,
                        sdk::FileCache* cache, Issues& issues, unsigned threads);

}  // namespace portico::plugins::pages
