#ifndef HUDDLE_CKERNELS_H
#define HUDDLE_CKERNELS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// C = beta·C + op(A)·op(B), single precision, any strides.
///
/// A is M×K with element (i, k) at A[i*rsA + k*csA]; B is K×N with element (k, j) at
/// B[k*rsB + j*csB]; C is M×N row-major with leading dimension ldc. Transposes are just
/// swapped strides. beta is 0 (overwrite; C may hold garbage, even NaN) or 1 (accumulate).
///
/// Determinism contract: every C[i, j] is computed as one fused multiply-add chain over
/// k = 0, 1, …, K−1 in that order, starting from 0 (beta = 0) or from the old C[i, j]
/// (beta = 1). Whatever instruction set is chosen at run time (AVX-512, AVX2+FMA, or the
/// portable fmaf loop), the bits of C are the same.
void hk_sgemm(int64_t M, int64_t N, int64_t K,
              const float *A, int64_t rsA, int64_t csA,
              const float *B, int64_t rsB, int64_t csB,
              float *C, int64_t ldc, int beta);

/// How many cores hk_sgemm uses for a large product (1, the default, or 2), and a
/// setting for it (0 = the default). The rows of C are split, never a
/// chain over k, so the bits of C do not depend on it.
int hk_gemm_threads(void);
int hk_set_gemm_threads(int threads);
/// How many products have been split between two cores so far (for tests).
long hk_gemm_splits(void);

/// The code path hk_sgemm uses on this machine: "avx512", "avx2" or "portable".
const char *hk_sgemm_path(void);

/// Force a code path (for tests that compare paths): 0 = best available, 1 = portable,
/// 2 = avx2 (if supported), 3 = avx512 (if supported). Returns the path now in use.
const char *hk_sgemm_force_path(int path);

/// Elementwise math (elementwise.c): the same bits on every machine (no FMA, no libm,
/// one order of operations), whichever path runs. y may be x.
void hk_exp(const float *x, float *y, int64_t n);
void hk_tanh(const float *x, float *y, int64_t n);
void hk_sigmoid(const float *x, float *y, int64_t n);
/// GELU, tanh form, and dx = g · GELU'(x).
void hk_gelu(const float *x, float *y, int64_t n);
void hk_gelu_backward(const float *x, const float *g, float *dx, int64_t n);
/// One value at a time, with the same bits as the array forms.
float hk_expf(float x);
float hk_tanhf(float x);
float hk_sigmoidf(float x);
float hk_geluf(float x);
float hk_gelu_slopef(float x);

/// Softmax of every row of scale·x (rows × n, row-major); causal = T > 0 masks the columns
/// t > (row mod T), which get exactly 0. The normaliser is summed in double, in order.
void hk_softmax_rows(const float *x, float *y, int64_t rows, int64_t n, float scale, int64_t causal);
/// dx = scale · y ⊙ (g − Σ g·y) per row.
void hk_softmax_rows_backward(const float *y, const float *g, float *dx, int64_t rows, int64_t n, float scale);

/// Force the elementwise path (tests): 1 = portable, 2 = avx2, 3 = avx512 (each if supported), 0 = best.
const char *hk_elementwise_force_path(int path);
/// GELU (tanh form) keeping its tanh t for the backward: y = hk_gelu's bits; then
/// dx = g·GELU'(x) from t, hk_gelu_backward's bits without computing tanh again.
void hk_gelu_saving_tanh(const float *x, float *y, float *t, int64_t n);
void hk_gelu_backward_from_tanh(const float *x, const float *t, const float *g, float *dx, int64_t n);
/// y[i] = e^(x[i]·s − m): a softmax row's exponentials (s = 1 gives e^(x − m) exactly).
void hk_shifted_exp(const float *x, float m, float s, float *y, int64_t n);

/// Grows the heap once by `reserve` bytes of address space and asks the kernel for huge
/// pages there, with glibc keeping tensors (up to 32 MiB) and freed memory in it; for the
/// huddle executable at start. 0 when advised, -1 where it cannot be (see heap_pages.c).
int hk_adopt_heap_pages(long reserve);

/// Gives the pages of freed memory back to the system (glibc's malloc_trim), so the
/// resident size counts only what is held; the memory budget calls it before it refuses.
void hk_release_free_memory(void);

/// One Adam update of n values in place: with `decoupled` (AdamW) θ ← θ − lr·wd·θ first,
/// else g ← g + wd·θ; then m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², and
/// θ ← θ − lr·(m/c₁)/(√(v/c₂) + ε). The bits of the scalar loop, in that order.
void hk_adam_update(float *theta, const float *g, float *m, float *v, int64_t n, float lr, float beta1,
                    float beta2, float epsilon, float weight_decay, int decoupled, float correction1,
                    float correction2);

/// Layer norm of each row of x (rows × d): x̂ = (x − μ)/s with s = √(σ² + ε) per row
/// (kept in `spread`), out = x̂·γ + β (γ, β may be NULL). The bits of Tensor.layerNorm's
/// Swift loops, which these replace (layer_norm.c).
void hk_layer_norm_forward(const float *x, const float *gamma, const float *beta, int64_t rows, int64_t d,
                           float epsilon, float *xhat, float *spread, float *out);
/// Its backward: dx from g, x̂, γ (or NULL) and s; dγ and dβ (or NULL) accumulated over rows.
void hk_layer_norm_backward(const float *g, const float *xhat, const float *gamma, const float *spread,
                            int64_t rows, int64_t d, float *dx, float *dgamma, float *dbeta);

/// out[j] += Σ_r g[r·width + j] in row order (a bias's gradient; sums.c).
void hk_sum_rows(const float *g, int64_t rows, int64_t width, float *out);
/// lanes[i mod 8] += x[i]² in double, i in order (a gradient norm's sum of squares; sums.c).
void hk_sum_squares(const float *x, int64_t n, double *lanes);

/// One row of one LSTM step (lstm.c), G = 4 gates (i, g, o, f) or 3 (no forget gate),
/// each of H: z = pre + bias (z is scratch of G·H); the activated gates; Δc, c, tanh c, h.
void hk_lstm_forward_row(const float *pre, const float *bias, const float *c_prev, float *z, float *gates,
                         float *delta_c, float *c, float *tanh_c, float *h, int64_t H, int64_t G);
/// Its backward: from what reaches h_t (dh_out + dh_next) and c_t (dc_out + dc_next),
/// the pre-activations' gradient d_pre (G·H); dc_next becomes what reaches c_{t−1}.
void hk_lstm_backward_row(const float *dh_out, const float *dc_out, const float *dh_next, float *dc_next,
                          const float *gates, const float *tanh_c, const float *c_prev, float *d_pre,
                          int64_t H, int64_t G);

#ifdef __cplusplus
}
#endif

#endif
