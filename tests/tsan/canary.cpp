// A planted data race for the ThreadSanitizer build: the canary test passes only if TSan
// reports it. If it fails, the tsan build (or its TSAN_OPTIONS) is not catching anything.
#include <cstdio>
#include <thread>

namespace {
int shared = 0;  // written by two threads with no lock: the race
}

int main() {
  std::thread other([] { shared = 1; });
  shared = 2;
  other.join();
  std::printf("%d\n", shared);
  return 0;
}
