#include <stdio.h>
int main(void) { puts("axle"); return 0; }
