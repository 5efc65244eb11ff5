// The link text format: a compact, readable text form of any architecture, used as the URL hash,
// in the editor's text pane and on the command line.
//
//   ns1;1x28x28/conv2d(32,5)+relu/maxpool2d(2)/flatten/linear(10)
//
// - "ns1" is the version: every later version still reads "ns1" texts.
// - Header items after ';': "keras" (pytorch is the default), a title in quotes ('Lasagne~MNIST'),
//   the input shape (1x28x28), or named inputs (image=3x224x224;meta=10).
// - Layers after '/': type(args)+activation. Arguments: the kind's positional fields first
//   (out_channels, kernel_size, …), then name=value; lists are 3x5 ("5x" is a list of one).
// - Graphs: name=type(...) names a layer; @name or @-k (k layers back) in the arguments are the
//   layer's inputs; @enc(@right) calls the layer enc again with its weights (shares).
// - Repeats: 3*(conv2d(64,3,padding=1)/relu) is the block three times.
// - Only characters a URL fragment allows unencoded: letters, digits and - . _ ~ ; = ' ( ) * + , @ /.
//   In titles, '~' is a space and *HH a byte in hexadecimal.
//
// The writer is canonical: one architecture, one text (fields in the kind's order, nulls left
// out, identical consecutive blocks folded into repeats), and text → JSON → text is exact.
#pragma once

#include "architecture.h"
#include "layer_kind.h"
#include "json_format.h"

#include <optional>
#include <string>
#include <string_view>

namespace netshape {

inline constexpr std::string_view kLinkTextPrefix = "ns1";

struct TextError {
    std::string message; // what is wrong, with a suggestion where one helps
    size_t column = 0;   // 1-based, in characters
};

struct TextReadResult {
    Architecture architecture;
    std::optional<TextError> error;
};

TextReadResult read_architecture_text(std::string_view text);
std::string architecture_to_text(const Architecture& architecture);

// A fused activation with values as the link text writes it: a name, then plain values in
// parentheses ("leaky_relu(0.1)", "elu(alpha=0.5)").
bool is_activation_call(std::string_view text);

// True when `text` (after leading white space) starts like a link text ("ns" and a digit).
bool looks_like_link_text(std::string_view text);

// How the link text writes a layer of this kind: the values taken without a name, in order, then
// the rest as name=value — "conv2d(out_channels, kernel_size, stride=…, padding=…, …)".
std::string link_text_form(const LayerKind& kind);

// Reads either form: JSON when the text starts with '{', the link text otherwise. A link text
// error comes back with where = "text", its column, and the message followed by the caret lines.
ReadResult read_architecture_any(std::string_view text);

// The link text alone, its error reported as read_architecture_any reports one. The web app's
// first module reads only this form: JSON goes through the tools module (tool_request.h), which
// keeps the JSON reader off a first visit.
ReadResult read_link_text_reporting_place(std::string_view text);

// Whether read_architecture_any would read `text` as JSON (its first character after a byte-order
// mark and white space is '{').
bool looks_like_json(std::string_view text);

// Two lines: the text, and a caret under `column` — for terminals and the editor.
std::string caret_display(std::string_view text, size_t column);

} // namespace netshape
