# Fails when a source under app/ escapes the include roots with a relative path that climbs
# out of its folder ("../ui/Viewer.h") or an absolute one: those would reach any module and
# bypass the arrows that the include roots enforce. A module's own headers are included as
# "<module>/Header.h" (or by a path inside its own folder).
# Run as: cmake -DSOURCE_DIR=<repo> -P IncludesAreRooted.cmake
file(GLOB_RECURSE sources ${SOURCE_DIR}/app/*.h ${SOURCE_DIR}/app/*.cpp)
list(LENGTH sources count)
if(count LESS 100)
  message(FATAL_ERROR "found only ${count} sources under ${SOURCE_DIR}/app")
endif()
set(bad)
foreach(f IN LISTS sources)
  file(STRINGS ${f} hits REGEX "^[ \t]*#[ \t]*include[ \t]*[\"<](\\.\\./|/|[^\">]*/\\.\\./)")
  foreach(h IN LISTS hits)
    string(REPLACE "${SOURCE_DIR}/" "" rel ${f})
    string(STRIP "${h}" h)
    list(APPEND bad "${rel}: ${h}")
  endforeach()
endforeach()
if(bad)
  string(REPLACE ";" "\n  " bad "${bad}")
  message(FATAL_ERROR "includes that climb out of the include roots (include \"<module>/Header.h\" instead):\n  ${bad}")
endif()
message(STATUS "${count} sources under app/, every include rooted")
