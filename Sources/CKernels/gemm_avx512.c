// AVX-512 sgemm path: a 6 × 64 register tile, driven by the blocked loop in gemm.c.
//
// MICRO-KERNEL (6 × 64 = 6 rows × 4 zmm of 16 floats)
// For each k: load one packed row of B (4 zmm), then for each of the 6 rows broadcast
// A[i, k] and fma it into that row's 4 accumulators. 24 accumulators + 4 B vectors fit in
// the 32 zmm registers; the broadcasts fold into the FMAs as memory operands. 24
// independent chains cover the FMA latency × 2 pipes, and each k needs only 4 vector and
// 6 scalar loads for 24 FMAs. On the AMD EPYC (Zen 5) this was tuned on, 6 × 64 measured
// ahead of 14 × 32, 12 × 32, 8 × 48 and 7 × 64, at about 93% of the FMA peak for n = 256.
// Narrower N edges use the same kernel with 1–3 of the 4 column vectors, so an N = 10
// output layer does not pay for 64 columns.
//
// CACHE BLOCKS
// KC = 256: one kernel call reads a B micro-panel (256 × 64 floats, 64 KiB, more than L1)
// and an A micro-panel (6 × 256 floats, 6 KiB), both from L2: 280 bytes per 12 cycles of
// FMAs, well within L2 bandwidth. Speed was flat for KC from 128 (B micro-panel in L1)
// to 512, and KC = 256 means n ≤ 256 needs no K split.
// MC = 144 (24 tiles): the packed A block (144 KiB) sits in the 1 MiB L2.
// NC = 4096: the packed B panel (up to 4 MiB) sits in L3; smaller N packs only what it has.
//
// DETERMINISM: each SIMD lane owns one C[i, j] and applies fma(A[i, k], B[k, j], acc) for
// k in order, exactly the chain of the portable path (see gemm.c).
#include "gemm_internal.h"

#if defined(__x86_64__)

#include "gemm_pack_x86.h"
#include <immintrin.h>

#define TARGET __attribute__((target("avx512f,avx512vl,fma")))

enum { MR = 6, NV = 4, NR = 16 * NV, MC = MR * 24, KC = 256, NC = NR * 64 };

// The first nv (1 ≤ nv ≤ NV) column vectors of one tile; nv is a compile-time constant at
// every call, so acc lives entirely in registers. Packed B rows are NR floats apart.
static inline __attribute__((always_inline)) TARGET
void tile(int64_t kc, const float *a, const int64_t ars, const int64_t aks, const float *b,
          const int64_t ldb, float *c, int64_t ldc, int load_c, const int nv) {
    __m512 acc[MR][NV];
    for (int r = 0; r < MR; r++)
        for (int v = 0; v < nv; v++)
            acc[r][v] = load_c ? _mm512_loadu_ps(c + r * ldc + 16 * v) : _mm512_setzero_ps();
    for (int64_t k = 0; k < kc; k++, a += aks, b += ldb) {
        __m512 bk[NV];
        for (int v = 0; v < nv; v++)
            bk[v] = _mm512_loadu_ps(b + 16 * v);
        for (int r = 0; r < MR; r++) {
            const __m512 aik = _mm512_set1_ps(a[r * ars]);
            for (int v = 0; v < nv; v++)
                acc[r][v] = _mm512_fmadd_ps(aik, bk[v], acc[r][v]);
        }
    }
    for (int r = 0; r < MR; r++)
        for (int v = 0; v < nv; v++)
            _mm512_storeu_ps(c + r * ldc + 16 * v, acc[r][v]);
}

TARGET static void kernel(int64_t kc, const float *a, const float *b, float *c,
                          int64_t ldc, int load_c, int64_t n) {
    switch ((n + 15) / 16) {
    case 1: tile(kc, a, 1, MR, b, NR, c, ldc, load_c, 1); break;
    case 2: tile(kc, a, 1, MR, b, NR, c, ldc, load_c, 2); break;
    case 3: tile(kc, a, 1, MR, b, NR, c, ldc, load_c, 3); break;
    default: tile(kc, a, 1, MR, b, NR, c, ldc, load_c, 4); break;
    }
}

TARGET static void kernel_strided(int64_t kc, const float *a, int64_t ars, int64_t aks,
                                  const float *b, int64_t ldb, float *c, int64_t ldc,
                                  int load_c, int64_t n) {
    switch ((n + 15) / 16) {
    case 1: tile(kc, a, ars, aks, b, ldb, c, ldc, load_c, 1); break;
    case 2: tile(kc, a, ars, aks, b, ldb, c, ldc, load_c, 2); break;
    case 3: tile(kc, a, ars, aks, b, ldb, c, ldc, load_c, 3); break;
    default: tile(kc, a, ars, aks, b, ldb, c, ldc, load_c, 4); break;
    }
}

TARGET static void pack_a(float *dst, const float *src, int64_t kc, int64_t w,
                          int64_t sk, int64_t st) {
    hk_pack_panel(dst, src, kc, w, sk, st, MR);
}

TARGET static void pack_b(float *dst, const float *src, int64_t kc, int64_t w,
                          int64_t sk, int64_t st) {
    hk_pack_panel(dst, src, kc, w, sk, st, NR);
}

const hk_gemm_path hk_gemm_path_avx512 = {
    .mr = MR, .nr = NR, .mc = MC, .kc = KC, .nc = NC,
    .vw = 16, .pack_a = pack_a, .pack_b = pack_b, .kernel = kernel,
    .kernel_strided = kernel_strided,
};

#endif
