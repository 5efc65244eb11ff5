#include "layer_kind.h"

#include "checked.h"
#include "text.h"

#include <cmath>

namespace netshape {

std::string_view field_type_name(FieldType type) {
    switch (type) {
    case FieldType::integer: return "integer";
    case FieldType::sizes: return "integer or list per dimension";
    case FieldType::padding: return "integer, list per dimension, \"valid\" or \"same\"";
    case FieldType::boolean: return "true or false";
    case FieldType::number: return "number";
    case FieldType::choice: return "one of";
    }
    return "?";
}

// --------------------------------------------------------------------------------------------
// Checking one value against its FieldSpec
// --------------------------------------------------------------------------------------------

namespace {

std::string received(const FieldSpec& spec, const FieldValue& value) {
    return cat("; received ", spec.name, "=", format_field_value(value));
}

bool all_at_least(const std::vector<int64_t>& list, int64_t minimum) {
    for (int64_t v : list)
        if (v < minimum) return false;
    return !list.empty();
}

std::string quoted_choices(const FieldSpec& spec) {
    std::vector<std::string> quoted;
    for (std::string_view choice : spec.choices)
        quoted.push_back(cat('"', choice, '"'));
    return join(quoted, ", ");
}

std::string integer_requirement(const FieldSpec& spec) {
    if (spec.minimum == 1) return "a positive integer";
    if (spec.minimum == 0) return "a non-negative integer";
    return cat("an integer ≥ ", spec.minimum);
}

void check_value(const FieldSpec& spec, const FieldValue& value) {
    if (std::holds_alternative<std::monostate>(value)) return; // null: the default applies
    const auto* integer = std::get_if<int64_t>(&value);
    const auto* list = std::get_if<std::vector<int64_t>>(&value);
    const auto* text = std::get_if<std::string>(&value);
    switch (spec.type) {
    case FieldType::integer:
        if (!integer || *integer < spec.minimum)
            throw LayerError(std::string(spec.name),
                             cat(spec.name, " must be ", integer_requirement(spec), received(spec, value)));
        return;
    case FieldType::sizes:
        if ((integer && *integer >= spec.minimum) || (list && all_at_least(*list, spec.minimum))) return;
        throw LayerError(std::string(spec.name),
                         cat(spec.name, " must be ", integer_requirement(spec),
                             " or a list of them, one per spatial dimension", received(spec, value)));
    case FieldType::padding:
        if ((integer && *integer >= 0) || (list && all_at_least(*list, 0))) return;
        if (text && (*text == "valid" || *text == "same")) return;
        throw LayerError(std::string(spec.name), cat(spec.name,
                                                     " must be a non-negative integer, a list of them (one per spatial "
                                                     "dimension), \"valid\" or \"same\"",
                                                     received(spec, value)));
    case FieldType::boolean:
        if (std::holds_alternative<bool>(value)) return;
        throw LayerError(std::string(spec.name), cat(spec.name, " must be true or false", received(spec, value)));
    case FieldType::number: {
        double number = integer ? static_cast<double>(*integer)
                                : (std::holds_alternative<double>(value) ? std::get<double>(value) : NAN);
        if (std::isfinite(number) && number >= spec.number_min && number <= spec.number_max) return;
        throw LayerError(std::string(spec.name), cat(spec.name, " must be a number from ", spec.number_min, " to ",
                                                     spec.number_max, received(spec, value)));
    }
    case FieldType::choice:
        if (text)
            for (std::string_view choice : spec.choices)
                if (*text == choice) return;
        throw LayerError(std::string(spec.name),
                         cat(spec.name, " must be one of ", quoted_choices(spec), received(spec, value)));
    }
}

} // namespace

// --------------------------------------------------------------------------------------------
// Fields
// --------------------------------------------------------------------------------------------

Fields::Fields(const LayerKind& kind, const LayerSpec& layer) : kind_(kind), layer_(layer) {
    for (const auto& [name, value] : layer.fields) {
        const FieldSpec* spec = kind.find_field(name);
        if (!spec) {
            std::vector<std::string_view> known(std::begin(kCommonFieldNames), std::end(kCommonFieldNames));
            std::vector<std::string> listed;
            for (const FieldSpec& field : kind.fields) {
                known.push_back(field.name);
                listed.emplace_back(field.name);
            }
            std::string_view suggestion = nearest_name(name, known);
            std::string message = cat("unknown field '", name, "' for ", kind.type);
            if (!suggestion.empty())
                message += cat("; did you mean '", suggestion, "'?");
            else if (listed.empty())
                message += cat(" (", kind.type, " has no fields of its own)");
            else
                message += cat(" (", kind.type, " takes: ", join(listed, ", "), ")");
            throw LayerError(name, message);
        }
        check_value(*spec, value);
    }
    for (const FieldSpec& spec : kind.fields)
        if (spec.required && std::holds_alternative<std::monostate>(value_of(spec.name)))
            throw LayerError(std::string(spec.name), cat(kind.type, " needs ", spec.name, " (", spec.doc, ")"));
}

const FieldSpec& Fields::spec_of(std::string_view name) const {
    const FieldSpec* spec = kind_.find_field(name);
    if (!spec) throw std::logic_error(cat("layer kind ", kind_.type, " reads undeclared field ", name));
    return *spec;
}

const FieldValue& Fields::value_of(std::string_view name) const {
    const FieldValue* value = layer_.find(name);
    if (value && !std::holds_alternative<std::monostate>(*value)) return *value;
    return spec_of(name).default_value;
}

bool Fields::given(std::string_view name) const {
    spec_of(name);
    const FieldValue* value = layer_.find(name);
    return value && !std::holds_alternative<std::monostate>(*value);
}

int64_t Fields::integer(std::string_view name) const {
    const FieldValue& value = value_of(name);
    if (const auto* integer = std::get_if<int64_t>(&value)) return *integer;
    throw std::logic_error(cat("field ", name, " of ", kind_.type, " has no value and no default"));
}

std::optional<int64_t> Fields::optional_integer(std::string_view name) const {
    const FieldValue& value = value_of(name);
    if (const auto* integer = std::get_if<int64_t>(&value)) return *integer;
    return std::nullopt;
}

std::vector<int64_t> Fields::sizes(std::string_view name, size_t spatial_rank) const {
    const FieldValue& value = value_of(name);
    if (const auto* integer = std::get_if<int64_t>(&value)) return std::vector<int64_t>(spatial_rank, *integer);
    if (const auto* list = std::get_if<std::vector<int64_t>>(&value)) {
        if (list->size() == spatial_rank) return *list;
        throw LayerError(std::string(name), cat(name, " has ", list->size(), " values but the layer has ", spatial_rank,
                                                " spatial dimension", spatial_rank == 1 ? "" : "s", "; received ", name,
                                                "=", format_field_value(value)));
    }
    throw std::logic_error(cat("field ", name, " of ", kind_.type, " has no value and no default"));
}

std::vector<int64_t> Fields::list(std::string_view name) const {
    const FieldValue& value = value_of(name);
    if (const auto* integer = std::get_if<int64_t>(&value)) return {*integer};
    if (const auto* values = std::get_if<std::vector<int64_t>>(&value)) return *values;
    throw std::logic_error(cat("field ", name, " of ", kind_.type, " has no value and no default"));
}

Padding Fields::padding(std::string_view name, size_t spatial_rank) const {
    const FieldValue& value = value_of(name);
    if (const auto* text = std::get_if<std::string>(&value))
        return Padding{*text == "same" ? Padding::Mode::same : Padding::Mode::valid, {}};
    return Padding{Padding::Mode::explicit_amounts, sizes(name, spatial_rank)};
}

bool Fields::boolean(std::string_view name) const {
    const FieldValue& value = value_of(name);
    if (const auto* flag = std::get_if<bool>(&value)) return *flag;
    throw std::logic_error(cat("field ", name, " of ", kind_.type, " has no value and no default"));
}

double Fields::number(std::string_view name) const {
    const FieldValue& value = value_of(name);
    if (const auto* integer = std::get_if<int64_t>(&value)) return static_cast<double>(*integer);
    if (const auto* real = std::get_if<double>(&value)) return *real;
    throw std::logic_error(cat("field ", name, " of ", kind_.type, " has no value and no default"));
}

std::string Fields::choice(std::string_view name) const {
    const FieldValue& value = value_of(name);
    if (const auto* text = std::get_if<std::string>(&value)) return *text;
    throw std::logic_error(cat("field ", name, " of ", kind_.type, " has no value and no default"));
}

// --------------------------------------------------------------------------------------------
// Weights and layout
// --------------------------------------------------------------------------------------------

int64_t element_count(const Shape& shape) {
    int64_t count = 1;
    for (int64_t dim : shape)
        count = checked_mul(count, dim);
    return count;
}

void LayerOutput::add_weight(std::string name, Shape weight_shape, WeightRole role) {
    weights.push_back(Weight{std::move(name), std::move(weight_shape), role});
}

namespace {
int64_t declared_params(const std::vector<Weight>& weights) {
    int64_t total = 0;
    for (const Weight& weight : weights)
        if (weight.role != WeightRole::buffer) total = checked_add(total, element_count(weight.shape));
    return total;
}
} // namespace

void LayerOutput::explain_params(const std::string& formula) {
    const int64_t total = declared_params(weights);
    std::string line = cat("params = ", formula);
    if (formula != cat(total)) append_piece(line, " = "), append_piece(line, with_thousands(total));
    explain.push_back(std::move(line));
}

void LayerOutput::explain_params(const std::string& symbols, const std::string& values, const std::string& where) {
    explain_worked("params", symbols, values, with_thousands(declared_params(weights)), where, explain);
}

void explain_worked(std::string_view quantity, const std::string& symbols, const std::string& values,
                    const std::string& result, const std::string& where, std::vector<std::string>& explain) {
    // The continuation lines start under the first line's "=" (in a monospace font).
    const std::string indent(display_width(quantity) + 1, ' ');
    explain.push_back(cat(quantity, " = ", symbols));
    if (values != result) explain.push_back(cat(indent, "= ", values));
    explain.push_back(cat(indent, "= ", result));
    if (!where.empty()) explain.push_back(cat("where ", where));
}

std::string LayerContext::input_source() const {
    return input_layer.empty() ? std::string("the model input") : cat("the output of ", input_layer);
}

void LayerOutput::set_macs(int64_t value, const std::string& formula) {
    macs = value;
    std::string line = cat("MACs = ", formula);
    if (formula != cat(value)) append_piece(line, " = "), append_piece(line, with_thousands(value));
    explain.push_back(std::move(line));
}

void LayerOutput::no_macs(std::string_view reason) {
    macs = 0;
    explain.push_back(cat("MACs = 0 (", reason, ")"));
}

Shape LayerContext::spatial() const {
    Shape sizes = input;
    sizes.erase(sizes.begin() + static_cast<std::ptrdiff_t>(channel_axis()));
    return sizes;
}

std::vector<size_t> LayerContext::spatial_axes() const {
    std::vector<size_t> axes;
    for (size_t axis = 0; axis < input.size(); ++axis)
        if (axis != channel_axis()) axes.push_back(axis);
    return axes;
}

Shape LayerContext::with_channels(int64_t channels, const Shape& spatial_sizes) const {
    Shape out = spatial_sizes;
    if (channels_last())
        out.push_back(channels);
    else
        out.insert(out.begin(), channels);
    return out;
}

std::string LayerContext::layout_text(size_t spatial_rank) const {
    static constexpr std::string_view kNames[][3] = {{"L"}, {"H", "W"}, {"D", "H", "W"}};
    std::vector<std::string> parts;
    if (spatial_rank >= 1 && spatial_rank <= 3)
        for (size_t i = 0; i < spatial_rank; ++i)
            parts.emplace_back(kNames[spatial_rank - 1][i]);
    if (channels_last())
        parts.emplace_back("C");
    else
        parts.insert(parts.begin(), "C");
    return cat("[", join(parts, ", "), "]");
}

size_t LayerContext::spatial_rank() const {
    if (kind.spatial_rank != 0) return kind.spatial_rank;
    return input.size() > 1 ? input.size() - 1 : 1;
}

void LayerContext::require_channels_and_spatial(size_t spatial_rank) const {
    if (input.size() == spatial_rank + 1) return;
    std::string message = cat(kind.type, " expects a ", layout_text(spatial_rank), " sample (",
                              convention_name(convention), " convention); received ", format_shape(input));
    if (input.size() == spatial_rank) {
        Shape suggestion = channels_last() ? input : Shape{1};
        if (channels_last())
            suggestion.push_back(1);
        else
            suggestion.insert(suggestion.end(), input.begin(), input.end());
        message += cat(", which has no channel dimension; for one channel use ", format_shape(suggestion));
    }
    throw LayerError("", message);
}

size_t LayerContext::sample_axis(std::string_view field_name, int64_t written) const {
    const int64_t rank = static_cast<int64_t>(input.size());
    const int64_t axis = written < 0 ? written + rank : written;
    if (axis < 0 || axis >= rank)
        throw LayerError(std::string(field_name), cat(field_name, "=", written, " is out of range for samples of rank ",
                                                      rank, " (axes 0…", rank - 1, ", or −1 for the last); received ",
                                                      format_shape(input)));
    return static_cast<size_t>(axis);
}

void LayerContext::check_declared_size(std::string_view field_name, int64_t inferred, std::string_view what) const {
    std::optional<int64_t> declared = fields.optional_integer(field_name);
    if (declared && *declared != inferred)
        throw LayerError(std::string(field_name),
                         cat(field_name, "=", *declared, " disagrees with the input, which has ", inferred, " ", what,
                             " (input shape ", format_shape(input), ")"));
}

const FieldSpec* LayerKind::find_field(std::string_view name) const {
    for (const FieldSpec& field : fields)
        if (field.name == name) return &field;
    return nullptr;
}

std::string_view LayerContext::field_word(std::string_view field_name) const {
    const FieldSpec* field = kind.find_field(field_name);
    return field ? field->name_in(convention) : field_name;
}

} // namespace netshape
