/* sim/experiment/design.h - parameter spaces and experiment designs for sweeps and sensitivity
 * analysis. Prefix design_.
 *
 * A parameter space holds k parameters, each with a kind (explicit list, stepped range,
 * uniform, log-uniform, truncated normal). Every kind has a quantile function Q_j that maps
 * a unit coordinate u in [0, 1] to parameter units, so every design is built in the unit
 * cube [0,1]^k and then mapped column by column: x_ij = Q_j(u_ij). Designs:
 *   grid      full factorial over list/step parameters (last parameter varies fastest)
 *   LHS       Latin hypercube (McKay et al. 1979): n points, one per stratum per dimension
 *   Sobol     the first n points of gsl_qrng_sobol (GSL already skips the origin)
 *   Saltelli  rows A, B, AB_1 .. AB_k for Sobol indices (Saltelli et al. 2010)
 *   Morris    r one-at-a-time trajectories of k+1 points on a p-level grid (Morris 1991)
 * Randomised designs take a borrowed rng_t and a purpose; the stream for dimension (LHS) or
 * trajectory (Morris) i is rng_stream_at(rng, step 0, agent i, purpose), so a design is a
 * pure function of (seed, run, purpose, arguments). See docs/sensitivity.md. */
#ifndef SIM_DESIGN_H
#define SIM_DESIGN_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "rng.h"

enum {
    DESIGN_MAX_PARAMS = 64,        /* parameters per space */
    DESIGN_NAME_MAX = 64,          /* bytes of a parameter name, including the NUL */
    DESIGN_SOBOL_MAX_DIM = 40,     /* gsl_qrng_sobol's limit (Saltelli: k <= 20) */
    DESIGN_MAX_CELLS = 1 << 28     /* rows * k refused above this (2 GiB of doubles) */
};

typedef enum design_kind {
    DESIGN_LIST,        /* explicit values v_0..v_{m-1}; Q(u) = v_floor(u m) (u = 1 -> v_{m-1}) */
    DESIGN_STEP,        /* lo, lo+step, ... <= hi (1e-9 step slack); Q as for a list */
    DESIGN_UNIFORM,     /* Q(u) = lo + u (hi - lo) */
    DESIGN_LOGUNIFORM,  /* Q(u) = lo (hi/lo)^u, 0 < lo < hi */
    DESIGN_NORMAL       /* normal(mean, sd) truncated to [lo, hi]: inverse of its CDF */
} design_kind;

typedef struct design_param {
    char        name[DESIGN_NAME_MAX];
    design_kind kind;
    double      lo, hi;       /* bounds (all kinds; list: min and max of the values) */
    double      step;         /* DESIGN_STEP: grid step > 0 */
    double      mean, sd;     /* DESIGN_NORMAL: location and scale (sd > 0) */
    size_t      m;            /* LIST/STEP: number of values (levels); others 0 */
    double     *values;       /* LIST/STEP: [m] the values in order, owned by the space */
} design_param_t;

typedef struct design_space {
    size_t         k;                          /* number of parameters */
    design_param_t param[DESIGN_MAX_PARAMS];   /* [k] in the order they were added */
} design_space_t;

typedef enum design_type {
    DESIGN_GRID, DESIGN_LHS, DESIGN_SOBOL, DESIGN_SALTELLI, DESIGN_MORRIS
} design_type;

/* Saltelli blocks: row block is DESIGN_BLOCK_A, DESIGN_BLOCK_B, or DESIGN_BLOCK_AB + i
 * (0-based parameter i) for AB_i. Other designs leave block NULL. */
enum { DESIGN_BLOCK_A = 0, DESIGN_BLOCK_B = 1, DESIGN_BLOCK_AB = 2 };

typedef struct design {
    design_type type;
    size_t   rows, k;     /* the design is rows x k */
    double  *x;           /* [rows*k] row-major points in parameter units */
    double  *u;           /* [rows*k] the unit-cube points, x = Q(u) column by column */
    size_t   n_base;      /* Saltelli: n (rows of A); Morris: r trajectories; else rows */
    int32_t *block;       /* [rows] Saltelli only: block of each row (see above) */
    size_t  *base;        /* [rows] Saltelli: base index j in 0..n-1; Morris: trajectory */
    size_t   levels;      /* Morris: p levels 0, 1/(p-1), .., 1 */
    double   delta;       /* Morris: step in unit coordinates, p / (2 (p - 1)) */
    uint32_t *change;     /* [r*k] Morris: parameter changed between point s and s+1 of
                             trajectory t is change[t*k + s] */
    int8_t   *sign;       /* [r*k] Morris: +1 when that step adds delta, -1 when it subtracts */
} design_t;

/* --- parameter spaces ---------------------------------------------------------------- */

/* Empties s (k = 0). Call before the first add; free with design_space_clear. */
void design_space_init(design_space_t *s);

/* Each add appends one parameter. name: 1..DESIGN_NAME_MAX-1 bytes, unique in s. Bounds and
 * values must be finite. Returns SIM_OK, SIM_ESCENARIO naming the parameter and the rule it
 * breaks (lo < hi; step > 0; at most 1e7 levels; 0 < lo for log-uniform; sd > 0; a list
 * of 1..1e7 values; at most DESIGN_MAX_PARAMS parameters), or SIM_ENOMEM. On error s is
 * unchanged. The list's values are copied. */
sim_status design_space_add_list(design_space_t *s, const char *name, const double *values,
                                 size_t m, sim_err *err);
sim_status design_space_add_step(design_space_t *s, const char *name, double lo, double hi,
                                 double step, sim_err *err);
sim_status design_space_add_uniform(design_space_t *s, const char *name, double lo,
                                    double hi, sim_err *err);
sim_status design_space_add_loguniform(design_space_t *s, const char *name, double lo,
                                       double hi, sim_err *err);
sim_status design_space_add_normal(design_space_t *s, const char *name, double mean,
                                   double sd, double lo, double hi, sim_err *err);

/* Quantile of parameter j (< s->k) at u (clamped to [0, 1]), in parameter units; always in
 * [lo, hi]. Cost: O(1) (normal: two GSL CDF calls). */
double design_quantile(const design_space_t *s, size_t j, double u);

/* Frees the values of list/step parameters and empties s. NULL is a no-op. */
void design_space_clear(design_space_t *s);

/* --- designs: each returns SIM_OK with *out owned by the caller (design_free), or an
 * error with *out NULL: SIM_ESCENARIO for arguments that do not fit the space (message
 * says which), SIM_ERUN for a design over DESIGN_MAX_CELLS, SIM_ENOMEM. ---------------- */

/* Full factorial over the levels of list/step parameters, in nested-loop order: parameter
 * 0 varies slowest, parameter k-1 fastest; rows = product of m_j. u = (level + 1/2) / m_j.
 * Every parameter must be a list or step (SIM_ESCENARIO otherwise). Cost: O(rows k). */
sim_status design_grid(design_t **out, const design_space_t *s, sim_err *err);

/* Latin hypercube of n >= 1 points: u_ij = (pi_j(i) + U_ij) / n with pi_j a uniform random
 * permutation of 0..n-1 and U_ij uniform on [0, 1), both from the stream (0, j, purpose).
 * Each of the n strata [l/n, (l+1)/n) of every dimension holds exactly one point. */
sim_status design_lhs(design_t **out, const design_space_t *s, size_t n, const rng_t *rng,
                      uint32_t purpose, sim_err *err);

/* The first n >= 1 points of gsl_qrng_sobol in k <= 40 dimensions. GSL does not return
 * the sequence's first point (the origin), so row 0 is (1/2, ..., 1/2); no further points
 * are skipped. Powers of two n keep the sequence's balance best. Deterministic. */
sim_status design_sobol(design_t **out, const design_space_t *s, size_t n, sim_err *err);

/* Saltelli scheme with n >= 1 base rows and k <= 20: the first n points of a 2k-dimensional
 * gsl_qrng_sobol sequence give A (columns 0..k-1) and B (columns k..2k-1). Rows are A (0..n-1),
 * B (n..2n-1), then AB_i (rows (2+i) n + j: A_j with column i from B_j) for i = 0..k-1, so
 * rows = n (k + 2). block and base record each row's block and j. */
sim_status design_saltelli(design_t **out, const design_space_t *s, size_t n, sim_err *err);

/* Morris design: r >= 1 trajectories of k+1 points each on the p-level grid (p even, 2 <=
 * p <= 1000), step delta = p / (2 (p - 1)). Trajectory t is rows t (k+1) .. t (k+1) + k.
 * Its base point has levels drawn from 0 .. p/2 - 1, each coordinate moves once (up from
 * the base, or down from base + delta, sign chosen at random) in a random order, all from
 * the stream (0, t, purpose). Every point lies in [0, 1]^k; change/sign record each step. */
sim_status design_morris(design_t **out, const design_space_t *s, size_t r, size_t p,
                         const rng_t *rng, uint32_t purpose, sim_err *err);

/* Name of a row's Saltelli block into buf ("A", "B", "AB_3" with 1-based i, or "-" for
 * other designs); returns buf. */
const char *design_block_name(const design_t *d, size_t row, char *buf, size_t len);

void design_free(design_t *d);   /* NULL is a no-op */

#endif
