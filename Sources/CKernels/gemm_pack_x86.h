// Panel packing shared by the x86 sgemm paths (gemm_avx2.c, gemm_avx512.c).
//
// Packing only moves floats, so it cannot affect the bits of C; it uses AVX2 alone so the
// same code serves both paths. Each path instantiates hk_pack_panel with its own
// compile-time panel width W (its MR for A, its NR for B); see hk_pack_fn in
// gemm_internal.h for the layout.
//
// Three source layouts, by the strides of the kc × w slab (element (k, t) at
// src[k*sk + t*st]):
//   st == 1  each k is a contiguous run of w floats: row copies (row-major B, and A when
//            A is stored transposed, as in Aᵀ·B);
//   sk == 1  each t is a contiguous run of kc floats: 8 × 8 register transposes (row-major
//            A, and B when B is stored transposed, as in A·Bᵀ);
//   other    a scalar gather.
#ifndef HUDDLE_GEMM_PACK_X86_H
#define HUDDLE_GEMM_PACK_X86_H

#if defined(__x86_64__)

#include <immintrin.h>
#include <stdint.h>

#define HK_PACK_INLINE static inline __attribute__((always_inline, target("avx2")))

// Stores the first n (1 ≤ n ≤ 8) floats of v to p, touching nothing past p[n - 1].
HK_PACK_INLINE void hk_store_first(float *p, __m256 v, int64_t n) {
    if (n == 8) {
        _mm256_storeu_ps(p, v);
        return;
    }
    __m128 x = _mm256_castps256_ps128(v);
    if (n >= 4) {
        _mm_storeu_ps(p, x);
        p += 4;
        n -= 4;
        x = _mm256_extractf128_ps(v, 1);
    }
    if (n >= 2) {
        _mm_storel_pi((__m64 *)p, x);
        p += 2;
        n -= 2;
        x = _mm_movehl_ps(x, x);
    }
    if (n == 1)
        _mm_store_ss(p, x);
}

// In-register transpose of the 8 × 8 block r[0..7]: afterwards r[i][j] is the old r[j][i].
HK_PACK_INLINE void hk_transpose8(__m256 r[8]) {
    __m256 t0 = _mm256_unpacklo_ps(r[0], r[1]), t1 = _mm256_unpackhi_ps(r[0], r[1]);
    __m256 t2 = _mm256_unpacklo_ps(r[2], r[3]), t3 = _mm256_unpackhi_ps(r[2], r[3]);
    __m256 t4 = _mm256_unpacklo_ps(r[4], r[5]), t5 = _mm256_unpackhi_ps(r[4], r[5]);
    __m256 t6 = _mm256_unpacklo_ps(r[6], r[7]), t7 = _mm256_unpackhi_ps(r[6], r[7]);
    __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44), u1 = _mm256_shuffle_ps(t0, t2, 0xEE);
    __m256 u2 = _mm256_shuffle_ps(t1, t3, 0x44), u3 = _mm256_shuffle_ps(t1, t3, 0xEE);
    __m256 u4 = _mm256_shuffle_ps(t4, t6, 0x44), u5 = _mm256_shuffle_ps(t4, t6, 0xEE);
    __m256 u6 = _mm256_shuffle_ps(t5, t7, 0x44), u7 = _mm256_shuffle_ps(t5, t7, 0xEE);
    r[0] = _mm256_permute2f128_ps(u0, u4, 0x20);
    r[1] = _mm256_permute2f128_ps(u1, u5, 0x20);
    r[2] = _mm256_permute2f128_ps(u2, u6, 0x20);
    r[3] = _mm256_permute2f128_ps(u3, u7, 0x20);
    r[4] = _mm256_permute2f128_ps(u0, u4, 0x31);
    r[5] = _mm256_permute2f128_ps(u1, u5, 0x31);
    r[6] = _mm256_permute2f128_ps(u2, u6, 0x31);
    r[7] = _mm256_permute2f128_ps(u3, u7, 0x31);
}

// sk == 1: the slab is w runs of kc contiguous floats, run t at src + t*st. Blocks of
// 8 runs × 8 k are loaded as rows, transposed, and stored as 8 packed rows; runs past w
// load as zeros, and k beyond the last multiple of 8 is copied one float at a time.
HK_PACK_INLINE void hk_pack_transposed(float *dst, const float *src, int64_t kc,
                                       int64_t w, int64_t st, const int64_t W) {
    const int64_t kc8 = kc & ~(int64_t)7;
    for (int64_t t0 = 0; t0 < W; t0 += 8) {
        const int64_t tw = W - t0 < 8 ? W - t0 : 8;   // packed columns this block fills
        for (int64_t k0 = 0; k0 < kc8; k0 += 8) {
            __m256 r[8];
            for (int i = 0; i < 8; i++)
                r[i] = t0 + i < w ? _mm256_loadu_ps(src + (t0 + i) * st + k0)
                                  : _mm256_setzero_ps();
            hk_transpose8(r);
            for (int i = 0; i < 8; i++)
                hk_store_first(dst + (k0 + i) * W + t0, r[i], tw);
        }
    }
    for (int64_t k = kc8; k < kc; k++)
        for (int64_t t = 0; t < W; t++)
            dst[k * W + t] = t < w ? src[t * st + k] : 0.0f;
}

// st == 1: each packed row is a copy of w contiguous floats, zero-filled up to W.
HK_PACK_INLINE void hk_pack_rows(float *dst, const float *src, int64_t kc, int64_t w,
                                 int64_t sk, const int64_t W) {
    if (w == W) {
        for (int64_t k = 0; k < kc; k++, dst += W, src += sk) {
            int64_t t = 0;
            for (; t + 8 <= W; t += 8)
                _mm256_storeu_ps(dst + t, _mm256_loadu_ps(src + t));
            for (; t < W; t++)
                dst[t] = src[t];
        }
        return;
    }
    for (int64_t k = 0; k < kc; k++, dst += W, src += sk)
        for (int64_t t = 0; t < W; t++)
            dst[t] = t < w ? src[t] : 0.0f;
}

// Packs the kc × w slab at src (element (k, t) at src[k*sk + t*st]) into kc rows of W.
HK_PACK_INLINE void hk_pack_panel(float *dst, const float *src, int64_t kc, int64_t w,
                                  int64_t sk, int64_t st, const int64_t W) {
    if (st == 1) {
        hk_pack_rows(dst, src, kc, w, sk, W);
    } else if (sk == 1) {
        hk_pack_transposed(dst, src, kc, w, st, W);
    } else {
        for (int64_t k = 0; k < kc; k++)
            for (int64_t t = 0; t < W; t++)
                dst[k * W + t] = t < w ? src[k * sk + t * st] : 0.0f;
    }
}

#endif
#endif
