// A planted bug for the sanitizer build: the canary tests pass only if ASan/UBSan stop
// this program. If these tests fail, the sanitizer build is not catching anything.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>

int main(int argc, char** argv) {
  if (argc < 2) return 0;
  if (std::strcmp(argv[1], "overflow") == 0) {
    volatile int n = 8;
    int* a = new int[n];
    a[n] = 1;  // one past the end: heap-buffer-overflow
    std::printf("%d\n", a[0]);
    delete[] a;
  } else if (std::strcmp(argv[1], "signed") == 0) {
    volatile int big = std::numeric_limits<int>::max();
    const int r = big + 1;  // signed integer overflow: undefined behaviour
    std::printf("%d\n", r);
  } else if (std::strcmp(argv[1], "leak") == 0) {
    void* volatile p = std::malloc(64);
    p = nullptr;
    (void)p;
  }
  return 0;
}
