#include "Allocator.h"

#include <malloc.h>
#include <sys/types.h>  // ssize_t, jemalloc's type for the decay times

#include <cstddef>

#if BCMAP_WITH_JEMALLOC
#include <jemalloc/jemalloc.h>

// jemalloc reads its options from this symbol when it starts (before main): freed pages,
// dirty or "muzzy" (lazily freed), are purged at once rather than kept for ten seconds. The
// viewer is idle most of the time, and an idle process's kept pages are never purged
// without a background thread. jemalloc.h declares it extern "C" and exported, so the shared
// library sees this definition; allocatorVersion() reads the options back to prove it.
const char* malloc_conf = "dirty_decay_ms:0,muzzy_decay_ms:0";
#endif

namespace bcmap {

void configureAllocator() {
#if !BCMAP_WITH_JEMALLOC
  // Blocks of 128 KiB and more get mappings of their own, given back when freed. glibc
  // otherwise raises that threshold after the first big free (up to 32 MiB), and the
  // few-MB buffers of a reloaded layer then stay resident in the loader threads' heaps once
  // freed: the soak bench grew 20-40 % over ten minutes of reloads (bench/RESULTS.md).
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
}

void relaxAllocatorForShortRun() {
#if BCMAP_WITH_JEMALLOC
  // For the arenas made from now on, then for each made already (an arena not made yet
  // refuses the write, which is fine: it will take the new default).
  ssize_t dirtyMs = 10'000;
  mallctl("arenas.dirty_decay_ms", nullptr, nullptr, &dirtyMs, sizeof dirtyMs);
  unsigned arenas = 0;
  size_t size = sizeof arenas;
  if (mallctl("arenas.narenas", &arenas, &size, nullptr, 0) != 0) return;
  for (unsigned i = 0; i < arenas; ++i) {
    const std::string name = "arena." + std::to_string(i) + ".dirty_decay_ms";
    mallctl(name.c_str(), nullptr, nullptr, &dirtyMs, sizeof dirtyMs);
  }
#endif
}

std::pair<std::string, std::string> allocatorVersion() {
#if BCMAP_WITH_JEMALLOC
  const char* version = nullptr;
  size_t size = sizeof version;
  ssize_t dirty = -1, muzzy = -1;
  size_t sizeDecay = sizeof dirty;
  // Read back, not assumed: a malloc_conf the library did not see would show here.
  if (mallctl("version", &version, &size, nullptr, 0) != 0 || !version) return {"allocator", "jemalloc (unknown)"};
  std::string out = std::string("jemalloc ") + version;
  if (mallctl("opt.dirty_decay_ms", &dirty, &sizeDecay, nullptr, 0) == 0 &&
      mallctl("opt.muzzy_decay_ms", &muzzy, &sizeDecay, nullptr, 0) == 0) {
    out += dirty == 0 && muzzy == 0 ? " (the viewer returns freed pages at once)"
                                    : " (freed pages kept " + std::to_string(dirty) + " ms)";
  }
  return {"allocator", out};
#else
  return {"allocator", "glibc malloc (mmap threshold 128 KiB)"};
#endif
}

}  // namespace bcmap
