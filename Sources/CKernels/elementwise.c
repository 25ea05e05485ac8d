// Elementwise math over float arrays: exp, tanh, sigmoid, GELU (tanh form) forward and
// backward, and row softmax with its backward.
//
// DETERMINISM CONTRACT
// Each function is one fixed sequence of IEEE single-precision additions, multiplications
// and divisions per element — no FMA (contraction is switched off below), no libm call, no
// approximate reciprocal, no reassociation. Every instruction set rounds those operations
// the same way, so the portable, AVX2 and AVX-512 builds (the same source compiled three
// times, chosen at run time) give the same bits on every machine. Vector code gets its width
// across elements only; a reduction (the softmax's normaliser) runs in index order, in
// double.
//
// ACCURACY against a double reference, over all 2³² inputs (scripts/elementwise_exhaustive.c;
// ElementwiseKernelTests checks a 4-million sample): exp ≤ 0.99 ulp, tanh ≤ 1.33 ulp,
// sigmoid ≤ 2.40 ulp; NaN in, NaN out; ±inf and the overflow and underflow edges
// (denormal results included) as IEEE says.
#include "CKernels.h"
#include <math.h>
#include <stdint.h>
#include <string.h>

#pragma clang fp contract(off)

static inline int32_t bits_of(float x) { int32_t i; memcpy(&i, &x, 4); return i; }
static inline float float_of(int32_t i) { float x; memcpy(&x, &i, 4); return x; }

// e^x (Cephes expf's reduction and polynomial): x = n·ln2 + r with |r| ≤ ln2/2, ln2 split
// into a 9-bit head (so n·head is exact) and a tail; e^r by a degree-7 polynomial;
// 2^n applied as two factors 2^(n/2), so a result in the denormal range is rounded once.
static inline __attribute__((always_inline)) float exp_core(float x) {
    float xc = x > 89.0f ? 89.0f : x;       // e^89 overflows: still +inf below
    xc = xc < -104.0f ? -104.0f : xc;       // e^-104 is below the smallest denormal: 0
    // Round x/ln2 to the nearest integer with the 1.5·2^23 trick; its low bits are n.
    float shifted = xc * 1.44269504088896341f + 12582912.0f;
    float n = shifted - 12582912.0f;
    int32_t ni = bits_of(shifted) - bits_of(12582912.0f);
    float r = xc - n * 0.693359375f;
    r = r - n * -2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * (r * r) + r;
    p = p + 1.0f;
    int32_t n1 = ni >> 1, n2 = ni - n1;     // each in [-75, 65]: a normal power of two
    float y = p * float_of((n1 + 127) << 23) * float_of((n2 + 127) << 23);
    return x != x ? x : y;                  // NaN stays NaN
}

// tanh (Cephes tanhf): an odd polynomial for |x| < 0.625, 1 − 2/(e^(2|x|) + 1) above;
// both are computed and one is chosen, so the loop has no branch.
static inline __attribute__((always_inline)) float tanh_core(float x) {
    float ax = x < 0 ? -x : x;
    float z = x * x;
    float p = -5.70498872745e-3f;
    p = p * z + 2.06390887954e-2f;
    p = p * z - 5.37397155531e-2f;
    p = p * z + 1.33314422036e-1f;
    p = p * z - 3.33332819422e-1f;
    float small = p * z * x + x;
    float e = exp_core(ax + ax);
    float large = 1.0f - 2.0f / (e + 1.0f);
    large = x < 0 ? -large : large;
    small = x == 0 ? x : small;             // tanh(−0) = −0
    return ax < 0.625f ? small : (x != x ? x : large);
}

// σ(x) = 1/(1 + e^(−x)) for x ≥ 0 and e^x/(1 + e^x) below, from one e^(−|x|).
static inline __attribute__((always_inline)) float sigmoid_core(float x) {
    float e = exp_core(x < 0 ? x : -x);
    float s = 1.0f / (1.0f + e), t = e / (1.0f + e);
    return x >= 0 ? s : (x != x ? x : t);
}

// GELU, tanh form: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), and its slope.
#define GELU_C 0.7978845608028654f
#define GELU_A 0.044715f

// t = tanh(√(2/π)·(x + 0.044715·x³)), which the value and the slope share.
static inline __attribute__((always_inline)) float gelu_tanh_core(float x) {
    return tanh_core(GELU_C * (x + GELU_A * x * x * x));
}

static inline __attribute__((always_inline)) float gelu_from_tanh(float x, float t) {
    return 0.5f * x * (1.0f + t);
}

static inline __attribute__((always_inline)) float gelu_slope_from_tanh(float x, float t) {
    return 0.5f * (1.0f + t) + 0.5f * x * (1.0f - t * t) * GELU_C * (1.0f + 3.0f * GELU_A * x * x);
}

static inline __attribute__((always_inline)) float gelu_core(float x) { return gelu_from_tanh(x, gelu_tanh_core(x)); }

static inline __attribute__((always_inline)) float gelu_slope_core(float x) {
    return gelu_slope_from_tanh(x, gelu_tanh_core(x));
}

float hk_expf(float x) { return exp_core(x); }
float hk_tanhf(float x) { return tanh_core(x); }
float hk_sigmoidf(float x) { return sigmoid_core(x); }
float hk_geluf(float x) { return gelu_core(x); }
float hk_gelu_slopef(float x) { return gelu_slope_core(x); }

// Each array kernel is written once as a macro body and compiled for two targets; the
// cores above are always inlined, so each loop vectorises whole.
#define DEFINE_KERNELS(SUFFIX, ATTR)                                                          \
    ATTR static void exp_##SUFFIX(const float *x, float *y, int64_t n) {                     \
        for (int64_t i = 0; i < n; i++) y[i] = exp_core(x[i]);                               \
    }                                                                                         \
    ATTR static void tanh_##SUFFIX(const float *x, float *y, int64_t n) {                    \
        for (int64_t i = 0; i < n; i++) y[i] = tanh_core(x[i]);                              \
    }                                                                                         \
    ATTR static void sigmoid_##SUFFIX(const float *x, float *y, int64_t n) {                 \
        for (int64_t i = 0; i < n; i++) y[i] = sigmoid_core(x[i]);                           \
    }                                                                                         \
    ATTR static void gelu_##SUFFIX(const float *x, float *y, int64_t n) {                    \
        for (int64_t i = 0; i < n; i++) y[i] = gelu_core(x[i]);                              \
    }                                                                                         \
    ATTR static void gelu_backward_##SUFFIX(const float *x, const float *g, float *dx,       \
                                            int64_t n) {                                      \
        for (int64_t i = 0; i < n; i++) dx[i] = g[i] * gelu_slope_core(x[i]);                \
    }                                                                                         \
    ATTR static void gelu_saving_tanh_##SUFFIX(const float *x, float *y, float *t, int64_t n) { \
        for (int64_t i = 0; i < n; i++) {                                                     \
            float ti = gelu_tanh_core(x[i]);                                                  \
            t[i] = ti;                                                                        \
            y[i] = gelu_from_tanh(x[i], ti);                                                  \
        }                                                                                     \
    }                                                                                         \
    ATTR static void gelu_backward_from_tanh_##SUFFIX(const float *x, const float *t,        \
                                                      const float *g, float *dx, int64_t n) { \
        for (int64_t i = 0; i < n; i++) dx[i] = g[i] * gelu_slope_from_tanh(x[i], t[i]);     \
    }                                                                                         \
    ATTR static void shifted_exp_##SUFFIX(const float *x, float m, float s, float *y,        \
                                          int64_t n) {                                        \
        for (int64_t i = 0; i < n; i++) y[i] = exp_core(x[i] * s - m);                       \
    }

DEFINE_KERNELS(portable, )
#if defined(__x86_64__)
DEFINE_KERNELS(avx2, __attribute__((target("avx2"))))
// Sixteen lanes: the same operations per element, so the same bits, twice the width.
DEFINE_KERNELS(avx512, __attribute__((target("avx512f,avx512dq,avx512vl,avx512bw"))))
#endif

static int elementwise_path = -1;  // 1 portable, 2 avx2, 3 avx512

static int path(void) {
    if (elementwise_path < 0) {
#if defined(__x86_64__)
        __builtin_cpu_init();
        elementwise_path = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq")
                && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512bw") ? 3
            : __builtin_cpu_supports("avx2") ? 2 : 1;
#else
        elementwise_path = 1;
#endif
    }
    return elementwise_path;
}

const char *hk_elementwise_force_path(int which) {
    elementwise_path = -1;
    int best = path();
    if (which >= 1 && which <= best) elementwise_path = which;
    return elementwise_path == 3 ? "avx512" : elementwise_path == 2 ? "avx2" : "portable";
}

#if defined(__x86_64__)
#define DISPATCH(NAME, ...)                                   \
    do {                                                      \
        int which = path();                                   \
        if (which == 3) NAME##_avx512(__VA_ARGS__);           \
        else if (which == 2) NAME##_avx2(__VA_ARGS__);        \
        else NAME##_portable(__VA_ARGS__);                    \
    } while (0)
#else
#define DISPATCH(NAME, ...) NAME##_portable(__VA_ARGS__)
#endif

void hk_exp(const float *x, float *y, int64_t n) { DISPATCH(exp, x, y, n); }
void hk_tanh(const float *x, float *y, int64_t n) { DISPATCH(tanh, x, y, n); }
void hk_sigmoid(const float *x, float *y, int64_t n) { DISPATCH(sigmoid, x, y, n); }
void hk_gelu(const float *x, float *y, int64_t n) { DISPATCH(gelu, x, y, n); }
void hk_gelu_backward(const float *x, const float *g, float *dx, int64_t n) { DISPATCH(gelu_backward, x, g, dx, n); }
void hk_gelu_saving_tanh(const float *x, float *y, float *t, int64_t n) { DISPATCH(gelu_saving_tanh, x, y, t, n); }
void hk_gelu_backward_from_tanh(const float *x, const float *t, const float *g, float *dx, int64_t n) {
    DISPATCH(gelu_backward_from_tanh, x, t, g, dx, n);
}
void hk_shifted_exp(const float *x, float m, float s, float *y, int64_t n) { DISPATCH(shifted_exp, x, m, s, y, n); }

// Softmax of each row of `scale`·x (rows × n), with, when `causal` > 0, the entries of row
// r at columns t > r mod causal left out (the causal mask of a (…, T, T) score tensor,
// causal = T): their probability is exactly 0. A row whose every entry is −inf (or masked)
// is NaN, as a softmax over nothing must be.
//
// Speed without changing a bit: the maximum is taken in 16 lanes (a maximum is exact, and
// the sign of a zero maximum does not change e^(v − m)); the exponentials of a short row
// run over whole vectors (the lanes past what the row sees are overwritten with 0); and
// the normalisers of ROW_GROUP rows are summed side by side, each in its own order, so
// their chains of double additions overlap instead of waiting on each other.
enum { ROW_GROUP = 8, LANES = 16 };

// The largest of x[t]·scale for t < n, in 16 lanes; NaN is passed over.
static float row_max(const float *x, int64_t n, float scale) {
    float lane[LANES];
    for (int l = 0; l < LANES; l++) lane[l] = -INFINITY;
    int64_t t = 0;
    for (; t + LANES <= n; t += LANES)
        for (int l = 0; l < LANES; l++) {
            float v = x[t + l] * scale;
            lane[l] = v > lane[l] ? v : lane[l];
        }
    float m = -INFINITY;
    for (; t < n; t++) {
        float v = x[t] * scale;
        m = v > m ? v : m;
    }
    for (int l = 0; l < LANES; l++) m = lane[l] > m ? lane[l] : m;
    return m;
}

void hk_softmax_rows(const float *x, float *y, int64_t rows, int64_t n, float scale, int64_t causal) {
    for (int64_t r0 = 0; r0 < rows; r0 += ROW_GROUP) {
        const int64_t group = rows - r0 < ROW_GROUP ? rows - r0 : ROW_GROUP;
        int64_t visible[ROW_GROUP], longest = 0;
        double z[ROW_GROUP];
        for (int64_t g = 0; g < group; g++) {
            const int64_t r = r0 + g;
            const float *xr = x + r * n;
            float *yr = y + r * n;
            int64_t seen = causal > 0 ? (r % causal) + 1 : n;
            if (seen > n) seen = n;
            visible[g] = seen;
            longest = seen > longest ? seen : longest;
            int64_t width = (seen + LANES - 1) / LANES * LANES;
            width = width < n ? width : n;
            // A NaN is passed over by the max but makes z, and so the whole row, NaN.
            float m = row_max(xr, seen, scale);
            if (m == -INFINITY) m = 0;  // all −inf: exp(−inf) = 0 and the row is 0/0 = NaN below
            DISPATCH(shifted_exp, xr, m, scale, yr, width);
            z[g] = 0;
        }
        // z_r = Σ_t y_rt in order; + 0.0 past what a row sees leaves its sum as it is.
        for (int64_t t = 0; t < longest; t++)
            for (int64_t g = 0; g < group; g++)
                z[g] += t < visible[g] ? (double)y[(r0 + g) * n + t] : 0.0;
        for (int64_t g = 0; g < group; g++) {
            float *yr = y + (r0 + g) * n;
            float inv = (float)(1.0 / z[g]);
            for (int64_t t = 0; t < visible[g]; t++) yr[t] = yr[t] * inv;
            for (int64_t t = visible[g]; t < n; t++) yr[t] = 0;
        }
    }
}

// The backward of hk_softmax_rows: dx = scale · y ⊙ (g − Σ_t g_t y_t), the dot product
// in double, in order (ROW_GROUP rows side by side, each in its own order).
void hk_softmax_rows_backward(const float *y, const float *g, float *dx, int64_t rows, int64_t n, float scale) {
    for (int64_t r0 = 0; r0 < rows; r0 += ROW_GROUP) {
        const int64_t group = rows - r0 < ROW_GROUP ? rows - r0 : ROW_GROUP;
        double dot[ROW_GROUP] = {0};
        for (int64_t t = 0; t < n; t++)
            for (int64_t k = 0; k < group; k++) {
                const int64_t i = (r0 + k) * n + t;
                dot[k] += (double)(g[i] * y[i]);
            }
        for (int64_t k = 0; k < group; k++) {
            const float *yr = y + (r0 + k) * n, *gr = g + (r0 + k) * n;
            float *dr = dx + (r0 + k) * n;
            float d = (float)dot[k];
            for (int64_t t = 0; t < n; t++) dr[t] = scale * (yr[t] * (gr[t] - d));
        }
    }
}
