// Plugin files that are broken on purpose, one per BAD_KIND, for the loader's error tests.
#include <stdexcept>

#include "portico/sdk/abi.hpp"

#if BAD_KIND == 4
// No entry symbol at all: only an unrelated export.
extern "C" __attribute__((visibility("default"))) int portico_something_else() { return 1; }
#else
namespace {
void* create(char* error, std::size_t size) { return nullptr; }
void destroy(void*) {}
portico_plugin_record makeRecord() {
    portico_plugin_record r = {PORTICO_ABI_MAGIC, sizeof(portico_plugin_record),
                               PORTICO_ABI_MAJOR, PORTICO_ABI_MINOR,
                               PORTICO_FP_COMPILER, PORTICO_FP_CXX_ABI,
                               PORTICO_FP_CXX_STANDARD, PORTICO_FP_POCO,
                               PORTICO_FP_JSON, PORTICO_FP_SPDLOG,
                               BAD_ID, "0.0.1", "broken on purpose", "", "{}", &create, &destroy};
#if BAD_KIND == 1
    r.abi_major = 99;
#elif BAD_KIND == 2
    r.compiler = "gcc 3";
    r.poco_version = "0x01090000";
#elif BAD_KIND == 5
    r.create = nullptr;
#elif BAD_KIND == 6
    r.id = "guestbook-lite";  // breaks the id rule (and does not match the file name)
#endif
    return r;
}
}  // namespace

extern "C" __attribute__((visibility("default"))) const portico_plugin_record*
portico_plugin_entry(void) {
#if BAD_KIND == 3
    throw std::runtime_error("entry refuses to run");
#endif
    static const portico_plugin_record record = makeRecord();
    return &record;
}
#endif
