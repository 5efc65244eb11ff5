// The characters the interface's fonts hold. The build cuts the Debian fonts down to exactly these
// ranges (web/cmake/web_app.cmake reads the pairs below) and ImGui rasterises the same ones, so a
// first visit downloads only the glyphs the engine's explanations and the interface use, plus
// Latin-1 for titles people type. A native test checks every character the engine writes is here.
#pragma once

namespace netshape::ui {

// Inclusive pairs, zero-terminated, as ImGui's glyph ranges (ImWchar is 16-bit).
inline constexpr unsigned short kGlyphRanges[] = {
    0x0020, 0x007E, // ASCII
    0x00A0, 0x00FF, // Latin-1: ² · × and accented letters
    0x0391, 0x03C9, // Greek: Σ Φ β γ …
    0x1D40, 0x1D40, // ᵀ (transposes in attention formulas)
    0x2014, 0x2014, // —
    0x2026, 0x2026, // …
    0x2070, 0x209F, // superscript and subscript digits
    0x2190, 0x2193, // ← ↑ → ↓
    0x2212, 0x2212, // − (minus)
    0x2264, 0x2265, // ≤ ≥
    0x2308, 0x230B, // ⌈ ⌉ ⌊ ⌋
    0x2713, 0x2713, // ✓ (a right answer in an exercise)
    0x2717, 0x2717, // ✗ (a wrong one)
    0,
};

} // namespace netshape::ui
