// Keras code → the JSON its model's to_json() would write → a design.
//
// Index:
//   [SECTION] Tokens: Python's names, numbers, strings and brackets, with lines and columns
//   [SECTION] Values: what an expression of the code stands for
//   [SECTION] Reader: statements and expressions, layers, calls and models
//   [SECTION] Entry points
#include "import_keras_code.h"

#include "import_keras_model.h"
#include "import_keras_signatures.h"
#include "text.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <set>

namespace netshape {

namespace {

using namespace keras_code;
using Json = nlohmann::ordered_json;

struct Failure {
    ImportError error;
};

[[noreturn]] void fail(SourcePlace place, const std::string& message) {
    throw Failure{{cat("line ", place.line, ", column ", place.column, ": ", message), place.line, place.column}};
}

std::string_view last_part(std::string_view dotted) {
    const size_t dot = dotted.rfind('.');
    return dot == std::string_view::npos ? dotted : dotted.substr(dot + 1);
}

// --------------------------------------------------------------------------------------------
// [SECTION] Tokens: Python's names, numbers, strings and brackets, with lines and columns
// --------------------------------------------------------------------------------------------

enum class TokenKind { name, number, string, symbol, end_of_statement };

struct Token {
    TokenKind kind;
    std::string text; // a name with its dots ("layers.Dense"), a number's digits, a string's content
    SourcePlace place;
    bool real = false; // a number with a point or an exponent
};

// One logical line of Python: its tokens and how far it is indented.
struct Statement {
    std::vector<Token> tokens;
    int indent = 0;
};

bool name_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

std::vector<Statement> tokenize(std::string_view text) {
    std::vector<Statement> statements(1);
    int line = 1;
    size_t line_start = 0;
    int depth = 0;
    auto place = [&](size_t at) { return SourcePlace{line, static_cast<int>(at - line_start) + 1}; };
    auto push = [&](Token token) {
        if (statements.back().tokens.empty()) statements.back().indent = token.place.column - 1;
        statements.back().tokens.push_back(std::move(token));
    };
    auto end_statement = [&] {
        if (!statements.back().tokens.empty()) statements.emplace_back();
    };
    size_t i = 0;
    while (i < text.size()) {
        const char c = text[i];
        if (c == '\n') {
            ++line;
            line_start = ++i;
            if (depth == 0) end_statement();
        } else if (c == '\\' && i + 1 < text.size() && (text[i + 1] == '\n' || text[i + 1] == '\r')) {
            i += text[i + 1] == '\r' && i + 2 < text.size() && text[i + 2] == '\n' ? 3 : 2; // a continued line
            ++line;
            line_start = i;
        } else if (std::isspace(static_cast<unsigned char>(c))) {
            ++i;
        } else if (c == '#') {
            while (i < text.size() && text[i] != '\n') ++i;
        } else if (c == ';' && depth == 0) {
            end_statement();
            ++i;
        } else if (c == '\'' || c == '"' ||
                   ((c == 'r' || c == 'b' || c == 'f' || c == 'u' || c == 'R' || c == 'B' || c == 'F' || c == 'U') &&
                    i + 1 < text.size() && (text[i + 1] == '\'' || text[i + 1] == '"'))) {
            const SourcePlace at = place(i);
            if (c != '\'' && c != '"') ++i; // a prefix: r"…", f"…"
            const char quote = text[i];
            const bool triple = text.substr(i, 3) == std::string(3, quote);
            const std::string closing = triple ? std::string(3, quote) : std::string(1, quote);
            size_t j = i + closing.size();
            std::string content;
            while (j < text.size() && text.substr(j, closing.size()) != closing) {
                if (text[j] == '\\' && j + 1 < text.size()) content += text[++j];
                else if (text[j] == '\n' && !triple) fail(at, "a string that the line ends before closing");
                else content += text[j];
                if (text[j] == '\n') ++line, line_start = j + 1;
                ++j;
            }
            if (j >= text.size()) fail(at, "a string that is never closed");
            push({TokenKind::string, std::move(content), at});
            i = j + closing.size();
        } else if (std::isdigit(static_cast<unsigned char>(c)) ||
                   (c == '.' && i + 1 < text.size() && std::isdigit(static_cast<unsigned char>(text[i + 1])))) {
            const SourcePlace at = place(i);
            std::string digits;
            bool real = false;
            while (i < text.size()) {
                const char d = text[i];
                if (std::isdigit(static_cast<unsigned char>(d))) digits += d;
                else if (d == '_') {
                } else if (d == '.' || d == 'e' || d == 'E') {
                    real = true;
                    digits += d;
                    if ((d == 'e' || d == 'E') && i + 1 < text.size() && (text[i + 1] == '-' || text[i + 1] == '+'))
                        digits += text[++i];
                } else {
                    break;
                }
                ++i;
            }
            push({TokenKind::number, std::move(digits), at, real});
        } else if (name_start(c)) {
            const SourcePlace at = place(i);
            const size_t start = i;
            while (i < text.size() && (name_char(text[i]) || (text[i] == '.' && i + 1 < text.size() && name_start(text[i + 1]))))
                ++i;
            push({TokenKind::name, std::string(text.substr(start, i - start)), at});
        } else {
            const SourcePlace at = place(i);
            if (c == '(' || c == '[' || c == '{') ++depth;
            if ((c == ')' || c == ']' || c == '}') && depth > 0) --depth;
            // Two-character operators netshape reads (// and **; ** only to refuse it by name).
            const std::string_view two = text.substr(i, 2);
            const bool pair = two == "//" || two == "**" || two == "==" || two == "!=" || two == "<=" || two == ">=" || two == "->";
            push({TokenKind::symbol, std::string(text.substr(i, pair ? 2 : 1)), at});
            i += pair ? 2 : 1;
        }
    }
    if (statements.back().tokens.empty()) statements.pop_back();
    return statements;
}

// --------------------------------------------------------------------------------------------
// [SECTION] Values: what an expression of the code stands for
// --------------------------------------------------------------------------------------------

struct Value {
    enum class Kind {
        none, boolean, integer, real, string,
        sequence, // a tuple or a list
        free_name, // a name the code never assigned: a module path (tf.nn.relu) or a size it cannot know
        other,     // a call that is not a layer (an initializer, a regularizer), read but not used
        layer,     // a layer object, not yet called
        tensor,    // a layer's output (or an Input)
        model,
        unreadable // assigned by a statement netshape could not follow
    };
    Kind kind = Kind::none;
    bool flag = false;
    int64_t integer = 0;
    double real = 0;
    std::string text; // a string's content, a name, the callee of `other`, why `unreadable`
    std::vector<Value> items;
    size_t id = 0; // of the layer, tensor or model
    SourcePlace place;
};

// A layer as the code constructs it: its class and the config Keras would write.
struct CodeLayer {
    std::string class_name;
    std::string name;
    Json config;
    SourcePlace place;
    std::vector<std::vector<size_t>> calls; // each call's input tensors
};

struct CodeTensor {
    size_t layer, call;
    // Which of the call's outputs: a recurrent layer with return_state=True returns [output, state_h(, state_c)].
    size_t index = 0;
};

struct CodeModel {
    bool sequential = true;
    std::string name;
    std::vector<Value> layers;           // a Sequential's, in order (layers and Input tensors)
    std::vector<size_t> inputs, outputs; // a functional model's tensors
    Json built_shape;                    // model.build((None, 784))
    SourcePlace place;
};

// --------------------------------------------------------------------------------------------
// [SECTION] Reader: statements and expressions, layers, calls and models
// --------------------------------------------------------------------------------------------

class Reader {
public:
    void read(const std::vector<Statement>& statements) {
        // Blocks open by a line ending in ':'; a loop's or a condition's body is not followed.
        struct Block {
            int indent;
            std::string keyword;
            SourcePlace place;
        };
        std::vector<Block> blocks;
        for (const Statement& statement : statements) {
            while (!blocks.empty() && statement.indent <= blocks.back().indent) blocks.pop_back();
            const Token& first = statement.tokens.front();
            const std::string keyword = first.kind == TokenKind::name ? first.text : std::string();
            if (keyword == "import" || keyword == "from" || keyword == "pass" || keyword == "print" || keyword == "assert")
                continue;
            const bool header = statement.tokens.back().kind == TokenKind::symbol && statement.tokens.back().text == ":";
            if (header || keyword == "else" || keyword == "elif" || keyword == "except" || keyword == "finally" || first.text == "@") {
                if (header) blocks.push_back({statement.indent, keyword, first.place});
                continue;
            }
            const auto unfollowed = std::find_if(blocks.begin(), blocks.end(), [](const Block& block) {
                return block.keyword == "for" || block.keyword == "while" || block.keyword == "if" || block.keyword == "elif" ||
                       block.keyword == "else" || block.keyword == "class";
            });
            if (unfollowed != blocks.end()) {
                skip(statement, *unfollowed);
                continue;
            }
            run(statement);
        }
    }

    // The model the code builds: the last one it makes.
    Json model_json(std::vector<SourcePlace>& places, const Shape& given_input) const {
        if (models_.empty())
            fail({1, 1}, "no keras.Sequential(…) or keras.Model(…) in the code: netshape reads a model built one of those "
                         "ways (a subclassed keras.Model's call() is not read)");
        const CodeModel& model = models_.back();
        Json layers = Json::array();
        if (model.sequential) {
            if (!model.built_shape.is_null()) {
                layers.push_back({{"class_name", "InputLayer"}, {"config", {{"batch_input_shape", model.built_shape}}}});
                places.push_back(model.place);
            }
            for (const Value& item : model.layers) {
                const CodeLayer& layer = layers_[item.kind == Value::Kind::tensor ? tensors_[item.id].layer : item.id];
                layers.push_back({{"class_name", layer.class_name}, {"config", layer.config}});
                places.push_back(layer.place);
            }
            if (layers.empty() && given_input.empty()) fail(model.place, "a Sequential with no layers");
            return {{"class_name", "Sequential"}, {"config", {{"name", model.name}, {"layers", layers}}}};
        }
        // The layers the outputs are computed from, in the order the code makes them.
        std::set<size_t> used;
        std::vector<size_t> work = model.outputs;
        while (!work.empty()) {
            const CodeTensor tensor = tensors_[work.back()];
            work.pop_back();
            if (!used.insert(tensor.layer).second) continue;
            for (const auto& call : layers_[tensor.layer].calls) work.insert(work.end(), call.begin(), call.end());
        }
        for (size_t input : model.inputs)
            if (!used.count(tensors_[input].layer))
                fail(model.place, cat("the model's input '", layers_[tensors_[input].layer].name, "' is not used by its outputs"));
        for (size_t index : used) {
            const CodeLayer& layer = layers_[index];
            Json nodes = Json::array();
            for (const auto& call : layer.calls) {
                Json node = Json::array();
                for (size_t input : call)
                    node.push_back(Json::array({layers_[tensors_[input].layer].name, tensors_[input].call,
                                                tensors_[input].index, Json::object()}));
                if (!node.empty()) nodes.push_back(node);
            }
            layers.push_back({{"name", layer.name}, {"class_name", layer.class_name}, {"config", layer.config}, {"inbound_nodes", nodes}});
            places.push_back(layer.place);
        }
        return {{"class_name", "Functional"}, {"config", {{"name", model.name}, {"layers", layers}}}};
    }

private:
    // A statement in a loop, a condition or a class body: it may run any number of times or
    // never, so what it assigns cannot be read, and a layer it adds is an error.
    void skip(const Statement& statement, const auto& block) {
        const auto& tokens = statement.tokens;
        const std::string why = cat("is assigned inside the '", block.keyword, "' on line ", block.place.line,
                                    ", which netshape does not run; write the layers out one by one");
        if (tokens.size() > 1 && tokens[0].kind == TokenKind::name && tokens[1].text == "=")
            variables_[tokens[0].text] = Value{.kind = Value::Kind::unreadable, .text = why, .place = tokens[0].place};
        for (const Token& token : tokens)
            if (token.kind == TokenKind::name && token.text.ends_with(".add")) {
                auto model = variables_.find(token.text.substr(0, token.text.size() - 4));
                if (model != variables_.end() && model->second.kind == Value::Kind::model)
                    fail(token.place, cat("a layer added inside the '", block.keyword, "' on line ", block.place.line,
                                          ", which netshape does not run; write the layers out one by one"));
            }
    }

    void run(const Statement& statement) {
        tokens_ = &statement.tokens;
        at_ = 0;
        const auto& tokens = statement.tokens;
        std::string target;
        std::vector<Token> unpacked; // out, state_h, state_c = …: a recurrent layer's outputs with its states
        if (tokens[0].kind == TokenKind::name && tokens[0].text == "return") {
            at_ = 1;
        } else if (tokens.size() > 2 && tokens[0].kind == TokenKind::name && tokens[1].text == "=") {
            target = tokens[0].text;
            at_ = 2;
        } else if (tokens.size() > 3 && tokens[0].kind == TokenKind::name && tokens[1].text == ",") {
            size_t at = 0;
            while (at + 1 < tokens.size() && tokens[at].kind == TokenKind::name &&
                   (tokens[at + 1].text == "," || tokens[at + 1].text == "=")) {
                unpacked.push_back(tokens[at]);
                at += 2;
                if (tokens[at - 1].text == "=") break;
            }
            if (tokens[at - 1].text == "=") {
                target = unpacked.front().text;
                at_ = at;
            } else {
                unpacked.clear();
            }
        }
        // A statement netshape cannot read (arithmetic on arrays, a comprehension) leaves what
        // it assigns unreadable; it is an error only when the model uses that.
        Value value;
        try {
            value = expression();
            if (at_ < tokens.size()) fail(tokens[at_].place, cat("'", tokens[at_].text, "' where the statement should end"));
        } catch (const Failure& failure) {
            if (target.empty() && !touches_model(tokens)) return;
            if (target.empty() || touches_model(tokens)) throw;
            value = Value{.kind = Value::Kind::unreadable, .text = cat("is assigned by a statement netshape cannot read (",
                                                                       failure.error.message, ")"),
                          .place = tokens[0].place};
        }
        if (!unpacked.empty()) {
            if (value.kind != Value::Kind::sequence || value.items.size() != unpacked.size())
                fail(unpacked.front().place,
                     cat(unpacked.size(), " names are assigned ", describe(value),
                         value.kind == Value::Kind::sequence ? cat(" of ", value.items.size()) : std::string()));
            for (size_t i = 0; i < unpacked.size(); ++i)
                variables_[unpacked[i].text] = value.items[i];
        } else if (!target.empty()) {
            variables_[target] = value;
        }
    }

    // Whether a statement makes layers or models, uses them, or changes a model (model.add,
    // model.build), so that not reading it would lose them; model.fit(x_train[:100], …) changes
    // nothing netshape reads.
    bool touches_model(const std::vector<Token>& tokens) const {
        for (const Token& token : tokens) {
            if (token.kind != TokenKind::name) continue;
            const std::string_view last = last_part(token.text);
            if (last != token.text && (last == "add" || last == "build")) {
                auto v = variables_.find(std::string_view(token.text).substr(0, token.text.size() - last.size() - 1));
                if (v != variables_.end() && v->second.kind == Value::Kind::model) return true;
            }
            if (signatures().count(last) || last == "Sequential" || last == "Model" || last == "Input") return true;
            // A layer or a layer's output used: the statement builds the graph.
            if (auto v = variables_.find(token.text);
                v != variables_.end() && (v->second.kind == Value::Kind::tensor || v->second.kind == Value::Kind::layer))
                return true;
        }
        return false;
    }

    // ---- expressions ----

    const Token* peek() const { return at_ < tokens_->size() ? &(*tokens_)[at_] : nullptr; }
    bool next_is(std::string_view symbol) const {
        const Token* token = peek();
        return token && token->kind == TokenKind::symbol && token->text == symbol;
    }
    SourcePlace here() const { return peek() ? peek()->place : tokens_->back().place; }
    void expect(std::string_view symbol, std::string_view what) {
        if (!next_is(symbol)) fail(here(), cat("expected '", symbol, "' ", what, peek() ? cat("; received '", peek()->text, "'") : ""));
        ++at_;
    }

    Value expression(int depth = 0) {
        if (depth > 100) fail(here(), "expressions nested more than 100 deep");
        Value left = term(depth);
        while (next_is("+") || next_is("-")) {
            const Token op = *peek();
            ++at_;
            left = arithmetic(left, op, term(depth));
        }
        return left;
    }

    Value term(int depth) {
        Value left = unary(depth);
        while (next_is("*") || next_is("//") || next_is("/")) {
            const Token op = *peek();
            ++at_;
            left = arithmetic(left, op, unary(depth));
        }
        return left;
    }

    Value unary(int depth) {
        if (depth > 100) fail(here(), "expressions nested more than 100 deep");
        if (next_is("-")) {
            const Token op = *peek();
            ++at_;
            return arithmetic(Value{.kind = Value::Kind::integer, .integer = 0, .place = op.place}, op, unary(depth + 1));
        }
        return postfix(depth);
    }

    // Whole-number and real arithmetic as sizes are written (28 * 28, 64 // 2).
    static Value arithmetic(const Value& left, const Token& op, const Value& right) {
        auto number = [](const Value& v) { return v.kind == Value::Kind::integer || v.kind == Value::Kind::real; };
        if (!number(left) || !number(right))
            fail(op.place, cat("'", op.text, "' between ", describe(left), " and ", describe(right),
                               ": netshape reads arithmetic on numbers only"));
        Value out{.place = left.place};
        if (left.kind == Value::Kind::integer && right.kind == Value::Kind::integer && op.text != "/") {
            const int64_t a = left.integer, b = right.integer;
            int64_t result = 0;
            bool overflow = false;
            if (op.text == "+") overflow = __builtin_add_overflow(a, b, &result);
            else if (op.text == "-") overflow = __builtin_sub_overflow(a, b, &result);
            else if (op.text == "*") overflow = __builtin_mul_overflow(a, b, &result);
            else if (b == 0) fail(op.place, "a division by zero");
            else result = a / b - ((a % b != 0) && ((a < 0) != (b < 0))); // Python's // rounds down
            if (overflow) fail(op.place, "a size too large for netshape");
            out.kind = Value::Kind::integer;
            out.integer = result;
            return out;
        }
        const double a = left.kind == Value::Kind::integer ? static_cast<double>(left.integer) : left.real;
        const double b = right.kind == Value::Kind::integer ? static_cast<double>(right.integer) : right.real;
        out.kind = Value::Kind::real;
        if ((op.text == "/" || op.text == "//") && b == 0) fail(op.place, "a division by zero");
        out.real = op.text == "+" ? a + b : op.text == "-" ? a - b : op.text == "*" ? a * b : a / b;
        return out;
    }

    static std::string describe(const Value& value) {
        switch (value.kind) {
        case Value::Kind::free_name: return cat("'", value.text, "'");
        case Value::Kind::layer: return "a layer";
        case Value::Kind::tensor: return "a layer's output";
        case Value::Kind::model: return "a model";
        case Value::Kind::string: return cat("the string '", value.text, "'");
        case Value::Kind::sequence: return "a tuple or list";
        case Value::Kind::other: return cat("the result of ", value.text, "(…)");
        default: return "a value";
        }
    }

    Value postfix(int depth) {
        Value value = atom(depth);
        while (next_is("(") || next_is("[")) {
            const SourcePlace place = here();
            if (next_is("[")) fail(place, "indexing ([…]) is not read: netshape reads layers, calls and models");
            ++at_;
            std::vector<Value> positional;
            std::vector<std::pair<Token, Value>> named;
            while (!next_is(")")) {
                if (next_is("*") || next_is("**")) fail(here(), "arguments unpacked with * or **: netshape reads them written out");
                const Token* token = peek();
                if (!token) fail(place, "a call that is never closed");
                if (token->kind == TokenKind::name && at_ + 1 < tokens_->size() && (*tokens_)[at_ + 1].text == "=") {
                    const Token key = *token;
                    at_ += 2;
                    for (const auto& [other, _] : named)
                        if (other.text == key.text) fail(key.place, cat("the argument '", key.text, "' is given twice"));
                    named.emplace_back(key, expression(depth + 1));
                } else {
                    if (!named.empty()) fail(token->place, "a positional argument after keyword arguments");
                    positional.push_back(expression(depth + 1));
                }
                if (!next_is(",")) break;
                ++at_;
            }
            expect(")", "closing the call");
            value = call(value, place, std::move(positional), std::move(named));
        }
        return value;
    }

    Value atom(int depth) {
        const Token* token = peek();
        if (!token) fail(here(), "an expression that ends too soon");
        const Token t = *token;
        ++at_;
        if (t.kind == TokenKind::number) {
            Value value{.place = t.place};
            if (t.real) {
                value.kind = Value::Kind::real;
                const std::optional<double> read = decimal_to_double(t.text);
                if (!read) fail(t.place, cat("the number ", t.text, " does not fit a double"));
                value.real = *read;
            } else {
                value.kind = Value::Kind::integer;
                const auto [end, problem] = std::from_chars(t.text.data(), t.text.data() + t.text.size(), value.integer);
                if (problem != std::errc() || end != t.text.data() + t.text.size()) fail(t.place, cat("the number ", t.text, " is too large"));
            }
            return value;
        }
        if (t.kind == TokenKind::string) {
            Value value{.kind = Value::Kind::string, .text = t.text, .place = t.place};
            while (peek() && peek()->kind == TokenKind::string) value.text += (*tokens_)[at_++].text; // "a" "b"
            return value;
        }
        if (t.kind == TokenKind::name) {
            if (t.text == "None") return Value{.kind = Value::Kind::none, .place = t.place};
            if (t.text == "True" || t.text == "False") return Value{.kind = Value::Kind::boolean, .flag = t.text == "True", .place = t.place};
            if (t.text == "lambda") fail(t.place, "a lambda: netshape reads layers written out, not functions");
            if (auto v = variables_.find(t.text); v != variables_.end()) {
                Value value = v->second;
                value.place = t.place;
                if (value.kind == Value::Kind::unreadable) value.text = cat("'", t.text, "' ", value.text);
                return value;
            }
            const std::string_view head = std::string_view(t.text).substr(0, t.text.find('.'));
            if (auto v = variables_.find(head); v != variables_.end() && head != t.text)
                return Value{.kind = Value::Kind::other, .text = t.text, .id = v->second.kind == Value::Kind::model ? v->second.id : 0,
                             .place = t.place}; // an attribute such as model.add or model.summary
            return Value{.kind = Value::Kind::free_name, .text = t.text, .place = t.place};
        }
        if (t.text == "(" || t.text == "[") {
            const std::string close = t.text == "(" ? ")" : "]";
            Value value{.kind = Value::Kind::sequence, .place = t.place};
            bool comma = false;
            while (!next_is(close)) {
                value.items.push_back(expression(depth + 1));
                if (!next_is(",")) break;
                comma = true;
                ++at_;
            }
            expect(close, t.text == "(" ? "closing the parenthesis" : "closing the list");
            if (t.text == "(" && value.items.size() == 1 && !comma) return value.items[0]; // (expression)
            return value;
        }
        if (t.text == "{") fail(t.place, "a dict or set: netshape reads Keras's arguments as numbers, strings, tuples and lists");
        fail(t.place, cat("'", t.text, "' where a value should be"));
    }

    // ---- calls ----

    Value call(const Value& callee, SourcePlace place, std::vector<Value> positional, std::vector<std::pair<Token, Value>> named) {
        if (callee.kind == Value::Kind::layer) return call_layer(callee.id, place, positional, named);
        if (callee.kind == Value::Kind::model)
            fail(place, "a model called as a layer; netshape imports one level: write the inner model's layers in its place");
        if (callee.kind == Value::Kind::unreadable) fail(callee.place, callee.text);
        // A call's result called again, as a layer is on a tensor: a class netshape does not know.
        if (callee.kind == Value::Kind::other && callee.flag) unknown_layer(last_part(callee.text), callee.place);
        if (callee.kind == Value::Kind::other && callee.text.find('.') != std::string::npos) {
            const std::string object = callee.text.substr(0, callee.text.rfind('.'));
            const std::string_view method = last_part(callee.text);
            auto model = variables_.find(object);
            if (model != variables_.end() && model->second.kind == Value::Kind::model && models_[model->second.id].sequential) {
                CodeModel& sequential = models_[model->second.id];
                if (method == "add") {
                    if (positional.size() != 1 || !named.empty()) fail(place, "add takes one layer: model.add(layers.Dense(10))");
                    sequential.layers.push_back(sequential_item(positional[0]));
                    return Value{};
                }
                if (method == "build") {
                    const Value* shape = positional.empty() ? nullptr : &positional[0];
                    for (const auto& [key, value] : named)
                        if (key.text == "input_shape") shape = &value;
                    if (!shape) fail(place, "build without an input_shape");
                    sequential.built_shape = to_json(*shape, "input_shape");
                    return Value{};
                }
            }
            return Value{.kind = Value::Kind::other, .flag = true, .text = callee.text, .place = place};
        }
        if (callee.kind != Value::Kind::free_name) fail(place, cat(describe(callee), " is called: netshape reads calls of Keras's layers"));
        const std::string& dotted = callee.text;
        const std::string name(last_part(dotted));
        if (name == "Sequential") return sequential(callee.place, positional, named);
        if (name == "Model" || name == "Functional") return functional(callee.place, positional, named);
        if (name == "Input") return input(callee.place, positional, named);
        const std::string_view module = std::string_view(dotted).substr(0, dotted.size() - name.size());
        const bool from_layers = module.empty() || module.ends_with("layers.");
        if (auto merge = merge_functions().find(name); merge != merge_functions().end() && from_layers) {
            // layers.concatenate([a, b], axis=1): a Concatenate layer called on the list.
            if (positional.empty()) fail(place, cat(name, " takes the list of tensors first"));
            const Value inputs = positional[0];
            positional.erase(positional.begin());
            const size_t layer = make_layer(merge->second, callee.place, positional, named);
            return call_layer(layer, place, {inputs}, {});
        }
        if (signatures().count(name)) return Value{.kind = Value::Kind::layer, .id = make_layer(name, callee.place, positional, named), .place = callee.place};
        // From a module of layers (layers.Conv2d): a class netshape does not know. Another call (an
        // optimizer, an initializer) is read as a value; used as a layer, it is the same error.
        if (module.ends_with("layers.")) unknown_layer(name, callee.place);
        return Value{.kind = Value::Kind::other, .flag = true, .text = dotted, .place = callee.place};
    }

    static std::vector<std::string_view> known_names() {
        std::vector<std::string_view> known;
        for (const auto& [name, signature] : signatures()) known.push_back(name);
        known.push_back("Input");
        return known;
    }

    [[noreturn]] static void unknown_layer(std::string_view name, SourcePlace place) {
        const std::vector<std::string_view> known = known_names();
        NameSuggester suggester(known);
        const std::string_view nearest = suggester.nearest(name);
        fail(place, cat("netshape does not know the Keras layer '", name, "'",
                        nearest.empty() ? std::string() : cat("; did you mean '", nearest, "'?")));
    }

    // A value as the JSON Keras's config holds; `key` names the argument in errors.
    Json to_json(const Value& value, std::string_view key) const {
        switch (value.kind) {
        case Value::Kind::none: return nullptr;
        case Value::Kind::boolean: return value.flag;
        case Value::Kind::integer: return value.integer;
        case Value::Kind::real: return value.real;
        case Value::Kind::string: return value.text;
        case Value::Kind::sequence: {
            Json items = Json::array();
            for (const Value& item : value.items) items.push_back(to_json(item, key));
            return items;
        }
        case Value::Kind::layer: {
            const CodeLayer& layer = layers_[value.id];
            return {{"class_name", layer.class_name}, {"config", layer.config}};
        }
        case Value::Kind::unreadable: fail(value.place, cat(key, ": ", value.text));
        case Value::Kind::free_name:
            fail(value.place, cat(key, " is '", value.text, "', a name the code never assigns a value: netshape reads the "
                                  "code, it does not run it; write the value"));
        default: fail(value.place, cat(key, " is ", describe(value), ", which netshape cannot read as Keras's setting"));
        }
    }

    // Builds a layer of a known class from its arguments as Keras's signature takes them.
    size_t make_layer(const std::string& class_name, SourcePlace place, const std::vector<Value>& positional,
                      const std::vector<std::pair<Token, Value>>& named) {
        const Signature& signature = signatures().at(class_name);
        if (positional.size() > signature.arguments.size())
            fail(positional[signature.arguments.size()].place,
                 cat(class_name, " takes ", signature.arguments.size(), " arguments by position (",
                     signature.arguments.empty() ? std::string("none") : join(signature.arguments, ", "), "); received ", positional.size()));
        std::vector<std::pair<std::string, const Value*>> given;
        for (size_t i = 0; i < positional.size(); ++i) given.emplace_back(signature.arguments[i], &positional[i]);
        for (const auto& [key, value] : named) {
            const bool own = std::find(signature.arguments.begin(), signature.arguments.end(), key.text) != signature.arguments.end();
            const bool base = std::find(base_arguments().begin(), base_arguments().end(), key.text) != base_arguments().end();
            if (!own && !base) {
                std::vector<std::string_view> candidates(signature.arguments.begin(), signature.arguments.end());
                candidates.insert(candidates.end(), base_arguments().begin(), base_arguments().end());
                NameSuggester suggester(candidates);
                const std::string_view nearest = suggester.nearest(key.text);
                fail(key.place, cat(class_name, " has no argument '", key.text, "'",
                                    nearest.empty() ? std::string() : cat("; did you mean '", nearest, "'?")));
            }
            for (const auto& [earlier, _] : given)
                if (earlier == key.text) fail(key.place, cat("the argument '", key.text, "' is given twice (by position and by name)"));
            given.emplace_back(key.text, &value);
        }
        CodeLayer layer{.class_name = class_name, .config = signature.defaults, .place = place};
        for (const auto& [key, value] : given) {
            // Initializers, regularizers and constraints do not change shapes or counts: read, not kept.
            if ((key.ends_with("_initializer") || key.ends_with("_regularizer") || key.ends_with("_constraint") || key == "weights") &&
                (value->kind == Value::Kind::other || value->kind == Value::Kind::free_name))
                continue;
            if ((key == "activation" || key == "recurrent_activation") &&
                (value->kind == Value::Kind::layer || value->kind == Value::Kind::other))
                fail(value->place, cat(key, " is ", describe(*value), ": netshape reads an activation's name (\"relu\"); "
                                       "write a layer such as LeakyReLU as a layer of its own"));
            if ((key == "activation" || key == "recurrent_activation") && value->kind == Value::Kind::free_name) {
                layer.config[key] = std::string(last_part(value->text)); // tf.nn.relu, keras.activations.relu
                continue;
            }
            if (key == "dtype" && value->kind != Value::Kind::string) continue; // tf.float32
            Json json = to_json(*value, key);
            if (key == "input_shape") layer.config["batch_input_shape"] = with_batch(json, value->place);
            else if (key == "input_dim" && class_name != "Embedding") layer.config["batch_input_shape"] = Json::array({nullptr, json});
            else if (key == "negative_slope" && class_name == "LeakyReLU") layer.config["alpha"] = json;
            else if (key != "batch_size") layer.config[key] = json;
        }
        normalise(layer);
        const std::string given_name = layer.config.value("name", "");
        layer.name = given_name.empty() ? automatic_name(class_name) : given_name;
        layer.config["name"] = layer.name;
        layers_.push_back(std::move(layer));
        return layers_.size() - 1;
    }

    static Json with_batch(const Json& shape, SourcePlace place) {
        if (!shape.is_array()) fail(place, "input_shape is one sample's shape as a tuple, such as (28, 28, 1)");
        Json batch = Json::array({nullptr});
        batch.insert(batch.end(), shape.begin(), shape.end());
        return batch;
    }

    // What Keras's constructors do to their arguments before get_config writes them.
    static void normalise(CodeLayer& layer) {
        Json& config = layer.config;
        const std::string& name = layer.class_name;
        const int rank = name.ends_with("1D") ? 1 : name.ends_with("2D") ? 2 : name.ends_with("3D") ? 3 : 0;
        // Embedding(…, input_length=n) stands for input_shape=(n,), as Keras's constructor sets it.
        if (name == "Embedding" && config.contains("input_length") && !config["input_length"].is_null() &&
            !config.contains("batch_input_shape"))
            config["batch_input_shape"] = Json::array({nullptr, config["input_length"]});
        if ((name.starts_with("MaxPooling") || name.starts_with("AveragePooling")) &&
            (!config.contains("strides") || config["strides"].is_null()))
            config["strides"] = config["pool_size"]; // strides=None: the pool size
        for (const char* key : {"padding", "cropping"}) {
            if (!(name.starts_with("ZeroPadding") || name.starts_with("Cropping")) || !config.contains(key) || rank < 1) continue;
            Json& amounts = config[key];
            // n → (n, n) in each dimension; (a, b) in 2D or 3D → (a, a), (b, b)
            if (amounts.is_number_integer()) {
                const Json pair = Json::array({amounts, amounts});
                amounts = rank == 1 ? pair : Json(std::vector<Json>(static_cast<size_t>(rank), pair));
            } else if (rank > 1 && amounts.is_array() && amounts.size() == static_cast<size_t>(rank) &&
                       std::all_of(amounts.begin(), amounts.end(), [](const Json& a) { return a.is_number_integer(); })) {
                Json pairs = Json::array();
                for (const Json& a : amounts) pairs.push_back(Json::array({a, a}));
                amounts = pairs;
            }
        }
    }

    std::string automatic_name(const std::string& class_name) {
        const std::string base = snake_case(class_name);
        const int count = name_counts_[base]++;
        return count == 0 ? base : cat(base, "_", count);
    }

    // A layer called on a tensor (or a list of them): a new output.
    Value call_layer(size_t layer, SourcePlace place, const std::vector<Value>& positional,
                     const std::vector<std::pair<Token, Value>>& named) {
        const Value* argument = positional.empty() ? nullptr : &positional[0];
        for (const auto& [key, value] : named)
            if (key.text == "inputs") argument = &value;
        if (!argument) fail(place, cat(layers_[layer].name, " is called on nothing: layers.Dense(10)(x)"));
        const bool recurrent = layers_[layer].class_name == "LSTM" || layers_[layer].class_name == "GRU" ||
                               layers_[layer].class_name == "SimpleRNN";
        std::vector<Value> items =
            argument->kind == Value::Kind::sequence ? argument->items : std::vector<Value>{*argument};
        for (const auto& [key, value] : named) // Keras's RNN call appends the initial states to its inputs
            if (key.text == "initial_state" && recurrent)
                for (const Value& state : value.kind == Value::Kind::sequence ? value.items : std::vector<Value>{value})
                    items.push_back(state);
        std::vector<size_t> inputs;
        for (const Value& item : items) {
            if (item.kind != Value::Kind::tensor)
                fail(item.place, item.kind == Value::Kind::unreadable ? item.text
                                                                      : cat(layers_[layer].name, " is called on ", describe(item),
                                                                            ", not a layer's output or a keras.Input"));
            inputs.push_back(item.id);
        }
        layers_[layer].calls.push_back(inputs);
        const size_t call = layers_[layer].calls.size() - 1;
        const Json& config = layers_[layer].config;
        if (recurrent && config.contains("return_state") && config["return_state"] == true) {
            Value outputs{.kind = Value::Kind::sequence, .place = place};
            for (size_t index = 0; index < (layers_[layer].class_name == "LSTM" ? 3u : 2u); ++index) {
                tensors_.push_back({layer, call, index});
                outputs.items.push_back(Value{.kind = Value::Kind::tensor, .id = tensors_.size() - 1, .place = place});
            }
            return outputs;
        }
        tensors_.push_back({layer, call});
        return Value{.kind = Value::Kind::tensor, .id = tensors_.size() - 1, .place = place};
    }

    // keras.Input(shape=(784,), name="pixels"): an InputLayer and its output.
    Value input(SourcePlace place, const std::vector<Value>& positional, const std::vector<std::pair<Token, Value>>& named) {
        static const std::vector<std::string> arguments = words("shape batch_size name dtype sparse tensor ragged type_spec");
        const Value* shape = nullptr;
        std::string name;
        if (positional.size() > arguments.size()) fail(place, "Input takes at most 8 arguments by position");
        auto take = [&](const std::string& key, const Value& value) {
            if (key == "shape") shape = &value;
            if (key == "name" && value.kind == Value::Kind::string) name = value.text;
        };
        for (size_t i = 0; i < positional.size(); ++i) take(arguments[i], positional[i]);
        Json batch_shape;
        for (const auto& [key, value] : named) {
            if (key.text == "batch_shape") { // Keras 3: the batch included
                batch_shape = to_json(value, "batch_shape");
            } else if (std::find(arguments.begin(), arguments.end(), key.text) == arguments.end()) {
                std::vector<std::string_view> candidates(arguments.begin(), arguments.end());
                NameSuggester suggester(candidates);
                const std::string_view nearest = suggester.nearest(key.text);
                fail(key.place, cat("Input has no argument '", key.text, "'", nearest.empty() ? std::string() : cat("; did you mean '", nearest, "'?")));
            }
            take(key.text, value);
        }
        if (shape) batch_shape = with_batch(to_json(*shape, "shape"), shape->place);
        else if (batch_shape.is_null()) fail(place, "Input without a shape: keras.Input(shape=(28, 28, 1))");
        CodeLayer layer{.class_name = "InputLayer", .name = name.empty() ? automatic_name("InputLayer") : name, .place = place};
        layer.config = {{"batch_input_shape", batch_shape}, {"name", layer.name}};
        layer.calls.emplace_back();
        layers_.push_back(std::move(layer));
        tensors_.push_back({layers_.size() - 1, 0});
        return Value{.kind = Value::Kind::tensor, .id = tensors_.size() - 1, .place = place};
    }

    Value sequential_item(const Value& item) const {
        if (item.kind == Value::Kind::layer) {
            if (!layers_[item.id].calls.empty())
                fail(item.place, cat("the layer ", layers_[item.id].name, " is already called on a tensor; a Sequential takes "
                                     "layers not yet called"));
            return item;
        }
        if (item.kind == Value::Kind::tensor && layers_[tensors_[item.id].layer].class_name == "InputLayer") return item;
        if (item.kind == Value::Kind::other && item.flag) unknown_layer(last_part(item.text), item.place);
        if (item.kind == Value::Kind::model) fail(item.place, "a model used as a layer; netshape imports one level: write the inner model's layers in its place");
        if (item.kind == Value::Kind::unreadable) fail(item.place, item.text);
        fail(item.place, cat("a Sequential takes layers; received ", describe(item)));
    }

    Value sequential(SourcePlace place, const std::vector<Value>& positional, const std::vector<std::pair<Token, Value>>& named) {
        CodeModel model{.sequential = true, .place = place};
        const Value* list = positional.empty() ? nullptr : &positional[0];
        for (const auto& [key, value] : named) {
            if (key.text == "layers") list = &value;
            else if (key.text == "name" && value.kind == Value::Kind::string) model.name = value.text;
            else if (key.text != "name") fail(key.place, cat("Sequential has no argument '", key.text, "' (it takes layers and name)"));
        }
        if (positional.size() > 1 && positional[1].kind == Value::Kind::string) model.name = positional[1].text;
        if (list && list->kind != Value::Kind::none) {
            if (list->kind != Value::Kind::sequence) fail(list->place, "Sequential takes a list of layers: keras.Sequential([…])");
            for (const Value& item : list->items) model.layers.push_back(sequential_item(item));
        }
        models_.push_back(std::move(model));
        return Value{.kind = Value::Kind::model, .id = models_.size() - 1, .place = place};
    }

    std::vector<size_t> tensors_of(const Value& value, const char* what) const {
        std::vector<size_t> out;
        for (const Value& item : value.kind == Value::Kind::sequence ? value.items : std::vector<Value>{value}) {
            if (item.kind == Value::Kind::unreadable) fail(item.place, item.text);
            if (item.kind != Value::Kind::tensor) fail(item.place, cat("the model's ", what, " are ", describe(item), ", not tensors"));
            out.push_back(item.id);
        }
        return out;
    }

    Value functional(SourcePlace place, const std::vector<Value>& positional, const std::vector<std::pair<Token, Value>>& named) {
        CodeModel model{.sequential = false, .place = place};
        const Value* inputs = positional.size() > 0 ? &positional[0] : nullptr;
        const Value* outputs = positional.size() > 1 ? &positional[1] : nullptr;
        for (const auto& [key, value] : named) {
            if (key.text == "inputs") inputs = &value;
            else if (key.text == "outputs") outputs = &value;
            else if (key.text == "name" && value.kind == Value::Kind::string) model.name = value.text;
            else if (key.text != "name") fail(key.place, cat("Model has no argument '", key.text, "' (it takes inputs, outputs and name)"));
        }
        if (!inputs || !outputs) fail(place, "keras.Model needs inputs and outputs: keras.Model(inputs, outputs)");
        model.inputs = tensors_of(*inputs, "inputs");
        model.outputs = tensors_of(*outputs, "outputs");
        models_.push_back(std::move(model));
        return Value{.kind = Value::Kind::model, .id = models_.size() - 1, .place = place};
    }

    const std::vector<Token>* tokens_ = nullptr;
    size_t at_ = 0;
    std::map<std::string, Value, std::less<>> variables_;
    std::vector<CodeLayer> layers_;
    std::vector<CodeTensor> tensors_;
    std::vector<CodeModel> models_;
    std::map<std::string, int> name_counts_;
};

} // namespace

// --------------------------------------------------------------------------------------------
// [SECTION] Entry points
// --------------------------------------------------------------------------------------------

ImportResult import_keras_code(std::string_view text, const Shape& input_shape) {
    std::vector<SourcePlace> places;
    Json model;
    try {
        Reader reader;
        reader.read(tokenize(text));
        model = reader.model_json(places, input_shape);
    } catch (const Failure& failure) {
        ImportResult result;
        result.error = failure.error;
        return result;
    }
    return import_keras_model(model, input_shape, places);
}

bool looks_like_keras_code(std::string_view text) {
    const bool keras = text.find("keras") != std::string_view::npos || text.find("layers.") != std::string_view::npos;
    const bool builds = text.find("Sequential(") != std::string_view::npos || text.find("Model(") != std::string_view::npos ||
                        text.find("Input(") != std::string_view::npos;
    return keras && builds && text.find("nn.") == std::string_view::npos;
}

} // namespace netshape
