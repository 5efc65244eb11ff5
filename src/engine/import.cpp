#include "import.h"

#include "catalog.h"

#include <algorithm>

namespace netshape {

void drop_default_fields(LayerSpec& spec) {
    const LayerKind* kind = find_kind(spec.type);
    if (!kind) return;
    std::erase_if(spec.fields, [&](std::pair<std::string, FieldValue>& field) {
        const FieldSpec* field_spec = kind->find_field(field.first);
        if (!field_spec) return false;
        if (auto* list = std::get_if<std::vector<int64_t>>(&field.second);
            list && !list->empty() && (field_spec->type == FieldType::sizes || field_spec->type == FieldType::padding) &&
            std::all_of(list->begin(), list->end(), [&](int64_t v) { return v == list->front(); })) {
            const int64_t size = list->front(); // copied before the assignment frees the list
            field.second = size;
        }
        return field.second == field_spec->default_value;
    });
}

} // namespace netshape
