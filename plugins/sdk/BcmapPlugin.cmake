# bcmap_add_plugin(<name> SOURCES <files...>): a MODULE library that links only the SDK,
# written to the build's plugin folder as bcmap_<name>.so.
function(bcmap_add_plugin name)
  cmake_parse_arguments(ARG "" "OUTPUT_DIR" "SOURCES" ${ARGN})
  set(target bcmap_plugin_${name})
  add_library(${target} MODULE ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE bcmap::sdk)
  if(TARGET bcmap::compiler_options)
    target_link_libraries(${target} PRIVATE bcmap::compiler_options)
  endif()
  if(NOT ARG_OUTPUT_DIR)
    set(ARG_OUTPUT_DIR ${BCMAP_PLUGIN_OUTPUT_DIR})
  endif()
  set_target_properties(${target} PROPERTIES
    PREFIX "" OUTPUT_NAME "bcmap_${name}"
    LIBRARY_OUTPUT_DIRECTORY ${ARG_OUTPUT_DIR}
    CXX_VISIBILITY_PRESET hidden)
  target_link_options(${target} PRIVATE -Wl,--no-undefined)
endfunction()
