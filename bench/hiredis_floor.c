/*
 * hiredis_floor: the floor for slotlock's client overhead.
 *
 * Sends exactly what the extension sends for acquire + release (wire format
 * 2, fencing off: SET NX PX GET and the release1 script for one slot, the
 * scripts of src/sl_scripts.c with the same KEYS and ARGV for more, NOSCRIPT
 * -> EVAL) on one blocking hiredis connection, and nothing else: no PHP, no
 * argument checks, no SlotLock object. Whatever slotlock costs above this is
 * client overhead.
 *
 *   cc -O2 -Isrc bench/hiredis_floor.c src/sl_scripts.c src/sl_sha1.c src/sl_conn.c src/sl_dsn.c \
 *      $(pkg-config --cflags --libs hiredis) -o hiredis_floor
 *
 *   hiredis_floor [--host H] [--port P] [--prefix X] [--mode pair|segments|anyof]
 *                 [--k K] [--service S] [--duration SEC | --ops N] [--warmup N]
 *                 [--procs P] [--raw 1]
 *
 * Prints one JSON object: {"ops":N,"secs":S,"procs":P}.
 *   pair      acquire one slot, release it
 *   segments  acquire K slots as one compound lock, release them
 *   anyof     K candidates, the first K-1 held by another owner: acquire, release
 * --duration: warm up, then run for SEC seconds (with --procs, P forked
 * processes on their own slots, counted over one common time window).
 * --ops: exactly N operations after the warm-up (for callgrind).
 * --raw 1: build the RESP request by hand (cached command head, no printf,
 * redisAppendFormattedCommand) instead of redisCommandArgv: what a client
 * that skips hiredis' generic formatter would cost.
 *
 * Timing: "us" is the median over ~20 time slices of the wall time per
 * operation (robust to bursts of load from other processes); "ops"/"secs"
 * are the totals.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <hiredis/hiredis.h>

#include "sl_scripts.h"

#define MAX_KEYS 64

static const char *host = "127.0.0.1";
static int port = 6379;
static const char *prefix = "bench_floor";
static const char *mode = "pair";
static int k = 1;
static long service = 1;
static double duration = 1.0;
static long fixed_ops = -1;
static long warmup = 200;
static int procs = 1;
static int raw = 0;
static double acq_s = 0; /* time until the lock was held, summed over operations */
static double cpu_user_us = 0, cpu_sys_us = 0; /* --ops: getrusage per operation */

static double tv_us(struct timeval tv)
{
    return (double)tv.tv_sec * 1e6 + (double)tv.tv_usec;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double wall_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, redisContext *c)
{
    fprintf(stderr, "hiredis_floor: %s%s%s\n", what, c ? ": " : "", c ? c->errstr : "");
    exit(1);
}

typedef struct {
    redisContext *c;
    char keys[MAX_KEYS][128];
    size_t key_lens[MAX_KEYS];
} floor_ctx;

static char *put_u(char *p, unsigned long v)
{
    char tmp[24];
    int i = 0;

    do {
        tmp[i++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (i) {
        *p++ = tmp[--i];
    }
    return p;
}

/* A decimal number into out; like the extension (snprintf) unless --raw. */
static void fmt_num(char out[24], unsigned long v)
{
    if (raw) {
        *put_u(out, v) = '\0';
    } else {
        snprintf(out, 24, "%lu", v);
    }
}

/* --raw: RESP by hand into one buffer, appended as is. */
static redisReply *raw_command(redisContext *c, int argc, const char **argv, const size_t *lens)
{
    char buf[16384], *p = buf;
    void *r = NULL;
    int i;

    *p++ = '*';
    p = put_u(p, (unsigned long)argc);
    *p++ = '\r';
    *p++ = '\n';
    for (i = 0; i < argc; i++) {
        if ((size_t)(buf + sizeof(buf) - p) < lens[i] + 32) {
            die("raw: request too large", NULL);
        }
        *p++ = '$';
        p = put_u(p, lens[i]);
        *p++ = '\r';
        *p++ = '\n';
        memcpy(p, argv[i], lens[i]);
        p += lens[i];
        *p++ = '\r';
        *p++ = '\n';
    }
    if (redisAppendFormattedCommand(c, buf, (size_t)(p - buf)) != REDIS_OK || redisGetReply(c, &r) != REDIS_OK) {
        return NULL;
    }
    return r;
}

/* EVALSHA, EVAL on NOSCRIPT; returns the reply (caller frees). */
static redisReply *script(floor_ctx *f, sl_script_id id, int argc, const char **argv, size_t *lens)
{
    const sl_script *s = sl_script_get(id);
    redisReply *r;

    argv[0] = "EVALSHA";
    lens[0] = 7;
    argv[1] = s->sha;
    lens[1] = SL_SHA1_HEX_LEN;
    r = raw ? raw_command(f->c, argc, argv, lens) : redisCommandArgv(f->c, argc, argv, lens);
    if (!r) {
        die("EVALSHA", f->c);
    }
    if (r->type == REDIS_REPLY_ERROR && strncmp(r->str, "NOSCRIPT", 8) == 0) {
        freeReplyObject(r);
        argv[0] = "EVAL";
        lens[0] = 4;
        argv[1] = s->body;
        lens[1] = s->len;
        r = redisCommandArgv(f->c, argc, argv, lens);
        if (!r) {
            die("EVAL", f->c);
        }
    }
    if (r->type == REDIS_REPLY_ERROR) {
        fprintf(stderr, "hiredis_floor: %s\n", r->str);
        exit(1);
    }
    return r;
}

/* The owner token the extension generates when none is given: 16 random bytes as hex. */
static void gen_owner(char out[33])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char b[16];
    int i;

    if (getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b)) {
        die("getrandom", NULL);
    }
    for (i = 0; i < 16; i++) {
        out[2 * i] = hex[b[i] >> 4];
        out[2 * i + 1] = hex[b[i] & 15];
    }
    out[32] = '\0';
}

/* A plain command through the same formatter as the scripts; the caller frees. */
static redisReply *command(floor_ctx *f, int argc, const char **argv, size_t *lens)
{
    redisReply *r = raw ? raw_command(f->c, argc, argv, lens) : redisCommandArgv(f->c, argc, argv, lens);

    if (!r) {
        die(argv[0], f->c);
    }
    return r;
}

/* acquire keys[from, from+n) cut into groups; returns the 1-based candidate taken (0: none).
 * Wire format 2, fencing off: one key is SET <key> h:0:<owner> NX PX <ttl> GET (the script only
 * when that key is taken); more keys the acquire script, KEYS = [a slot key in the fence
 * counter's place, slot...], ARGV = [owner, ttl_ms, "0", n1, n2, ...]. */
static long acquire(floor_ctx *f, size_t from, size_t n, const size_t *groups, size_t n_groups, const char *owner)
{
    const char *argv[3 + 1 + MAX_KEYS + 3 + MAX_KEYS];
    size_t lens[3 + 1 + MAX_KEYS + 3 + MAX_KEYS];
    char numkeys[24], ttl[24], nums[MAX_KEYS][24], value[4 + 64];
    int argc = 0;
    size_t i;
    long cand;
    redisReply *r;

    fmt_num(ttl, 300000);
    if (n == 1) {
        int vlen = snprintf(value, sizeof(value), "h:0:%s", owner);
        argv[0] = "SET";
        lens[0] = 3;
        argv[1] = f->keys[from];
        lens[1] = f->key_lens[from];
        argv[2] = value;
        lens[2] = (size_t)vlen;
        argv[3] = "NX";
        lens[3] = 2;
        argv[4] = "PX";
        lens[4] = 2;
        argv[5] = ttl;
        lens[5] = strlen(ttl);
        argv[6] = "GET";
        lens[6] = 3;
        r = command(f, 7, argv, lens);
        cand = r->type == REDIS_REPLY_NIL ? 1 : 0;
        if (r->type != REDIS_REPLY_NIL && r->type != REDIS_REPLY_STRING) {
            die("unexpected SET reply", NULL);
        }
        freeReplyObject(r);
        if (cand) {
            return cand;
        }
    }
    argc = 2;
    fmt_num(numkeys, n + 1);
    argv[argc] = numkeys;
    lens[argc++] = strlen(numkeys);
    argv[argc] = f->keys[from];
    lens[argc++] = f->key_lens[from];
    for (i = 0; i < n; i++) {
        argv[argc] = f->keys[from + i];
        lens[argc++] = f->key_lens[from + i];
    }
    argv[argc] = owner;
    lens[argc++] = strlen(owner);
    argv[argc] = ttl;
    lens[argc++] = strlen(ttl);
    argv[argc] = "0";
    lens[argc++] = 1;
    for (i = 0; i < n_groups; i++) {
        fmt_num(nums[i], groups[i]);
        argv[argc] = nums[i];
        lens[argc++] = strlen(nums[i]);
    }
    r = script(f, SL_SCRIPT_ACQUIRE, argc, argv, lens);
    /* {candidate, fence, ttl_ms, new, ...}: later wire versions append fields. */
    if (r->type != REDIS_REPLY_ARRAY || r->elements < 4 || r->element[0]->type != REDIS_REPLY_INTEGER) {
        die("unexpected acquire reply", NULL);
    }
    cand = (long)r->element[0]->integer;
    freeReplyObject(r);
    return cand;
}

/* One key: the release1 compare-and-delete of "h:0:<owner>" (Redis 7 has no DELIFEQ/DELEX);
 * more: the release script, KEYS = [slot...], ARGV = [owner]. */
static long release(floor_ctx *f, size_t from, size_t n, const char *owner)
{
    const char *argv[3 + MAX_KEYS + 1];
    size_t lens[3 + MAX_KEYS + 1];
    char numkeys[24], value[4 + 64];
    int argc = 2;
    size_t i;
    long released;
    redisReply *r;

    fmt_num(numkeys, n);
    argv[argc] = numkeys;
    lens[argc++] = strlen(numkeys);
    for (i = 0; i < n; i++) {
        argv[argc] = f->keys[from + i];
        lens[argc++] = f->key_lens[from + i];
    }
    if (n == 1) {
        argv[argc] = value;
        lens[argc++] = (size_t)snprintf(value, sizeof(value), "h:0:%s", owner);
    } else {
        argv[argc] = owner;
        lens[argc++] = strlen(owner);
    }
    r = script(f, n == 1 ? SL_SCRIPT_RELEASE1 : SL_SCRIPT_RELEASE, argc, argv, lens);
    if (r->type != REDIS_REPLY_INTEGER) {
        die("unexpected release reply", NULL);
    }
    released = (long)r->integer;
    freeReplyObject(r);
    return released;
}

static void floor_open(floor_ctx *f, long svc)
{
    int i;

    memset(f, 0, sizeof(*f));
    f->c = redisConnect(host, port);
    if (!f->c || f->c->err) {
        die("connect", f->c);
    }
    /* Same key shape as the extension: <prefix>:c<company>:s<service>:t<YmdHi>,
     * one segment / candidate every 30 minutes. */
    for (i = 0; i < k; i++) {
        int minutes = 12 * 60 + 30 * i;
        snprintf(f->keys[i], sizeof(f->keys[i]), "%s:c1:s%ld:t20300101%02d%02d", prefix, svc, minutes / 60 % 24,
                 minutes % 60);
        f->key_lens[i] = strlen(f->keys[i]);
    }
}

/* One operation of the selected mode. */
static void one_op(floor_ctx *f)
{
    char owner[33];
    size_t groups[MAX_KEYS];
    int i;
    long cand;
    double t = now_s();

    gen_owner(owner);
    if (strcmp(mode, "pair") == 0) {
        groups[0] = 1;
        cand = acquire(f, 0, 1, groups, 1, owner);
        acq_s += now_s() - t;
        if (cand != 1 || release(f, 0, 1, owner) != 1) {
            die("pair: slot not free", NULL);
        }
    } else if (strcmp(mode, "segments") == 0) {
        groups[0] = (size_t)k;
        cand = acquire(f, 0, (size_t)k, groups, 1, owner);
        acq_s += now_s() - t;
        if (cand != 1 || release(f, 0, (size_t)k, owner) != k) {
            die("segments: slots not free", NULL);
        }
    } else {
        for (i = 0; i < k; i++) {
            groups[i] = 1;
        }
        cand = acquire(f, 0, (size_t)k, groups, (size_t)k, owner);
        acq_s += now_s() - t;
        if (cand != k || release(f, (size_t)(cand - 1), 1, owner) != 1) {
            die("anyof: expected the last candidate", NULL);
        }
    }
}

/* anyof: the first k-1 candidates held by someone else for the whole run. */
static void block_others(floor_ctx *f)
{
    size_t one = 1;
    int i;

    if (strcmp(mode, "anyof") != 0) {
        return;
    }
    for (i = 0; i < k - 1; i++) {
        acquire(f, (size_t)i, 1, &one, 1, "bench-blocker");
    }
}

static void unblock_others(floor_ctx *f)
{
    int i;

    if (strcmp(mode, "anyof") != 0) {
        return;
    }
    for (i = 0; i < k - 1; i++) {
        release(f, (size_t)i, 1, "bench-blocker");
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

#define MAX_SLICES 4096

/* Runs in one process; returns ops done in [start, end) wall time (or fixed
 * ops); *us: median over time slices of the time per operation. */
static long run_one(long svc, double start_wall, double end_wall, double *secs, double *us)
{
    floor_ctx f;
    long ops = 0, i, slice_ops = 0;
    double t0, t, slice_t0, slice = duration / 20, slices[MAX_SLICES];
    int n_slices = 0;

    floor_open(&f, svc);
    block_others(&f);
    for (i = 0; i < warmup; i++) {
        one_op(&f);
    }
    if (fixed_ops >= 0) {
        struct rusage ru0, ru1;
        acq_s = 0;
        getrusage(RUSAGE_SELF, &ru0);
        t0 = now_s();
        for (i = 0; i < fixed_ops; i++) {
            one_op(&f);
        }
        *secs = now_s() - t0;
        getrusage(RUSAGE_SELF, &ru1);
        if (fixed_ops > 0) {
            cpu_user_us = (tv_us(ru1.ru_utime) - tv_us(ru0.ru_utime)) / (double)fixed_ops;
            cpu_sys_us = (tv_us(ru1.ru_stime) - tv_us(ru0.ru_stime)) / (double)fixed_ops;
        }
        ops = fixed_ops;
        *us = ops ? *secs * 1e6 / (double)ops : 0;
    } else {
        /* keep warm until the common window opens */
        while (wall_s() < start_wall) {
            one_op(&f);
        }
        acq_s = 0;
        t0 = slice_t0 = now_s();
        do {
            one_op(&f);
            ops++;
            slice_ops++;
            t = now_s();
            if (t - slice_t0 >= slice && n_slices < MAX_SLICES) {
                slices[n_slices++] = (t - slice_t0) * 1e6 / (double)slice_ops;
                slice_t0 = t;
                slice_ops = 0;
            }
        } while (wall_s() < end_wall);
        *secs = now_s() - t0;
        if (n_slices == 0) {
            slices[n_slices++] = *secs * 1e6 / (double)ops;
        }
        qsort(slices, (size_t)n_slices, sizeof(double), cmp_double);
        *us = n_slices % 2 ? slices[n_slices / 2] : (slices[n_slices / 2 - 1] + slices[n_slices / 2]) / 2;
    }
    unblock_others(&f);
    redisFree(f.c);
    return ops;
}

int main(int argc, char **argv)
{
    int i, p;
    double secs = 0, us = 0, acq_us = 0, start_wall, end_wall;
    long ops = 0;

    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v) {
            fprintf(stderr, "hiredis_floor: %s needs a value\n", a);
            return 2;
        }
        if (strcmp(a, "--host") == 0) host = v;
        else if (strcmp(a, "--port") == 0) port = atoi(v);
        else if (strcmp(a, "--prefix") == 0) prefix = v;
        else if (strcmp(a, "--mode") == 0) mode = v;
        else if (strcmp(a, "--k") == 0) k = atoi(v);
        else if (strcmp(a, "--service") == 0) service = atol(v);
        else if (strcmp(a, "--duration") == 0) duration = atof(v);
        else if (strcmp(a, "--ops") == 0) fixed_ops = atol(v);
        else if (strcmp(a, "--warmup") == 0) warmup = atol(v);
        else if (strcmp(a, "--procs") == 0) procs = atoi(v);
        else if (strcmp(a, "--raw") == 0) { raw = atoi(v); }
        else {
            fprintf(stderr, "hiredis_floor: unknown option %s\n", a);
            return 2;
        }
        i++;
    }
    if (k < 1 || k > MAX_KEYS || procs < 1 || (strcmp(mode, "pair") && strcmp(mode, "segments") && strcmp(mode, "anyof"))) {
        fprintf(stderr, "hiredis_floor: bad --mode/--k/--procs\n");
        return 2;
    }
    if (strcmp(mode, "pair") == 0) {
        k = 1;
    }
    sl_scripts_init();

    /* Every process warms up, then counts over one common window. */
    start_wall = wall_s() + 0.2 + 0.01 * procs;
    end_wall = start_wall + duration;
    if (procs == 1) {
        ops = run_one(service, start_wall, end_wall, &secs, &us);
    } else {
        int fds[2];
        if (pipe(fds) != 0) {
            die("pipe", NULL);
        }
        for (p = 0; p < procs; p++) {
            pid_t pid = fork();
            if (pid < 0) {
                die("fork", NULL);
            }
            if (pid == 0) {
                double s = 0, u = 0;
                long n;
                char line[64];
                close(fds[0]);
                n = run_one(service + p, start_wall, end_wall, &s, &u);
                snprintf(line, sizeof(line), "%ld %.9f\n", n, s);
                if (write(fds[1], line, strlen(line)) < 0) {
                    _exit(1);
                }
                _exit(0);
            }
        }
        close(fds[1]);
        {
            FILE *in = fdopen(fds[0], "r");
            long n;
            double s;
            while (in && fscanf(in, "%ld %lf", &n, &s) == 2) {
                ops += n;
                if (s > secs) {
                    secs = s;
                }
            }
            if (in) {
                fclose(in);
            }
        }
        for (p = 0; p < procs; p++) {
            int st;
            if (wait(&st) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
                die("a child failed", NULL);
            }
        }
    }
    if (procs > 1) {
        us = ops ? secs * 1e6 / (double)ops : 0;
    } else if (secs > 0) {
        acq_us = us * (acq_s / secs < 1 ? acq_s / secs : 1);
    }
    printf("{\"ops\":%ld,\"secs\":%.9f,\"us\":%.4f,\"acq_us\":%.4f,\"cpu_user_us\":%.4f,\"cpu_sys_us\":%.4f,"
           "\"procs\":%d}\n", ops, secs, us, acq_us, cpu_user_us, cpu_sys_us, procs);
    return 0;
}
