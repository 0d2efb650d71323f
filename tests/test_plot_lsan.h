/* tests/test_plot_lsan.h - LeakSanitizer suppression for the plot tests (include once, in
 * the test's .c file).
 *
 * fontconfig 2.14.1 (Debian 12), loaded by pango's font map on first use, keeps its parsed
 * configuration for the life of the process and leaks ~300 bytes of it in its XML config
 * parser (FcInitLoadConfigAndFonts, called from pango's "[pango] FcInit" thread). A bare
 * pango program shows the same. It cannot be released from our code: FcFini() asserts while
 * cairo still caches fonts, and cairo_debug_reset_static_data() asserts on live fonts.
 * The rule below hides only leaks whose allocation stack has a frame inside libfontconfig;
 * a leak of our own (or of pango/glib objects we forget to unref) is still reported.
 * LSan reads this hook at exit; in builds without sanitizers it is an unused function. */
#ifndef TEST_PLOT_LSAN_H
#define TEST_PLOT_LSAN_H

const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void) { return "leak:libfontconfig.so\n"; }

#endif
