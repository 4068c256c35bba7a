#include "transport/overload.hpp"

#include <catch2/catch.hpp>

#include "fd_limit.hpp"

using namespace portico::host::transport;
using std::chrono::milliseconds;

TEST_CASE("timeouts shrink linearly from half occupancy to their floor at 95 %") {
    struct Row {
        double occupancy;
        long long expected_ms;
    };
    const Row rows[] = {
        {0.0, 10000}, {0.5, 10000}, {0.725, 5500}, {0.95, 1000}, {1.0, 1000}, {2.0, 1000},
    };
    for (const auto& row : rows) {
        CAPTURE(row.occupancy);
        auto got = scaledTimeout(milliseconds(10000), milliseconds(1000), row.occupancy);
        CHECK(std::chrono::duration_cast<milliseconds>(got).count() == row.expected_ms);
    }
    // A floor above the configured timeout never lengthens it.
    CHECK(scaledTimeout(milliseconds(500), milliseconds(1000), 1.0) == milliseconds(500));
}

TEST_CASE("the client table caps connections per address and forgets addresses at zero") {
    ClientTable table;
    CHECK(table.acquire("127.0.0.2", 2));
    CHECK(table.acquire("127.0.0.2", 2));
    CHECK_FALSE(table.acquire("127.0.0.2", 2));
    CHECK(table.acquire("127.0.0.3", 2));
    CHECK(table.size() == 2);
    table.release("127.0.0.2");
    CHECK(table.acquire("127.0.0.2", 2));
    table.release("127.0.0.2");
    table.release("127.0.0.2");
    table.release("127.0.0.3");
    CHECK(table.size() == 0);
    CHECK_FALSE(table.acquire("127.0.0.4", 0));
    CHECK(table.size() == 0);
}

TEST_CASE("max_connections follows the open-file limit less a reserve, within bounds") {
    using portico::host::autoMaxConnections;
    CHECK(autoMaxConnections(1024) == 1024 - 128);
    CHECK(autoMaxConnections(65536) == 65536 - 128);
    CHECK(autoMaxConnections(100) == 64);
    CHECK(autoMaxConnections(1u << 30) == 1000000);
}
