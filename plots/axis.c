/* plots/axis.c - nice ticks for linear and log10 axes, and their labels. */
#include "axis.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EPS 1e-9
static const char MINUS[] = "\xE2\x88\x92";    /* U+2212 */
static const char TIMES[] = "\xC3\x97";        /* U+00D7 */
static const char *const SUPER[10] = {"\xE2\x81\xB0", "\xC2\xB9", "\xC2\xB2", "\xC2\xB3",
                                      "\xE2\x81\xB4", "\xE2\x81\xB5", "\xE2\x81\xB6",
                                      "\xE2\x81\xB7", "\xE2\x81\xB8", "\xE2\x81\xB9"};
static const char SUPER_MINUS[] = "\xE2\x81\xBB"; /* U+207B */
static const char *const SI_PREFIX[9] = {"p", "n", "\xC2\xB5", "m", "", "k", "M", "G", "T"};

double axis_pow10(int e) {
    if (e < -22 || e > 22) return pow(10.0, e);
    double p = 1.0;
    for (int i = 0; i < (e < 0 ? -e : e); i++) p *= 10.0;
    return e < 0 ? 1.0 / p : p;
}

/* (i * m) * 10^k as one rounding: exact integers times or divided by an exact power. */
static double scaled(long long im, int k) {
    return k >= 0 ? (double)im * axis_pow10(k) : (double)im / axis_pow10(-k);
}

sim_status axis_widen(axis_scale scale, double *lo, double *hi, sim_err *err) {
    double a = *lo, b = *hi;
    if (!isfinite(a) || !isfinite(b))
        return err_set(err, SIM_EUSAGE, "axis range [%g, %g] is not finite", a, b);
    if (a > b) { double t = a; a = b; b = t; }
    if (scale == AXIS_LOG10 && a <= 0)
        return err_set(err, SIM_EUSAGE,
                       "log axis range [%g, %g] must be positive; use a linear axis", a, b);
    double big = fmax(fabs(a), fabs(b));
    if (b - a <= 1e-12 * big || b == a) {
        if (scale == AXIS_LOG10) { a /= 10; b *= 10; }
        else if (big == 0) { a = -1; b = 1; }
        else { double v = a, d = fabs(v) / 10; a = v - d; b = v + d; }
    }
    *lo = a; *hi = b;
    return SIM_OK;
}

/* Number of multiples of step in [lo, hi]; the first index in *first. */
static long long count_multiples(double lo, double hi, double step, long long *first) {
    double a = ceil(lo / step - EPS), b = floor(hi / step + EPS);
    *first = (long long)a;
    return b >= a ? (long long)(b - a) + 1 : 0;
}

static void linear_ticks(double lo, double hi, int target, axis_ticks *t) {
    static const int MANT[3] = {1, 2, 5};
    int kmax = (int)floor(log10(hi - lo));
    int best_m = 1, best_k = kmax;
    long long best_score = -1;
    for (int k = kmax - 2; k <= kmax + 1; k++) {
        for (int j = 0; j < 3; j++) {
            long long first, n = count_multiples(lo, hi, scaled(MANT[j], k), &first);
            if (n > AXIS_MAX_TICKS) continue;
            long long score = llabs(n - target) + (n < 2 ? 1000 : 0);
            if (best_score < 0 || score < best_score) {   /* ties: the smaller step */
                best_score = score; best_m = MANT[j]; best_k = k;
            }
        }
    }
    long long first, n = count_multiples(lo, hi, scaled(best_m, best_k), &first);
    t->kind = AXIS_TICKS_LINEAR;
    t->step = scaled(best_m, best_k);
    t->n = (size_t)n;
    for (long long i = 0; i < n; i++) t->value[i] = scaled((first + i) * best_m, best_k);
}

static long long floor_div(long long a, long long b) {
    return a >= 0 ? a / b : -((-a + b - 1) / b);
}

static long long decade_count(int e0, int e1, int s) {
    return floor_div(e1, s) - (-floor_div(-e0, s)) + 1;
}

static void decade_ticks(int e0, int e1, int target, axis_ticks *t) {
    static const int STRIDE[] = {1, 2, 3, 4, 5, 10, 20, 25, 50, 100, 200, 250, 500};
    int s = 1;
    for (size_t j = 0; j < sizeof STRIDE / sizeof STRIDE[0]; j++) {
        long long c = decade_count(e0, e1, STRIDE[j]);
        if (c < 2) break;
        s = STRIDE[j];
        if (c <= target) break;
    }
    t->kind = AXIS_TICKS_DECADES;
    t->step = s;
    t->n = 0;
    for (long long e = -floor_div(-e0, s) * s; e <= e1 && t->n < AXIS_MAX_TICKS; e += s)
        t->value[t->n++] = axis_pow10((int)e);
}

/* {1, 2, 5} * 10^e inside [lo, hi], or {1, 5} * 10^e when nm == 2; returns the count. */
static size_t ticks_125(double lo, double hi, int nm, axis_ticks *t) {
    static const int MANT[2][3] = {{1, 5, 0}, {1, 2, 5}};
    t->kind = AXIS_TICKS_125;
    t->step = 0;
    t->n = 0;
    for (int e = (int)floor(log10(lo)) - 1; e <= (int)ceil(log10(hi)); e++)
        for (int j = 0; j < nm && t->n < AXIS_MAX_TICKS; j++) {
            double v = scaled(MANT[nm - 2][j], e);
            if (v >= lo * (1 - EPS) && v <= hi * (1 + EPS)) t->value[t->n++] = v;
        }
    return t->n;
}

static void log_ticks(double lo, double hi, int target, axis_ticks *t) {
    int e0 = (int)ceil(log10(lo) - EPS), e1 = (int)floor(log10(hi) + EPS);
    if (e1 - e0 + 1 >= 3) decade_ticks(e0, e1, target, t);
    else if (ticks_125(lo, hi, 3, t) > (size_t)target + 1) ticks_125(lo, hi, 2, t);
    if (t->n < 2) linear_ticks(lo, hi, target, t);
}

sim_status axis_ticks_make(axis_scale scale, double lo, double hi, int target, axis_fmt fmt,
                           axis_ticks *out, sim_err *err) {
    memset(out, 0, sizeof *out);
    sim_status st = axis_widen(scale, &lo, &hi, err);
    if (st != SIM_OK) return st;
    if (target < 2) target = 2;
    if (target > AXIS_MAX_TICKS) target = AXIS_MAX_TICKS;
    out->lo = lo;
    out->hi = hi;
    if (scale == AXIS_LOG10) log_ticks(lo, hi, target, out);
    else linear_ticks(lo, hi, target, out);
    axis_ticks_label(out, scale, fmt);
    return SIM_OK;
}

/* ---- labels ---- */

/* Fewest decimals (0..12) that write v exactly (to 1e-9 relative). */
static int needed_decimals(double v) {
    for (int d = 0; d < 12; d++) {
        double s = fabs(v) * axis_pow10(d);
        if (fabs(s - nearbyint(s)) <= EPS * fmax(1.0, s)) return d;
    }
    return 12;
}

/* Appends s to buf (cap bytes), truncating; buf stays NUL-terminated. */
static void append(char *buf, size_t cap, const char *s) {
    size_t len = strnlen(buf, cap), n = strlen(s);
    if (len + 1 >= cap) return;
    if (n > cap - 1 - len) n = cap - 1 - len;
    memcpy(buf + len, s, n);
    buf[len + n] = '\0';
}

static void strip_zeros(char *s) {
    char *dot = strchr(s, '.');
    if (!dot) return;
    char *end = s + strlen(s);
    while (end > dot + 1 && end[-1] == '0') *--end = '\0';
    if (end == dot + 1) *dot = '\0';
}

/* Writes |v| with d decimals after a U+2212 sign when v < 0 (and "-0" never appears). */
static void put_number(double v, int d, int strip, char *buf, size_t cap) {
    char num[64];
    snprintf(num, sizeof num, "%.*f", d, fabs(v));
    if (strip) strip_zeros(num);
    int zero = strspn(num, "0.") == strlen(num);
    buf[0] = '\0';
    append(buf, cap, v < 0 && !zero ? MINUS : "");
    append(buf, cap, num);
}

static void put_exponent(int e, char *buf, size_t cap) {
    char digits[16];
    snprintf(digits, sizeof digits, "%d", e < 0 ? -e : e);
    if (e < 0) append(buf, cap, SUPER_MINUS);
    for (const char *c = digits; *c; c++) append(buf, cap, SUPER[*c - '0']);
}

static int step_exponent(double step) {
    return (int)floor(log10(step) + EPS);
}

static void format_exp(double v, double step, char *buf, size_t cap) {
    if (v == 0) { buf[0] = '\0'; append(buf, cap, "0"); return; }
    int e = (int)floor(log10(fabs(v)) + EPS);
    double mant = v / axis_pow10(e);
    int d = step > 0 ? e - step_exponent(step) : needed_decimals(mant);
    if (d < 0) d = 0;
    if (d > 12) d = 12;
    char m[48];
    put_number(mant, d, 1, m, sizeof m);
    buf[0] = '\0';
    if (v < 0 && strcmp(m + strlen(MINUS), "1") == 0) append(buf, cap, MINUS);
    else if (strcmp(m, "1") != 0) { append(buf, cap, m); append(buf, cap, TIMES); }
    append(buf, cap, "10");
    put_exponent(e, buf, cap);
}

static void format_si(double v, double step, char *buf, size_t cap) {
    if (v == 0) { buf[0] = '\0'; append(buf, cap, "0"); return; }
    int j = (int)floor(floor(log10(fabs(v)) + EPS) / 3.0);
    if (j < -4) j = -4;
    if (j > 4) j = 4;
    double mant = v / axis_pow10(3 * j);
    int d = step > 0 ? 3 * j - step_exponent(step) : needed_decimals(mant);
    if (d < 0) d = 0;
    if (d > 12) d = 12;
    char m[48];
    put_number(mant, d, 1, m, sizeof m);
    buf[0] = '\0';
    append(buf, cap, m);
    append(buf, cap, SI_PREFIX[j + 4]);
}

void axis_format(double v, double step, int decimals, axis_fmt fmt, char *buf, size_t cap) {
    if (cap == 0) return;
    if (fmt == AXIS_FMT_SI) format_si(v, step, buf, cap);
    else if (fmt == AXIS_FMT_EXP) format_exp(v, step, buf, cap);
    else put_number(v, decimals < 0 ? 0 : decimals > 12 ? 12 : decimals, 0, buf, cap);
}

static axis_fmt auto_fmt(const axis_ticks *t, axis_scale scale) {
    double mx = 0, mn = INFINITY;
    for (size_t i = 0; i < t->n; i++) {
        mx = fmax(mx, fabs(t->value[i]));
        if (t->value[i] != 0) mn = fmin(mn, fabs(t->value[i]));
    }
    if (scale == AXIS_LOG10 && t->kind != AXIS_TICKS_LINEAR)
        return mn >= 1e-3 * (1 - EPS) && mx <= 1e4 ? AXIS_FMT_PLAIN : AXIS_FMT_EXP;
    if (mx == 0 || (mx >= 1e-3 * (1 - EPS) && mx < 1e5)) return AXIS_FMT_PLAIN;
    return mx >= 1e5 && mx < 1e15 ? AXIS_FMT_SI : AXIS_FMT_EXP;
}

/* The tick spacing used for decimals: the step, or the smallest gap for custom ticks. */
static double label_step(const axis_ticks *t) {
    if (t->kind == AXIS_TICKS_LINEAR) return t->step;
    if (t->kind != AXIS_TICKS_CUSTOM) return 0;
    double gap = INFINITY;
    for (size_t i = 1; i < t->n; i++) gap = fmin(gap, fabs(t->value[i] - t->value[i - 1]));
    return isfinite(gap) && gap > 0 ? pow(10.0, floor(log10(gap) + EPS)) : 0;
}

void axis_ticks_label(axis_ticks *t, axis_scale scale, axis_fmt fmt) {
    if (fmt == AXIS_FMT_AUTO) fmt = auto_fmt(t, scale);
    double step = label_step(t);
    int common = 0;
    for (size_t i = 0; i < t->n; i++) {
        int d = needed_decimals(t->value[i]);
        if (d > common) common = d;
    }
    for (size_t i = 0; i < t->n; i++) {
        int d = step > 0 ? common : needed_decimals(t->value[i]);
        axis_format(t->value[i], step, d, fmt, t->label[i], AXIS_LABEL_MAX);
    }
}
