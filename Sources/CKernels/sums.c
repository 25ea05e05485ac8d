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

// lanes[i mod 8] += x[i]² in double, for i in order: a global gradient norm's sum of
// squares as eight chains side by side instead of one (a chain of 10⁵ dependent additions
// waited on each one). Each square is exact in double; the caller adds the lanes as
// ((l0 + l1) + (l2 + l3)) + ((l4 + l5) + (l6 + l7)). One order, so the same bits anywhere.
void hk_sum_squares(const float *restrict x, int64_t n, double *restrict lanes) {
    double l[8];
    for (int k = 0; k < 8; k++) l[k] = lanes[k];
    int64_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (int k = 0; k < 8; k++) l[k] += (double)x[i + k] * (double)x[i + k];
    for (int k = 0; i < n; i++, k++) l[k] += (double)x[i] * (double)x[i];
    for (int k = 0; k < 8; k++) lanes[k] = l[k];
}
