#include "link_text.h"

#include "analysis.h"
#include "catalog.h"
#include "limits.h"
#include "text.h"

#include <cmath>

#include <cerrno>
#include <cstdlib>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

namespace netshape {

// Index
// - [SECTION] Characters and escapes
// - [SECTION] Writing
// - [SECTION] Reading

// --------------------------------------------------------------------------------------------
// [SECTION] Characters and escapes
// --------------------------------------------------------------------------------------------

namespace {

bool is_identifier_character(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
           c == '.';
}

bool is_plain_identifier(std::string_view text) {
    if (text.empty()) return false;
    for (char c : text)
        if (!is_identifier_character(c)) return false;
    return true;
}

// Quoted text ('…'): letters, digits and - . _ ( ) , : ! + @ as they are, '~' for a space, and
// *HH (two upper-case hex digits) for every other byte, so any UTF-8 text survives a URL
// fragment (and a hash parameter parser: no & ; = # %).
bool is_quoted_as_is(char c) {
    return is_identifier_character(c) || c == '(' || c == ')' || c == ',' || c == ':' || c == '!' || c == '+' ||
           c == '@';
}

std::string quote(std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out = "'";
    for (char c : text) {
        auto byte = static_cast<unsigned char>(c);
        if (is_quoted_as_is(c))
            out += c;
        else if (c == ' ')
            out += '~';
        else
            out += {'*', kHex[byte >> 4], kHex[byte & 15]};
    }
    return out + "'";
}

} // namespace

// --------------------------------------------------------------------------------------------
// [SECTION] Writing
// --------------------------------------------------------------------------------------------

namespace {

std::string format_sizes(const std::vector<int64_t>& list) {
    if (list.empty()) return "x";
    if (list.size() == 1) return cat(list[0], "x"); // "5x": a list of one, not the integer 5
    std::string out;
    for (size_t i = 0; i < list.size(); ++i)
        out += cat(i ? "x" : "", list[i]);
    return out;
}

std::string format_value(const FieldValue& value) {
    struct Formatter {
        std::string operator()(std::monostate) const { return ""; }
        std::string operator()(bool b) const { return b ? "true" : "false"; }
        std::string operator()(int64_t i) const { return std::to_string(i); }
        std::string operator()(double d) const {
            std::string text = cat(d);
            // A real number keeps a '.' or an exponent, so it reads back as a real number.
            if (text.find_first_of(".eE") == std::string::npos) text += ".0";
            return text;
        }
        std::string operator()(const std::string& s) const {
            bool keyword = s == "true" || s == "false";
            bool numeric = !s.empty() && ((s[0] >= '0' && s[0] <= '9') || s[0] == '-' || s[0] == '.');
            return is_plain_identifier(s) && !keyword && !numeric && s != "x" ? s : quote(s);
        }
        std::string operator()(const std::vector<int64_t>& list) const { return format_sizes(list); }
    };
    return std::visit(Formatter{}, value);
}

std::string format_name(const std::string& name) { return is_plain_identifier(name) ? name : quote(name); }

// What an activation's values may hold: numbers, names, true/false, name=value, separated by ','.
bool is_activation_value_character(char c) { return is_identifier_character(c) || c == ',' || c == '=' || c == '+'; }

// A fused activation with values, "leaky_relu(0.1)", is written as it is: +leaky_relu(0.1).
// Any other text that is not a plain name is quoted, and reads back as the same text.
std::string format_activation(const std::string& activation) {
    return is_activation_call(activation) ? activation : format_name(activation);
}

class TextWriter {
public:
    explicit TextWriter(const Architecture& architecture)
        : architecture_(architecture), names_(layer_names(architecture)) {
        for (size_t i = 0; i < names_.size(); ++i)
            index_of_.emplace(names_[i], i);
        for (const ModelInput& input : architecture.inputs)
            input_names_.insert(input.name);
    }

    std::string write() const {
        std::string out(kLinkTextPrefix);
        if (architecture_.convention == Convention::keras) out += ";keras";
        if (!architecture_.name.empty()) out += cat(";", quote(architecture_.name));
        const bool single = architecture_.inputs.size() == 1 && architecture_.inputs[0].name == kDefaultInputName;
        for (const ModelInput& input : architecture_.inputs) {
            out += ";";
            // A header item that starts with a digit reads as a shape: such a name is quoted.
            const bool digit_first = !input.name.empty() && input.name[0] >= '0' && input.name[0] <= '9';
            if (!single) out += cat(digit_first ? quote(input.name) : format_name(input.name), "=");
            out += format_sizes_shape(input.shape);
        }
        std::vector<std::string> elements;
        for (size_t i = 0; i < architecture_.layers.size(); ++i)
            elements.push_back(layer_text(i));
        for (const std::string& element : fold_repeats(elements))
            out += cat("/", element);
        return out;
    }

private:
    static std::string format_sizes_shape(const Shape& shape) {
        std::string out;
        for (size_t i = 0; i < shape.size(); ++i)
            out += cat(i ? "x" : "", shape[i]);
        return out;
    }

    // A reference from layer i: a model input or a named layer by name, an unnamed layer by
    // its distance (@-2), so that identical blocks read identically and fold into repeats.
    std::string reference(const std::string& target, size_t i) const {
        if (input_names_.count(target)) return cat("@", format_name(target));
        auto it = index_of_.find(target);
        if (it == index_of_.end() || !architecture_.layers[it->second].name.empty())
            return cat("@", format_name(target));
        size_t j = it->second;
        // A layer reading itself is an error the analysis reports; "@+0" would not read back, so
        // it is written by the layer's default name, which reads back to the same design.
        if (j == i) return cat("@", format_name(target));
        return j < i ? cat("@-", i - j) : cat("@+", j - i);
    }

    std::string layer_text(size_t i) const {
        const LayerSpec& layer = architecture_.layers[i];
        std::string out;
        if (!layer.name.empty()) out += cat(format_name(layer.name), "=");
        // A type and shares: a layer of its own kind with tied weights, type(…,shares=@a).
        const bool tied = !layer.type.empty() && !layer.shares.empty();
        out += layer.shares.empty() || tied ? format_name(layer.type) : reference(layer.shares, i);
        std::vector<std::string> args;
        for (const std::string& input : layer.inputs)
            args.push_back(reference(input, i));
        append_fields(layer, args);
        if (tied) args.push_back(cat("shares=", reference(layer.shares, i)));
        if (!args.empty()) out += cat("(", join(args, ","), ")");
        if (!layer.activation.empty()) out += cat("+", format_activation(layer.activation));
        return out;
    }

    // Fields in the kind's order: the positional ones without their names while none is
    // missing, the rest as name=value; fields the kind does not know keep their written order.
    static void append_fields(const LayerSpec& layer, std::vector<std::string>& args) {
        const LayerKind* kind = find_kind(layer.type); // none for a second call (@a), which has no type
        std::vector<bool> written(layer.fields.size(), false);
        if (kind) {
            bool positional = true;
            for (const FieldSpec& field : kind->fields) {
                const bool may_be_positional = field.required || field.positional;
                size_t at = 0;
                while (at < layer.fields.size() && layer.fields[at].first != field.name)
                    ++at;
                if (at == layer.fields.size()) {
                    if (may_be_positional) positional = false;
                    continue;
                }
                written[at] = true;
                std::string value = format_value(layer.fields[at].second);
                positional = positional && may_be_positional;
                args.push_back(positional ? value : cat(field.name, "=", value));
            }
        }
        for (size_t at = 0; at < layer.fields.size(); ++at)
            if (!written[at])
                args.push_back(cat(format_name(layer.fields[at].first), "=", format_value(layer.fields[at].second)));
    }

    // Greedy and deterministic: at each position the run of identical blocks that covers the
    // most layers (the shortest block on a tie) becomes n*(…), when that is shorter.
    static std::vector<std::string> fold_repeats(const std::vector<std::string>& elements) {
        constexpr size_t kLongestBlock = 64;
        std::vector<std::string> out;
        size_t i = 0;
        while (i < elements.size()) {
            size_t best_period = 0, best_count = 1;
            for (size_t period = 1; period <= kLongestBlock && i + 2 * period <= elements.size(); ++period) {
                size_t count = 1;
                while (i + (count + 1) * period <= elements.size() &&
                       std::equal(elements.begin() + static_cast<std::ptrdiff_t>(i),
                                  elements.begin() + static_cast<std::ptrdiff_t>(i + period),
                                  elements.begin() + static_cast<std::ptrdiff_t>(i + count * period)))
                    ++count;
                if (count >= 2 && period * count > best_period * best_count) {
                    best_period = period;
                    best_count = count;
                }
            }
            if (best_count >= 2) {
                std::vector<std::string> block(elements.begin() + static_cast<std::ptrdiff_t>(i),
                                               elements.begin() + static_cast<std::ptrdiff_t>(i + best_period));
                std::string folded = cat(best_count, "*(", join(block, "/"), ")");
                size_t unfolded_length = 0;
                for (const std::string& element : block)
                    unfolded_length += element.size() + 1;
                if (folded.size() < unfolded_length * best_count) {
                    out.push_back(folded);
                    i += best_period * best_count;
                    continue;
                }
            }
            out.push_back(elements[i]);
            ++i;
        }
        return out;
    }

    const Architecture& architecture_;
    std::vector<std::string> names_;
    std::unordered_map<std::string, size_t> index_of_;
    std::unordered_set<std::string> input_names_;
};

} // namespace

std::string architecture_to_text(const Architecture& architecture) { return TextWriter(architecture).write(); }

bool is_activation_call(std::string_view text) {
    const size_t open = text.find('(');
    bool call = open != std::string_view::npos && text.back() == ')' && is_plain_identifier(text.substr(0, open));
    for (size_t i = open + 1; call && i + 1 < text.size(); ++i)
        call = is_activation_value_character(text[i]);
    return call;
}

// --------------------------------------------------------------------------------------------
// [SECTION] Reading
// --------------------------------------------------------------------------------------------

namespace {

struct ParseFailure : std::runtime_error {
    ParseFailure(size_t position, const std::string& message) : std::runtime_error(message), at(position) {}
    size_t at; // byte offset
};

// A reference written as @-k / @+k, resolved to a layer name once all layers are known.
struct RelativeReference {
    size_t layer;
    size_t slot; // index into inputs, or SIZE_MAX for shares
    int64_t offset;
    size_t at; // where it was written, for errors
};

constexpr int kDeepestRepeat = 16;

class TextReader {
public:
    explicit TextReader(std::string_view text) : text_(text) {}

    Architecture read() {
        Architecture architecture;
        skip_space();
        read_prefix();
        read_header(architecture);
        while (skip_space(), peek() == '/') {
            ++at_;
            read_element(architecture, 0);
        }
        skip_space();
        if (at_ < text_.size()) fail(cat("unexpected '", text_[at_], "'; layers are separated by '/'"));
        resolve_relative_references(architecture);
        return architecture;
    }

private:
    [[noreturn]] void fail(const std::string& message) const { throw ParseFailure(at_, message); }
    [[noreturn]] void fail_at(size_t position, const std::string& message) const {
        throw ParseFailure(position, message);
    }

    char peek() const { return at_ < text_.size() ? text_[at_] : '\0'; }
    bool accept(char c) {
        if (peek() != c) return false;
        ++at_;
        return true;
    }
    void expect(char c, std::string_view what) {
        if (!accept(c))
            fail(cat("expected ", what, at_ < text_.size() ? cat(", found '", text_[at_], "'") : ", found the end"));
    }
    void skip_space() {
        while (at_ < text_.size() &&
               (text_[at_] == ' ' || text_[at_] == '\n' || text_[at_] == '\r' || text_[at_] == '\t'))
            ++at_;
    }

    std::string identifier(std::string_view what) {
        if (peek() == '\'') return quoted();
        size_t start = at_;
        while (at_ < text_.size() && is_identifier_character(text_[at_]))
            ++at_;
        if (start == at_) fail(cat("expected ", what));
        if (at_ - start > kMaxNameBytes)
            fail_at(start, cat("this name is ", with_thousands(static_cast<int64_t>(at_ - start)),
                               " characters; names hold at most ", kMaxNameBytes));
        return std::string(text_.substr(start, at_ - start));
    }

    std::string quoted() {
        size_t start = at_;
        expect('\'', "'");
        std::string out;
        std::vector<size_t> written_at; // where each byte of `out` was written, for errors
        while (peek() != '\'') {
            if (at_ >= text_.size()) fail_at(start, "this quote is never closed");
            written_at.push_back(at_);
            char c = text_[at_++];
            if (c == '~') {
                out += ' ';
            } else if (c == '*') {
                auto hex = [&](char h) -> int {
                    if (h >= '0' && h <= '9') return h - '0';
                    if (h >= 'A' && h <= 'F') return h - 'A' + 10;
                    if (h >= 'a' && h <= 'f') return h - 'a' + 10;
                    fail_at(at_ - 1, "'*' in quotes is followed by two hexadecimal digits (*20 is a space)");
                };
                int high = hex(peek());
                ++at_;
                int low = hex(peek());
                ++at_;
                out += static_cast<char>(high * 16 + low);
            } else {
                out += c;
            }
        }
        ++at_;
        if (size_t bad = invalid_utf8_at(out); bad != std::string::npos)
            fail_at(written_at[bad], cat("the quoted text is not valid UTF-8 at byte ", bad + 1,
                                         " (an overlong, surrogate or unfinished sequence)"));
        return out;
    }

    // "1x28x28" — positive sizes.
    Shape shape(std::string_view what) {
        size_t start = at_;
        Shape out;
        do {
            size_t number_at = at_;
            int64_t value = integer();
            if (value < 1) fail_at(number_at, cat("every size in ", what, " is a positive integer"));
            if (value > kMaxDimension)
                fail_at(number_at, cat(with_thousands(value), " is over the limit for one dimension, 2^40 = ",
                                       with_thousands(kMaxDimension)));
            out.push_back(value);
        } while (accept('x'));
        if (out.empty()) fail_at(start, cat("expected ", what, " such as 1x28x28"));
        return out;
    }

    int64_t integer() {
        size_t start = at_;
        if (peek() == '-') ++at_;
        while (at_ < text_.size() && text_[at_] >= '0' && text_[at_] <= '9')
            ++at_;
        std::string digits(text_.substr(start, at_ - start));
        if (digits.empty() || digits == "-") fail_at(start, "expected a number");
        errno = 0;
        long long value = std::strtoll(digits.c_str(), nullptr, 10);
        if (errno == ERANGE) fail_at(start, cat(digits, " does not fit in a 64-bit integer"));
        return value;
    }

    void read_prefix() {
        size_t start = at_;
        if (text_.substr(at_, 2) != "ns")
            fail("a link text starts with its version, ns1 (for example ns1;1x28x28/flatten/linear(10))");
        at_ += 2;
        int64_t version = integer();
        if (version > 1)
            fail_at(start,
                    cat("this text is version ns", version, ", written by a newer netshape; this one reads ns1"));
        if (version < 1) fail_at(start, "the version is ns1");
    }

    void read_header(Architecture& architecture) {
        // JSON holds named inputs as an object's keys: two of one name could not be written there.
        std::unordered_set<std::string> input_names;
        auto add_input = [&](std::string name, size_t start, const std::string& what) {
            if (!input_names.insert(name).second) fail_at(start, cat("two model inputs are named '", name, "'"));
            architecture.inputs.push_back({std::move(name), shape(what)});
        };
        while (skip_space(), accept(';')) {
            skip_space();
            size_t start = at_;
            if (peek() == '\'') {
                // 'a title', or 'an input name'=3x32x32 (names that need quotes are written so).
                std::string text = quoted();
                if (accept('='))
                    add_input(text, start, cat("input '", text, "'"));
                else
                    architecture.name = std::move(text);
            } else if (peek() >= '0' && peek() <= '9') {
                add_input(std::string(kDefaultInputName), start, "the input shape");
            } else {
                std::string word = identifier("keras, pytorch, a title in quotes or the input shape");
                if (accept('=')) {
                    add_input(word, start, cat("input '", word, "'"));
                } else if (word == "keras") {
                    architecture.convention = Convention::keras;
                } else if (word == "pytorch") {
                    architecture.convention = Convention::pytorch;
                } else {
                    constexpr std::string_view kWords[] = {"keras", "pytorch"};
                    std::string_view suggestion = nearest_name(word, kWords);
                    fail_at(start, cat("unknown header item '", word, "'",
                                       suggestion.empty() ? std::string("; the header holds keras or pytorch, a title "
                                                                        "in quotes, and input shapes")
                                                          : cat("; did you mean '", suggestion, "'?")));
                }
            }
        }
    }

    void read_element(Architecture& architecture, int depth) {
        skip_space();
        // A repeat: digits, '*', '('.
        size_t start = at_;
        size_t digits_end = at_;
        while (digits_end < text_.size() && text_[digits_end] >= '0' && text_[digits_end] <= '9')
            ++digits_end;
        if (digits_end > at_ && digits_end < text_.size() && text_[digits_end] == '*') {
            int64_t count = integer();
            ++at_; // '*'
            expect('(', "'(' after the repeat count");
            if (count < 1) fail_at(start, "a repeat count is 1 or more");
            if (depth >= kDeepestRepeat) fail_at(start, "repeats are nested too deeply");
            size_t first = architecture.layers.size();
            size_t first_reference = relative_.size();
            read_element(architecture, depth + 1);
            while (skip_space(), accept('/'))
                read_element(architecture, depth + 1);
            skip_space();
            expect(')', "')' to close the repeat");
            const size_t block = architecture.layers.size() - first; // 1 or more
            // Checked by division: block · count may not fit in 64 bits (2*(…) nested 16 deep).
            if (static_cast<uint64_t>(count) > (kMaxLayers - first) / block)
                fail_at(start, cat("this repeat expands past the limit of ", with_thousands(kMaxLayers), " layers"));
            const size_t references = relative_.size() - first_reference;
            for (int64_t k = 1; k < count; ++k) {
                for (size_t r = 0; r < references; ++r) {
                    RelativeReference copy = relative_[first_reference + r];
                    copy.layer += block * static_cast<size_t>(k);
                    relative_.push_back(copy);
                }
                for (size_t l = 0; l < block; ++l)
                    architecture.layers.push_back(architecture.layers[first + l]);
            }
            return;
        }
        read_layer(architecture);
    }

    // @name, @-k, @+k
    void reference(Architecture& architecture, size_t slot, std::string& name) {
        size_t start = at_;
        expect('@', "'@'");
        if (peek() == '-' || peek() == '+') {
            bool forward = text_[at_] == '+';
            ++at_;
            int64_t distance = integer();
            if (distance < 1) fail_at(start, "a relative reference counts 1 or more layers (@-1 is the layer before)");
            relative_.push_back({architecture.layers.size(), slot, forward ? distance : -distance, start});
            return;
        }
        name = identifier("a layer or input name after '@'");
    }

    void read_layer(Architecture& architecture) {
        LayerSpec layer;
        size_t start = at_;
        std::string head_name;
        bool named = false;
        if (peek() != '@') {
            head_name = identifier("a layer type such as conv2d, or a repeat such as 3*(…)");
            named = accept('=');
        }
        if (named) {
            layer.name = head_name;
            start = at_;
        }
        const LayerKind* kind = nullptr;
        if (peek() == '@') {
            reference(architecture, SIZE_MAX, layer.shares);
        } else {
            layer.type = named ? identifier("a layer type after '='") : head_name;
            kind = find_kind(layer.type);
        }
        const size_t type_at = start;

        if (accept('(')) {
            size_t next_positional = 0;
            std::unordered_set<std::string> field_names;
            do {
                skip_space();
                size_t arg_at = at_;
                if (peek() == '@') {
                    layer.inputs.emplace_back();
                    reference(architecture, layer.inputs.size() - 1, layer.inputs.back());
                    continue;
                }
                // name=value, or a positional value
                size_t save = at_;
                std::string field_name;
                bool has_name = false; // a name may be '' (JSON allows any key), so emptiness does not tell
                if (peek() == '\'' || is_identifier_character(peek())) {
                    std::string word = identifier("a value");
                    has_name = accept('=');
                    if (has_name)
                        field_name = word;
                    else
                        at_ = save;
                }
                if (!has_name) {
                    // Values without names need the kind's field list; unknown kinds and fields are
                    // otherwise read as written and reported by the analysis, as in JSON.
                    if (!layer.shares.empty() && layer.type.empty())
                        fail_at(arg_at, "a layer that shares another takes only @inputs in parentheses");
                    if (!kind) fail_at(type_at, unknown_type_message(layer.type));
                    const FieldSpec* field = positional_field(*kind, next_positional);
                    if (!field) fail_at(arg_at, too_many_positional(*kind));
                    ++next_positional;
                    field_name = std::string(field->name);
                }
                // In JSON these are the layer's own keys: a field of the same name could not be
                // written there, so it is refused here too (name=… and @inputs say them in text).
                // Each says how the text writes it instead, with this layer's own words.
                if (has_name) {
                    const std::string type = layer.type.empty() ? std::string("conv2d") : layer.type;
                    if (field_name == "name")
                        fail_at(arg_at, cat("'name' is not a field: a layer's name goes before its type, as in "
                                            "conv1=", type, "(…)"));
                    if (field_name == "activation")
                        fail_at(arg_at, cat("'activation' is not a field: a fused activation follows the parentheses, as in ",
                                            type, "(…)+relu"));
                    if (field_name == "inputs")
                        fail_at(arg_at, cat("'inputs' is not a field: the layers it reads go in the parentheses with @, "
                                            "as in ", type, "(@a,@b,…)"));
                    // A layer of its own kind whose weights are another's (tied): type(…,shares=@a).
                    if (field_name == "shares" && !layer.type.empty() && peek() == '@') {
                        if (!layer.shares.empty()) fail_at(arg_at, "shares is given twice");
                        reference(architecture, SIZE_MAX, layer.shares);
                        continue;
                    }
                    if (field_name == "shares" || field_name == "type")
                        fail_at(arg_at, cat("'", field_name, "' is not a field: a second call of layer a is written "
                                            "@a in place of the type, as in b=@a(@x); a layer of its own kind that "
                                            "ties a's weights, ", type, "(…,shares=@a)"));
                }
                if (!field_names.insert(field_name).second) fail_at(arg_at, cat(field_name, " is given twice"));
                layer.fields.emplace_back(field_name, value());
            } while (skip_space(), accept(','));
            expect(')', "',' or ')'");
        }
        if (accept('+')) {
            const bool quoted_name = peek() == '\'';
            layer.activation = identifier("an activation after '+', such as relu");
            if (!quoted_name && peek() == '(') layer.activation += activation_values();
        }
        architecture.layers.push_back(std::move(layer));
        if (architecture.layers.size() > kMaxLayers)
            fail(cat("more than ", with_thousands(kMaxLayers), " layers, the limit"));
    }

    // "(0.1)" after +leaky_relu, kept as written: the analysis reads it as the activation's fields.
    std::string activation_values() {
        const size_t start = at_++;
        while (at_ < text_.size() && text_[at_] != ')') {
            if (!is_activation_value_character(text_[at_]))
                fail("an activation's values are numbers, names and true/false, as in +leaky_relu(0.1)");
            ++at_;
        }
        if (at_ >= text_.size()) fail_at(start, "these parentheses are never closed");
        ++at_;
        return std::string(text_.substr(start, at_ - start));
    }

    static const FieldSpec* positional_field(const LayerKind& kind, size_t n) {
        for (const FieldSpec& field : kind.fields)
            if (field.required || field.positional)
                if (n-- == 0) return &field;
        return nullptr;
    }

    static std::string join_names(const std::vector<std::string_view>& names) {
        return join(std::vector<std::string>(names.begin(), names.end()), ", ");
    }

    static std::string too_many_positional(const LayerKind& kind) {
        std::vector<std::string_view> names;
        for (const FieldSpec& field : kind.fields)
            if (field.required || field.positional) names.push_back(field.name);
        if (names.empty()) return cat(kind.type, " takes its fields by name only, e.g. name=value");
        return cat(kind.type, " takes ", names.size(), " value", names.size() == 1 ? "" : "s", " without a name (",
                   join_names(names), "); write the others as name=value");
    }

    // true, false, 'text', 5, -1, 0.25, 1e-05, 3x5, 5x, x, same
    FieldValue value() {
        skip_space();
        if (peek() == '\'') return quoted();
        size_t start = at_;
        while (at_ < text_.size() && (is_identifier_character(text_[at_]) || text_[at_] == '+'))
            ++at_;
        std::string token(text_.substr(start, at_ - start));
        if (token.empty()) fail_at(start, "expected a value");
        if (token == "true") return true;
        if (token == "false") return false;
        const bool numeric_start = (token[0] >= '0' && token[0] <= '9') || token[0] == '-' || token[0] == '.';
        if (!numeric_start) {
            if (token.find('+') != std::string::npos) fail_at(start, cat("'", token, "' is not a value"));
            return token;
        }
        if (token.find('x') != std::string::npos) { // a list of integers
            std::vector<int64_t> list;
            size_t part_start = 0;
            while (part_start < token.size()) {
                size_t end = token.find('x', part_start);
                std::string part =
                    token.substr(part_start, end == std::string::npos ? std::string::npos : end - part_start);
                if (part.empty()) fail_at(start + part_start, "a list is written 3x5 (integers between the x's)");
                list.push_back(parse_integer(part, start + part_start));
                if (end == std::string::npos) break;
                part_start = end + 1;
            }
            return list;
        }
        if (token.find_first_of(".eE") != std::string::npos) {
            char* end = nullptr;
            const double number = std::strtod(token.c_str(), &end);
            if (*end != '\0') fail_at(start, cat("'", token, "' is not a number"));
            if (!decimal_to_double(token))
                fail_at(start, cat("'", token, "' is ", std::isfinite(number) ? "too close to 0" : "too large",
                                   " for a 64-bit floating-point number"));
            return number;
        }
        return parse_integer(token, start);
    }

    int64_t parse_integer(const std::string& token, size_t position) const {
        size_t digits = token[0] == '-' ? 1 : 0;
        if (digits == token.size()) fail_at(position, cat("'", token, "' is not a number"));
        for (size_t i = digits; i < token.size(); ++i)
            if (token[i] < '0' || token[i] > '9') fail_at(position, cat("'", token, "' is not a number"));
        errno = 0;
        long long value = std::strtoll(token.c_str(), nullptr, 10);
        if (errno == ERANGE) fail_at(position, cat(token, " does not fit in a 64-bit integer"));
        return value;
    }

    void resolve_relative_references(Architecture& architecture) const {
        if (relative_.empty()) return;
        const std::vector<std::string> names = layer_names(architecture);
        for (const RelativeReference& reference : relative_) {
            const int64_t target = static_cast<int64_t>(reference.layer) + reference.offset;
            LayerSpec& layer = architecture.layers[reference.layer];
            // One step before the first layer is the model input, when there is just one.
            if (target == -1 && architecture.inputs.size() == 1 && reference.slot != SIZE_MAX) {
                layer.inputs[reference.slot] = architecture.inputs[0].name;
                continue;
            }
            if (target < 0 || target >= static_cast<int64_t>(architecture.layers.size()))
                fail_at(reference.at, cat("@", reference.offset > 0 ? "+" : "", reference.offset,
                                          " points outside the layers (layer ", reference.layer, " of ",
                                          architecture.layers.size(), ")"));
            const std::string& name = names[static_cast<size_t>(target)];
            if (reference.slot == SIZE_MAX)
                layer.shares = name;
            else
                layer.inputs[reference.slot] = name;
        }
    }

    std::string_view text_;
    size_t at_ = 0;
    std::vector<RelativeReference> relative_;
};

size_t column_of(std::string_view text, size_t byte) {
    size_t column = 1;
    for (size_t i = 0; i < byte && i < text.size(); ++i)
        if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++column;
    return column;
}

} // namespace

TextReadResult read_architecture_text(std::string_view text) {
    TextReadResult result;
    if (std::optional<ReadError> too_big = input_size_problem(text.size())) {
        result.error = TextError{.message = too_big->message, .column = 1};
        return result;
    }
    try {
        result.architecture = TextReader(text).read();
    } catch (const ParseFailure& e) {
        result.architecture = Architecture{};
        result.error = TextError{.message = e.what(), .column = column_of(text, e.at)};
        return result;
    }
    if (std::optional<ReadError> over = limit_problem(result.architecture)) {
        result.architecture = Architecture{};
        result.error = TextError{.message = over->message, .column = 1};
    }
    return result;
}

ReadResult read_architecture_any(std::string_view text) {
    // A byte-order mark (editors on Windows save one) says nothing about which form follows.
    std::string_view body = text.substr(text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0);
    size_t first = body.find_first_not_of(" \t\r\n");
    if (first != std::string_view::npos && body[first] == '{') return read_architecture_json(text);
    TextReadResult read = read_architecture_text(body);
    ReadResult result{.architecture = std::move(read.architecture), .error = std::nullopt};
    if (read.error)
        result.error = ReadError{.message = cat("link text, column ", read.error->column, ": ", read.error->message,
                                                "\n", caret_display(text, read.error->column)),
                                 .where = "text",
                                 .line = 0,
                                 .column = static_cast<int>(read.error->column)};
    return result;
}

bool looks_like_link_text(std::string_view text) {
    size_t i = text.find_first_not_of(" \t\r\n");
    return i != std::string_view::npos && text.substr(i, 2) == "ns" && i + 2 < text.size() && text[i + 2] >= '0' &&
           text[i + 2] <= '9';
}

std::string caret_display(std::string_view text, size_t column) {
    // Show the line that holds the column (a text pasted with line breaks has several).
    size_t line_start = 0, current = 1;
    for (size_t i = 0; i < text.size() && current < column; ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++current;
        if (text[i] == '\n') line_start = i + 1;
    }
    size_t line_end = text.find('\n', line_start);
    std::string_view line =
        text.substr(line_start, line_end == std::string_view::npos ? std::string_view::npos : line_end - line_start);
    size_t offset = column - column_of(text, line_start);
    // A long line (a one-line link of 100,000 layers) is shown around the column only.
    constexpr size_t kAround = 36;
    auto byte_of = [&](size_t characters) { // the byte where the line's character `characters` starts
        size_t i = 0;
        for (size_t seen = 0; i < line.size(); ++i)
            if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80 && seen++ == characters) break;
        return i;
    };
    const size_t line_characters = column_of(line, line.size()) - 1;
    if (line_characters <= 2 * kAround + 8) return cat(line, "\n", std::string(offset, ' '), "^");
    const size_t first = offset > kAround ? offset - kAround : 0;
    const size_t last = std::min(line_characters, offset + kAround);
    const std::string_view shown = line.substr(byte_of(first), byte_of(last) - byte_of(first));
    const std::string before = first > 0 ? "…" : "";
    return cat(before, shown, last < line_characters ? "…" : "", "\n",
               std::string(offset - first + (first > 0 ? 1 : 0), ' '), "^");
}

std::string link_text_form(const LayerKind& kind) {
    // The parser's order: required and positional fields, as the kind lists them.
    std::vector<std::string> parts;
    for (const FieldSpec& field : kind.fields)
        if (field.required || field.positional) parts.emplace_back(field.name);
    for (const FieldSpec& field : kind.fields)
        if (!field.required && !field.positional) parts.push_back(cat(field.name, "=…"));
    return cat(kind.type, "(", join(parts, ", "), ")");
}

} // namespace netshape
