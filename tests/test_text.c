/* tests/test_text.c - text_safe: what may reach a terminal or a figure from a database or a
 * file (issue 15, defect 10). */
#include "testutil.h"

#include "text.h"

static void check(const char *in, int flags, const char *want) {
    char out[256];
    text_safe(out, sizeof out, in, flags);
    if (strcmp(out, want) != 0) fail_msg("text_safe(\"%s\") = \"%s\", expected \"%s\"", in, out,
                                         want);
}

static void test_controls_escaped(void **state) {
    (void)state;
    check("x\x1b[2J\x1b]0;pwned\x07", TEXT_ONE_LINE, "x\\x1B[2J\\x1B]0;pwned\\x07");
    check("a\rb\x7f", TEXT_ONE_LINE, "a\\x0Db\\x7F");
    check("line\nnext\tcol", TEXT_ONE_LINE, "line\\x0Anext\\x09col");
    check("line\nnext\tcol", TEXT_KEEP_LINES, "line\nnext\tcol");
    check("a\r\n", TEXT_KEEP_LINES, "a\\x0D\n");
}

static void test_unicode(void **state) {
    (void)state;
    check("caf\xc3\xa9 \xe2\x80\x93 \xe4\xb8\xad \xf0\x9f\x98\x80", TEXT_ONE_LINE,
          "caf\xc3\xa9 \xe2\x80\x93 \xe4\xb8\xad \xf0\x9f\x98\x80");   /* kept as it is */
    check("abc\xe2\x80\xae" "def", TEXT_ONE_LINE, "abc\\u202Edef");      /* RLO */
    check("\xe2\x81\xa6x\xe2\x81\xa9", TEXT_KEEP_LINES, "\\u2066x\\u2069");  /* isolates */
    check("\xe2\x80\x8f\xd8\x9c", TEXT_ONE_LINE, "\\u200F\\u061C");
    check("\xc2\x9b" "31m", TEXT_ONE_LINE, "\\u009B31m");                /* C1 CSI */
    check("\xff\xfe", TEXT_ONE_LINE, "\\xFF\\xFE");                      /* not UTF-8 */
    check("\xc0\xaf", TEXT_ONE_LINE, "\\xC0\\xAF");                      /* overlong */
    check("\xed\xa0\x80", TEXT_ONE_LINE, "\\xED\\xA0\\x80");             /* surrogate */
    check("\xe2\x80", TEXT_ONE_LINE, "\\xE2\\x80");                      /* cut short */
}

static void test_bounds(void **state) {
    (void)state;
    char out[6];
    assert_string_equal(text_safe(out, sizeof out, "\x1b\x1b", TEXT_ONE_LINE), "\\x1B");
    assert_string_equal(text_safe(out, sizeof out, "abcdefgh", TEXT_ONE_LINE), "abcde");
    assert_string_equal(text_safe(out, sizeof out, "ab\xe4\xb8\xad\xe4\xb8\xad", 0),
                        "ab\xe4\xb8\xad");   /* never half a character */
    assert_string_equal(text_safe(out, 1, "abc", 0), "");
    assert_string_equal(text_safe(out, sizeof out, NULL, 0), "");
    char all[256];
    for (int i = 0; i < 255; i++) all[i] = (char)(i + 1);
    all[255] = 0;
    char *d = text_safe_dup(all, TEXT_ONE_LINE);   /* the worst case fits */
    assert_non_null(d);
    for (const unsigned char *p = (const unsigned char *)d; *p; p++)
        assert_true(*p >= 0x20 && *p != 0x7f && *p < 0x80);
    free(d);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_controls_escaped),
        cmocka_unit_test(test_unicode),
        cmocka_unit_test(test_bounds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
