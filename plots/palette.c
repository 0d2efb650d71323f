/* plots/palette.c - Okabe-Ito categories and the viridis colour map. */
#include "palette.h"

#include <math.h>

/* Okabe & Ito (2008), in their published order. */
static const uint32_t OKABE_ITO[PAL_OI_COUNT] = {
    0x000000, 0xE69F00, 0x56B4E9, 0x009E73, 0xF0E442, 0x0072B2, 0xD55E00, 0xCC79A7,
};

/* Category order: strongest contrast on white first. */
static const pal_oi CATEGORY_ORDER[PAL_OI_COUNT] = {
    PAL_OI_BLUE,     PAL_OI_ORANGE,         PAL_OI_BLUISH_GREEN, PAL_OI_VERMILLION,
    PAL_OI_SKY_BLUE, PAL_OI_REDDISH_PURPLE, PAL_OI_YELLOW,       PAL_OI_BLACK,
};

/* Viridis (van der Walt & Smith, 2015) sampled at t = k/15, k = 0..15, as 8-bit sRGB. Between
 * two stops the map is close to linear in sRGB, so interpolating 16 stops stays within about
 * one 8-bit step of the full 256-entry map. */
static const uint32_t VIRIDIS[PAL_VIRIDIS_STOPS] = {
    0x440154, 0x481A6C, 0x472F7D, 0x414487, 0x39568C, 0x31688E, 0x2A788E, 0x23888E,
    0x1F988B, 0x22A884, 0x35B779, 0x54C568, 0x7AD151, 0xA5DB36, 0xD2E21B, 0xFDE725,
};

pal_rgb pal_hex(uint32_t rrggbb) {
    pal_rgb c = {((rrggbb >> 16) & 0xFF) / 255.0, ((rrggbb >> 8) & 0xFF) / 255.0,
                 (rrggbb & 0xFF) / 255.0};
    return c;
}

pal_rgb pal_okabe_ito(pal_oi name) {
    if ((int)name < 0 || name >= PAL_OI_COUNT) return pal_hex(0x000000);
    return pal_hex(OKABE_ITO[name]);
}

pal_rgb pal_category(size_t i) {
    return pal_okabe_ito(CATEGORY_ORDER[i % PAL_OI_COUNT]);
}

pal_rgb pal_viridis_stop(size_t k) {
    if (k >= PAL_VIRIDIS_STOPS) k = PAL_VIRIDIS_STOPS - 1;
    return pal_hex(VIRIDIS[k]);
}

pal_rgb pal_viridis(double t) {
    if (isnan(t)) return (pal_rgb){0.5, 0.5, 0.5};
    if (t <= 0.0) return pal_viridis_stop(0);
    if (t >= 1.0) return pal_viridis_stop(PAL_VIRIDIS_STOPS - 1);
    double u = t * (PAL_VIRIDIS_STOPS - 1);
    size_t k = (size_t)u;
    if (k >= PAL_VIRIDIS_STOPS - 1) k = PAL_VIRIDIS_STOPS - 2;
    double f = u - (double)k;
    pal_rgb a = pal_viridis_stop(k), b = pal_viridis_stop(k + 1);
    return (pal_rgb){a.r + f * (b.r - a.r), a.g + f * (b.g - a.g), a.b + f * (b.b - a.b)};
}

static unsigned to_byte(double v) {
    if (!(v > 0.0)) return 0;
    if (v >= 1.0) return 255;
    return (unsigned)lround(v * 255.0);
}

uint32_t pal_to_hex(pal_rgb c) {
    return (uint32_t)(to_byte(c.r) << 16 | to_byte(c.g) << 8 | to_byte(c.b));
}
