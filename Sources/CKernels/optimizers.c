// One Adam (or AdamW) update of a parameter, in one pass over θ, g, m and v.
//
// Why C: the same loop in Swift was not vectorised (it could not prove the four arrays
// apart, and kept its constants on the stack), and took a twentieth of a GPT training
// step. Here the pointers are `restrict`, and each lane does exactly the scalar
// operations in the scalar order — no contraction into FMA — so the bits are those of
// the loop it replaces, on every machine, whatever width the compiler picks.
#include "CKernels.h"

#pragma clang fp contract(off)

void hk_adam_update(float *restrict theta, const float *restrict g, float *restrict m, float *restrict v,
                    int64_t n, float lr, float beta1, float beta2, float epsilon, float weight_decay,
                    int decoupled, float correction1, float correction2) {
    const float keep1 = 1 - beta1, keep2 = 1 - beta2, shrink = lr * weight_decay;
    if (decoupled) {
        for (int64_t i = 0; i < n; i++) {
            float t = theta[i] - shrink * theta[i];
            float gi = g[i];
            float mi = beta1 * m[i] + keep1 * gi;
            float vi = beta2 * v[i] + keep2 * gi * gi;
            m[i] = mi;
            v[i] = vi;
            float m_hat = mi / correction1, v_hat = vi / correction2;
            theta[i] = t - lr * m_hat / (__builtin_sqrtf(v_hat) + epsilon);
        }
    } else {
        for (int64_t i = 0; i < n; i++) {
            float gi = g[i] + weight_decay * theta[i];
            float mi = beta1 * m[i] + keep1 * gi;
            float vi = beta2 * v[i] + keep2 * gi * gi;
            m[i] = mi;
            v[i] = vi;
            float m_hat = mi / correction1, v_hat = vi / correction2;
            theta[i] = theta[i] - lr * m_hat / (__builtin_sqrtf(v_hat) + epsilon);
        }
    }
}
