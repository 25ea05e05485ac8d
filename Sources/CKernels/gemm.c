// Single-precision GEMM (C = beta·C + op(A)·op(B)): path selection, the cache-blocked
// driver shared by the x86 paths, and the portable reference path.
//
// DETERMINISM CONTRACT
// Every C[i, j] is one fused multiply-add chain over k = 0, 1, …, K−1 in that order,
// starting from 0 (beta = 0) or the old C[i, j] (beta = 1). No path splits the chain into
// partial sums, reorders it, or rounds between the multiply and the add, so the AVX-512,
// AVX2+FMA and portable fmaf paths give bit-identical C on every machine. Vector code
// gets its parallelism across i and j only: each SIMD lane owns one C[i, j].
//
// BLOCKING (GotoBLAS/BLIS style; tile and block sizes are per path, see gemm_avx2.c and
// gemm_avx512.c)
//   for jc in steps of NC over N:              B panel  KC × NC  (lives in L2/L3)
//     for pc in steps of KC over K:            pack B[pc.., jc..] into NR-wide micro-panels
//       for ic in steps of MC over M:          A block  MC × KC  (lives in L2)
//         pack A[ic.., pc..] into MR-wide micro-panels
//         for jr in steps of NR over NC:       B micro-panel KC × NR  (reused from L1/L2)
//           for ir in steps of MR over MC:     A micro-panel MR × KC  (read from L2)
//             micro-kernel: the MR × NR tile of C in registers, chained over KC values of k
// Splitting K into KC blocks keeps the chain intact: the first block starts each
// accumulator from 0 or the old C, later blocks reload the partial value from C and go on
// with the next k. Packing honours arbitrary strides (so transposes cost only a different
// packing routine) and pads partial panels with zeros. A tile that overhangs M or N is
// computed in a small aligned scratch tile and only its valid part is copied to C.
#include "CKernels.h"
#include "gemm_internal.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { PATH_BEST = 0, PATH_PORTABLE = 1, PATH_AVX2 = 2, PATH_AVX512 = 3 };

// Packing buffers up to this size (16 KiB) live on the stack; larger ones on the heap.
enum { SMALL_BUFFER_FLOATS = 4096 };

// Portable reference path: one fmaf chain per output element, k in order.
static void sgemm_portable(int64_t M, int64_t N, int64_t K,
                           const float *A, int64_t rsA, int64_t csA,
                           const float *B, int64_t rsB, int64_t csB,
                           float *C, int64_t ldc, int beta) {
    for (int64_t i = 0; i < M; i++) {
        for (int64_t j = 0; j < N; j++) {
            float acc = beta ? C[i * ldc + j] : 0.0f;
            for (int64_t k = 0; k < K; k++)
                acc = fmaf(A[i * rsA + k * csA], B[k * rsB + j * csB], acc);
            C[i * ldc + j] = acc;
        }
    }
}

#if defined(__x86_64__)   // the blocked driver serves the x86 paths only

static int64_t min64(int64_t a, int64_t b) { return a < b ? a : b; }
static int64_t round_up(int64_t x, int64_t m) { return (x + m - 1) / m * m; }

// Allocates n floats aligned to 64 bytes (aligned_alloc wants a multiple of the alignment).
static float *alloc_floats(int64_t n) {
    return aligned_alloc(64, (size_t)round_up(n * (int64_t)sizeof(float), 64));
}

// The blocked driver. Returns 0 if it could not allocate its packing buffers (the caller
// then falls back to the portable path, which gives the same bits).
static int sgemm_blocked(const hk_gemm_path *p, int64_t M, int64_t N, int64_t K,
                         const float *A, int64_t rsA, int64_t csA,
                         const float *B, int64_t rsB, int64_t csB,
                         float *C, int64_t ldc, int beta) {
    const int64_t mr = p->mr, nr = p->nr;
    const int64_t mc = min64(p->mc, round_up(M, mr));
    const int64_t kc = min64(p->kc, K);
    const int64_t nc = min64(p->nc, round_up(N, nr));

    // Buffers are per call, so concurrent callers never share them: packed B panel
    // (kc × nc), packed A block (mc × kc), scratch tile (mr × nr). Small products use the
    // stack, where a heap round trip would cost as much as the arithmetic.
    const int64_t b_len = round_up(kc * nc, 16), a_len = round_up(mc * kc, 16);
    const int64_t len = b_len + a_len + mr * nr;
    float small[SMALL_BUFFER_FLOATS] __attribute__((aligned(64)));
    float *buf = len <= SMALL_BUFFER_FLOATS ? small : alloc_floats(len);
    if (!buf)
        return 0;
    float *bp = buf, *ap = buf + b_len, *tile = ap + a_len;
    // Scratch columns past an edge are computed but never copied out; zero them once so
    // the kernel never reads uninitialised memory.
    memset(tile, 0, (size_t)(mr * nr) * sizeof(float));

    for (int64_t jc = 0; jc < N; jc += nc) {
        const int64_t ncb = min64(nc, N - jc);
        for (int64_t pc = 0; pc < K; pc += kc) {
            const int64_t kcb = min64(kc, K - pc);
            const int load_c = beta || pc > 0;   // continue the chain already in C
            for (int64_t jr = 0; jr < ncb; jr += nr)
                p->pack_b(bp + jr * kcb, B + pc * rsB + (jc + jr) * csB, kcb,
                          min64(nr, ncb - jr), rsB, csB);
            for (int64_t ic = 0; ic < M; ic += mc) {
                const int64_t mcb = min64(mc, M - ic);
                for (int64_t ir = 0; ir < mcb; ir += mr)
                    p->pack_a(ap + ir * kcb, A + (ic + ir) * rsA + pc * csA, kcb,
                              min64(mr, mcb - ir), csA, rsA);
                for (int64_t jr = 0; jr < ncb; jr += nr) {
                    const int64_t n = min64(nr, ncb - jr);
                    for (int64_t ir = 0; ir < mcb; ir += mr) {
                        const int64_t m = min64(mr, mcb - ir);
                        float *c = C + (ic + ir) * ldc + jc + jr;
                        const float *a = ap + ir * kcb, *b = bp + jr * kcb;
                        if (m == mr && n == nr) {
                            p->kernel(kcb, a, b, c, ldc, load_c, n);
                            continue;
                        }
                        if (load_c)
                            for (int64_t r = 0; r < m; r++)
                                memcpy(tile + r * nr, c + r * ldc, (size_t)n * sizeof(float));
                        p->kernel(kcb, a, b, tile, nr, load_c, n);
                        for (int64_t r = 0; r < m; r++)
                            memcpy(c + r * ldc, tile + r * nr, (size_t)n * sizeof(float));
                    }
                }
            }
        }
    }
    if (buf != small)
        free(buf);
    return 1;
}

#endif

// ---- path selection ----------------------------------------------------------------

// The path in use; read by every hk_sgemm call, written only by hk_sgemm_force_path.
static int selected_path = PATH_BEST;

static int best_path(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
        __builtin_cpu_supports("fma"))
        return PATH_AVX512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        return PATH_AVX2;
#endif
    return PATH_PORTABLE;
}

static int current_path(void) {
    int path = __atomic_load_n(&selected_path, __ATOMIC_RELAXED);
    if (path == PATH_BEST) {
        path = best_path();
        __atomic_store_n(&selected_path, path, __ATOMIC_RELAXED);
    }
    return path;
}

static const char *path_name(int path) {
    switch (path) {
    case PATH_AVX512: return "avx512";
    case PATH_AVX2: return "avx2";
    default: return "portable";
    }
}

const char *hk_sgemm_path(void) { return path_name(current_path()); }

const char *hk_sgemm_force_path(int path) {
    const int best = best_path();
    // A path is available if it is no faster than the best this CPU supports.
    if (path < PATH_PORTABLE || path > best)
        path = best;
    __atomic_store_n(&selected_path, path, __ATOMIC_RELAXED);
    return path_name(path);
}

// One thread's share of hk_sgemm (gemm_threads.c splits the rows of C between two).
void hk_sgemm_rows(int64_t M, int64_t N, int64_t K,
                   const float *A, int64_t rsA, int64_t csA,
                   const float *B, int64_t rsB, int64_t csB,
                   float *C, int64_t ldc, int beta) {
    if (M <= 0 || N <= 0)
        return;
    if (K <= 0) {   // an empty chain: C stays, or becomes 0
        if (!beta)
            for (int64_t i = 0; i < M; i++)
                memset(C + i * ldc, 0, (size_t)N * sizeof(float));
        return;
    }
#if defined(__x86_64__)
    const int path = current_path();
    if (path == PATH_AVX512 &&
        sgemm_blocked(&hk_gemm_path_avx512, M, N, K, A, rsA, csA, B, rsB, csB, C, ldc, beta))
        return;
    if (path == PATH_AVX2 &&
        sgemm_blocked(&hk_gemm_path_avx2, M, N, K, A, rsA, csA, B, rsB, csB, C, ldc, beta))
        return;
#endif
    sgemm_portable(M, N, K, A, rsA, csA, B, rsB, csB, C, ldc, beta);
}
