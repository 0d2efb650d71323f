/* tests/test_plot_axis.c - nice ticks, log ticks, tick labels, and the palettes. */
#include "testutil.h"

#include <math.h>

#include "axis.h"
#include "palette.h"

/* Makes ticks and checks values (exactly, with ==) and labels. */
static void expect(axis_scale s, double lo, double hi, int target, axis_fmt fmt, size_t n,
                   const double *v, const char *const *lab) {
    axis_ticks t;
    sim_err err = {{0}};
    assert_int_equal(axis_ticks_make(s, lo, hi, target, fmt, &t, &err), SIM_OK);
    if (t.n != n) fail_msg("[%g, %g]: %zu ticks, expected %zu", lo, hi, t.n, n);
    for (size_t i = 0; i < n; i++) {
        if (t.value[i] != v[i]) fail_msg("[%g, %g] tick %zu: %.17g != %.17g", lo, hi, i,
                                          t.value[i], v[i]);
        if (lab) assert_string_equal(t.label[i], lab[i]);
    }
}

static void test_linear_unit_range(void **state) {
    (void)state;
    expect(AXIS_LINEAR, 0, 1, 5, AXIS_FMT_AUTO, 6, (double[]){0, 0.2, 0.4, 0.6, 0.8, 1},
           (const char *[]){"0.0", "0.2", "0.4", "0.6", "0.8", "1.0"});
    expect(AXIS_LINEAR, 0.1, 0.7, 7, AXIS_FMT_AUTO, 7,
           (double[]){0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7}, NULL);
    expect(AXIS_LINEAR, 0, 1, 3, AXIS_FMT_AUTO, 3, (double[]){0, 0.5, 1}, NULL);
}

static void test_linear_ranges(void **state) {
    (void)state;
    expect(AXIS_LINEAR, 0, 97, 5, AXIS_FMT_AUTO, 5, (double[]){0, 20, 40, 60, 80},
           (const char *[]){"0", "20", "40", "60", "80"});
    expect(AXIS_LINEAR, -4.85, 101.85, 5, AXIS_FMT_AUTO, 6, (double[]){0, 20, 40, 60, 80, 100},
           NULL);
    expect(AXIS_LINEAR, 0, 1000, 5, AXIS_FMT_AUTO, 6,
           (double[]){0, 200, 400, 600, 800, 1000}, NULL);
    expect(AXIS_LINEAR, 3, 7, 5, AXIS_FMT_AUTO, 5, (double[]){3, 4, 5, 6, 7}, NULL);
    expect(AXIS_LINEAR, 0.013, 0.0171, 5, AXIS_FMT_AUTO, 5,
           (double[]){0.013, 0.014, 0.015, 0.016, 0.017},
           (const char *[]){"0.013", "0.014", "0.015", "0.016", "0.017"});
}

/* Negative ranges use the minus sign U+2212 and never print "-0". */
static void test_negative_ranges(void **state) {
    (void)state;
    expect(AXIS_LINEAR, -3, -1, 5, AXIS_FMT_AUTO, 5, (double[]){-3, -2.5, -2, -1.5, -1},
           (const char *[]){"\u22123.0", "\u22122.5", "\u22122.0", "\u22121.5", "\u22121.0"});
    expect(AXIS_LINEAR, -50, 50, 5, AXIS_FMT_AUTO, 5, (double[]){-40, -20, 0, 20, 40},
           (const char *[]){"\u221240", "\u221220", "0", "20", "40"});
    expect(AXIS_LINEAR, -1e-17, 1, 3, AXIS_FMT_AUTO, 3, (double[]){0, 0.5, 1},
           (const char *[]){"0.0", "0.5", "1.0"});
}

/* Zero width is widened: 5 -> [4.5, 5.5], 0 -> [-1, 1]; log 5 -> [0.5, 50]. */
static void test_zero_width(void **state) {
    (void)state;
    expect(AXIS_LINEAR, 5, 5, 5, AXIS_FMT_AUTO, 5, (double[]){4.6, 4.8, 5, 5.2, 5.4}, NULL);
    expect(AXIS_LINEAR, 0, 0, 5, AXIS_FMT_AUTO, 5, (double[]){-1, -0.5, 0, 0.5, 1}, NULL);
    expect(AXIS_LOG10, 5, 5, 5, AXIS_FMT_AUTO, 5, (double[]){0.5, 1, 5, 10, 50}, NULL);
    double lo = 7, hi = 7;
    assert_int_equal(axis_widen(AXIS_LINEAR, &lo, &hi, NULL), SIM_OK);
    assert_true(lo == 7 - 0.7 && hi == 7 + 0.7);
    lo = 2; hi = 1;   /* swapped */
    assert_int_equal(axis_widen(AXIS_LINEAR, &lo, &hi, NULL), SIM_OK);
    assert_true(lo == 1 && hi == 2);
}

static void test_log_ticks(void **state) {
    (void)state;
    expect(AXIS_LOG10, 1e-3, 1e6, 5, AXIS_FMT_AUTO, 5, (double[]){1e-2, 1, 1e2, 1e4, 1e6},
           (const char *[]){"10\u207B\u00B2", "10\u2070", "10\u00B2", "10\u2074", "10\u2076"});
    expect(AXIS_LOG10, 1e-3, 1e6, 10, AXIS_FMT_AUTO, 10,
           (double[]){1e-3, 1e-2, 1e-1, 1, 10, 100, 1e3, 1e4, 1e5, 1e6}, NULL);
    expect(AXIS_LOG10, 1, 100, 5, AXIS_FMT_AUTO, 3, (double[]){1, 10, 100},
           (const char *[]){"1", "10", "100"});
    expect(AXIS_LOG10, 0.01, 10, 5, AXIS_FMT_AUTO, 4, (double[]){0.01, 0.1, 1, 10},
           (const char *[]){"0.01", "0.1", "1", "10"});
    expect(AXIS_LOG10, 1, 50, 6, AXIS_FMT_AUTO, 6, (double[]){1, 2, 5, 10, 20, 50}, NULL);
    expect(AXIS_LOG10, 2, 4.5, 5, AXIS_FMT_AUTO, 6, (double[]){2, 2.5, 3, 3.5, 4, 4.5}, NULL);
    expect(AXIS_LOG10, 1e-30, 1e30, 5, AXIS_FMT_AUTO, 3, (double[]){1e-20, 1, 1e20},
           (const char *[]){"10⁻²⁰", "10⁰", "10²⁰"});
    expect(AXIS_LOG10, 1e-30, 1e30, 7, AXIS_FMT_AUTO, 7,
           (double[]){1e-30, 1e-20, 1e-10, 1, 1e10, 1e20, 1e30}, NULL);
    axis_ticks t;
    assert_int_equal(axis_ticks_make(AXIS_LOG10, 1e-3, 1e6, 5, 0, &t, NULL), SIM_OK);
    assert_int_equal(t.kind, AXIS_TICKS_DECADES);
    assert_true(t.step == 2);
}

static void test_bad_ranges(void **state) {
    (void)state;
    axis_ticks t;
    sim_err err = {{0}};
    assert_int_equal(axis_ticks_make(AXIS_LOG10, -1, 5, 5, 0, &t, &err), SIM_EUSAGE);
    assert_contains(err.msg, "must be positive");
    assert_int_equal(t.n, 0);
    assert_int_equal(axis_ticks_make(AXIS_LOG10, 0, 5, 5, 0, &t, &err), SIM_EUSAGE);
    assert_int_equal(axis_ticks_make(AXIS_LINEAR, NAN, 5, 5, 0, &t, &err), SIM_EUSAGE);
    assert_contains(err.msg, "not finite");
    assert_int_equal(axis_ticks_make(AXIS_LINEAR, 0, INFINITY, 5, 0, &t, &err), SIM_EUSAGE);
}

/* Every range gets 2..AXIS_MAX_TICKS ascending ticks inside it, for any target. */
static void test_tick_invariants(void **state) {
    (void)state;
    for (int e = -12; e <= 12; e++)
        for (int m = 1; m < 10; m++)
            for (int target = 1; target <= 12; target += 3) {
                double lo = -0.37 * m * pow(10, e), hi = 1.3 * m * pow(10, e);
                axis_ticks t;
                assert_int_equal(axis_ticks_make(AXIS_LINEAR, lo, hi, target, 0, &t, NULL), 0);
                assert_true(t.n >= 2 && t.n <= AXIS_MAX_TICKS);
                for (size_t i = 0; i < t.n; i++) {
                    assert_true(t.value[i] >= lo && t.value[i] <= hi);
                    if (i) assert_true(t.value[i] > t.value[i - 1]);
                    assert_true(t.label[i][0] != '\0');
                }
                assert_int_equal(axis_ticks_make(AXIS_LOG10, hi / 1e3, hi, target, 0, &t, 0), 0);
                assert_true(t.n >= 2);
            }
}

static void test_label_formats(void **state) {
    (void)state;
    expect(AXIS_LINEAR, 0, 1.5e6, 4, AXIS_FMT_AUTO, 4, (double[]){0, 5e5, 1e6, 1.5e6},
           (const char *[]){"0", "500k", "1M", "1.5M"});
    expect(AXIS_LINEAR, 0, 1.5e6, 4, AXIS_FMT_EXP, 4, (double[]){0, 5e5, 1e6, 1.5e6},
           (const char *[]){"0", "5\u00D710\u2075", "10\u2076", "1.5\u00D710\u2076"});
    expect(AXIS_LINEAR, 0, 1.5e6, 4, AXIS_FMT_PLAIN, 4, (double[]){0, 5e5, 1e6, 1.5e6},
           (const char *[]){"0", "500000", "1000000", "1500000"});
    expect(AXIS_LINEAR, 0, 2e-4, 5, AXIS_FMT_AUTO, 5, (double[]){0, 5e-5, 1e-4, 1.5e-4, 2e-4},
           (const char *[]){"0", "5\u00D710\u207B\u2075", "10\u207B\u2074",
                            "1.5\u00D710\u207B\u2074", "2\u00D710\u207B\u2074"});
    expect(AXIS_LINEAR, 0, 0.003, 4, AXIS_FMT_SI, 4, (double[]){0, 0.001, 0.002, 0.003},
           (const char *[]){"0", "1m", "2m", "3m"});
    char buf[AXIS_LABEL_MAX];
    axis_format(-2.5e-6, 1e-7, 0, AXIS_FMT_SI, buf, sizeof buf);
    assert_string_equal(buf, "\u22122.5\u00B5");
    axis_format(-1e9, 1e9, 0, AXIS_FMT_EXP, buf, sizeof buf);
    assert_string_equal(buf, "\u221210\u2079");
    axis_format(-0.0001, 0.1, 2, AXIS_FMT_PLAIN, buf, sizeof buf);
    assert_string_equal(buf, "0.00");
    axis_format(12345.678, 1, 1, AXIS_FMT_PLAIN, buf, 4);   /* truncated, terminated */
    assert_int_equal(strlen(buf), 3);
}

static void test_okabe_ito(void **state) {
    (void)state;
    assert_int_equal(pal_to_hex(pal_okabe_ito(PAL_OI_ORANGE)), 0xE69F00);
    assert_int_equal(pal_to_hex(pal_okabe_ito(PAL_OI_SKY_BLUE)), 0x56B4E9);
    assert_int_equal(pal_to_hex(pal_okabe_ito(PAL_OI_BLUISH_GREEN)), 0x009E73);
    assert_int_equal(pal_to_hex(pal_okabe_ito(PAL_OI_YELLOW)), 0xF0E442);
    assert_int_equal(pal_to_hex(pal_okabe_ito(PAL_OI_BLUE)), 0x0072B2);
    assert_int_equal(pal_to_hex(pal_okabe_ito(PAL_OI_VERMILLION)), 0xD55E00);
    assert_int_equal(pal_to_hex(pal_okabe_ito(PAL_OI_REDDISH_PURPLE)), 0xCC79A7);
    assert_int_equal(pal_to_hex(pal_okabe_ito(PAL_OI_BLACK)), 0x000000);
    assert_int_equal(pal_to_hex(pal_category(0)), 0x0072B2);
    assert_int_equal(pal_to_hex(pal_category(1)), 0xE69F00);
    assert_int_equal(pal_to_hex(pal_category(8)), pal_to_hex(pal_category(0)));
    /* the eight category colours are distinct */
    for (size_t i = 0; i < 8; i++)
        for (size_t j = i + 1; j < 8; j++)
            assert_int_not_equal(pal_to_hex(pal_category(i)), pal_to_hex(pal_category(j)));
}

/* Ends and midpoint of viridis; lightness (Rec. 709 luma) rises monotonically. */
static void test_viridis(void **state) {
    (void)state;
    assert_int_equal(pal_to_hex(pal_viridis(0)), 0x440154);
    assert_int_equal(pal_to_hex(pal_viridis(1)), 0xFDE725);
    assert_int_equal(pal_to_hex(pal_viridis(-3)), 0x440154);
    assert_int_equal(pal_to_hex(pal_viridis(7)), 0xFDE725);
    assert_int_equal(pal_to_hex(pal_viridis(5.0 / 15)), 0x31688E);
    pal_rgb mid = pal_viridis(0.5);   /* published viridis(0.5) = #21918C */
    assert_true(fabs(mid.r * 255 - 0x21) <= 2 && fabs(mid.g * 255 - 0x91) <= 2 &&
                fabs(mid.b * 255 - 0x8C) <= 2);
    pal_rgb nan = pal_viridis(NAN);
    assert_true(nan.r == 0.5 && nan.g == 0.5 && nan.b == 0.5);
    double prev = -1;
    for (int i = 0; i <= 1000; i++) {
        pal_rgb c = pal_viridis(i / 1000.0);
        double y = 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b;
        assert_true(y > prev);
        prev = y;
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_linear_unit_range), cmocka_unit_test(test_linear_ranges),
        cmocka_unit_test(test_negative_ranges),   cmocka_unit_test(test_zero_width),
        cmocka_unit_test(test_log_ticks),         cmocka_unit_test(test_bad_ranges),
        cmocka_unit_test(test_tick_invariants),   cmocka_unit_test(test_label_formats),
        cmocka_unit_test(test_okabe_ito),         cmocka_unit_test(test_viridis),
    };
    return cmocka_run_group_tests_name("plot_axis", tests, NULL, NULL);
}
