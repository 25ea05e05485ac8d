// Huge pages for the heap that tensors live in.
//
// Why: a traced computation keeps every event's snapshots, so each step's new tensors
// cannot reuse the memory of the last step's and must touch fresh pages: in 4 KiB pages
// that was about 120 page faults per step of the benchmark MLP, a quarter of the step.
// Where the kernel gives huge pages only on request (transparent_hugepage=madvise, as on
// Debian), the request must name a region, and a heap that grows later is a new region
// (brk does not merge an advised region with the next). So the heap is grown once, here,
// by `reserve` bytes of address space — no memory: pages are made as they are touched —
// and that whole region is advised. Tensors up to 32 MiB come from it, and what is freed
// stays in it instead of being returned and faulted in again.
//
// The numbers do not change: this is where values live, not how they are computed.
#include "CKernels.h"

#if defined(__linux__) && defined(__GLIBC__)
#include <malloc.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

int hk_adopt_heap_pages(long reserve) {
    // Tensors below the largest mmap threshold glibc allows come from the heap …
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    // … which keeps what is freed instead of returning it (the budget's check gives
    // free pages back with hk_release_free_memory before it counts them as held) …
    mallopt(M_TRIM_THRESHOLD, (int)(reserve + (64 << 20)));
    // … and grows, the one time it must, by the whole reserve.
    mallopt(M_TOP_PAD, (int)reserve);
    // (volatile: a compiler may drop a malloc whose block is only freed.)
    void *volatile grow = malloc(16 << 20);
    free(grow);
    mallopt(M_TOP_PAD, 128 << 10);  // glibc's default again
    FILE *maps = fopen("/proc/self/maps", "r");
    if (!maps) return -1;
    char line[512];
    unsigned long start = 0, end = 0;
    while (fgets(line, sizeof line, maps)) {
        if (strstr(line, "[heap]") && sscanf(line, "%lx-%lx", &start, &end) == 2) break;
        start = end = 0;
    }
    fclose(maps);
    if (end <= start) return -1;
    return madvise((void *)start, end - start, MADV_HUGEPAGE);
}

void hk_release_free_memory(void) { malloc_trim(0); }
#else
int hk_adopt_heap_pages(long reserve) { (void)reserve; return -1; }
void hk_release_free_memory(void) {}
#endif
