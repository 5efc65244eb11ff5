# The web app (included from the top CMakeLists.txt in an Emscripten build): the engine and the
# app state with Dear ImGui 1.86 (sources fetched from Debian's source package by .ci/dev, never
# committed), GLFW emulation and WebGL2, the shell page from shell/, presets and cut-down fonts
# compiled in. The result is a folder of static files: ${CMAKE_BINARY_DIR}/site.
set(NETSHAPE_FONT_DIR "/usr/share/fonts/truetype/dejavu" CACHE PATH "Where DejaVuSans.ttf is")
if(NOT NETSHAPE_IMGUI_DIR OR NOT EXISTS "${NETSHAPE_IMGUI_DIR}/imgui.cpp")
  message(STATUS "netshape: no Dear ImGui sources (NETSHAPE_IMGUI_DIR); the web app is not built")
  return()
endif()

set(imgui "${NETSHAPE_IMGUI_DIR}")
# (The native UI tests build the same sources without the backends: tests/CMakeLists.txt.)
add_library(netshape_imgui STATIC
  ${imgui}/imgui.cpp ${imgui}/imgui_draw.cpp ${imgui}/imgui_tables.cpp ${imgui}/imgui_widgets.cpp
  ${imgui}/backends/imgui_impl_glfw.cpp ${imgui}/backends/imgui_impl_opengl3.cpp ${imgui}/misc/cpp/imgui_stdlib.cpp)
target_include_directories(netshape_imgui SYSTEM PUBLIC ${imgui} ${imgui}/backends)
target_include_directories(netshape_imgui PUBLIC ${PROJECT_SOURCE_DIR}/web)
target_compile_definitions(netshape_imgui PUBLIC IMGUI_USER_CONFIG="imgui_config.h" IMGUI_IMPL_OPENGL_ES3
                                                  NETSHAPE_IMGUI_ASSERT_PLACE_ONLY) # web/imgui_config.h
# The backend's state queries answered without asking WebGL (why: web/gl_state_shim.cpp). Only
# this file is compiled with the names redirected; the sources stay as Debian ships them.
target_sources(netshape_imgui PRIVATE ${PROJECT_SOURCE_DIR}/web/gl_state_shim.cpp)
set_source_files_properties(${imgui}/backends/imgui_impl_opengl3.cpp PROPERTIES
  COMPILE_DEFINITIONS "glGetIntegerv=netshape_glGetIntegerv;glIsEnabled=netshape_glIsEnabled")

# ---- the font: DejaVu Sans from Debian, cut to the glyphs in web/glyph_ranges.h ----
# One face for everything, the text pane and the working included (a second, monospaced face cost
# 15 KB gzipped). The layout tables (Dear ImGui 1.86 neither kerns nor shapes) and MATH are dropped.
find_program(NETSHAPE_PYTHON NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH) # Debian's, which has fontTools
find_program(NETSHAPE_PYTHON NAMES python3 REQUIRED)
file(STRINGS "${PROJECT_SOURCE_DIR}/web/glyph_ranges.h" range_lines REGEX "^ *0x[0-9A-Fa-f]+, *0x[0-9A-Fa-f]+")
set(unicodes "")
foreach(line IN LISTS range_lines)
  string(REGEX MATCH "0x([0-9A-Fa-f]+), *0x([0-9A-Fa-f]+)" pair "${line}")
  list(APPEND unicodes "U+${CMAKE_MATCH_1}-${CMAKE_MATCH_2}")
endforeach()
list(JOIN unicodes "," unicodes)
set(font_dir "${CMAKE_BINARY_DIR}/fonts")
set(fonts "${font_dir}/text.ttf")
add_custom_command(OUTPUT ${fonts}
  COMMAND ${CMAKE_COMMAND} -E make_directory "${font_dir}"
  COMMAND "${NETSHAPE_PYTHON}" -m fontTools.subset "${NETSHAPE_FONT_DIR}/DejaVuSans.ttf" "--unicodes=${unicodes}"
          --no-hinting --desubroutinize --layout-features= --drop-tables+=GDEF,GPOS,GSUB,MATH,gasp
          "--output-file=${fonts}"
  DEPENDS "${NETSHAPE_FONT_DIR}/DejaVuSans.ttf" "${PROJECT_SOURCE_DIR}/web/glyph_ranges.h"
  COMMENT "Cutting DejaVuSans.ttf down to the glyphs netshape uses" VERBATIM)

# ---- files compiled in ----
file(GLOB presets CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/assets/presets/*")
list(SORT presets)
foreach(kind presets fonts)
  add_custom_command(OUTPUT "${CMAKE_BINARY_DIR}/embedded_${kind}.cpp"
    COMMAND ${CMAKE_COMMAND} "-DOUTPUT=${CMAKE_BINARY_DIR}/embedded_${kind}.cpp" "-DFUNCTION=embedded_${kind}"
            "-DFILES=${${kind}}" -P "${PROJECT_SOURCE_DIR}/web/cmake/embed_files.cmake"
    DEPENDS ${${kind}} "${PROJECT_SOURCE_DIR}/web/cmake/embed_files.cmake" VERBATIM)
endforeach()

# ---- the app ----
add_executable(netshape_web web/ui.cpp web/ui_common.cpp web/ui_editor.cpp web/ui_summary.cpp web/ui_embed.cpp web/ui_check.cpp web/ui_import.cpp web/ui_tools.cpp web/ui_glossary.cpp web/ui_quiz.cpp web/ui_diagram.cpp web/drawn_items.cpp
  web/browser_main.cpp web/browser_api.cpp web/no_default_font.cpp "${CMAKE_BINARY_DIR}/embedded_presets.cpp" "${CMAKE_BINARY_DIR}/embedded_fonts.cpp")
target_link_libraries(netshape_web PRIVATE netshape_app netshape_imgui netshape_warnings)
set(web_js_library "${PROJECT_SOURCE_DIR}/web/browser_library.js")
set(web_page_js "${PROJECT_SOURCE_DIR}/web/browser_page.js")
set(web_shell "${PROJECT_SOURCE_DIR}/shell/index.html")
set_target_properties(netshape_web PROPERTIES OUTPUT_NAME index SUFFIX ".html"
  RUNTIME_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}/site"
  LINK_DEPENDS "${web_js_library};${web_page_js};${web_shell}")
target_link_options(netshape_web PRIVATE
  -sUSE_GLFW=3 -sMIN_WEBGL_VERSION=2 -sMAX_WEBGL_VERSION=2
  -sALLOW_MEMORY_GROWTH=1 -sFILESYSTEM=0 -sENVIRONMENT=web -sMALLOC=emmalloc
  -sDYNAMIC_EXECUTION=0 -sMINIFY_HTML=0
  "-sEXPORTED_FUNCTIONS=_main,_malloc,_free"
  "-sEXPORTED_RUNTIME_METHODS=ccall,UTF8ToString"
  "--js-library=${web_js_library}" "--pre-js=${web_page_js}" "--shell-file=${web_shell}"
  # ImGui's built-in font is never used: calls go to web/no_default_font.cpp (why: there).
  -Wl,--wrap=_ZN11ImFontAtlas14AddFontDefaultEPK12ImFontConfig)

# ---- the import and export tools: a second module the page fetches on first use ----
# The importers and exporters are a fifth of the code and no first frame needs them
# (engine/tool_request.h); the app's module does not contain them.
add_executable(netshape_tools web/tools_main.cpp)
target_link_libraries(netshape_tools PRIVATE netshape_engine netshape_warnings)
set_target_properties(netshape_tools PROPERTIES OUTPUT_NAME tools SUFFIX ".js"
  RUNTIME_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}/site")
target_link_options(netshape_tools PRIVATE
  -sMODULARIZE=1 -sEXPORT_NAME=createNetshapeTools -sENVIRONMENT=web
  -sALLOW_MEMORY_GROWTH=1 -sFILESYSTEM=0 -sMALLOC=emmalloc -sDYNAMIC_EXECUTION=0
  "-sEXPORTED_FUNCTIONS=_netshape_tools_run,_malloc,_free"
  "-sEXPORTED_RUNTIME_METHODS=UTF8ToString,stringToUTF8,lengthBytesUTF8"
  -Oz -mnontrapping-fptoint -mbulk-memory -msign-ext -sBINARYEN_EXTRA_PASSES=--converge
  -sSUPPORT_LONGJMP=0 -sTEXTDECODER=2)
target_compile_options(netshape_tools PRIVATE -Oz -mnontrapping-fptoint -mbulk-memory -msign-ext)
add_dependencies(netshape_web netshape_tools) # the site's files are minified and compressed once both are there

# Everything in the app built for size first (-Oz: also at the link, where LTO generates the code),
# with three WebAssembly features every browser the app runs in has (WebAssembly exceptions, which
# it needs, came later in each): float-to-int conversions that saturate instead of being guarded,
# bulk memory (memory.copy and memory.fill) and sign extension.
foreach(target netshape_engine netshape_app netshape_imgui netshape_web)
  target_compile_options(${target} PRIVATE -Oz -mnontrapping-fptoint -mbulk-memory -msign-ext)
endforeach()
target_link_options(netshape_web PRIVATE -Oz -mnontrapping-fptoint -mbulk-memory -msign-ext
  -sBINARYEN_EXTRA_PASSES=--converge # Binaryen's -Oz run again until the module stops shrinking
  -sSUPPORT_LONGJMP=0 -sTEXTDECODER=2) # no setjmp in the app; every browser it runs in has TextDecoder

# The JavaScript glue minified by terser (web/minify.mjs; .ci/dev installs it into web/node_modules),
# then precompressed copies beside each file (.gz, .br), for hosts that serve them (README, "Hosting").
find_program(NETSHAPE_NODE NAMES node nodejs REQUIRED)
if(NOT EXISTS "${PROJECT_SOURCE_DIR}/web/node_modules/terser")
  message(FATAL_ERROR "netshape: terser is missing: run `npm ci` in ${PROJECT_SOURCE_DIR}/web (.ci/dev does)")
endif()
add_custom_command(TARGET netshape_tools POST_BUILD
  COMMAND "${NETSHAPE_NODE}" "${PROJECT_SOURCE_DIR}/web/minify.mjs" "${CMAKE_BINARY_DIR}/site" tools.js
  COMMAND "${NETSHAPE_NODE}" "${PROJECT_SOURCE_DIR}/web/precompress.mjs" "${CMAKE_BINARY_DIR}/site"
  COMMENT "minifying the tools module's glue (terser), precompressing the site (gzip, brotli)" VERBATIM)
add_custom_command(TARGET netshape_web POST_BUILD
  COMMAND "${NETSHAPE_NODE}" "${PROJECT_SOURCE_DIR}/web/minify.mjs" "${CMAKE_BINARY_DIR}/site" index.js
  COMMAND "${NETSHAPE_NODE}" "${PROJECT_SOURCE_DIR}/web/precompress.mjs" "${CMAKE_BINARY_DIR}/site"
  COMMENT "minifying the JavaScript glue (terser), precompressing the site (gzip, brotli)" VERBATIM)
