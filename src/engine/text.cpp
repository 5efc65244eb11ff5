#include "text.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <system_error>

namespace netshape {

void append_piece(std::string& out, int64_t value) {
    char buffer[24];
    auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, error == std::errc() ? end : buffer);
}

void append_piece(std::string& out, size_t value) {
    char buffer[24];
    auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, error == std::errc() ? end : buffer);
}

void append_piece(std::string& out, double value) {
    // The shortest %g text that reads back as the same double ("0.2", not "0.20000000000000001").
    // (std::to_chars for floating point is missing from the libc++ that Emscripten 3.1.6 ships.)
    char buffer[32];
    for (int precision = 1; precision <= 17; ++precision) {
        std::snprintf(buffer, sizeof buffer, "%.*g", precision, value);
        if (std::strtod(buffer, nullptr) == value) break;
    }
    out += buffer;
}

std::string with_thousands(int64_t value) {
    std::string digits = std::to_string(value);
    size_t first_digit = (value < 0) ? 1 : 0;
    std::string out;
    for (size_t i = 0; i < digits.size(); ++i) {
        out += digits[i];
        size_t remaining = digits.size() - i - 1;
        if (i >= first_digit && remaining > 0 && remaining % 3 == 0) out += ',';
    }
    return out;
}

std::string join_product(std::span<const int64_t> factors) {
    std::string out;
    for (size_t i = 0; i < factors.size(); ++i) {
        if (i) out += "·";
        out += std::to_string(factors[i]);
    }
    return out;
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
    std::string out;
    for (size_t i = 0; i < items.size(); ++i) {
        if (i) out += separator;
        out += items[i];
    }
    return out;
}

size_t display_width(std::string_view utf8) {
    // Count every byte that does not continue a multi-byte sequence (10xxxxxx).
    return static_cast<size_t>(
        std::count_if(utf8.begin(), utf8.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

size_t edit_distance(std::string_view a, std::string_view b) {
    // Optimal string alignment: insertions, deletions, substitutions and swaps of two adjacent
    // letters each cost 1, so "rleu" is one edit from "relu", as a typist would count it.
    std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
    for (size_t i = 0; i <= a.size(); ++i)
        d[i][0] = i;
    for (size_t j = 0; j <= b.size(); ++j)
        d[0][j] = j;
    for (size_t i = 1; i <= a.size(); ++i)
        for (size_t j = 1; j <= b.size(); ++j) {
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    return d[a.size()][b.size()];
}

std::string lowercase(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string_view nearest_name(std::string_view received, std::span<const std::string_view> candidates) {
    std::string received_lower = lowercase(received);
    std::string_view best;
    size_t best_distance = SIZE_MAX;
    for (std::string_view candidate : candidates) {
        std::string candidate_lower = lowercase(candidate);
        size_t distance = edit_distance(received_lower, candidate_lower);
        // On a tie, a name the received text begins is the likelier one: "conv2" → "conv2d".
        bool extends = candidate_lower.rfind(received_lower, 0) == 0;
        bool best_extends = !best.empty() && lowercase(best).rfind(received_lower, 0) == 0;
        if (distance < best_distance || (distance == best_distance && extends && !best_extends)) {
            best_distance = distance;
            best = candidate;
        }
    }
    // A third of the name (at least 1, at most 3 edits) is as far as a typo plausibly goes.
    size_t allowed = std::clamp<size_t>(received.size() / 3, 1, 3);
    return best_distance <= allowed ? best : std::string_view();
}

} // namespace netshape
