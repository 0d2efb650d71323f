/* plots/axis.h - tick choice and tick labels for linear and log10 axes. Prefix axis_.
 *
 * Linear ticks are the multiples of a "nice" step m * 10^k (m in {1, 2, 5}) inside [lo, hi];
 * the step is the one whose tick count is closest to a target (ties: more ticks). Each tick
 * value is computed as (i * m) * 10^k or (i * m) / 10^-k, one correctly rounded operation, so
 * 0.2 * 3 comes out as the double nearest 0.6, and tests can compare with ==.
 *
 * Log10 ticks are decades 10^e, every s-th decade (s in 1, 2, 3, 4, 5, 10, 20, ...) so that
 * at most `target` ticks remain; a range holding fewer than three decades gets 1-2-5 ticks
 * (1, 2, 5, 10, 20, ...; only 1 and 5 when 1-2-5 gives more than target + 1); a range
 * holding fewer than two of those falls back to linear ticks.
 *
 * Labels are UTF-8 and use the minus sign U+2212. Pure functions: no state, no allocation. */
#ifndef PLOT_AXIS_H
#define PLOT_AXIS_H

#include <stddef.h>

#include "err.h"

typedef enum axis_scale { AXIS_LINEAR = 0, AXIS_LOG10 = 1 } axis_scale;

/* How tick labels are written.
 * PLAIN: fixed decimals, as many as the step needs ("0.25", "1500").
 * SI:    SI prefix per label, trailing zeros dropped ("500k", "1.5M", "20m", "3µ").
 * EXP:   powers of ten ("10⁶", "2×10⁻³", "1.5×10⁶"); zero is "0".
 * AUTO:  linear: PLAIN when the largest |tick| is in [1e-3, 1e5) or zero, SI up to 1e15,
 *        EXP beyond or below 1e-3. Log10: PLAIN when every tick is in [1e-3, 1e4], else EXP. */
typedef enum axis_fmt { AXIS_FMT_AUTO = 0, AXIS_FMT_PLAIN, AXIS_FMT_SI, AXIS_FMT_EXP } axis_fmt;

enum { AXIS_MAX_TICKS = 40, AXIS_LABEL_MAX = 40 };

/* How the ticks of an axis_ticks were chosen (informative, for tests and minor ticks). */
typedef enum axis_kind {
    AXIS_TICKS_LINEAR = 0, /* multiples of step */
    AXIS_TICKS_DECADES,    /* 10^e for every step-th e */
    AXIS_TICKS_125,        /* {1, 2, 5} * 10^e */
    AXIS_TICKS_CUSTOM      /* given by the caller */
} axis_kind;

typedef struct axis_ticks {
    double lo, hi;      /* range the ticks lie in (a zero-width input range is widened) */
    axis_kind kind;
    double step;        /* LINEAR: tick spacing; DECADES: decades per tick; else 0 */
    size_t n;           /* number of ticks, 0..AXIS_MAX_TICKS */
    double value[AXIS_MAX_TICKS];                 /* ascending */
    char label[AXIS_MAX_TICKS][AXIS_LABEL_MAX];   /* UTF-8, NUL-terminated */
} axis_ticks;

/* Widens a zero-width (or nearly: hi - lo <= 1e-12 * max(|lo|, |hi|)) range in place:
 * linear v -> [v - |v|/10, v + |v|/10], and 0 -> [-1, 1]; log10 v -> [v / 10, v * 10].
 * Swaps lo and hi when lo > hi. Returns SIM_EUSAGE when lo or hi is not finite, or when
 * scale is log10 and lo <= 0 (the message names the value); lo and hi unchanged then. */
sim_status axis_widen(axis_scale scale, double *lo, double *hi, sim_err *err);

/* Chooses about `target` ticks (clamped to [2, AXIS_MAX_TICKS]) inside [lo, hi] (widened by
 * axis_widen first) and labels them with fmt. Returns SIM_OK, or SIM_EUSAGE from axis_widen;
 * *out is then zeroed. Cost: O(target). */
sim_status axis_ticks_make(axis_scale scale, double lo, double hi, int target, axis_fmt fmt,
                           axis_ticks *out, sim_err *err);

/* Labels the n ticks already in t (any kind) with fmt; used after axis_ticks_make and for
 * custom tick positions. For custom ticks, the step for PLAIN/SI decimals is taken from
 * the smallest gap between ticks. */
void axis_ticks_label(axis_ticks *t, axis_scale scale, axis_fmt fmt);

/* Writes one value in format fmt (AUTO is treated as PLAIN) into buf (cap bytes, always
 * NUL-terminated), using `decimals` digits after the point for PLAIN, and the spacing
 * `step` (> 0) to decide the digits of SI and EXP mantissas. */
void axis_format(double v, double step, int decimals, axis_fmt fmt, char *buf, size_t cap);

/* 10^e, exact for 0 <= e <= 22 and correctly rounded as 1 / 10^-e for -22 <= e < 0. */
double axis_pow10(int e);

#endif
