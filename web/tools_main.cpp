// The web app's second module: the importers and exporters (engine/tool_request.h), which the
// page fetches the first time a person imports or exports (browser_page.js, loadTools). One
// export: an encoded request in, an encoded reply out, both in this module's memory.
#include "engine/tool_request.h"

#include <emscripten.h>

#include <cstdlib>
#include <cstring>
#include <string>

// The reply is malloc'ed; the page frees it with this module's _free once it has read it.
extern "C" EMSCRIPTEN_KEEPALIVE char* netshape_tools_run(const char* request) {
    const std::string reply = netshape::run_tool_request(request);
    char* copy = static_cast<char*>(std::malloc(reply.size() + 1));
    if (copy) std::memcpy(copy, reply.c_str(), reply.size() + 1);
    return copy;
}
