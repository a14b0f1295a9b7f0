# bcmap_add_module(<name> SOURCES <files...> [USES <modules...>]
#                  [PUBLIC_LIBS <targets...>] [PRIVATE_LIBS <targets...>])
#
# One folder of app/ as one static library, bcmap::<name>. Its headers are included as
# "<name>/Header.h" from an include root of its own (a link in the build tree,
# include-roots/<name>/<name> -> app/<name>), so a target sees the headers of exactly the
# modules it links: an include against the arrows of ARCHITECTURE.md does not compile.
# USES lists the modules this one may include (PUBLIC: what a module's headers use, its
# users see too, which keeps the layers transitive).
function(bcmap_add_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;USES;PUBLIC_LIBS;PRIVATE_LIBS" ${ARGN})
  set(target bcmap_${name})
  add_library(${target} STATIC ${ARG_SOURCES})
  add_library(bcmap::${name} ALIAS ${target})
  bcmap_module_include_root(${name} root)
  target_include_directories(${target} PUBLIC ${root})
  foreach(dep IN LISTS ARG_USES)
    target_link_libraries(${target} PUBLIC bcmap::${dep})
  endforeach()
  target_link_libraries(${target} PUBLIC ${ARG_PUBLIC_LIBS} PRIVATE ${ARG_PRIVATE_LIBS} bcmap::compiler_options)
  # Plugins and the test fixtures are shared objects; the host code they share is PIC.
  set_target_properties(${target} PROPERTIES POSITION_INDEPENDENT_CODE ON)
endfunction()

# Sets <out> to the include root of module <name> (made on first use).
function(bcmap_module_include_root name out)
  set(root ${CMAKE_BINARY_DIR}/include-roots/${name})
  if(NOT EXISTS ${root}/${name})
    file(MAKE_DIRECTORY ${root})
    file(CREATE_LINK ${CMAKE_SOURCE_DIR}/app/${name} ${root}/${name} SYMBOLIC)
  endif()
  set(${out} ${root} PARENT_SCOPE)
endfunction()
