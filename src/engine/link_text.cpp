#include "link_text.h"

#include "analysis.h"
#include "catalog.h"
#include "limits.h"
#include "link_blocks.h"
#include "text.h"

#include <cmath>

#include <cerrno>
#include <cstdlib>
#include <deque>
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
    TextWriter(const Architecture& architecture, std::vector<BlockUse> uses)
        : architecture_(architecture), names_(layer_names(architecture)), uses_(std::move(uses)) {
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
        for (const BlockDefinition& block : architecture_.blocks)
            out += cat(";", block_definition_text(block));
        std::vector<std::string> elements;
        size_t next_use = 0;
        for (size_t i = 0; i < architecture_.layers.size(); ++i) {
            if (next_use < uses_.size() && uses_[next_use].first_layer == i) {
                const BlockUse& use = uses_[next_use++];
                elements.push_back(use_text(use));
                i += use.layer_count - 1;
                continue;
            }
            elements.push_back(layer_text(i));
        }
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

    // @name; a name that starts with - or + is quoted, as @-1 and @+1 count layers.
    static std::string referenced_name(const std::string& target) {
        const bool sign_first = !target.empty() && (target[0] == '-' || target[0] == '+');
        return cat("@", sign_first ? quote(target) : format_name(target));
    }

    // A reference from layer i: a model input or a named layer by name, an unnamed layer by
    // its distance (@-2), so that identical blocks read identically and fold into repeats.
    std::string reference(const std::string& target, size_t i) const {
        if (input_names_.count(target)) return referenced_name(target);
        auto it = index_of_.find(target);
        if (it == index_of_.end() || !architecture_.layers[it->second].name.empty())
            return referenced_name(target);
        size_t j = it->second;
        // A layer reading itself is an error the analysis reports; "@+0" would not read back, so
        // it is written by the layer's default name, which reads back to the same design.
        if (j == i) return referenced_name(target);
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

    // s1=mb(16,3,1,1), or mb(16,3,1,1) when unnamed, with the @inputs its first layer reads when
    // they were given; a block without parameters or inputs is its name alone.
    std::string use_text(const BlockUse& use) const {
        std::string out = use.name.empty() ? use.block : cat(format_name(use.name), "=", use.block);
        std::vector<std::string> arguments;
        for (const std::string& input : use.inputs)
            arguments.push_back(reference(input, use.first_layer));
        for (const FieldValue& argument : use.arguments)
            arguments.push_back(format_value(argument));
        if (!arguments.empty()) out += cat("(", join(arguments, ","), ")");
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
    std::vector<BlockUse> uses_;
};

// Reads a text the writer wrote, to see whether its block uses expand to the layers they cover.
std::optional<Architecture> read_written_text(std::string_view text);

} // namespace

namespace {

// The text, and the uses it holds: a use is written only when reading the text gives back the
// very layers it covers; one that no longer does (its layers edited) is written as its layers.
// Three tries at most: all uses, those that agreed, none.
std::pair<std::string, std::vector<BlockUse>> write_with_agreeing_uses(const Architecture& architecture) {
    std::vector<BlockUse> uses = well_formed_block_uses(architecture);
    for (int attempt = 0; attempt < 2 && !uses.empty(); ++attempt) {
        std::string text = TextWriter(architecture, uses).write();
        std::optional<Architecture> read_back = read_written_text(text);
        if (!read_back) break;
        std::vector<size_t> disagreeing = disagreeing_block_uses(uses, architecture.layers, read_back->layers);
        if (disagreeing.empty()) return {std::move(text), std::move(uses)};
        if (attempt == 1) break;
        for (auto u = disagreeing.rbegin(); u != disagreeing.rend(); ++u)
            uses.erase(uses.begin() + static_cast<std::ptrdiff_t>(*u));
    }
    return {TextWriter(architecture, {}).write(), {}};
}

} // namespace

std::string architecture_to_text(const Architecture& architecture) {
    if (architecture.block_uses.empty()) return TextWriter(architecture, {}).write();
    return write_with_agreeing_uses(architecture).first;
}

std::vector<BlockUse> block_uses_written(const Architecture& architecture) {
    if (architecture.block_uses.empty()) return {};
    return write_with_agreeing_uses(architecture).second;
}

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

size_t column_of(std::string_view text, size_t byte);

class TextReader {
    // A definition read in the header: where its body is, to read it again at each use.
    struct DefinedBlock {
        const BlockDefinition* block;
        size_t defined_at;
        size_t body_begin, body_end;
    };

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
        for (BlockUse& use : architecture.block_uses)
            if (!use.inputs.empty()) use.inputs = architecture.layers[use.first_layer].inputs;
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
                std::string word = identifier("keras, pytorch, a title in quotes, the input shape or a block");
                if (peek() == '(') {
                    read_block_definition(architecture, word, start);
                } else if (accept('=')) {
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
                                                                        "in quotes, input shapes and blocks "
                                                                        "such as mb(c,k)=(…)")
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
        std::optional<int64_t> parameter_count = repeat_count_parameter();
        if (parameter_count || (digits_end > at_ && digits_end < text_.size() && text_[digits_end] == '*')) {
            int64_t count = parameter_count ? *parameter_count : integer();
            ++at_; // '*'
            expect('(', "'(' after the repeat count");
            if (count < 1) fail_at(start, "a repeat count is 1 or more");
            if (depth >= kDeepestRepeat) fail_at(start, "repeats are nested too deeply");
            size_t first = architecture.layers.size();
            size_t first_reference = relative_.size();
            const size_t region = at_;
            const size_t uses_before = uses_expanded_;
            read_repeated_region(architecture, depth);
            // A region holding block uses is read again for each repeat, so that every use names
            // its layers after itself (mb.1.x, mb.2.x) and is a use the writer can write again.
            if (uses_before != uses_expanded_) {
                for (int64_t k = 1; k < count; ++k) {
                    if (!blocks_.charge(at_ - region))
                        fail_at(start, cat("this repeat of block uses reads more than ",
                                           with_thousands(static_cast<int64_t>(kMaxBlockExpansionBytes)),
                                           " bytes of text again, the limit"));
                    at_ = region;
                    read_repeated_region(architecture, depth);
                }
                return;
            }
            const size_t block = architecture.layers.size() - first; // 1 or more, but while a
            if (block == 0) return; // definition is checked, a region of block uses adds none
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

    void read_repeated_region(Architecture& architecture, int depth) {
        read_element(architecture, depth + 1);
        while (skip_space(), accept('/'))
            read_element(architecture, depth + 1);
        skip_space();
        expect(')', "')' to close the repeat");
    }

    // n*(…) in a block's body, n a parameter: its argument, which must be a count (1 when the
    // definition is checked). nullopt when the text here is not a parameter and '*'.
    std::optional<int64_t> repeat_count_parameter() {
        if (!blocks_.active()) return std::nullopt;
        size_t end = at_;
        while (end < text_.size() && is_identifier_character(text_[end]))
            ++end;
        if (end == at_ || end >= text_.size() || text_[end] != '*') return std::nullopt;
        const std::string word(text_.substr(at_, end - at_));
        if (word[0] >= '0' && word[0] <= '9') return std::nullopt;
        const BlockExpansion::Frame& frame = blocks_.innermost();
        if (!blocks_.is_parameter(word))
            fail(cat("'", word, "' is not a parameter of block ", frame.block->name,
                     "; a repeat count is a number or a parameter (", join(frame.block->parameters, ", "), ")"));
        const size_t count_at = at_;
        at_ = end;
        if (frame.checking) return 1;
        const FieldValue* value = blocks_.argument(word);
        const int64_t* count = std::get_if<int64_t>(value);
        if (!count || *count < 1)
            fail_at(frame.use_at, cat("this use of ", frame.block->name, " gives ", word, " = ",
                                      format_field_value(*value), ", which is a repeat count in the block (column ",
                                      column_of(text_, count_at), "): a whole number, 1 or more"));
        return *count;
    }

    // name(p,q)=(elements): checked once here, with the parameters standing for themselves.
    void read_block_definition(Architecture& architecture, const std::string& name, size_t start) {
        if (!is_block_name(name))
            fail_at(start, cat("'", name, "' is not a block name: letters, digits and _, starting with a letter"));
        if (find_kind(name))
            fail_at(start, cat("'", name, "' is a layer type; a block needs a name of its own, such as ", name,
                               "_block"));
        if (auto earlier = defined_.find(name); earlier != defined_.end())
            fail_at(start, cat("block ", name, " is defined twice (first at column ",
                               column_of(text_, earlier->second.defined_at), ")"));
        BlockDefinition block{.name = name, .parameters = {}, .body = {}};
        expect('(', "'(' and the block's parameters");
        skip_space();
        if (peek() != ')') {
            do {
                skip_space();
                const size_t parameter_at = at_;
                std::string parameter = identifier("a parameter name");
                if (!is_block_name(parameter))
                    fail_at(parameter_at, cat("'", parameter,
                                              "' is not a parameter name: letters, digits and _, starting "
                                              "with a letter"));
                if (parameter == "true" || parameter == "false")
                    fail_at(parameter_at, cat(parameter, " is a value; a parameter needs another name"));
                for (const std::string& other : block.parameters)
                    if (other == parameter) fail_at(parameter_at, cat("parameter ", parameter, " is given twice"));
                block.parameters.push_back(std::move(parameter));
                skip_space();
            } while (accept(','));
        }
        expect(')', "',' or ')' after the parameters");
        expect('=', "'=' and the block's layers in parentheses, as in mb(c)=(conv2d(c,3)/relu)");
        expect('(', "'(' and the block's layers, as in mb(c)=(conv2d(c,3)/relu)");
        const size_t body_begin = at_;
        // Read once into a scratch design: the syntax, the kinds and the uses of other blocks are
        // checked where they are written; nothing of it stays.
        Architecture scratch;
        const size_t references = relative_.size();
        blocks_.begin_check(block, start);
        read_element(scratch, 0);
        while (skip_space(), accept('/'))
            read_element(scratch, 0);
        skip_space();
        expect(')', "'/' or ')' to close the block");
        blocks_.end(scratch.layers);
        relative_.resize(references);
        block.body = compact_block_body(text_.substr(body_begin, at_ - 1 - body_begin));
        architecture.blocks.push_back(block);
        definitions_.push_back(std::move(block));
        defined_.emplace(name, DefinedBlock{&definitions_.back(), start, body_begin, at_ - 1});
    }

    // mb(16,3,2) or s1=mb(16,3,2): the block's body read here with its parameters bound.
    void read_block_use(Architecture& architecture, const DefinedBlock& defined, const std::string& use_name,
                        size_t use_at) {
        const BlockDefinition& block = *defined.block;
        std::vector<FieldValue> arguments;
        std::vector<std::string> inputs; // mb(@a,…): what the first layer reads instead of the layer before
        if (accept('(')) {
            skip_space();
            if (peek() != ')') {
                do {
                    skip_space();
                    if (peek() == '@') {
                        if (!arguments.empty()) fail("a use's @inputs come before its values, as in mb(@a,16)");
                        inputs.emplace_back();
                        reference(architecture, inputs.size() - 1, inputs.back());
                        continue;
                    }
                    const size_t argument_at = at_;
                    if (peek() != '\'') {
                        size_t end = at_;
                        while (end < text_.size() && is_identifier_character(text_[end]))
                            ++end;
                        if (end < text_.size() && text_[end] == '=')
                            fail_at(argument_at, cat("a block's arguments are given in order, without names: ",
                                                     block.name, "(", join(block.parameters, ","), ")"));
                    }
                    arguments.push_back(value());
                    skip_space();
                } while (accept(','));
            }
            expect(')', "',' or ')'");
        }
        if (arguments.size() != block.parameters.size())
            fail_at(use_at, cat("block ", block.name, " takes ", block.parameters.size(), " argument",
                                block.parameters.size() == 1 ? "" : "s",
                                block.parameters.empty() ? "" : cat(" (", join(block.parameters, ", "), ")"),
                                "; this use gives ", arguments.size()));
        if (peek() == '+')
            fail("a block use takes no activation after it; put the activation inside the block");
        if (blocks_.depth() >= kMaxBlockNesting)
            fail_at(use_at, cat("blocks are nested more than ", kMaxBlockNesting, " deep"));
        if (blocks_.active() && blocks_.innermost().checking) return; // expanded where it is used
        if (!blocks_.charge(defined.body_end - defined.body_begin))
            fail_at(use_at, cat("the block uses read more than ",
                                with_thousands(static_cast<int64_t>(kMaxBlockExpansionBytes)),
                                " bytes of text again, the limit"));
        const bool top_level = !blocks_.active();
        const size_t first = architecture.layers.size();
        ++uses_expanded_;
        blocks_.begin_use(block, arguments, use_name, use_at, first);
        const size_t resume_at = at_;
        at_ = defined.body_begin;
        read_element(architecture, 0);
        while (skip_space(), accept('/'))
            read_element(architecture, 0);
        at_ = resume_at;
        if (!inputs.empty()) {
            std::vector<std::string>& first_inputs = architecture.layers[first].inputs;
            if (!first_inputs.empty())
                fail_at(use_at, cat("the first layer of block ", block.name,
                                    " reads inputs of its own; a use gives @inputs only to a block whose first "
                                    "layer reads the layer before it"));
            first_inputs = inputs; // relative ones are filled in with the others, at the end
        }
        blocks_.end(architecture.layers);
        if (top_level)
            architecture.block_uses.push_back(BlockUse{.block = block.name,
                                                       .name = use_name,
                                                       .inputs = std::move(inputs),
                                                       .arguments = std::move(arguments),
                                                       .first_layer = first,
                                                       .layer_count = architecture.layers.size() - first});
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
        if (blocks_.is_parameter(name))
            fail_at(start, cat("'", name, "' is a parameter of block ", blocks_.innermost().block->name,
                               ": a parameter stands for a value; @ names a layer or a model input"));
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
        if (named) start = at_;
        const LayerKind* kind = nullptr;
        if (peek() == '@') {
            reference(architecture, SIZE_MAX, layer.shares);
        } else {
            layer.type = named ? identifier("a layer type after '='") : head_name;
            if (auto block = defined_.find(layer.type); block != defined_.end()) {
                read_block_use(architecture, block->second, named ? head_name : std::string(), start);
                return;
            }
            check_block_word_as_type(layer.type, start);
            kind = find_kind(layer.type);
        }
        if (named) layer.name = blocks_.layer_name(head_name);
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
                    if (!kind) fail_at(type_at, unknown_type_or_block(layer.type, type_at));
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
            const size_t activation_at = at_;
            layer.activation = identifier("an activation after '+', such as relu");
            if (!quoted_name) layer.activation = activation_argument(layer.activation, activation_at);
            if (!quoted_name && peek() == '(') layer.activation += activation_values();
        }
        architecture.layers.push_back(std::move(layer));
        if (architecture.layers.size() > kMaxLayers)
            fail(cat("more than ", with_thousands(kMaxLayers), " layers, the limit"));
    }

    // A type that is neither a kind nor a block: the nearest block when one is near, else kinds.
    std::string unknown_type_or_block(const std::string& type, size_t type_at) const {
        // b(…)=(…) after the first '/': a definition where layers are.
        const size_t close = text_.find(')', type_at);
        if (close != std::string_view::npos && close - type_at < 2 * kMaxNameBytes &&
            text_.substr(close + 1, 2) == "=(")
            return cat("'", type, "' looks like a block's definition; blocks are defined in the header, before "
                                  "the first '/': ns1;3x32x32;", type, "(…)=(…)/", type, "(…)");
        std::vector<std::string_view> names;
        for (const BlockDefinition& block : definitions_)
            names.push_back(block.name);
        std::string_view block = nearest_name(type, names);
        if (block.empty()) return unknown_type_message(type);
        return cat("unknown layer type or block '", type, "'; did you mean block '", block, "'?");
    }

    // +act in a body, act a parameter: the activation its argument names (a word such as relu).
    std::string activation_argument(const std::string& written, size_t at) const {
        const FieldValue* argument = blocks_.argument(written);
        if (!argument) return written;
        const std::string* word = std::get_if<std::string>(argument);
        if (!word || !is_plain_identifier(*word))
            fail_at(blocks_.innermost().use_at,
                    cat("this use of ", blocks_.innermost().block->name, " gives ", written, " = ",
                        format_field_value(*argument), ", which is an activation in the block (column ",
                        column_of(text_, at), "): a name such as relu"));
        return *word;
    }

    // Inside a block: a parameter, or the block itself, where a layer type goes.
    void check_block_word_as_type(const std::string& type, size_t at) const {
        if (!blocks_.active()) return;
        const BlockExpansion::Frame& frame = blocks_.innermost();
        if (blocks_.is_parameter(type))
            fail_at(at, cat("'", type, "' is a parameter of block ", frame.block->name,
                            ": a parameter stands for a value in a layer's parentheses or a repeat count, not a "
                            "layer type"));
        if (frame.checking && type == frame.block->name)
            fail_at(at, cat("block ", type, " uses itself: a block may use only blocks defined before it"));
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
            if (const FieldValue* argument = blocks_.argument(token)) return *argument;
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
    std::deque<BlockDefinition> definitions_; // stable addresses for the frames
    std::unordered_map<std::string, DefinedBlock> defined_;
    BlockExpansion blocks_;
    size_t uses_expanded_ = 0;
};

std::optional<Architecture> read_written_text(std::string_view text) {
    try {
        return TextReader(text).read();
    } catch (const ParseFailure&) {
        return std::nullopt;
    }
}

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

namespace {

// A byte-order mark (editors on Windows save one) says nothing about which form follows.
std::string_view without_byte_order_mark(std::string_view text) {
    return text.substr(text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0);
}

} // namespace

bool looks_like_json(std::string_view text) {
    const std::string_view body = without_byte_order_mark(text);
    const size_t first = body.find_first_not_of(" \t\r\n");
    return first != std::string_view::npos && body[first] == '{';
}

ReadResult read_link_text_reporting_place(std::string_view text) {
    const std::string_view body = without_byte_order_mark(text);
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

ReadResult read_architecture_any(std::string_view text) {
    return looks_like_json(text) ? read_architecture_json(text) : read_link_text_reporting_place(text);
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
