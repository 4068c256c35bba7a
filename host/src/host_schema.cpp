#include <regex>
#include <string>

#include "config.hpp"

// The descriptions below are the reference documentation of the host config keys.

namespace portico::host {

namespace {

constexpr const char* kHostSchema = R"json({
  "type": "object",
  "description": "The Portico host configuration: one file for the host and every plugin.",
  "required": ["site"],
  "properties": {
    "$schema": {
      "type": "string",
      "description": "Editor hint pointing at a JSON schema file; ignored by the host."
    },
    "listen": {
      "type": "object",
      "description": "Where the HTTP server accepts connections.",
      "properties": {
        "address": {
          "type": "string",
          "minLength": 1,
          "default": "0.0.0.0",
          "description": "IP address to bind; 0.0.0.0 for every IPv4 interface, :: for IPv6."
        },
        "port": {
          "type": "integer",
          "minimum": 0,
          "maximum": 65535,
          "default": 8080,
          "description": "TCP port to bind; 0 picks a free port (the log says which)."
        }
      }
    },
    "admin": {
      "type": "object",
      "description": "The admin listener, for routes plugins mount on it (metrics, plugin "
        "list). It is opened only when a plugin registers an admin route.",
      "properties": {
        "enabled": {
          "type": "boolean",
          "default": true,
          "description": "Whether the admin listener may be opened at all."
        },
        "address": {
          "type": "string",
          "minLength": 1,
          "default": "127.0.0.1",
          "description": "IP address to bind; keep it on loopback or a private network."
        },
        "port": {
          "type": "integer",
          "minimum": 0,
          "maximum": 65535,
          "default": 9100,
          "description": "TCP port to bind; 0 picks a free port (the log says which)."
        }
      }
    },
    "data_dir": {
      "type": "string",
      "minLength": 1,
      "default": "data",
      "description": "Directory for the SQLite database and other state; relative paths are "
        "resolved against the working directory. Created at start-up if missing."
    },
    "database": {
      "type": "object",
      "description": "The data store plugins keep their tables in. It is opened only when an "
        "enabled plugin uses it.",
      "properties": {
        "url": {
          "type": "string",
          "default": "",
          "pattern": "^(|postgres(ql)?://.*)$",
          "description": "Empty: SQLite file portico.db in data_dir (WAL, foreign keys on). A "
            "postgresql://user:password@host:port/db URL (e.g. \"${DATABASE_URL}\"): PostgreSQL, "
            "for several replicas sharing data."
        },
        "pool_min": {
          "type": "integer", "minimum": 0, "maximum": 1024, "default": 1,
          "description": "Sessions the pool keeps open when idle."
        },
        "pool_max": {
          "type": "integer", "minimum": 1, "maximum": 1024, "default": 16,
          "description": "Most sessions open at once; a request finding none free within a "
            "second gets 503."
        },
        "busy_timeout_ms": {
          "type": "integer", "minimum": 0, "maximum": 600000, "default": 5000,
          "description": "SQLite: how long a statement waits for a lock held by another "
            "connection before it fails (the visitor then gets 503)."
        }
      }
    },
    "log": {
      "type": "object",
      "description": "Logging of the host and every plugin.",
      "properties": {
        "level": {
          "type": "string",
          "enum": ["trace", "debug", "info", "warn", "error", "critical", "off"],
          "default": "info",
          "description": "Lowest level written; plugins may override it with their own log_level."
        },
        "format": {
          "type": "string",
          "enum": ["text", "json"],
          "default": "text",
          "description": "text: one human-readable line per event; json: one JSON object per "
            "line, for log collectors."
        },
        "file": {
          "type": "string",
          "default": "",
          "description": "Log file path, relative to the working directory; empty logs to "
            "standard error only."
        },
        "max_size_mb": {
          "type": "integer",
          "minimum": 1,
          "maximum": 1048576,
          "default": 10,
          "description": "Size in MiB at which the log file is rotated."
        },
        "max_files": {
          "type": "integer",
          "minimum": 1,
          "maximum": 100,
          "default": 3,
          "description": "Number of rotated log files kept."
        },
        "access_log": {
          "type": "boolean",
          "default": true,
          "description": "Log one line per request with method, path, status, size and duration."
        }
      }
    },
    "server": {
      "type": "object",
      "description": "Transport limits and timeouts; the defaults suit a small site behind a "
        "proxy.",
      "properties": {
        "threads": {
          "type": "integer", "minimum": 1, "maximum": 1024, "default": 16,
          "description": "Worker threads that run handlers; connections waiting for bytes hold no "
            "thread."
        },
        "io_threads": {
          "type": "integer", "minimum": 0, "maximum": 256, "default": 0,
          "description": "Event-loop threads that accept connections and move bytes; 0 means one "
            "per CPU core."
        },
        "inline_handlers": {
          "type": "boolean", "default": false,
          "description": "Run every handler on the event-loop threads instead of the worker "
            "pool, also those that may wait. Without it, only requests whose route and early "
            "hooks are declared non-blocking (prebuilt pages, assets, sitemap) run there; one "
            "slow handler on an event loop stalls every connection of that loop."
        },
        "max_queued": {
          "type": "integer", "minimum": 1, "maximum": 1000000, "default": 256,
          "description": "Requests waiting for a free worker before new ones get 503."
        },
        "max_connections": {
          "type": "integer", "minimum": 0, "maximum": 1000000, "default": 0,
          "description": "Open connections per listener; 0 sizes it from the open-file limit "
            "(which start-up raises to the hard limit) less 128 descriptors for the store, logs "
            "and plugins. From half of it on, header and keep-alive timeouts shrink (to 1 s and "
            "0.25 s at 95 %); at the limit the idlest keep-alive connection, else the slowest "
            "header, is closed to make room, and only then does a new connection get 503."
        },
        "max_connections_per_client": {
          "type": "integer", "minimum": 0, "maximum": 1000000, "default": 256,
          "description": "Open connections one client address may hold; more get 503. Trusted "
            "proxies (trusted_proxies) are exempt; 0 means no limit. A browser opens about six."
        },
        "keep_alive_timeout_ms": {
          "type": "integer", "minimum": 0, "maximum": 3600000, "default": 5000,
          "description": "Idle time in milliseconds before a keep-alive connection is closed; 0 "
            "disables keep-alive."
        },
        "max_keep_alive_requests": {
          "type": "integer", "minimum": 1, "maximum": 1000000, "default": 1000,
          "description": "Requests served on one connection before it is closed."
        },
        "header_timeout_ms": {
          "type": "integer", "minimum": 100, "maximum": 600000, "default": 10000,
          "description": "Time in milliseconds to receive the whole request header before 408."
        },
        "body_timeout_ms": {
          "type": "integer", "minimum": 100, "maximum": 3600000, "default": 30000,
          "description": "Time in milliseconds to receive the whole request body before 408."
        },
        "send_timeout_ms": {
          "type": "integer", "minimum": 100, "maximum": 3600000, "default": 30000,
          "description": "Time in milliseconds a response may take to send before the connection "
            "is closed."
        },
        "max_body_bytes": {
          "type": "integer", "minimum": 0, "maximum": 1099511627776, "default": 1048576,
          "description": "Largest request body accepted; larger ones get 413."
        },
        "max_header_bytes": {
          "type": "integer", "minimum": 1024, "maximum": 1048576, "default": 16384,
          "description": "Largest request header (request line and fields) accepted; larger ones "
            "get 431."
        },
        "max_header_count": {
          "type": "integer", "minimum": 1, "maximum": 10000, "default": 100,
          "description": "Most header fields accepted in one request; more get 431."
        },
        "max_uri_bytes": {
          "type": "integer", "minimum": 256, "maximum": 1048576, "default": 8192,
          "description": "Longest request target accepted; longer ones get 414."
        },
        "shutdown_timeout_ms": {
          "type": "integer", "minimum": 0, "maximum": 600000, "default": 8000,
          "description": "Time in milliseconds in-flight requests get to finish on SIGTERM."
        },
        "trusted_proxies": {
          "type": ["array", "string"], "items": {"type": "string"}, "default": [],
          "description": "Reverse proxies (IP addresses or CIDRs, e.g. [\"172.30.0.0/24\"]) whose "
            "X-Forwarded-For / Forwarded header names the client; also one string of "
            "comma- or space-separated CIDRs, so it can come from the environment "
            "(\"${PORTICO_TRUSTED_PROXIES:-}\"). The host decides the client address once per "
            "request, for every plugin, the access log and the metrics: the TCP peer, or, when "
            "the peer is trusted, the rightmost forwarded address that is not. Empty: headers are "
            "never believed."
        },
        "drain_delay_ms": {
          "type": "integer", "minimum": 0, "maximum": 600000, "default": 0,
          "description": "On SIGTERM, time in milliseconds between readiness turning to fail "
            "(/readyz answers 503) and the listener closing, so a load balancer stops sending "
            "traffic first; requests are served normally meanwhile."
        }
      }
    },
    "site": {
      "type": "object",
      "description": "The site served: its public URL, host names and languages.",
      "required": ["base_url"],
      "properties": {
        "base_url": {
          "type": "string",
          "description": "Public URL of the site, starting with http:// or https://, used for "
            "absolute links and the sitemap; a trailing slash is removed."
        },
        "hosts": {
          "type": "array",
          "items": {"type": "string", "minLength": 1},
          "default": ["localhost"],
          "description": "Host names (Host header values, without port) the site answers to."
        },
        "unknown_hosts": {
          "type": "string",
          "enum": ["serve", "404", "421"],
          "default": "serve",
          "description": "Answer to a request whose Host is neither in hosts nor claimed by a "
            "plugin's host-specific route (a route for one host name): \"serve\" the main site, "
            "\"404\" Not Found, or \"421\" Misdirected Request. Loopback names (localhost, "
            "127.0.0.1, ::1) and requests without Host (HTTP/1.0) always count as known, so local "
            "health checks keep working."
        },
        "redirect_www": {
          "type": "boolean",
          "default": false,
          "description": "Answer a request for www.<name>, where <name> is in hosts or claimed "
            "by a plugin, with 301 to the same path and query on <name> (scheme of base_url, "
            "port of the request)."
        },
        "locales": {
          "type": "array",
          "items": {"type": "string", "minLength": 1},
          "minItems": 1,
          "default": ["en"],
          "description": "Languages of the site, each with a catalog locales/<locale>.json; no "
            "duplicates."
        },
        "default_locale": {
          "type": "string",
          "minLength": 1,
          "description": "Language served when a request names none; one of locales. Default: the "
            "first locale."
        }
      }
    },
    "plugin_dirs": {
      "type": "array",
      "items": {"type": "string", "minLength": 1},
      "default": [],
      "description": "Extra directories searched for plugin .so files, in order, before the "
        "installed plugin directory, which is always searched last; relative to the working "
        "directory. A plugin found here hides the installed one of the same id; two files with "
        "one id in these directories are an error."
    },
    "plugins": {
      "type": "object",
      "default": {},
      "description": "Plugins to load, keyed by plugin id (lowercase letters, digits, "
        "underscores; starting with a letter). Each value holds the host keys enabled, required "
        "and log_level plus the plugin's own settings.",
      "additionalProperties": {
        "type": "object",
        "additionalProperties": true,
        "description": "One plugin's block: host keys plus the settings the plugin's schema "
          "declares."
      }
    }
  }
})json";

constexpr const char* kPluginEntrySchema = R"json({
  "type": "object",
  "description": "Host keys of a plugin block; every other key is the plugin's own setting.",
  "additionalProperties": true,
  "properties": {
    "enabled": {
      "type": "boolean",
      "default": true,
      "description": "Load and run the plugin; false keeps the block but skips the plugin."
    },
    "required": {
      "type": "boolean",
      "default": true,
      "description": "Refuse to start when the plugin fails to load, configure or start; false "
        "logs the failure and runs without it."
    },
    "log_level": {
      "type": "string",
      "enum": ["trace", "debug", "info", "warn", "error", "critical", "off"],
      "description": "Log level of this plugin's logger; default: log.level."
    }
  }
})json";

// Long descriptions are written as adjacent string literals on consecutive lines, as in C, and
// joined before parsing; valid JSON never has a string right after a string.
nlohmann::json parseSchema(const char* text) {
    static const std::regex kContinuation("\"[ \t]*\r?\n[ \t]*\"");
    return nlohmann::json::parse(std::regex_replace(std::string(text), kContinuation, ""));
}

}  // namespace

const nlohmann::json& hostSchema() {
    static const nlohmann::json schema = parseSchema(kHostSchema);
    return schema;
}

const nlohmann::json& pluginEntrySchema() {
    static const nlohmann::json schema = parseSchema(kPluginEntrySchema);
    return schema;
}

}  // namespace portico::host
