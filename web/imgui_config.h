// Dear ImGui's build options for netshape (IMGUI_USER_CONFIG names this file).
#pragma once

// The web app has no demo, no debugging windows and no files (nothing is saved to imgui.ini).
#define IMGUI_DISABLE_DEMO_WINDOWS
#define IMGUI_DISABLE_METRICS_WINDOW
#define IMGUI_DISABLE_FILE_FUNCTIONS
#define IMGUI_DISABLE_OBSOLETE_FUNCTIONS

// ImGui reports each item it draws to these hooks; web/drawn_items.cpp keeps where the labelled
// ones are, so tests find widgets by label.
#define IMGUI_ENABLE_TEST_ENGINE

// A failed ImGui assertion in a release build is reported on the browser console, once per place,
// and the frame goes on: aborting would take the page (and the design a person was making) down.
// The web app's build names the place only (file name and line: the expressions' texts were 28 KB
// of the WebAssembly); the native builds, whose tests report a failed assertion, name the expression.
void netshape_imgui_assert_failed(const char* expression, const char* file, int line); // expression: may be null
#ifdef NETSHAPE_IMGUI_ASSERT_PLACE_ONLY
#define IM_ASSERT(expression) ((expression) ? (void)0 : netshape_imgui_assert_failed(nullptr, __FILE_NAME__, __LINE__))
#else
#define IM_ASSERT(expression) ((expression) ? (void)0 : netshape_imgui_assert_failed(#expression, __FILE__, __LINE__))
#endif
