// Every one of the 2³² float inputs through exp, tanh and sigmoid of
// Sources/CKernels/elementwise.c, on each code path, against libm's double functions;
// prints the largest error in ulps. The tests check a sample of 4 million inputs with
// the same bounds; this is the full sweep behind the numbers in elementwise.c (a few
// minutes):
//
//   clang -O3 -ISources/CKernels/include Sources/CKernels/elementwise.c \
//     scripts/elementwise_exhaustive.c -lm -o /tmp/sweep && /tmp/sweep
#include "CKernels.h"
#include <stdio.h>
#include <math.h>
#include <string.h>
#include <stdint.h>
static double ulps(float got, double want) {
  if (isnan(want)) return isnan(got) ? 0 : 1e9;
  if (isinf(want)) return (got == (float)want) ? 0 : 1e9;
  float w = (float)want;
  if (isinf(w)) { return isinf(got) && signbit(got)==signbit(w) ? 0 : fabs(got - want) / ldexp(1, 104); }
  double u = (w == 0 || fabsf(w) < 1.17549435e-38f) ? ldexp(1,-149) : ldexp(1, ilogbf(w) - 23);
  return fabs((double)got - want) / u;
}
int main(void) {
  const char* names[] = {"exp", "tanh", "sigmoid"};
  for (int p = 1; p <= 2; p++) {
    printf("path %s\n", hk_elementwise_force_path(p));
    double worst[3] = {0}; float worstx[3] = {0};
    enum { N = 1 << 16 };
    static float xs[N], ys[3][N];
    uint64_t total = 0;
    for (uint64_t base = 0; base < (1ull << 32); base += N) {
      for (int i = 0; i < N; i++) { uint32_t b = (uint32_t)(base + i); memcpy(&xs[i], &b, 4); }
      hk_exp(xs, ys[0], N); hk_tanh(xs, ys[1], N); hk_sigmoid(xs, ys[2], N);
      for (int i = 0; i < N; i++) {
        double x = xs[i];
        double want[3] = {exp(x), tanh(x), 1.0 / (1.0 + exp(-x))};
        for (int k = 0; k < 3; k++) { double e = ulps(ys[k][i], want[k]); if (e > worst[k]) { worst[k] = e; worstx[k] = xs[i]; } }
      }
      total += N;
    }
    for (int k = 0; k < 3; k++) printf("  %s: max %.3f ulp at %a (%g)\n", names[k], worst[k], worstx[k], worstx[k]);
  }
}
