// Overflow-checked 64-bit arithmetic for shapes and parameter counts.
//
// A count that does not fit in int64 must become an error, never a wrapped (wrong) number,
// so every product and sum of sizes in the engine goes through these helpers.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace netshape {

// Thrown by the helpers below; the analysis turns it into an error at the layer being analysed.
struct OverflowError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

inline int64_t checked_mul(int64_t a, int64_t b) {
    int64_t result = 0;
    if (__builtin_mul_overflow(a, b, &result))
        throw OverflowError("the product " + std::to_string(a) + "·" + std::to_string(b) +
                            " does not fit in a 64-bit count");
    return result;
}

inline int64_t checked_add(int64_t a, int64_t b) {
    int64_t result = 0;
    if (__builtin_add_overflow(a, b, &result))
        throw OverflowError("the sum " + std::to_string(a) + " + " + std::to_string(b) +
                            " does not fit in a 64-bit count");
    return result;
}

inline int64_t checked_sub(int64_t a, int64_t b) {
    int64_t result = 0;
    if (__builtin_sub_overflow(a, b, &result))
        throw OverflowError("the difference " + std::to_string(a) + " − " + std::to_string(b) +
                            " does not fit in a 64-bit count");
    return result;
}

// Floor and ceiling division for a positive divisor, correct for negative numerators too
// (C++'s '/' truncates toward zero, which is wrong for ⌊−1/2⌋).
inline int64_t floor_div(int64_t numerator, int64_t divisor) {
    int64_t q = numerator / divisor;
    if ((numerator % divisor != 0) && (numerator < 0)) --q;
    return q;
}

inline int64_t ceil_div(int64_t numerator, int64_t divisor) {
    int64_t q = numerator / divisor;
    if ((numerator % divisor != 0) && (numerator > 0)) ++q;
    return q;
}

} // namespace netshape
