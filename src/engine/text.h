// Small text helpers shared by the engine's messages, explanations and reports.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace netshape {

// Builds a string from pieces: cat("H_out = ", 24) — the engine's explanations are full of these.
inline void append_piece(std::string& out, std::string_view piece) { out += piece; }
inline void append_piece(std::string& out, const char* piece) { out += piece; }
inline void append_piece(std::string& out, const std::string& piece) { out += piece; }
inline void append_piece(std::string& out, char piece) { out += piece; }
void append_piece(std::string& out, int64_t value); // without a temporary string: explanations hold many
inline void append_piece(std::string& out, int value) { append_piece(out, static_cast<int64_t>(value)); }
void append_piece(std::string& out, size_t value);
void append_piece(std::string& out, double value); // shortest text that reads back the same

template <typename... Pieces> std::string cat(const Pieces&... pieces) {
    std::string out;
    (append_piece(out, pieces), ...);
    return out;
}

// 217706 → "217,706"
std::string with_thousands(int64_t value);

// [3, 5, 5] → "3·5·5"; a single value stays as is.
std::string join_product(std::span<const int64_t> factors);

// ["a", "b"] → "a, b"
std::string join(const std::vector<std::string>& items, std::string_view separator);

// Columns of a monospace table count code points, not bytes ("·", "⌊" are one column each).
size_t display_width(std::string_view utf8);

// Edit distance (adjacent swaps count as one edit), for "did you mean" suggestions.
size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `received` (case-insensitive equality wins outright), or empty when
// nothing is close enough to be a plausible typo.
std::string_view nearest_name(std::string_view received, std::span<const std::string_view> candidates);

std::string lowercase(std::string_view text);

} // namespace netshape
