// FuzzSupport: what the harnesses share. Each harness in this folder defines
// LLVMFuzzerTestOneInput; clang's libFuzzer drives it (make fuzz, build-fuzz/), and the GCC
// trees replay the committed corpus through the same function (tests/fuzz/FuzzReplay.cpp).
// A harness checks the contract of the code it drives and calls fuzzCheckFailed when the code
// breaks it, so a broken promise is a crash the fuzzer keeps, not a silent wrong answer.
#pragma once

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace bcmap::fuzz {

// A broken invariant: say which and abort (libFuzzer saves the input as a crash).
[[noreturn]] inline void fuzzCheckFailed(const char* what) {
  std::fprintf(stderr, "fuzz check failed: %s\n", what);
  std::abort();
}
#define BCMAP_FUZZ_CHECK(cond) \
  do {                         \
    if (!(cond)) ::bcmap::fuzz::fuzzCheckFailed(#cond); \
  } while (0)

// Takes bytes off the front of the input; past the end everything reads as 0.
class ByteReader {
 public:
  ByteReader(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  size_t left() const { return size_ - pos_; }
  uint8_t byte() { return pos_ < size_ ? data_[pos_++] : 0; }
  template <class T>
  T pod() {
    T v{};
    const size_t n = left() < sizeof v ? left() : sizeof v;
    if (n) std::memcpy(&v, data_ + pos_, n);
    pos_ += n;
    return v;
  }
  // The rest of the input, untouched.
  std::string_view rest() {
    std::string_view r(reinterpret_cast<const char*>(data_) + pos_, size_ - pos_);
    pos_ = size_;
    return r;
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

// A file of this process's own that holds `bytes`, for readers that take a path. In
// /dev/shm when there is one (no disk writes per run), else $TMPDIR or /tmp. The same path
// every time: one process runs one input at a time.
inline std::string writeScratchFile(std::string_view bytes, const char* suffix) {
  static const std::string dir = [] {
    if (access("/dev/shm", W_OK) == 0) return std::string("/dev/shm");
    const char* t = std::getenv("TMPDIR");
    return std::string(t && *t ? t : "/tmp");
  }();
  const std::string path = dir + "/bcmap-fuzz-" + std::to_string(getpid()) + suffix;
  // Removed when the process ends normally (a crash leaves it for the post-mortem).
  struct Remover {
    std::string path;
    ~Remover() { std::remove(path.c_str()); }
  };
  static Remover remover{path};
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) fuzzCheckFailed("cannot write the scratch file");
  if (!bytes.empty() && std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size()) fuzzCheckFailed("short write");
  std::fclose(f);
  return path;
}

}  // namespace bcmap::fuzz
