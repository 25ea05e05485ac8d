// One row of one LSTM step, forward and backward (Tensor.lstmStep, Tensor.lstmSequence).
//
// Why C: in Swift the row loops could not be widened (the compiler cannot prove the
// buffers apart) and were 14 % of an LSTM's forward and backward. The operations and
// their order are those of the formulas as ops — z = pre + b, σ and tanh by the
// elementwise kernels, Δc = (f − 1)·c_{t−1} + i·g, c = c_{t−1} + Δc, h = o·tanh(c) —
// each rounded on its own, no contraction into FMA, so the bits are the same on every
// machine and the same as the spelled-out graph's forward.
#include "CKernels.h"

#pragma clang fp contract(off)

void hk_lstm_forward_row(const float *restrict pre, const float *restrict bias, const float *restrict c_prev,
                         float *restrict z, float *restrict gates, float *restrict delta_c, float *restrict c,
                         float *restrict tanh_c, float *restrict h, int64_t H, int64_t G) {
    for (int64_t j = 0; j < G * H; j++) z[j] = pre[j] + bias[j];
    hk_sigmoid(z, gates, H);                     // i
    hk_tanh(z + H, gates + H, H);                // g
    hk_sigmoid(z + 2 * H, gates + 2 * H, (G - 2) * H);  // o (and f)
    const float *i = gates, *g = gates + H, *o = gates + 2 * H, *f = gates + 3 * H;
    if (G == 4) {
        for (int64_t j = 0; j < H; j++) delta_c[j] = (f[j] - 1) * c_prev[j] + i[j] * g[j];
    } else {
        for (int64_t j = 0; j < H; j++) delta_c[j] = i[j] * g[j];
    }
    for (int64_t j = 0; j < H; j++) c[j] = c_prev[j] + delta_c[j];
    hk_tanh(c, tanh_c, H);
    for (int64_t j = 0; j < H; j++) h[j] = o[j] * tanh_c[j];
}

void hk_lstm_backward_row(const float *restrict dh_out, const float *restrict dc_out, const float *restrict dh_next,
                          float *restrict dc_next, const float *restrict gates, const float *restrict tanh_c,
                          const float *restrict c_prev, float *restrict d_pre, int64_t H, int64_t G) {
    const float *i = gates, *g = gates + H, *o = gates + 2 * H, *f = gates + 3 * H;
    float *di = d_pre, *dg = d_pre + H, *dout = d_pre + 2 * H, *df = d_pre + 3 * H;
    for (int64_t j = 0; j < H; j++) {
        const float dh = dh_out[j] + dh_next[j];
        // h = o·tanh(c), then c = c_{t−1} + Δc.
        dout[j] = (dh * tanh_c[j]) * (o[j] * (1 - o[j]));
        const float dc = dc_out[j] + dc_next[j] + (dh * o[j]) * (1 - tanh_c[j] * tanh_c[j]);
        di[j] = (dc * g[j]) * (i[j] * (1 - i[j]));
        dg[j] = (dc * i[j]) * (1 - g[j] * g[j]);
        dc_next[j] = dc;  // what reaches c_t; below, what goes on to c_{t−1}
    }
    if (G == 4) {
        for (int64_t j = 0; j < H; j++) {
            const float dc = dc_next[j];
            df[j] = (dc * c_prev[j]) * (f[j] * (1 - f[j]));
            dc_next[j] = dc + dc * (f[j] - 1);
        }
    }
}
