// Reading PyTorch module text into a tree (src/engine/import_pytorch.h builds designs from it):
// print(model)'s repr, and nn.Sequential(…) code as notebooks write it, become the same tree of
// modules with each leaf's arguments as written; read_arguments turns those into values.
// Internal to the importer: errors are thrown as ParseFailure and caught at its entry points.
#pragma once

#include "import.h"
#include "layer_kind.h"

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace netshape::pytorch_text {

struct Module {
    std::string key;        // "conv1" of "(conv1): Conv2d(…)"; empty for the root
    std::string class_name; // "Conv2d"
    std::string arguments;  // a leaf's extra_repr, between its parentheses
    std::vector<Module> children;
    bool container = false;
    int line = 0, column = 0;
};

struct ParseFailure {
    ImportError error;
};

// Throws a ParseFailure; line 0 when the text has no one place to blame.
[[noreturn]] void fail(int line, int column, const std::string& message);

// A letter, digit, '_' or '.': the characters of a module's name or a dotted path.
bool identifier_char(char c);

// The module tree of print(model)'s output.
Module read_repr(std::string_view text);

// The module tree of the first nn.Sequential(…) call (or torch.nn.Sequential, or Sequential) in
// Python code: its modules in order, nested Sequentials, OrderedDict([('name', …)]) and
// ModuleList([…]) children with their names; each other call is a module with its arguments.
Module read_sequential_code(std::string_view text);

// ---- a leaf's arguments ----

struct Arguments {
    std::vector<FieldValue> positional;
    std::map<std::string, FieldValue, std::less<>> named;

    const FieldValue* find(std::string_view name, size_t position) const {
        if (auto it = named.find(name); it != named.end()) return &it->second;
        return position < positional.size() ? &positional[position] : nullptr;
    }
};

// A leaf's arguments as values: numbers (sizes as arithmetic too), tuples, True/False/None,
// strings, bare words.
Arguments read_arguments(const Module& module);

} // namespace netshape::pytorch_text
