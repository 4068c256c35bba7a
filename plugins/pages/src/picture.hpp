#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "assets.hpp"
#include "images.hpp"

namespace portico::plugins::pages {

/// How an image is shown where it is used.
struct PictureUse {
    std::string alt;
    std::string sizes;      ///< the `sizes` attribute for the srcsets
    std::string css_class;  ///< on the <img>; empty: none
    bool priority = false;  ///< the page's hero: fetchpriority="high", loaded at once
    bool eager = false;     ///< near the top: loaded at once at normal priority
};

/// What `partials/picture.mustache` renders: {src, url (= src), srcset, avif, webp, sizes,
/// width, height, alt, class, priority, eager}. `set` is the asset's variants (null for SVG,
/// GIF and other images, which get a plain src and empty srcsets); width and height are the
/// intrinsic size, so the box is reserved before the file arrives. Every key is present (empty
/// strings and false are falsy), so a section never falls through to an outer value. Pure.
nlohmann::json pictureData(const Asset& asset, const ImageSet* set, const PictureUse& use);

/// "u1 480w, u2 800w" for the variants of `format`.
std::string srcset(const ImageSet& set, ImageFormat format);

}  // namespace portico::plugins::pages
