/* placement: how the machine's first two CPUs are placed relative to each other right now.
 *
 * Prints one line: "round_trip_ns cross_core_ns_per_line same_core_ns_per_line".
 * - round trip: two threads pinned to CPU 0 and CPU 1 hand a cache line back and forth (one
 *   atomic flag); ~60-90 ns between cores of one die, ~330-380 ns between dies.
 * - cross-core: a 128 KiB buffer written on CPU 0 and read on CPU 1, per 64-byte line; about the
 *   same-core figure (~1.2 ns) when the two CPUs share their caches (hyperthreads of one core),
 *   ~5.5 ns between cores of one die, ~18 ns between dies.
 * On this project's 2-vCPU VM the hypervisor moves the vCPUs between these placements from minute
 * to minute, and a two-thread benchmark (verify_many) reads very differently in each; the batch
 * benchmarks print this next to their table. Linux only (thread affinity). */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define PINGS 100000
#define BUFFER (128 * 1024)
#define PASSES 2000

static _Atomic long flag __attribute__((aligned(128)));
static _Atomic int turn __attribute__((aligned(128)));
static volatile char *buffer;
static volatile long sink;

static int pin(int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return pthread_setaffinity_np(pthread_self(), sizeof set, &set);
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static void read_all(void) {
    long sum = 0;
    for (int i = 0; i < BUFFER; i += 64) sum += buffer[i];
    sink += sum;
}

static void write_all(int pass) {
    for (int i = 0; i < BUFFER; i += 64) buffer[i] = (char)pass;
}

static void *other(void *unused) {
    (void)unused;
    if (pin(1) != 0) return NULL;
    for (long i = 0; i < PINGS; i++) {
        while (atomic_load_explicit(&flag, memory_order_acquire) != 2 * i + 1) {}
        atomic_store_explicit(&flag, 2 * i + 2, memory_order_release);
    }
    for (int pass = 0; pass < PASSES; pass++) {
        while (atomic_load(&turn) != 2 * pass + 1) {}
        read_all();
        atomic_store(&turn, 2 * pass + 2);
    }
    return NULL;
}

int main(void) {
    cpu_set_t allowed;
    if (sched_getaffinity(0, sizeof allowed, &allowed) != 0 || !CPU_ISSET(0, &allowed) ||
        !CPU_ISSET(1, &allowed)) {
        fprintf(stderr, "placement: needs CPUs 0 and 1\n");
        return 1;
    }
    /* Never a hang: whatever happens, the probe ends within 10 s. */
    alarm(10);
    buffer = aligned_alloc(4096, BUFFER);
    if (buffer == NULL || pin(0) != 0) {
        fprintf(stderr, "placement: cannot pin to CPU 0\n");
        return 1;
    }
    write_all(0);
    double a = now();
    for (int pass = 0; pass < PASSES; pass++) {
        write_all(pass);
        read_all();
    }
    double same = (now() - a) * 1e9 / PASSES / (BUFFER / 64);
    pthread_t thread;
    if (pthread_create(&thread, NULL, other, NULL) != 0) return 1;
    double b = now();
    for (long i = 0; i < PINGS; i++) {
        atomic_store_explicit(&flag, 2 * i + 1, memory_order_release);
        while (atomic_load_explicit(&flag, memory_order_acquire) != 2 * i + 2) {}
    }
    double round_trip = (now() - b) * 1e9 / PINGS;
    double c = now();
    for (int pass = 0; pass < PASSES; pass++) {
        write_all(pass);
        atomic_store(&turn, 2 * pass + 1);
        while (atomic_load(&turn) != 2 * pass + 2) {}
    }
    double cross = (now() - c) * 1e9 / PASSES / (BUFFER / 64);
    pthread_join(thread, NULL);
    printf("%.0f %.1f %.1f\n", round_trip, cross, same);
    return 0;
}
