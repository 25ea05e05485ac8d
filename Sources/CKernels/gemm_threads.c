// hk_sgemm on up to two cores: a large product's rows of C are split between the calling
// thread and one helper thread that waits for work.
//
// Why the bits cannot change: every C[i, j] is one fused multiply-add chain over k in
// order (gemm.c's contract), computed wholly by whichever thread owns row i. Splitting by
// rows never splits a chain, so one core and two give the same C, bit for bit.
//
// Why only large products: handing work over costs a little even to a helper that is
// awake and polling, and a wake-up from sleep much more, so products below about two
// million multiply-adds run on the caller.
// The helper serves one caller at a time; a product asked for while it is busy (another
// thread's) runs on its caller alone.
#include "CKernels.h"
#include "gemm_internal.h"
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

enum { SPLIT_MIN_WORK = 1 << 21, SPLIT_ROW_MULTIPLE = 32 };

typedef struct {
    int64_t M, N, K;
    const float *A; int64_t rsA, csA;
    const float *B; int64_t rsB, csB;
    float *C; int64_t ldc; int beta;
} gemm_job;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t job_ready = PTHREAD_COND_INITIALIZER;
static gemm_job job;                     // written by the caller before `pending` is set
static atomic_int pending, finished;
static atomic_int helper_busy;
static pthread_once_t helper_once = PTHREAD_ONCE_INIT;
static int helper_started;
static atomic_int threads_wanted = -1;   // -1: not chosen yet (then 1)
static atomic_long splits;               // products split so far (for tests)

long hk_gemm_splits(void) { return atomic_load(&splits); }

static void run(const gemm_job *j) {
    hk_sgemm_rows(j->M, j->N, j->K, j->A, j->rsA, j->csA, j->B, j->rsB, j->csB, j->C, j->ldc, j->beta);
}

static double now_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e6 + t.tv_nsec * 1e-3;
}

static inline void pause_briefly(void) {
#if defined(__x86_64__)
    __builtin_ia32_pause();
#endif
}

// The helper polls for work for a while after each product — a training step asks for
// one every few hundred microseconds, and waking a sleeping core (on a virtual machine
// especially) costs more than a small product — then sleeps until asked.
enum { HELPER_SPIN_US = 300 };

static void *helper(void *unused) {
    (void)unused;
    for (;;) {
        const double since = now_us();
        unsigned spins = 0;
        while (!atomic_load_explicit(&pending, memory_order_acquire)) {
            if ((++spins & 255) == 0 && now_us() - since > HELPER_SPIN_US) {
                pthread_mutex_lock(&lock);
                while (!atomic_load_explicit(&pending, memory_order_acquire)) pthread_cond_wait(&job_ready, &lock);
                pthread_mutex_unlock(&lock);
                break;
            }
            pause_briefly();
        }
        gemm_job mine = job;
        atomic_store_explicit(&pending, 0, memory_order_relaxed);
        run(&mine);
        atomic_store_explicit(&finished, 1, memory_order_release);
    }
    return NULL;
}

static void start_helper(void) {
    pthread_t thread;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    helper_started = pthread_create(&thread, &attr, helper, NULL) == 0;
    pthread_attr_destroy(&attr);
}

int hk_gemm_threads(void) {
    int wanted = atomic_load(&threads_wanted);
    if (wanted < 0) {
        // One unless asked: on the machines measured, the lessons' models (products of 2 to
        // 8 million multiply-adds) gained nothing from a second core, while a product of
        // 512³ ran twice as fast; and a polling helper takes a core other work may want.
        wanted = 1;
        atomic_store(&threads_wanted, wanted);
    }
    return wanted;
}

int hk_set_gemm_threads(int threads) {
    atomic_store(&threads_wanted, threads <= 0 ? -1 : (threads >= 2 ? 2 : 1));
    return hk_gemm_threads();
}

void hk_sgemm(int64_t M, int64_t N, int64_t K,
              const float *A, int64_t rsA, int64_t csA,
              const float *B, int64_t rsB, int64_t csB,
              float *C, int64_t ldc, int beta) {
    const int large = M >= 2 * SPLIT_ROW_MULTIPLE && N > 0 && K > 0 && M * N * K >= SPLIT_MIN_WORK;
    int expected = 0;
    if (!large || hk_gemm_threads() < 2 || !atomic_compare_exchange_strong(&helper_busy, &expected, 1)) {
        hk_sgemm_rows(M, N, K, A, rsA, csA, B, rsB, csB, C, ldc, beta);
        return;
    }
    pthread_once(&helper_once, start_helper);
    if (!helper_started) {
        atomic_store(&helper_busy, 0);
        hk_sgemm_rows(M, N, K, A, rsA, csA, B, rsB, csB, C, ldc, beta);
        return;
    }
    atomic_fetch_add(&splits, 1);
    // The first rows (a multiple of 32, about half) to the helper, the rest here.
    const int64_t top = (M / 2 + SPLIT_ROW_MULTIPLE - 1) / SPLIT_ROW_MULTIPLE * SPLIT_ROW_MULTIPLE;
    job = (gemm_job){top, N, K, A, rsA, csA, B, rsB, csB, C, ldc, beta};
    atomic_store_explicit(&finished, 0, memory_order_relaxed);
    atomic_store_explicit(&pending, 1, memory_order_release);
    // Under the lock, so a helper about to sleep either sees the job or gets the signal.
    pthread_mutex_lock(&lock);
    pthread_cond_signal(&job_ready);
    pthread_mutex_unlock(&lock);
    hk_sgemm_rows(M - top, N, K, A + top * rsA, rsA, csA, B, rsB, csB, C + top * ldc, ldc, beta);
    while (!atomic_load_explicit(&finished, memory_order_acquire)) pause_briefly();
    atomic_store(&helper_busy, 0);
}
