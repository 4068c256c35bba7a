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

namespace {

// A stream the pipeline can hand out; the transport's side is not exercised here.
struct NullStream final : portico::host::ResponseStream {
    void attach(std::function<void()>) override {}
    std::string take(bool& ended) override {
        ended = true;
        return {};
    }
    void detach() noexcept override {}
};

Exchange get(const Pipeline& pipeline, const std::string& host, const std::string& path,
             const std::string& method = "GET") {
    Exchange exchange;
    exchange.request.method = method;
    exchange.request.host = host;
    exchange.request.target = exchange.request.path = path;
    exchange.request.headers.set("Accept-Encoding", "gzip, br");
    pipeline.handle(exchange);
    return exchange;
}

}  // namespace

TEST_CASE("the host's own routes answer on every virtual host, a streaming one with its stream") {
    Pipeline pipeline(
        std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>()),
        1024);
    int open = 0;
    HookSet host;
    portico::host::Route stream;
    stream.spec.path = "/_portico/events";
    stream.handler = [](const portico::sdk::Request&, portico::sdk::Response& res) {
        res.send(200, "text/event-stream", std::string(600, ':') + "\n\n");
    };
    stream.stream = [&open]() -> std::shared_ptr<portico::host::ResponseStream> {
        if (++open > 2) return nullptr;
        return std::make_shared<NullStream>();
    };
    host.routes.push_back(stream);
    HookSet studio;  // a plugin that claims a whole virtual host
    portico::sdk::RouteSpec all;
    all.path = "/";
    all.prefix = true;
    all.host = "studio.example.com";
    studio.routes.push_back({all,
                             [](const portico::sdk::Request&, portico::sdk::Response& res) {
                                 res.send(200, "text/plain", "studio");
                             },
                             "studio"});
    REQUIRE(pipeline.add("", host).empty());
    REQUIRE(pipeline.add("studio", studio).empty());

    auto main_site = get(pipeline, "example.com", "/_portico/events");
    CHECK(main_site.response.status == 200);
    CHECK(main_site.stream != nullptr);
    CHECK_FALSE(main_site.response.headers.has("Content-Encoding"));  // a stream is never encoded
    auto claimed = get(pipeline, "studio.example.com", "/_portico/events");
    CHECK(claimed.response.status == 200);
    CHECK(claimed.stream != nullptr);
    CHECK(get(pipeline, "studio.example.com", "/other").response.body == "studio");
    auto head = get(pipeline, "example.com", "/_portico/events", "HEAD");
    CHECK(head.stream == nullptr);
    auto full = get(pipeline, "example.com", "/_portico/events");  // the third: none to be had
    CHECK(full.response.status == 503);
    CHECK(full.stream == nullptr);
    CHECK(full.response.headers.getOr("Retry-After", "") == "5");
}
