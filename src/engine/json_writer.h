// JSON text written straight into a string, without building a tree first.
//
// The summary of a 100,000-layer design is about a hundred megabytes of text; building it as an
// nlohmann tree first cost four times the analysis in time and memory (every value a heap node).
// The writer appends as it goes: linear time, and memory for the text alone. The layout is
// nlohmann's: `indent` spaces per level and one element a line, or compact with indent < 0.
//
//   JsonWriter json(out, 2);
//   json.begin_object().key("name").value("LeNet-5").key("input").value(Shape{1, 28, 28}).end_object();
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace netshape {

class JsonWriter {
public:
    explicit JsonWriter(std::string& out, int indent = -1) : out_(out), indent_(indent) {}

    JsonWriter& begin_object() { return open('{'); }
    JsonWriter& end_object() { return close('}'); }
    JsonWriter& begin_array() { return open('['); }
    JsonWriter& end_array() { return close(']'); }
    JsonWriter& key(std::string_view name);

    JsonWriter& null();
    JsonWriter& value(std::string_view text); // invalid UTF-8 becomes U+FFFD, as nlohmann's "replace"
    JsonWriter& value(const char* text) { return value(std::string_view(text)); }
    JsonWriter& value(const std::string& text) { return value(std::string_view(text)); }
    JsonWriter& value(bool b);
    JsonWriter& value(int64_t number);
    JsonWriter& value(int number) { return value(static_cast<int64_t>(number)); }
    JsonWriter& value(size_t number);
    JsonWriter& value(double number); // "2.0" stays a float when read back; NaN and ±∞ are null
    JsonWriter& value(const std::vector<int64_t>& list);
    JsonWriter& value(const std::vector<double>& list);
    JsonWriter& value(const std::vector<std::string>& list);
    template <typename T> JsonWriter& value(const std::optional<T>& maybe) {
        return maybe ? value(*maybe) : null();
    }
    // The value when it is known, else null: a count after an error is not a number anyone has.
    template <typename T> JsonWriter& value_if(bool known, const T& value_when_known) {
        return known ? value(value_when_known) : null();
    }
    // A string, or null when it is empty (the summary's "no activation", "no error").
    JsonWriter& text_or_null(std::string_view text) { return text.empty() ? null() : value(text); }

private:
    JsonWriter& open(char bracket);
    JsonWriter& close(char bracket);
    void before_value(); // the comma and the line break an element needs
    void new_line();

    std::string& out_;
    int indent_;
    std::vector<bool> has_elements_; // per open container
    bool after_key_ = false;
};

} // namespace netshape
