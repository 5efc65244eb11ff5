// Files compiled into the web app (the build generates their bytes from assets/ and the cut-down
// fonts): a first visit downloads one .wasm, with no file system and no extra requests.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

namespace netshape::ui {

struct EmbeddedFile {
    const char* name; // the file's name, without folders
    const unsigned char* data;
    size_t size;

    std::string_view text() const { return {reinterpret_cast<const char*>(data), size}; }
};

std::span<const EmbeddedFile> embedded_presets(); // assets/presets/*
std::span<const EmbeddedFile> embedded_fonts();   // "text.ttf": the interface's one font

} // namespace netshape::ui
