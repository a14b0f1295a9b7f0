# Run by `cmake --install` (CMakeLists.txt): strips the installed bcmap, bcmap-probe and
# plugins as Debian's dh_strip does (symbols not needed for relocation, and the .comment and
# .note sections). Their debug information names the source and build folders, which an
# installed (and movable) prefix must not carry; the build tree keeps its own, unstripped
# copies. The dynamic symbols stay: the host finds bcmap_plugin_entry_v1 with dlsym.
# Given BCMAP_STRIP (the strip program) and BCMAP_STRIP_PATHS (globs under the prefix).
set(_bcmap_prefix "$ENV{DESTDIR}${CMAKE_INSTALL_PREFIX}")
foreach(_bcmap_pattern IN LISTS BCMAP_STRIP_PATHS)
  file(GLOB _bcmap_binaries "${_bcmap_prefix}/${_bcmap_pattern}")
  foreach(_bcmap_binary IN LISTS _bcmap_binaries)
    execute_process(COMMAND "${BCMAP_STRIP}" --strip-unneeded --remove-section=.comment --remove-section=.note
                            "${_bcmap_binary}" RESULT_VARIABLE _bcmap_rc)
    if(NOT _bcmap_rc EQUAL 0)
      message(FATAL_ERROR "${BCMAP_STRIP} --strip-unneeded ${_bcmap_binary} failed")
    endif()
  endforeach()
endforeach()
