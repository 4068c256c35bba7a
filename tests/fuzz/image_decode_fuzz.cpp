// Arbitrary bytes through the pages plugin's decoders (libjpeg-turbo, libpng), as an author's
// broken or hostile file in www/assets would reach them: either a raster of the size it claims
// or an ImageError, never a crash, a leak or a read out of bounds. A decoded image is scaled
// and encoded as the variants are, so the path after the decoder is fuzzed too.
#include <cstddef>
#include <cstdint>
#include <string>

#include "image_codec.hpp"

using namespace portico::plugins::pages;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    for (auto format : {ImageFormat::kJpeg, ImageFormat::kPng}) {
        try {
            const Raster r = decodeImage(bytes, format);
            if (r.width <= 0 || r.height <= 0) __builtin_trap();
            if (r.rgba.size() != static_cast<std::size_t>(r.width) * r.height * 4) __builtin_trap();
            // Bounded work per input: scale small images only.
            if (static_cast<std::int64_t>(r.width) * r.height <= 256 * 256) {
                const int w = r.width > 1 ? r.width / 2 : 1;
                const Raster half = resizeImage(r, w, scaledHeight(r.width, r.height, w));
                if (encodeImage(half, ImageFormat::kWebp, 50).empty()) __builtin_trap();
            }
        } catch (const ImageError&) {
        }
    }
    return 0;
}
