#include "json_writer.h"

#include "text.h"

#include <cmath>

namespace netshape {

void JsonWriter::new_line() {
    if (indent_ < 0) return;
    out_ += '\n';
    out_.append(has_elements_.size() * static_cast<size_t>(indent_), ' ');
}

void JsonWriter::before_value() {
    if (after_key_) {
        after_key_ = false;
        return;
    }
    if (has_elements_.empty()) return;
    if (has_elements_.back()) out_ += ',';
    has_elements_.back() = true;
    new_line();
}

JsonWriter& JsonWriter::open(char bracket) {
    before_value();
    out_ += bracket;
    has_elements_.push_back(false);
    return *this;
}

JsonWriter& JsonWriter::close(char bracket) {
    const bool had_elements = has_elements_.back();
    has_elements_.pop_back();
    if (had_elements) new_line();
    out_ += bracket;
    return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
    value(name);
    out_ += indent_ < 0 ? ":" : ": ";
    after_key_ = true;
    return *this;
}

JsonWriter& JsonWriter::null() {
    before_value();
    out_ += "null";
    return *this;
}

JsonWriter& JsonWriter::value(std::string_view text) {
    before_value();
    static constexpr char kHex[] = "0123456789abcdef";
    out_ += '"';
    for (size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x80) {
            // Copy the valid run of multi-byte sequences whole; replace a byte that starts none.
            size_t bad = invalid_utf8_at(text.substr(i, 4));
            size_t length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
            if (bad == 0 || (bad != std::string_view::npos && bad < length)) {
                out_ += "\xEF\xBF\xBD";
                ++i;
            } else if (c == 0xC2 && static_cast<unsigned char>(text[i + 1]) <= 0x9F) {
                // C1 controls (U+0080–U+009F) escaped too: a terminal may act on them.
                out_ += {'\\', 'u', '0', '0', kHex[static_cast<unsigned char>(text[i + 1]) >> 4],
                         kHex[static_cast<unsigned char>(text[i + 1]) & 15]};
                i += 2;
            } else {
                out_.append(text.substr(i, length));
                i += length;
            }
            continue;
        }
        switch (c) {
        case '"': out_ += "\\\""; break;
        case '\\': out_ += "\\\\"; break;
        case '\b': out_ += "\\b"; break;
        case '\f': out_ += "\\f"; break;
        case '\n': out_ += "\\n"; break;
        case '\r': out_ += "\\r"; break;
        case '\t': out_ += "\\t"; break;
        default:
            if (c < 0x20 || c == 0x7F)
                out_ += {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
            else
                out_ += static_cast<char>(c);
        }
        ++i;
    }
    out_ += '"';
    return *this;
}

JsonWriter& JsonWriter::value(bool b) {
    before_value();
    out_ += b ? "true" : "false";
    return *this;
}

JsonWriter& JsonWriter::value(int64_t number) {
    before_value();
    append_piece(out_, number);
    return *this;
}

JsonWriter& JsonWriter::value(size_t number) {
    before_value();
    append_piece(out_, number);
    return *this;
}

JsonWriter& JsonWriter::value(double number) {
    if (!std::isfinite(number)) return null();
    before_value();
    const size_t start = out_.size();
    append_piece(out_, number);
    if (out_.find_first_not_of("-0123456789", start) == std::string::npos) out_ += ".0";
    return *this;
}

JsonWriter& JsonWriter::value(const std::vector<int64_t>& list) {
    begin_array();
    for (int64_t number : list)
        value(number);
    return end_array();
}

JsonWriter& JsonWriter::value(const std::vector<double>& list) {
    begin_array();
    for (double number : list)
        value(number);
    return end_array();
}

JsonWriter& JsonWriter::value(const std::vector<std::string>& list) {
    begin_array();
    for (const std::string& text : list)
        value(text);
    return end_array();
}

} // namespace netshape
