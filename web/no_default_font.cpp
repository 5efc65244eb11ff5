// Dear ImGui's built-in font (ProggyClean, 11 KB of compressed data) left out of the web app.
// The app adds its own fonts before the atlas is built (browser_main.cpp, fit_canvas), so ImGui's
// fallback — ImFontAtlas::GetTexDataAsRGBA32 adds the default font to an atlas that has none —
// never runs; but it is referenced, so the linker would keep the font's data. The web app is
// linked with -Wl,--wrap=<AddFontDefault's mangled name> (web/cmake/web_app.cmake), which sends
// every call here instead, and the original, with its data, is dropped.
#include <imgui.h>

extern "C" ImFont* __wrap__ZN11ImFontAtlas14AddFontDefaultEPK12ImFontConfig(ImFontAtlas*, const ImFontConfig*) {
    IM_ASSERT(false && "the web app has no built-in font: add the app's fonts before building the atlas");
    return nullptr;
}
