/* plots/palette.h - colour-blind-safe colours. Prefix pal_.
 *
 * Categories use the eight colours of Okabe & Ito (2008), "Color Universal Design"; they stay
 * distinguishable under the common colour-vision deficiencies. Continuous values (heat maps)
 * use viridis, which is perceptually uniform, monotone in lightness and prints in grey.
 * Colours are sRGB components in [0, 1]. Pure functions: no state, no allocation. */
#ifndef PLOT_PALETTE_H
#define PLOT_PALETTE_H

#include <stddef.h>
#include <stdint.h>

typedef struct pal_rgb {
    double r, g, b;   /* sRGB components, each in [0, 1] */
} pal_rgb;

/* The Okabe-Ito colours in their published order. */
typedef enum pal_oi {
    PAL_OI_BLACK = 0,      /* #000000 */
    PAL_OI_ORANGE,         /* #E69F00 */
    PAL_OI_SKY_BLUE,       /* #56B4E9 */
    PAL_OI_BLUISH_GREEN,   /* #009E73 */
    PAL_OI_YELLOW,         /* #F0E442 */
    PAL_OI_BLUE,           /* #0072B2 */
    PAL_OI_VERMILLION,     /* #D55E00 */
    PAL_OI_REDDISH_PURPLE, /* #CC79A7 */
    PAL_OI_COUNT
} pal_oi;

/* The colour with a given 0xRRGGBB value. */
pal_rgb pal_hex(uint32_t rrggbb);

/* One named Okabe-Ito colour; an out-of-range name gives black. */
pal_rgb pal_okabe_ito(pal_oi name);

/* The i-th category colour, cycling after 8: blue, orange, bluish green, vermillion,
 * sky blue, reddish purple, yellow, black. The order puts the colours with the most contrast
 * on white first (yellow is weak as a thin line, so it comes late). */
pal_rgb pal_category(size_t i);

/* Viridis at t in [0, 1] (0 dark purple, 1 yellow), by linear interpolation in sRGB between
 * PAL_VIRIDIS_STOPS control points at t = k / (PAL_VIRIDIS_STOPS - 1). t outside [0, 1] is
 * clamped; NaN gives mid grey (0.5, 0.5, 0.5). */
enum { PAL_VIRIDIS_STOPS = 16 };
pal_rgb pal_viridis(double t);

/* The k-th viridis control point (k clamped to [0, PAL_VIRIDIS_STOPS - 1]); used to build
 * colour-bar gradients that match pal_viridis exactly. */
pal_rgb pal_viridis_stop(size_t k);

/* 0xRRGGBB of a colour, each component rounded to the nearest of 0..255. */
uint32_t pal_to_hex(pal_rgb c);

#endif
