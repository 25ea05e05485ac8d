// AVX2+FMA sgemm path: a 6 × 16 register tile, driven by the blocked loop in gemm.c.
//
// MICRO-KERNEL (6 × 16 = 6 rows × 2 ymm of 8 floats)
// For each k: load one packed row of B (2 ymm), then for each of the 6 rows broadcast
// A[i, k] and fma it into that row's 2 accumulators. 12 accumulators + 2 B vectors + 1
// broadcast fit in the 16 ymm registers; this is the classic Haswell-era shape (12
// independent chains cover FMA latency × 2 pipes) and measured about 95% of the 256-bit
// FMA peak on the AMD EPYC this was tuned on. N edges of 8 or fewer columns use one
// vector instead of two.
//
// CACHE BLOCKS
// KC = 256: the B micro-panel (256 × 16 floats, 16 KiB) stays in L1 while the loop over
// MC runs through A micro-panels (6 × 256 floats, 6 KiB each) from L2.
// MC = 144 (24 tiles): the packed A block (144 KiB) sits in L2 (≥ 256 KiB on AVX2 parts).
// NC = 4096: the packed B panel (up to 4 MiB) sits in L3; smaller N packs only what it has.
//
// DETERMINISM: each SIMD lane owns one C[i, j] and applies fma(A[i, k], B[k, j], acc) for
// k in order, exactly the chain of the portable path (see gemm.c).
#include "gemm_internal.h"

#if defined(__x86_64__)

#include "gemm_pack_x86.h"
#include <immintrin.h>

#define TARGET __attribute__((target("avx2,fma")))

enum { MR = 6, NV = 2, NR = 8 * NV, MC = MR * 24, KC = 256, NC = NR * 256 };

// The first nv (1 ≤ nv ≤ NV) column vectors of one tile; nv is a compile-time constant at
// every call, so acc lives entirely in registers. Packed B rows are NR floats apart.
static inline __attribute__((always_inline)) TARGET
void tile(int64_t kc, const float *a, const int64_t ars, const int64_t aks, const float *b,
          const int64_t ldb, float *c, int64_t ldc, int load_c, const int nv) {
    __m256 acc[MR][NV];
    for (int r = 0; r < MR; r++)
        for (int v = 0; v < nv; v++)
            acc[r][v] = load_c ? _mm256_loadu_ps(c + r * ldc + 8 * v) : _mm256_setzero_ps();
    for (int64_t k = 0; k < kc; k++, a += aks, b += ldb) {
        __m256 bk[NV];
        for (int v = 0; v < nv; v++)
            bk[v] = _mm256_loadu_ps(b + 8 * v);
        for (int r = 0; r < MR; r++) {
            const __m256 aik = _mm256_set1_ps(a[r * ars]);
            for (int v = 0; v < nv; v++)
                acc[r][v] = _mm256_fmadd_ps(aik, bk[v], acc[r][v]);
        }
    }
    for (int r = 0; r < MR; r++)
        for (int v = 0; v < nv; v++)
            _mm256_storeu_ps(c + r * ldc + 8 * v, acc[r][v]);
}

TARGET static void kernel(int64_t kc, const float *a, const float *b, float *c,
                          int64_t ldc, int load_c, int64_t n) {
    if (n <= 8)
        tile(kc, a, 1, MR, b, NR, c, ldc, load_c, 1);
    else
        tile(kc, a, 1, MR, b, NR, c, ldc, load_c, 2);
}

TARGET static void kernel_strided(int64_t kc, const float *a, int64_t ars, int64_t aks,
                                  const float *b, int64_t ldb, float *c, int64_t ldc,
                                  int load_c, int64_t n) {
    if (n <= 8)
        tile(kc, a, ars, aks, b, ldb, c, ldc, load_c, 1);
    else
        tile(kc, a, ars, aks, b, ldb, c, ldc, load_c, 2);
}

TARGET static void pack_a(float *dst, const float *src, int64_t kc, int64_t w,
                          int64_t sk, int64_t st) {
    hk_pack_panel(dst, src, kc, w, sk, st, MR);
}

TARGET static void pack_b(float *dst, const float *src, int64_t kc, int64_t w,
                          int64_t sk, int64_t st) {
    hk_pack_panel(dst, src, kc, w, sk, st, NR);
}

const hk_gemm_path hk_gemm_path_avx2 = {
    .mr = MR, .nr = NR, .mc = MC, .kc = KC, .nc = NC,
    .vw = 8, .pack_a = pack_a, .pack_b = pack_b, .kernel = kernel,
    .kernel_strided = kernel_strided,
};

#endif
