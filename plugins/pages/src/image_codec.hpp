#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace portico::plugins::pages {

/// Decoded pixels: 8-bit RGBA rows without padding.
struct Raster {
    int width = 0;
    int height = 0;
    bool alpha = false;  ///< some pixel is not fully opaque
    std::vector<std::uint8_t> rgba;
};

/// An image that cannot be decoded or encoded; what() is a lowercase reason such as
/// "not a jpeg file: starts with 0x89 0x50".
class ImageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The raster formats the pages plugin writes variants of.
enum class ImageFormat { kJpeg, kPng, kWebp, kAvif };

/// "jpeg", "png", "webp", "avif"; the file extension is the same but "jpg" for JPEG.
const char* formatName(ImageFormat format);
const char* formatExtension(ImageFormat format);
const char* formatContentType(ImageFormat format);

/// Refuses images larger than this many pixels before decoding them (a 16k x 16k PNG bomb).
inline constexpr std::int64_t kMaxPixels = 50'000'000;

/// Decodes a JPEG (libjpeg-turbo) or PNG (libpng) file's bytes; `format` says which it claims
/// to be. Throws ImageError with the decoder's reason for anything else, a truncated or corrupt
/// file, or one over kMaxPixels. Any thread.
Raster decodeImage(const std::string& bytes, ImageFormat format);

/// `in` scaled to width x height with libwebp's WebPPictureRescale. Throws ImageError.
Raster resizeImage(const Raster& in, int width, int height);

/// The centre of `in` with the aspect of width x height (cover crop), scaled to that size.
Raster coverImage(const Raster& in, int width, int height);

/// Encoders: `quality` 1..100. AVIF uses libavif (libaom) at `speed` 0..10, one thread; WebP
/// libwebp; JPEG libjpeg-turbo (progressive, alpha dropped); PNG libpng (quality unused).
/// Throws ImageError.
std::string encodeImage(const Raster& in, ImageFormat format, int quality, int speed = 8);

/// The scaled height for `width` (rounded, at least 1): the one rule the markup and the
/// encoder share, so width/height attributes match the files.
int scaledHeight(int src_width, int src_height, int width);

/// The library versions that shape the output bytes, for cache keys.
std::string codecVersions();

}  // namespace portico::plugins::pages
