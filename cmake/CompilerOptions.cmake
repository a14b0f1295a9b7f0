# One INTERFACE target carries warnings and sanitizer flags; every project target links it.
add_library(bcmap_compiler_options INTERFACE)
add_library(bcmap::compiler_options ALIAS bcmap_compiler_options)
target_compile_options(bcmap_compiler_options INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wcast-align -Wunused
  -Woverloaded-virtual -Wnull-dereference -Wformat=2 -Wimplicit-fallthrough)
if(BCMAP_WERROR)
  target_compile_options(bcmap_compiler_options INTERFACE -Werror)
endif()
if(BCMAP_SANITIZE)
  target_compile_options(bcmap_compiler_options INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(bcmap_compiler_options INTERFACE -fsanitize=address,undefined)
endif()
# ThreadSanitizer: a build tree of its own (make test-tsan). TSan and ASan each own the
# shadow memory, so one binary cannot carry both.
option(BCMAP_SANITIZE_THREAD "Build with ThreadSanitizer (exclusive with BCMAP_SANITIZE)" OFF)
if(BCMAP_SANITIZE_THREAD)
  if(BCMAP_SANITIZE)
    message(FATAL_ERROR "BCMAP_SANITIZE and BCMAP_SANITIZE_THREAD are exclusive: use two build trees")
  endif()
  target_compile_options(bcmap_compiler_options INTERFACE -fsanitize=thread -fno-omit-frame-pointer)
  target_link_options(bcmap_compiler_options INTERFACE -fsanitize=thread)
endif()
