#include "text.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <system_error>
#include <vector>

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

size_t invalid_utf8_at(std::string_view text) {
    auto byte = [&](size_t i) { return i < text.size() ? static_cast<unsigned char>(text[i]) : 0u; };
    auto continuation = [](unsigned b) { return b >= 0x80 && b <= 0xBF; };
    for (size_t i = 0; i < text.size();) {
        const unsigned lead = byte(i);
        if (lead < 0x80) {
            ++i;
            continue;
        }
        // The second byte's range depends on the lead (Unicode 15, table 3-7); later ones are 80–BF.
        size_t length = 0;
        unsigned low = 0x80, high = 0xBF;
        if (lead >= 0xC2 && lead <= 0xDF) length = 2;
        else if (lead == 0xE0) length = 3, low = 0xA0;  // overlong below U+0800
        else if (lead == 0xED) length = 3, high = 0x9F; // surrogates D800–DFFF
        else if (lead >= 0xE1 && lead <= 0xEF) length = 3;
        else if (lead == 0xF0) length = 4, low = 0x90;  // overlong below U+10000
        else if (lead == 0xF4) length = 4, high = 0x8F; // past U+10FFFF
        else if (lead >= 0xF1 && lead <= 0xF3) length = 4;
        else return i; // C0, C1, F5–FF, or a stray continuation byte
        if (i + length > text.size() || byte(i + 1) < low || byte(i + 1) > high) return i;
        for (size_t k = 2; k < length; ++k)
            if (!continuation(byte(i + k))) return i;
        i += length;
    }
    return std::string_view::npos;
}

std::optional<double> decimal_to_double(const std::string& text) {
    const double value = std::strtod(text.c_str(), nullptr); // errno's ERANGE differs between C libraries
    if (!std::isfinite(value)) return std::nullopt;
    const size_t exponent = text.find_first_of("eE");
    if (value == 0 && text.find_first_of("123456789") < exponent) return std::nullopt;
    return value;
}

std::string markup_text(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        case '\t': case '\n': case '\r': out += c; break;
        default: out += static_cast<unsigned char>(c) < 0x20 ? ' ' : c;
        }
    }
    return out;
}

std::string terminal_text(std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        unsigned control = 256;
        if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F)
            control = c;
        else if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
                 static_cast<unsigned char>(text[i + 1]) <= 0x9F)
            control = static_cast<unsigned char>(text[++i]); // U+0080–U+009F, written C2 80–C2 9F
        if (control == 256)
            out += text[i];
        else
            out += {'\\', 'x', kHex[control >> 4], kHex[control & 15]};
    }
    return out;
}

size_t display_width(std::string_view utf8) {
    // Count every byte that does not continue a multi-byte sequence (10xxxxxx).
    return static_cast<size_t>(
        std::count_if(utf8.begin(), utf8.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

size_t edit_distance_within(std::string_view a, std::string_view b, size_t limit) {
    // Optimal string alignment: insertions, deletions, substitutions and swaps of two adjacent
    // letters each cost 1, so "rleu" is one edit from "relu", as a typist would count it.
    // Only the band |i − j| ≤ limit can hold a distance within the limit, so only it is filled:
    // a megabyte-long name costs a few million steps against a short one, not a 10^12 matrix.
    const size_t beyond = limit + 1;
    if ((a.size() > b.size() ? a.size() - b.size() : b.size() - a.size()) > limit) return beyond;
    std::vector<size_t> two_back(b.size() + 1, beyond), previous(b.size() + 1, beyond), current(b.size() + 1, beyond);
    for (size_t j = 0; j <= std::min(b.size(), limit); ++j)
        previous[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        const size_t first = i > limit ? i - limit : 1;
        const size_t last = std::min(b.size(), i + limit);
        std::fill(current.begin(), current.end(), beyond);
        if (i <= limit) current[0] = i;
        size_t row_best = current[0];
        for (size_t j = first; j <= last; ++j) {
            size_t d = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d = std::min(d, two_back[j - 2] + 1);
            current[j] = std::min(d, beyond);
            row_best = std::min(row_best, current[j]);
        }
        if (row_best > limit) return beyond; // every later row only grows
        std::swap(two_back, previous);
        std::swap(previous, current);
    }
    return std::min(previous[b.size()], beyond);
}

std::string lowercase(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// A third of the name (at least 1, at most 3 edits) is as far as a typo plausibly goes.
static size_t plausible_edits(std::string_view received) { return std::clamp<size_t>(received.size() / 3, 1, 3); }

NameSuggester::NameSuggester(std::span<const std::string_view> candidates, size_t work) : work_left_(work) {
    for (std::string_view candidate : candidates)
        by_length_[candidate.size()].push_back({candidate, lowercase(candidate)});
}

std::string_view NameSuggester::nearest(std::string_view received) {
    auto cached = cache_.find(std::string(received));
    if (cached != cache_.end()) return cached->second;
    const std::string received_lower = lowercase(received);
    const size_t allowed = plausible_edits(received);
    std::string_view best;
    bool best_extends = false;
    size_t best_distance = allowed + 1;
    // Only names within `allowed` characters of the received length can be close enough.
    const size_t shortest = received.size() > allowed ? received.size() - allowed : 0;
    for (size_t length = shortest; length <= received.size() + allowed; ++length) {
        auto bucket = by_length_.find(length);
        if (bucket == by_length_.end()) continue;
        for (const Candidate& candidate : bucket->second) {
            const size_t cost = received.size() * (2 * allowed + 1);
            if (cost > work_left_) {
                work_left_ = 0; // out of budget: no suggestion from here on, rather than a long wait
                return cache_.emplace(std::string(received), std::string_view()).first->second;
            }
            work_left_ -= cost;
            size_t distance = edit_distance_within(received_lower, candidate.lower, allowed);
            // On a tie, a name the received text begins is the likelier one: "conv2" → "conv2d".
            bool extends = candidate.lower.rfind(received_lower, 0) == 0;
            if (distance < best_distance || (distance == best_distance && extends && !best_extends)) {
                best_distance = distance;
                best = candidate.name;
                best_extends = extends;
            }
        }
    }
    return cache_.emplace(std::string(received), best).first->second;
}

std::string_view nearest_name(std::string_view received, std::span<const std::string_view> candidates) {
    return NameSuggester(candidates).nearest(received);
}

std::string_view trim_space(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
    return text;
}

std::string ascii_typography(std::string_view text) {
    static constexpr std::pair<std::string_view, std::string_view> kReplacements[] = {
        {"\xC3\x97", "x"},     // ×
        {"\xE2\x8B\x85", "*"}, // ⋅
        {"\xC2\xB7", "*"},     // ·
        {"\xE2\x88\x92", "-"}, // −
        {"\xE2\x80\x99", "'"}, // ’
        {"\xE2\x80\x89", " "}, // thin space
        {"\xE2\x80\xAF", " "}, // narrow no-break space
        {"\xC2\xA0", " "},     // no-break space
    };
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size();) {
        bool replaced = false;
        for (const auto& [from, to] : kReplacements)
            if (text.substr(i, from.size()) == from) {
                out += to;
                i += from.size();
                replaced = true;
                break;
            }
        if (!replaced) out += text[i++];
    }
    return out;
}

} // namespace netshape
