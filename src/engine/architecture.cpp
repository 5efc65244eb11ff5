#include "architecture.h"

#include "text.h"

namespace netshape {

std::string format_shape(const Shape& shape) {
    std::string out = "[";
    for (size_t i = 0; i < shape.size(); ++i) {
        if (i) out += ", ";
        out += std::to_string(shape[i]);
    }
    return out + "]";
}

std::string_view convention_name(Convention convention) {
    return convention == Convention::keras ? "keras" : "pytorch";
}

std::string format_field_value(const FieldValue& value) {
    struct Formatter {
        std::string operator()(std::monostate) const { return "null"; }
        std::string operator()(bool b) const { return b ? "true" : "false"; }
        std::string operator()(int64_t i) const { return std::to_string(i); }
        std::string operator()(double d) const {
            // 3.0 reads "3.0", not "3": a whole number written with a point is still not an integer.
            std::string text = cat(d);
            if (text.find_first_not_of("-0123456789") == std::string::npos) text += ".0";
            return text;
        }
        std::string operator()(const std::string& s) const { return cat('"', s, '"'); }
        std::string operator()(const std::vector<int64_t>& list) const { return format_shape(list); }
    };
    return std::visit(Formatter{}, value);
}

const FieldValue* LayerSpec::find(std::string_view field_name) const {
    for (const auto& [written_name, value] : fields)
        if (written_name == field_name) return &value;
    return nullptr;
}

} // namespace netshape
