// Per-response cost of the SDK's gzip and brotli at each level on one body (the contact page by
// default): microseconds per call (median of rounds) and the encoded size. Not a test; built and
// run by tests/bench/compression.sh.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "portico/sdk/resource.hpp"

namespace {

template <typename F>
double medianMicros(F encode, int calls) {
    std::vector<double> rounds;
    for (int round = 0; round < 7; ++round) {
        const auto start = std::chrono::steady_clock::now();
        for (int i = 0; i < calls; ++i) encode();
        const std::chrono::duration<double, std::micro> took =
            std::chrono::steady_clock::now() - start;
        rounds.push_back(took.count() / calls);
    }
    std::sort(rounds.begin(), rounds.end());
    return rounds[rounds.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: compression_levels FILE [CALLS]\n");
        return 2;
    }
    std::ifstream in(argv[1], std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string body = buffer.str();
    const int calls = argc > 2 ? std::stoi(argv[2]) : 200;
    std::printf("%s: %zu bytes, %d calls per round, median of 7 rounds\n", argv[1], body.size(),
                calls);
    std::printf("%-8s %5s %10s %8s %7s\n", "coder", "level", "us/call", "bytes", "ratio");
    for (int level = 1; level <= 9; ++level) {
        const std::size_t size = portico::sdk::gzipCompress(body, level).size();
        const double us = medianMicros([&] { portico::sdk::gzipCompress(body, level); }, calls);
        std::printf("%-8s %5d %10.1f %8zu %7.3f\n", "gzip", level, us, size,
                    static_cast<double>(size) / static_cast<double>(body.size()));
    }
    for (int quality = 0; quality <= 11; ++quality) {
        const std::size_t size = portico::sdk::brotliCompress(body, quality).size();
        const int n = quality >= 10 ? std::max(calls / 20, 1) : calls;
        const double us = medianMicros([&] { portico::sdk::brotliCompress(body, quality); }, n);
        std::printf("%-8s %5d %10.1f %8zu %7.3f\n", "brotli", quality, us, size,
                    static_cast<double>(size) / static_cast<double>(body.size()));
    }
    return 0;
}
