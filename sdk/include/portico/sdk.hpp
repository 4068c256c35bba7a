#pragma once

// Everything a plugin author needs, in one include; free of Poco. A plugin that uses the data
// store also includes "portico/sdk/data.hpp".
#include "portico/sdk/abi.hpp"
#include "portico/sdk/clock.hpp"
#include "portico/sdk/command.hpp"
#include "portico/sdk/context.hpp"
#include "portico/sdk/entry.hpp"
#include "portico/sdk/errors.hpp"
#include "portico/sdk/hooks.hpp"
#include "portico/sdk/http.hpp"
#include "portico/sdk/memo.hpp"
#include "portico/sdk/metrics.hpp"
#include "portico/sdk/plugin.hpp"
#include "portico/sdk/resource.hpp"
#include "portico/sdk/schema.hpp"
#include "portico/sdk/site_model.hpp"
#include "portico/sdk/status.hpp"
