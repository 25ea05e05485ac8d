// Private interface between the sgemm driver (gemm.c) and the instruction-set specific
// kernels (gemm_avx2.c, gemm_avx512.c). Not part of the public CKernels module.
#ifndef HUDDLE_GEMM_INTERNAL_H
#define HUDDLE_GEMM_INTERNAL_H

#include <stdint.h>

// Packs a panel of an operand into the layout the micro-kernel reads.
//
// The source is a kc × w slab: element (k, t) at src[k*sk + t*st]. The destination is
// kc rows of W floats, dst[k*W + t], where W is the micro-tile size the function was
// built for (MR when packing A, NR when packing B) and 0 < w ≤ W. Columns t ≥ w are
// filled with zeros, so edge tiles multiply padding, never stale memory.
typedef void (*hk_pack_fn)(float *dst, const float *src, int64_t kc, int64_t w,
                           int64_t sk, int64_t st);

// Computes one MR-row tile of C from packed panels a (kc × MR) and b (kc × NR):
//   c[r*ldc + j] = chain over k < kc of fma(a[k*MR + r], b[k*NR + j], ·)
// starting from the existing c[r*ldc + j] when load_c is nonzero, from 0 otherwise.
// Only the columns the caller needs, j < n (1 ≤ n ≤ NR), are guaranteed; the kernel reads
// and writes all MR rows and the columns j < n rounded up to its vector width, so for a
// partial tile the caller passes a scratch tile. b must be 64-byte aligned.
typedef void (*hk_kernel_fn)(int64_t kc, const float *a, const float *b,
                             float *c, int64_t ldc, int load_c, int64_t n);

// The same tile read in place, for the small products that skip packing (gemm.c): A's
// element (r, k) at a[r*ars + k*aks], B's row k at b + k*ldb (no alignment needed). The
// chain over k is the packed kernel's, so the bits are the same.
typedef void (*hk_kernel_strided_fn)(int64_t kc, const float *a, int64_t ars, int64_t aks,
                                     const float *b, int64_t ldb, float *c, int64_t ldc,
                                     int load_c, int64_t n);

// Everything the blocked driver needs to know about one instruction-set path.
typedef struct {
    int64_t mr, nr;        // register tile: MR rows × NR columns of C
    int64_t mc, kc, nc;    // cache blocks; mc is a multiple of mr, nc a multiple of nr
    hk_pack_fn pack_a;     // packs MR-wide panels of A (w ≤ MR rows)
    hk_pack_fn pack_b;     // packs NR-wide panels of B (w ≤ NR columns)
    int64_t vw;            // floats per vector: the kernel writes columns in steps of vw
    hk_kernel_fn kernel;
    hk_kernel_strided_fn kernel_strided;
} hk_gemm_path;

/// hk_sgemm on one thread: rows 0..M−1 of C (gemm.c).
void hk_sgemm_rows(int64_t M, int64_t N, int64_t K,
                   const float *A, int64_t rsA, int64_t csA,
                   const float *B, int64_t rsB, int64_t csB,
                   float *C, int64_t ldc, int beta);

#if defined(__x86_64__)
extern const hk_gemm_path hk_gemm_path_avx2;
extern const hk_gemm_path hk_gemm_path_avx512;
#endif

#endif
