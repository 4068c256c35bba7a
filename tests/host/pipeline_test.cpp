#include "pipeline.hpp"

#include <spdlog/sinks/null_sink.h>

#include <catch2/catch.hpp>

#include "portico/sdk/resource.hpp"

using portico::host::Exchange;
using portico::host::HookSet;
using portico::host::Pipeline;

namespace {

// A pipeline with one route serving a prebuilt document at /doc.
struct DocPipeline {
    DocPipeline()
        : pipeline(std::make_shared<spdlog::logger>(
                       "test", std::make_shared<spdlog::sinks::null_sink_mt>()),
                   1024) {
        portico::sdk::ResourceSpec spec;
        spec.body = "<!doctype html><title>doc</title>";
        spec.content_type = "text/html; charset=utf-8";
        doc = portico::sdk::makeResource(std::move(spec), {});
        HookSet hooks;
        portico::sdk::RouteSpec route;
        route.path = "/doc";
        hooks.routes.push_back(
            {route,
             [this](const portico::sdk::Request&, portico::sdk::Response& res) { res.serve(doc); },
             "test"});
        REQUIRE(pipeline.add("test", hooks).empty());
    }
    int status(const std::string& if_none_match) {
        Exchange exchange;
        exchange.request.method = "GET";
        exchange.request.target = exchange.request.path = "/doc";
        exchange.request.headers.set("If-None-Match", if_none_match);
        pipeline.handle(exchange);
        return exchange.response.status;
    }
    Pipeline pipeline;
    std::shared_ptr<const portico::sdk::Resource> doc;
};

}  // namespace

TEST_CASE("If-None-Match is 304 for the entity tag, a weak form of it or a lone star only") {
    DocPipeline p;
    const std::string etag = p.doc->etag;
    struct Row {
        std::string header;
        int status;
    };
    const Row rows[] = {
        {etag, 304},
        {"W/" + etag, 304},
        {"\"other\", " + etag, 304},
        {"*", 304},
        {" * ", 304},
        {"\"other\"", 200},
        {"\"a*b\"", 200},
        {"\"other\", \"*\"", 200},
        {"W/\"x*\"", 200},
    };
    for (const auto& row : rows) {
        CAPTURE(row.header);
        CHECK(p.status(row.header) == row.status);
    }
}
