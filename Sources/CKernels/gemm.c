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

// SMALL PRODUCTS, READ IN PLACE
// With few rows (an LSTM step: a batch of 16 against 256 gate rows) every packed float of
// B serves only ⌈M/MR⌉ tiles, so packing B costs about as much as the multiply. When one
// side is small (≤ SMALL_SIDE) and the large operand's rows are contiguous, the kernel
// reads the large operand where it lies and only the small one is packed (up to 64: a
// GPT's (512, 64)·(64, 64) projections gained a few per cent of a training step, as
// packing A served only one 64-wide panel of B):
//   direct_b  M small, B row-major: A packed whole, B's rows read in place;
//   direct_a  N small, A row-major: B packed whole, A's rows read in place;
//   M small with B stored transposed: Cᵀ = Bᵀ·Aᵀ by direct_a into a scratch, copied back.
// Each C[i, j] is the same chain over k in order as in the blocked driver (fma(a, b, acc)
// is the same for a·b and b·a), so these give the same bits. Edge tiles whose operand
// would be read past its end are packed.
enum { SMALL_SIDE = 64 };

// One tile through kernel_strided: straight into C when it is whole (all MR rows, columns
// a multiple of the vector width), else through the scratch tile.
static void strided_tile(const hk_gemm_path *p, int64_t K, const float *a, int64_t ars,
                         int64_t aks, const float *b, int64_t ldb, float *c, int64_t ldc,
                         int beta, int64_t m, int64_t n, float *tile) {
    if (m == p->mr && n % p->vw == 0) {
        p->kernel_strided(K, a, ars, aks, b, ldb, c, ldc, beta, n);
        return;
    }
    if (beta)
        for (int64_t r = 0; r < m; r++)
            memcpy(tile + r * p->nr, c + r * ldc, (size_t)n * sizeof(float));
    p->kernel_strided(K, a, ars, aks, b, ldb, tile, p->nr, beta, n);
    for (int64_t r = 0; r < m; r++)
        memcpy(c + r * ldc, tile + r * p->nr, (size_t)n * sizeof(float));
}

// A small product's buffers, in `stack` when they fit, else on the heap: the packed small
// operand (packed_len floats), one edge panel (edge_len) and the scratch tile, zeroed so
// the kernel never reads uninitialised memory. Returns 0 when out of memory.
typedef struct { float *whole, *packed, *edge, *tile; } small_buffers;

static int small_buffers_make(small_buffers *b, float *stack, const hk_gemm_path *p,
                              int64_t packed_len, int64_t edge_len) {
    packed_len = round_up(packed_len, 16);
    edge_len = round_up(edge_len, 16);
    const int64_t n = packed_len + edge_len + p->mr * p->nr;
    b->whole = n <= SMALL_BUFFER_FLOATS ? stack : alloc_floats(n);
    if (!b->whole)
        return 0;
    b->packed = b->whole;
    b->edge = b->packed + packed_len;
    b->tile = b->edge + edge_len;
    memset(b->tile, 0, (size_t)(p->mr * p->nr) * sizeof(float));
    return 1;
}

static void small_buffers_free(small_buffers *b, float *stack) {
    if (b->whole != stack)
        free(b->whole);
}

static int sgemm_direct_b(const hk_gemm_path *p, int64_t M, int64_t N, int64_t K,
                          const float *A, int64_t rsA, int64_t csA, const float *B,
                          int64_t rsB, float *C, int64_t ldc, int beta) {
    const int64_t mr = p->mr, nr = p->nr;
    float stack[SMALL_BUFFER_FLOATS] __attribute__((aligned(64)));
    small_buffers buf;
    if (!small_buffers_make(&buf, stack, p, round_up(M, mr) * K, K * nr))
        return 0;
    float *ap = buf.packed, *edge = buf.edge, *tile = buf.tile;
    for (int64_t ir = 0; ir < M; ir += mr)   // panel ir: (r, k) at ap[ir*K + k*mr + r]
        p->pack_a(ap + ir * K, A + ir * rsA, K, min64(mr, M - ir), csA, rsA);
    for (int64_t jr = 0; jr < N; jr += nr) {
        const int64_t n = min64(nr, N - jr);
        const float *b = B + jr;
        int64_t ldb = rsB;
        if (n % p->vw) {   // the kernel would read past the last column
            p->pack_b(edge, B + jr, K, n, rsB, 1);
            b = edge;
            ldb = nr;
        }
        for (int64_t ir = 0; ir < M; ir += mr)
            strided_tile(p, K, ap + ir * K, 1, mr, b, ldb, C + ir * ldc + jr, ldc, beta,
                         min64(mr, M - ir), n, tile);
    }
    small_buffers_free(&buf, stack);
    return 1;
}

static int sgemm_direct_a(const hk_gemm_path *p, int64_t M, int64_t N, int64_t K,
                          const float *A, int64_t rsA, const float *B, int64_t rsB,
                          int64_t csB, float *C, int64_t ldc, int beta) {
    const int64_t mr = p->mr, nr = p->nr;
    float stack[SMALL_BUFFER_FLOATS] __attribute__((aligned(64)));
    small_buffers buf;
    if (!small_buffers_make(&buf, stack, p, round_up(N, nr) * K, K * mr))
        return 0;
    float *bp = buf.packed, *edge = buf.edge, *tile = buf.tile;
    for (int64_t jr = 0; jr < N; jr += nr)   // panel jr: (k, j) at bp[jr*K + k*nr + j]
        p->pack_b(bp + jr * K, B + jr * csB, K, min64(nr, N - jr), rsB, csB);
    for (int64_t ir = 0; ir < M; ir += mr) {
        const int64_t m = min64(mr, M - ir);
        const float *a = A + ir * rsA;
        int64_t ars = rsA, aks = 1;
        if (m < mr) {   // the kernel would read rows past the last
            p->pack_a(edge, a, K, m, 1, rsA);
            a = edge;
            ars = 1;
            aks = mr;
        }
        for (int64_t jr = 0; jr < N; jr += nr)
            strided_tile(p, K, a, ars, aks, bp + jr * K, nr, C + ir * ldc + jr, ldc, beta, m,
                         min64(nr, N - jr), tile);
    }
    small_buffers_free(&buf, stack);
    return 1;
}

// Cᵀ = Bᵀ·Aᵀ for a small M and B stored transposed (B[k, j] at B[k + j*csB]).
static int sgemm_swapped(const hk_gemm_path *p, int64_t M, int64_t N, int64_t K,
                         const float *A, int64_t rsA, int64_t csA, const float *B,
                         int64_t csB, float *C, int64_t ldc, int beta) {
    float *ct = alloc_floats(N * M);   // (N, M)
    if (!ct)
        return 0;
    if (beta)
        for (int64_t i = 0; i < M; i++)
            for (int64_t j = 0; j < N; j++)
                ct[j * M + i] = C[i * ldc + j];
    const int done = sgemm_direct_a(p, N, M, K, B, csB, A, csA, rsA, ct, M, beta);
    if (done)
        for (int64_t i = 0; i < M; i++)
            for (int64_t j = 0; j < N; j++)
                C[i * ldc + j] = ct[j * M + i];
    free(ct);
    return done;
}

// The small-product routines above, when one fits; 0 when none does (or out of memory).
static int sgemm_small(const hk_gemm_path *p, int64_t M, int64_t N, int64_t K,
                       const float *A, int64_t rsA, int64_t csA,
                       const float *B, int64_t rsB, int64_t csB,
                       float *C, int64_t ldc, int beta) {
    if (M <= SMALL_SIDE && csB == 1)
        return sgemm_direct_b(p, M, N, K, A, rsA, csA, B, rsB, C, ldc, beta);
    if (M <= SMALL_SIDE && rsB == 1 && N > SMALL_SIDE)
        return sgemm_swapped(p, M, N, K, A, rsA, csA, B, csB, C, ldc, beta);
    if (N <= SMALL_SIDE && csA == 1)
        return sgemm_direct_a(p, M, N, K, A, rsA, B, rsB, csB, C, ldc, beta);
    return 0;
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
    const hk_gemm_path *vector = path == PATH_AVX512 ? &hk_gemm_path_avx512
                               : path == PATH_AVX2 ? &hk_gemm_path_avx2 : NULL;
    if (vector && sgemm_small(vector, M, N, K, A, rsA, csA, B, rsB, csB, C, ldc, beta))
        return;
    if (path == PATH_AVX512 &&
        sgemm_blocked(&hk_gemm_path_avx512, M, N, K, A, rsA, csA, B, rsB, csB, C, ldc, beta))
        return;
    if (path == PATH_AVX2 &&
        sgemm_blocked(&hk_gemm_path_avx2, M, N, K, A, rsA, csA, B, rsB, csB, C, ldc, beta))
        return;
#endif
    sgemm_portable(M, N, K, A, rsA, csA, B, rsB, csB, C, ldc, beta);
}
