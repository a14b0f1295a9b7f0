// The memory allocator of the bcmap executable, set once at start-up.
//
// The builds users run (and the main test build) link jemalloc (Debian's libjemalloc2) and
// ask it to hand freed pages back to the kernel at once. With glibc's malloc the viewer's
// resident memory wandered in a band of 270-375 MiB over a ten-minute soak (bench/soak.py:
// reloads, restyles and time play over 200k points) and ended 6-17 % above its first
// minute: freed small blocks of Mesa's llvmpipe and of the UI thread sat between live ones
// in glibc's main arena, which can only give back whole free pages (bench/RESULTS.md, "The
// cause, and the fix: jemalloc"). jemalloc's size-class slabs keep such blocks apart from
// the long-lived ones; with it the soak ends within 4 % of its first minute.
//
// Sanitizer and fuzz builds keep glibc's malloc (their runtimes replace it), with its mmap
// threshold fixed so big buffers still get mappings of their own.
#pragma once

#include <string>
#include <utility>

namespace bcmap {

// Called first thing in main().
void configureAllocator();

// For the headless commands (render, layers, identify, ...): a process that ends in
// seconds gains nothing from handing pages back at once and pays for it in system time
// (a million-vertex polygon's render: 1.8 s of it instead of 1.0), so jemalloc keeps
// freed pages for its default 10 s there. The viewer keeps them for no time at all.
void relaxAllocatorForShortRun();

// {"allocator", "jemalloc 5.3.0-... (the viewer returns freed pages at once)"} or the glibc
// equivalent, for --version: what this process really runs with, read back from the
// allocator itself.
std::pair<std::string, std::string> allocatorVersion();

}  // namespace bcmap
