/* sim/main.c - placeholder entry until the CLI lands (replaced by cli). */
int main(void) { return 0; }
