# The libFuzzer build (make fuzz): a build tree of its own, configured with clang
# (CC=clang-14 CXX=clang++-14) and BCMAP_FUZZ=ON. Every project target is compiled with the
# fuzzer's coverage instrumentation and AddressSanitizer + UndefinedBehaviorSanitizer; the
# harnesses in fuzz/ link libFuzzer's main. The GCC trees build the same harnesses into a
# replay driver instead (tests/fuzz/), so they need no clang.
option(BCMAP_FUZZ "Build the libFuzzer harnesses of fuzz/ (clang only; make fuzz)" OFF)
if(BCMAP_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "BCMAP_FUZZ needs clang (CC=clang-14 CXX=clang++-14): libFuzzer is clang's")
  endif()
  if(BCMAP_SANITIZE OR BCMAP_SANITIZE_THREAD)
    message(FATAL_ERROR "BCMAP_FUZZ brings its own sanitizers: leave BCMAP_SANITIZE* off")
  endif()
  target_compile_options(bcmap_compiler_options INTERFACE
    -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(bcmap_compiler_options INTERFACE -fsanitize=address,undefined)
endif()
