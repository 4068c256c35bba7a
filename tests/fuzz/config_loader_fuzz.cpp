// Arbitrary text as config/portico.json through loadConfig: only ConfigLoadError may escape.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::string dir = [] {
        auto d = std::filesystem::temp_directory_path() /
                 ("portico-fuzz-config-" + std::to_string(::getpid()));
        std::filesystem::create_directories(d);
        return d.string();
    }();
    const std::string file = dir + "/portico.json";
    {
        std::ofstream out(file, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    try {
        portico::host::loadConfig(file);
    } catch (const portico::host::ConfigLoadError& e) {
        for (const auto& p : e.problems()) {
            if (p.str().empty()) __builtin_trap();
        }
    }
    return 0;
}
