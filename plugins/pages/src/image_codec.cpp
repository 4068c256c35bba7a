#include "image_codec.hpp"

#include <avif/avif.h>
#include <png.h>
#include <webp/encode.h>

#include <algorithm>
#include <csetjmp>
#include <cstdio>
#include <cstdlib>
#include <memory>

// jpeglib.h needs FILE and size_t declared first.
#include <jpeglib.h>

namespace portico::plugins::pages {
namespace {

// libjpeg reports fatal errors through error_exit, which must not return: it jumps back to the
// setjmp in the caller with the message. Only trivially destructible locals live between the
// setjmp and the libjpeg calls that may jump.
struct JpegError {
    jpeg_error_mgr mgr;
    std::jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
};

void jpegErrorExit(j_common_ptr info) {
    auto* err = reinterpret_cast<JpegError*>(info->err);
    (*info->err->format_message)(info, err->message);
    std::longjmp(err->jump, 1);
}

void jpegSilence(j_common_ptr, int) {}

std::string lowered(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

void checkPixels(std::int64_t width, std::int64_t height) {
    if (width <= 0 || height <= 0) throw ImageError("image has no pixels");
    if (width * height > kMaxPixels) {
        throw ImageError("image of " + std::to_string(width) + "x" + std::to_string(height) +
                         " pixels is larger than the limit of " + std::to_string(kMaxPixels));
    }
}

// Returns false with `why` set; `out` is sized by the header before the pixels are read.
bool decodeJpeg(const std::string& bytes, Raster& out, std::string& why) {
    jpeg_decompress_struct info{};
    JpegError err{};
    info.err = jpeg_std_error(&err.mgr);
    err.mgr.error_exit = jpegErrorExit;
    err.mgr.emit_message = jpegSilence;
    if (setjmp(err.jump)) {
        jpeg_destroy_decompress(&info);
        why = lowered(err.message);
        return false;
    }
    jpeg_create_decompress(&info);
    jpeg_mem_src(&info, reinterpret_cast<const unsigned char*>(bytes.data()),
                 static_cast<unsigned long>(bytes.size()));
    jpeg_read_header(&info, TRUE);
    if (static_cast<std::int64_t>(info.image_width) * info.image_height > kMaxPixels ||
        info.image_width == 0 || info.image_height == 0) {
        out.width = static_cast<int>(info.image_width);
        out.height = static_cast<int>(info.image_height);
        jpeg_destroy_decompress(&info);
        why = "size";
        return false;
    }
    info.out_color_space = JCS_EXT_RGBA;
    jpeg_start_decompress(&info);
    out.width = static_cast<int>(info.output_width);
    out.height = static_cast<int>(info.output_height);
    out.rgba.resize(static_cast<std::size_t>(out.width) * out.height * 4);
    while (info.output_scanline < info.output_height) {
        JSAMPROW row =
            out.rgba.data() + static_cast<std::size_t>(info.output_scanline) * out.width * 4;
        jpeg_read_scanlines(&info, &row, 1);
    }
    jpeg_finish_decompress(&info);
    jpeg_destroy_decompress(&info);
    return true;
}

Raster decodePng(const std::string& bytes) {
    png_image image{};
    image.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&image, bytes.data(), bytes.size())) {
        throw ImageError(lowered(image.message));
    }
    auto guard = std::unique_ptr<png_image, void (*)(png_imagep)>(&image, png_image_free);
    checkPixels(image.width, image.height);
    const bool has_alpha = (image.format & PNG_FORMAT_FLAG_ALPHA) != 0;
    image.format = PNG_FORMAT_RGBA;
    Raster out;
    out.width = static_cast<int>(image.width);
    out.height = static_cast<int>(image.height);
    out.rgba.resize(PNG_IMAGE_SIZE(image));
    if (!png_image_finish_read(&image, nullptr, out.rgba.data(), 0, nullptr)) {
        throw ImageError(lowered(image.message));
    }
    if (has_alpha) {
        for (std::size_t i = 3; i < out.rgba.size(); i += 4) {
            if (out.rgba[i] != 255) {
                out.alpha = true;
                break;
            }
        }
    }
    return out;
}

struct WebpPicture {
    WebPPicture pic{};
    WebpPicture() {
        if (!WebPPictureInit(&pic)) throw ImageError("libwebp: version mismatch");
        pic.use_argb = 1;
    }
    ~WebpPicture() { WebPPictureFree(&pic); }
    WebpPicture(const WebpPicture&) = delete;
    WebpPicture& operator=(const WebpPicture&) = delete;
};

void importRgba(WebpPicture& p, const Raster& in) {
    p.pic.width = in.width;
    p.pic.height = in.height;
    if (!WebPPictureImportRGBA(&p.pic, in.rgba.data(), in.width * 4)) {
        throw ImageError("libwebp: out of memory importing " + std::to_string(in.width) + "x" +
                         std::to_string(in.height) + " pixels");
    }
}

Raster exportRgba(const WebPPicture& pic, bool alpha) {
    Raster out;
    out.width = pic.width;
    out.height = pic.height;
    out.alpha = alpha;
    out.rgba.resize(static_cast<std::size_t>(pic.width) * pic.height * 4);
    std::uint8_t* dst = out.rgba.data();
    for (int y = 0; y < pic.height; ++y) {
        const std::uint32_t* row = pic.argb + static_cast<std::size_t>(y) * pic.argb_stride;
        for (int x = 0; x < pic.width; ++x) {
            const std::uint32_t v = row[x];
            *dst++ = static_cast<std::uint8_t>(v >> 16);
            *dst++ = static_cast<std::uint8_t>(v >> 8);
            *dst++ = static_cast<std::uint8_t>(v);
            *dst++ = static_cast<std::uint8_t>(v >> 24);
        }
    }
    return out;
}

std::string encodeJpeg(const Raster& in, int quality) {
    jpeg_compress_struct info{};
    JpegError err{};
    unsigned char* buffer = nullptr;
    unsigned long size = 0;
    info.err = jpeg_std_error(&err.mgr);
    err.mgr.error_exit = jpegErrorExit;
    err.mgr.emit_message = jpegSilence;
    if (setjmp(err.jump)) {
        jpeg_destroy_compress(&info);
        std::free(buffer);
        throw ImageError("jpeg encoder: " + lowered(err.message));
    }
    jpeg_create_compress(&info);
    jpeg_mem_dest(&info, &buffer, &size);
    info.image_width = static_cast<JDIMENSION>(in.width);
    info.image_height = static_cast<JDIMENSION>(in.height);
    info.input_components = 4;
    info.in_color_space = JCS_EXT_RGBA;
    jpeg_set_defaults(&info);
    jpeg_set_quality(&info, quality, TRUE);
    jpeg_simple_progression(&info);
    info.optimize_coding = TRUE;
    jpeg_start_compress(&info, TRUE);
    while (info.next_scanline < info.image_height) {
        JSAMPROW row = const_cast<JSAMPROW>(
            in.rgba.data() + static_cast<std::size_t>(info.next_scanline) * in.width * 4);
        jpeg_write_scanlines(&info, &row, 1);
    }
    jpeg_finish_compress(&info);
    jpeg_destroy_compress(&info);
    std::string out(reinterpret_cast<const char*>(buffer), size);
    std::free(buffer);
    return out;
}

std::string encodePng(const Raster& in) {
    png_image image{};
    image.version = PNG_IMAGE_VERSION;
    image.width = static_cast<png_uint_32>(in.width);
    image.height = static_cast<png_uint_32>(in.height);
    image.format = in.alpha ? PNG_FORMAT_RGBA : PNG_FORMAT_RGB;
    std::vector<std::uint8_t> rgb;
    const void* pixels = in.rgba.data();
    if (!in.alpha) {
        rgb.reserve(in.rgba.size() / 4 * 3);
        for (std::size_t i = 0; i < in.rgba.size(); i += 4) {
            rgb.insert(rgb.end(), in.rgba.begin() + static_cast<long>(i),
                       in.rgba.begin() + static_cast<long>(i) + 3);
        }
        pixels = rgb.data();
    }
    png_alloc_size_t size = 0;
    if (!png_image_write_to_memory(&image, nullptr, &size, 0, pixels, 0, nullptr)) {
        throw ImageError("png encoder: " + lowered(image.message));
    }
    std::string out(size, '\0');
    if (!png_image_write_to_memory(&image, out.data(), &size, 0, pixels, 0, nullptr)) {
        throw ImageError("png encoder: " + lowered(image.message));
    }
    out.resize(size);
    return out;
}

std::string encodeWebp(const Raster& in, int quality) {
    std::uint8_t* data = nullptr;
    const std::size_t size =
        in.alpha ? WebPEncodeRGBA(in.rgba.data(), in.width, in.height, in.width * 4,
                                  static_cast<float>(quality), &data)
                 : [&] {
                       std::vector<std::uint8_t> rgb;
                       rgb.reserve(in.rgba.size() / 4 * 3);
                       for (std::size_t i = 0; i < in.rgba.size(); i += 4) {
                           rgb.push_back(in.rgba[i]);
                           rgb.push_back(in.rgba[i + 1]);
                           rgb.push_back(in.rgba[i + 2]);
                       }
                       return WebPEncodeRGB(rgb.data(), in.width, in.height, in.width * 3,
                                            static_cast<float>(quality), &data);
                   }();
    if (size == 0 || !data) throw ImageError("webp encoder: encoding failed");
    std::string out(reinterpret_cast<const char*>(data), size);
    WebPFree(data);
    return out;
}

std::string encodeAvif(const Raster& in, int quality, int speed) {
    std::unique_ptr<avifImage, void (*)(avifImage*)> image(
        avifImageCreate(static_cast<uint32_t>(in.width), static_cast<uint32_t>(in.height), 8,
                        AVIF_PIXEL_FORMAT_YUV420),
        avifImageDestroy);
    if (!image) throw ImageError("avif encoder: out of memory");
    avifRGBImage rgb;
    avifRGBImageSetDefaults(&rgb, image.get());
    rgb.format = AVIF_RGB_FORMAT_RGBA;
    rgb.ignoreAlpha = in.alpha ? AVIF_FALSE : AVIF_TRUE;
    rgb.pixels = const_cast<uint8_t*>(in.rgba.data());
    rgb.rowBytes = static_cast<uint32_t>(in.width) * 4;
    if (avifResult r = avifImageRGBToYUV(image.get(), &rgb); r != AVIF_RESULT_OK) {
        throw ImageError(std::string("avif encoder: ") + avifResultToString(r));
    }
    std::unique_ptr<avifEncoder, void (*)(avifEncoder*)> encoder(avifEncoderCreate(),
                                                                 avifEncoderDestroy);
    if (!encoder) throw ImageError("avif encoder: out of memory");
    // libavif 0.11 takes quantizers (0 best .. 63 worst) rather than a quality.
    const int q = std::clamp(((100 - quality) * AVIF_QUANTIZER_WORST_QUALITY + 50) / 100, 0, 63);
    encoder->minQuantizer = std::max(0, q - 4);
    encoder->maxQuantizer = q;
    encoder->minQuantizerAlpha = AVIF_QUANTIZER_LOSSLESS;
    encoder->maxQuantizerAlpha = AVIF_QUANTIZER_LOSSLESS;
    encoder->speed = speed;
    encoder->maxThreads = 1;
    avifRWData output = AVIF_DATA_EMPTY;
    if (avifResult r = avifEncoderWrite(encoder.get(), image.get(), &output); r != AVIF_RESULT_OK) {
        avifRWDataFree(&output);
        throw ImageError(std::string("avif encoder: ") + avifResultToString(r));
    }
    std::string out(reinterpret_cast<const char*>(output.data), output.size);
    avifRWDataFree(&output);
    return out;
}

}  // namespace

const char* formatName(ImageFormat format) {
    switch (format) {
        case ImageFormat::kJpeg:
            return "jpeg";
        case ImageFormat::kPng:
            return "png";
        case ImageFormat::kWebp:
            return "webp";
        case ImageFormat::kAvif:
            return "avif";
    }
    return "";
}

const char* formatExtension(ImageFormat format) {
    return format == ImageFormat::kJpeg ? "jpg" : formatName(format);
}

const char* formatContentType(ImageFormat format) {
    switch (format) {
        case ImageFormat::kJpeg:
            return "image/jpeg";
        case ImageFormat::kPng:
            return "image/png";
        case ImageFormat::kWebp:
            return "image/webp";
        case ImageFormat::kAvif:
            return "image/avif";
    }
    return "";
}

Raster decodeImage(const std::string& bytes, ImageFormat format) {
    if (format == ImageFormat::kPng) return decodePng(bytes);
    if (format != ImageFormat::kJpeg) throw ImageError("only jpeg and png sources are decoded");
    Raster out;
    std::string why;
    if (!decodeJpeg(bytes, out, why)) {
        if (why == "size") checkPixels(out.width, out.height);
        throw ImageError(why.empty() ? "cannot decode the jpeg file" : why);
    }
    return out;
}

Raster resizeImage(const Raster& in, int width, int height) {
    if (width == in.width && height == in.height) return in;
    if (width <= 0 || height <= 0) throw ImageError("cannot scale to no pixels");
    WebpPicture p;
    importRgba(p, in);
    if (!WebPPictureRescale(&p.pic, width, height)) {
        throw ImageError("cannot scale " + std::to_string(in.width) + "x" +
                         std::to_string(in.height) + " to " + std::to_string(width) + "x" +
                         std::to_string(height));
    }
    return exportRgba(p.pic, in.alpha);
}

Raster coverImage(const Raster& in, int width, int height) {
    // The largest centred region with the target's aspect.
    int crop_w = in.width;
    int crop_h = static_cast<int>(static_cast<std::int64_t>(in.width) * height / width);
    if (crop_h > in.height) {
        crop_h = in.height;
        crop_w = static_cast<int>(static_cast<std::int64_t>(in.height) * width / height);
    }
    crop_w = std::max(1, crop_w);
    crop_h = std::max(1, crop_h);
    const int left = (in.width - crop_w) / 2;
    const int top = (in.height - crop_h) / 2;
    Raster crop;
    crop.width = crop_w;
    crop.height = crop_h;
    crop.alpha = in.alpha;
    crop.rgba.resize(static_cast<std::size_t>(crop_w) * crop_h * 4);
    for (int y = 0; y < crop_h; ++y) {
        const auto* src =
            in.rgba.data() + (static_cast<std::size_t>(top + y) * in.width + left) * 4;
        std::copy(src, src + static_cast<std::size_t>(crop_w) * 4,
                  crop.rgba.data() + static_cast<std::size_t>(y) * crop_w * 4);
    }
    return resizeImage(crop, width, height);
}

std::string encodeImage(const Raster& in, ImageFormat format, int quality, int speed) {
    switch (format) {
        case ImageFormat::kJpeg:
            return encodeJpeg(in, quality);
        case ImageFormat::kPng:
            return encodePng(in);
        case ImageFormat::kWebp:
            return encodeWebp(in, quality);
        case ImageFormat::kAvif:
            return encodeAvif(in, quality, speed);
    }
    throw ImageError("unknown format");
}

int scaledHeight(int src_width, int src_height, int width) {
    if (src_width <= 0) return 0;
    const std::int64_t h =
        (static_cast<std::int64_t>(src_height) * width * 2 + src_width) / (2 * src_width);
    return static_cast<int>(std::max<std::int64_t>(1, h));
}

std::string codecVersions() {
    const int webp = WebPGetEncoderVersion();
    char codecs[256] = {};
    avifCodecVersions(codecs);
    return "jpeg " + std::to_string(JPEG_LIB_VERSION) + " png " PNG_LIBPNG_VER_STRING " webp " +
           std::to_string(webp >> 16) + "." + std::to_string((webp >> 8) & 0xFF) + "." +
           std::to_string(webp & 0xFF) + " avif " + avifVersion() + " " + codecs;
}

}  // namespace portico::plugins::pages
