#pragma once
// Decoders for the tests that check what the host and the SDK compress: one copy for the SDK,
// host and integration suites. Each throws std::runtime_error on input that does not decode.

#include <brotli/decode.h>
#include <zlib.h>

#include <cstdint>
#include <stdexcept>
#include <string>

namespace portico::tests {

/// The body of one gzip member (not a zlib stream), up to 4 MiB.
inline std::string gunzip(const std::string& data) {
    z_stream stream{};
    if (inflateInit2(&stream, 15 + 16) != Z_OK) throw std::runtime_error("gunzip: init failed");
    std::string out(1 << 22, '\0');
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    stream.avail_in = static_cast<uInt>(data.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    const int rc = inflate(&stream, Z_FINISH);
    out.resize(stream.total_out);
    inflateEnd(&stream);
    if (rc != Z_STREAM_END) throw std::runtime_error("gunzip: not one whole gzip member");
    return out;
}

/// A brotli stream's content, up to 4 MiB.
inline std::string unbrotli(const std::string& data) {
    std::string out(1 << 22, '\0');
    std::size_t size = out.size();
    if (BrotliDecoderDecompress(data.size(), reinterpret_cast<const std::uint8_t*>(data.data()),
                                &size, reinterpret_cast<std::uint8_t*>(out.data())) !=
        BROTLI_DECODER_RESULT_SUCCESS) {
        throw std::runtime_error("unbrotli: not a whole brotli stream");
    }
    out.resize(size);
    return out;
}

}  // namespace portico::tests
