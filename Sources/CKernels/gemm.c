#include "CKernels.h"
#include <math.h>

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

void hk_sgemm(int64_t M, int64_t N, int64_t K,
              const float *A, int64_t rsA, int64_t csA,
              const float *B, int64_t rsB, int64_t csB,
              float *C, int64_t ldc, int beta) {
    sgemm_portable(M, N, K, A, rsA, csA, B, rsB, csB, C, ldc, beta);
}

const char *hk_sgemm_path(void) { return "portable"; }
const char *hk_sgemm_force_path(int path) { (void)path; return "portable"; }
