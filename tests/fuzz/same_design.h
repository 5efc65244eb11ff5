// What the fuzz targets mean by "the same design": equal in everything, a layer's fields compared
// as a set. Field order carries no meaning, and the two writers differ on it: the link text
// writes a layer's fields in its kind's order, JSON in the order they were read.
#pragma once

#include "engine/json_format.h"

#include <algorithm>
#include <string>

namespace netshape::fuzzing {

inline std::string fields_sorted_json(Architecture design) {
    for (LayerSpec& layer : design.layers)
        std::sort(layer.fields.begin(), layer.fields.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    return architecture_to_json(design, -1);
}

inline bool same_design(const Architecture& a, const Architecture& b) { return fields_sorted_json(a) == fields_sorted_json(b); }

} // namespace netshape::fuzzing
