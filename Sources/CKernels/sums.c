// A bias's gradient: column sums the Swift loop could not vectorise (it could not prove
// the two buffers apart). Each column keeps the rows' order, so the bits are those of
// the loop it replaces; `restrict` is what lets the compiler widen it.
#include "CKernels.h"

#pragma clang fp contract(off)

// out[j] += Σ_r g[r·width + j], row after row: a bias's gradient.
void hk_sum_rows(const float *restrict g, int64_t rows, int64_t width, float *restrict out) {
    for (int64_t r = 0; r < rows; r++) {
        const float *gr = g + r * width;
        for (int64_t j = 0; j < width; j++) out[j] += gr[j];
    }
}
