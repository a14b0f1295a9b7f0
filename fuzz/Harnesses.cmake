# The harnesses of fuzz/, each as <name>:<module>: fuzz/<name>.cpp drives bcmap::<module>,
# and its corpus is fuzz/corpus/<name>/. Read by fuzz/CMakeLists.txt (the libFuzzer build)
# and tests/fuzz/CMakeLists.txt (the corpus replay in the GCC trees).
set(BCMAP_FUZZ_HARNESSES
  coordinate:nav
  filter:nav
  geojson:io
  plugin_style:host
  session:host
  triangulate:geometry)
