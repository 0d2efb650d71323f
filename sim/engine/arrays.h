/* sim/engine/arrays.h - the table of the engine's per-agent arrays. Prefix arr_.
 *
 * Every array of the run state that grows with the population is one row of arr_table:
 * its name, its owner module, where its pointer sits in struct sim, its element size, its
 * count basis (persons, firms, agents or blocks of SIM_BLOCK agents), the byte it starts
 * as, and the condition under which it exists (a function of the scenario alone). The same
 * rows allocate (arr_alloc), free (arr_free) and estimate (arr_bytes) the arrays, so the
 * memory estimate cannot drift from what a run allocates. Not part of the public API. */
#ifndef SIM_ARRAYS_H
#define SIM_ARRAYS_H

#include <stddef.h>
#include <stdint.h>

#include "scenario.h"

struct sim;

typedef enum { ARR_AGENTS, ARR_PERSONS, ARR_FIRMS, ARR_BLOCKS } arr_basis;

/* The owners: the list state shared by every module, then one per engine module. */
typedef enum {
    ARR_STATE, ARR_AGENCY, ARR_POLICY, ARR_SANCTION, ARR_RESPONSE, ARR_REDRESS, ARR_CASCADE,
    ARR_COLLECT,
    ARR_CHILL,
    ARR_TRAVEL,
    ARR_DEEDS, ARR_COMMERCIAL,   /* issue 13 items 7 and 4 */
    ARR_OWN,
    ARR_NOWNERS,
    ARR_ALL = ARR_NOWNERS   /* arr_bytes: every owner */
} arr_owner;

enum { ARR_RAW = -1 };   /* fill: left unset, the owner's prepare writes every element */

typedef struct arr_spec {
    const char *name;     /* the field, as in struct sim */
    arr_owner   owner;
    size_t      offset;   /* offsetof(struct sim, <pointer>) of copy 0 */
    uint32_t    elem;     /* bytes per element */
    arr_basis   basis;
    int         copies;   /* consecutive pointers (one per list, rule, layer, cause) */
    int         fill;     /* byte value every element starts as, or ARR_RAW */
    /* Elements per basis unit for copy k (0 <= k < copies); 0 when the array does not exist
     * for this scenario. NULL: 1 for every copy. */
    size_t    (*width)(const scenario *sc, int k);
    const char *when;     /* the condition in words, for people */
} arr_spec;

/* Sizes and conditions that depend on the scenario alone, shared by the table's rows and
 * the modules that own the arrays (so neither has to ask the other). */
int arr_hist_k(const scenario *sc);           /* lists regime: max list_after over agencies */
uint16_t arr_own_mask(const scenario *sc);    /* bit a: agency a keeps its own lists (7.19) */
/* Travel (travel.c): the sanctions banning mode (0 flight, 1 rail) that a list or a joint
 * row triggers (bits; a sanction nothing triggers is never applied), and whether any does. */
uint32_t arr_travel_bans(const scenario *sc, int mode);
int arr_travel_on(const scenario *sc);
/* Deeds (deeds.c): the points regime with behaviour.deed_rate > 0; lifting above max: and
 * deed_above_max (then the red list is in use even above scoring.max). Commercial score
 * (commercial.c): some group's [commercial] opt_in > 0. Of sc alone (the timeline's scenarios
 * are the callers' to visit). */
int arr_deeds_on(const scenario *sc);
int arr_deeds_lift(const scenario *sc);
int arr_commercial_on(const scenario *sc);
int arr_health_on(const scenario *sc);        /* firms exist, and a sanction costs revenue or
                                                 ostracism cuts partner ties at a loss */
unsigned arr_cut_layers(const scenario *sc);  /* bit l: ties of layer l can be cut (ostracism;
                                                 employment under firm health) */
/* Collection: the holdings (distinct (agency, kind) pairs of the sources, in source order)
 * into agency[] and kind[] (SCN_MAX_SOURCES each); returns their number. The ring rows of
 * holding h: its retention when 0 < retention < run.steps (records can expire within the
 * run), else 0 (retention 0: deleted at once; retention >= steps: nothing expires), except
 * that a sharing scenario ([share.*], share.c) keeps run.steps rows when retention >= steps. */
int arr_holdings(const scenario *sc, int *agency, int *kind);
int arr_ring_len(const scenario *sc, int h);

/* Whether the step arrays (until, last_violation, since) hold int16_t for sc and every
 * scenario its timeline puts in force: run.steps + the longest term (ARR_TERM_MAX, the
 * terms' key range) + the longest extension of a blacklisting fit in 32,767; else int32_t. */
enum { ARR_TERM_MAX = 10000 };
int arr_steps16(const scenario *sc);

/* Expected arcs of layer id in a run of sc (0 when disabled); a CSV layer: its file size / 2. */
double arr_layer_arcs(const scenario *sc, scn_layer_id id);

/* What grows with the steps rather than the agents: the metric rows one step adds, at most
 * (a function of groups, regions, agencies, sanctions and collection sources; tests check
 * it against real runs), and the bytes of the results' row array at the end of a run of
 * run.steps steps, row_bytes each, its capacity doubled from 64 as it grows. */
uint64_t arr_step_rows(const scenario *sc);
uint64_t arr_rows_bytes(const scenario *sc, size_t row_bytes);

extern const arr_spec arr_table[];
extern const size_t   arr_table_len;

/* Units of basis b in a run of sc: persons, firms (pop_firm_count), agents, blocks. */
uint64_t arr_units(const scenario *sc, arr_basis b);

/* Elements of copy k of row a for sc (0 when the array does not exist). */
uint64_t arr_count(const arr_spec *a, const scenario *sc, int k);

/* Allocates every array of owner o for s->sc (at least one element each, so an empty
 * population still gets valid pointers) and fills it. Returns 0 when out of memory; what was
 * allocated stays in s for arr_free. Cost: O(bytes) when a fill is given. */
int arr_alloc(struct sim *s, arr_owner o);

/* Frees every array of owner o and sets its pointers to NULL; NULL pointers are skipped. */
void arr_free(struct sim *s, arr_owner o);

/* Bytes the arrays of owner o (ARR_ALL: every owner) take in a run of sc. No allocation. */
uint64_t arr_bytes(const scenario *sc, arr_owner o);

/* The arrays only the steps read (this step's records and deductions, the points lost by
 * cause): arr_release_steps frees them before the end-of-run summary, whose buffers then
 * reuse their memory; arr_released_bytes counts them for the estimate. */
void arr_release_steps(struct sim *s);
uint64_t arr_released_bytes(const scenario *sc);

#endif
