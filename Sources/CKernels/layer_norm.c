// Layer norm over the rows of x (rows × d), forward and backward, in one pass per row.
//
// Why C: the Swift loops spent 8 % of a GPT training step here, most of it in the
// double-precision row sums, whose four partial sums the compiler would not keep in one
// vector. The operations and their order are exactly those of the Swift code this
// replaces (Tensor.layerNorm, Tensor.rowSum): sums in double as four partial sums over
// j mod 4, added as (s0 + s1) + (s2 + s3), then the tail in order; everything else in
// float, no contraction into FMA. So the bits are the same on every machine.
#include "CKernels.h"
#include <math.h>

#pragma clang fp contract(off)

#define ROW_SUM(N, TERM)                                                   \
    ({                                                                     \
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;                             \
        int64_t j = 0;                                                     \
        for (; j + 4 <= (N); j += 4) {                                     \
            { const int64_t k = j;     s0 += (TERM); }                     \
            { const int64_t k = j + 1; s1 += (TERM); }                     \
            { const int64_t k = j + 2; s2 += (TERM); }                     \
            { const int64_t k = j + 3; s3 += (TERM); }                     \
        }                                                                  \
        double total = (s0 + s1) + (s2 + s3);                              \
        for (; j < (N); j++) { const int64_t k = j; total += (TERM); }     \
        total;                                                             \
    })

void hk_layer_norm_forward(const float *x, const float *gamma, const float *beta, int64_t rows, int64_t d,
                           float epsilon, float *xhat, float *spread, float *out) {
    for (int64_t r = 0; r < rows; r++) {
        const float *row = x + r * d;
        float *xr = xhat + r * d, *o = out + r * d;
        const double sum = ROW_SUM(d, (double)row[k]);
        const float mu = (float)((double)(float)sum / (double)d);
        const double squares = ROW_SUM(d, (double)((row[k] - mu) * (row[k] - mu)));
        const float s = sqrtf((float)squares / (float)d + epsilon);
        spread[r] = s;
        for (int64_t j = 0; j < d; j++) xr[j] = (row[j] - mu) / s;
        if (gamma && beta) for (int64_t j = 0; j < d; j++) o[j] = xr[j] * gamma[j] + beta[j];
        else if (gamma) for (int64_t j = 0; j < d; j++) o[j] = xr[j] * gamma[j];
        else if (beta) for (int64_t j = 0; j < d; j++) o[j] = xr[j] + beta[j];
        else for (int64_t j = 0; j < d; j++) o[j] = xr[j];
    }
}

void hk_layer_norm_backward(const float *g, const float *xhat, const float *gamma, const float *spread,
                            int64_t rows, int64_t d, float *dx, float *dgamma, float *dbeta) {
    for (int64_t r = 0; r < rows; r++) {
        const float *gr = g + r * d, *xr = xhat + r * d;
        float *dr = dx + r * d;
        const float s = spread[r];
        if (gamma) {
            const double mean_g = ROW_SUM(d, (double)(gr[k] * gamma[k]));
            const double mean_gx = ROW_SUM(d, (double)((gr[k] * gamma[k]) * xr[k]));
            const float a = (float)(mean_g / (double)d), b = (float)(mean_gx / (double)d);
            for (int64_t j = 0; j < d; j++) dr[j] = (gr[j] * gamma[j] - a - xr[j] * b) / s;
            if (dgamma) for (int64_t j = 0; j < d; j++) dgamma[j] += gr[j] * xr[j];
        } else {
            const double mean_g = ROW_SUM(d, (double)gr[k]);
            const double mean_gx = ROW_SUM(d, (double)(gr[k] * xr[k]));
            const float a = (float)(mean_g / (double)d), b = (float)(mean_gx / (double)d);
            for (int64_t j = 0; j < d; j++) dr[j] = (gr[j] - a - xr[j] * b) / s;
        }
        if (dbeta) for (int64_t j = 0; j < d; j++) dbeta[j] += gr[j];
    }
}

