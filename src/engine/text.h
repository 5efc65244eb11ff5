// Small text helpers shared by the engine's messages, explanations and reports.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
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

// The offset of the first byte that does not belong to well-formed UTF-8 (RFC 3629: no overlong
// forms, no surrogates, nothing past U+10FFFF, no unfinished sequence), or npos.
size_t invalid_utf8_at(std::string_view text);

// Control characters (C0 but line break and tab, DEL, C1) as visible escapes such as \x1B, so
// text from a stranger's file printed on a terminal cannot move the cursor, recolour the screen
// or set the window title.
std::string terminal_text(std::string_view text);

// Text for HTML or XML, in content or a quoted attribute: & < > " ' as references (&#39;, which
// HTML 4 and every XML reader know, where XML alone would take &apos;) and control characters but
// tab and line breaks, which XML 1.0 does not allow and a design's title may hold, as spaces.
std::string markup_text(std::string_view text);

// A decimal number's text read as a double: nullopt when it does not fit one — past ±1.8e308,
// or so close to 0 that it would read as 0 though its digits are not all zeros (1e-400).
// Subnormal numbers (1e-310) fit. The one rule for JSON, the link text and the editor's boxes.
std::optional<double> decimal_to_double(const std::string& text);

// Columns of a monospace table count code points, not bytes ("·", "⌊" are one column each).
size_t display_width(std::string_view utf8);

// Edit distance (adjacent swaps count as one edit) when it is at most `limit`, else limit + 1;
// O(length · limit) time, so a huge name never makes a suggestion slow.
size_t edit_distance_within(std::string_view a, std::string_view b, size_t limit);

// "Did you mean" for many unknown names against one list of candidates (a design's layer
// names): each distinct name is worked out once, only against candidates of a similar length,
// and all of them together within a fixed amount of work, after which suggestions stop.
class NameSuggester {
public:
    static constexpr size_t kDefaultWork = size_t{1} << 24; // edit-distance steps, ≈ 50 ms
    explicit NameSuggester(std::span<const std::string_view> candidates, size_t work = kDefaultWork);
    // The candidate closest to `received` (case-insensitive equality wins outright), or empty
    // when nothing is close enough to be a plausible typo. The view lives as long as the
    // candidates do.
    std::string_view nearest(std::string_view received);

private:
    struct Candidate {
        std::string_view name;
        std::string lower;
    };
    std::unordered_map<size_t, std::vector<Candidate>> by_length_;
    std::unordered_map<std::string, std::string_view> cache_;
    size_t work_left_;
};

// One suggestion against a short list (the catalog's types, a kind's fields).
std::string_view nearest_name(std::string_view received, std::span<const std::string_view> candidates);

std::string lowercase(std::string_view text);

// The text without the white space at either end.
std::string_view trim_space(std::string_view text);

// What people paste from rendered pages in its ASCII form: × → x, · and ⋅ → *, the minus sign −
// → -, ’ → ', thin and no-break spaces → a space. For reading answers and hand-made tables.
std::string ascii_typography(std::string_view text);

} // namespace netshape
