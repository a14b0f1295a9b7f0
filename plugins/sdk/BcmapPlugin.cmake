# bcmap_add_plugin(<name> SOURCES <files...> [DATA <files...>] [METADATA plugin.json]
#                  [TEST <file>] [OUTPUT_DIR <dir>] [NO_CHECK])
#
# A layer plugin: a MODULE library that links only the SDK, written as bcmap_<name>.so to
# OUTPUT_DIR (default: the build's plugin folder, where bcmap looks; from an installed
# package, found with find_package(bcmap), the plugins/ folder of the build).
#   DATA   files of the plugin's own folder that it reads at run time (and its plugin.json):
#          the plugin becomes a folder plugin, <OUTPUT_DIR>/bcmap_<name>/bcmap_<name>.so with
#          the files beside it (copied again when they change). The plugin finds them with
#          bundled("file") (the host tells it its folder: ABI 1.3 attach).
#   METADATA  the plugin's plugin.json (id, names, version, ...), kept beside it like DATA.
#   TEST   the plugin's own test source (plugins/<name>/test/...); tests/CMakeLists.txt
#          builds and registers every one recorded here (label `plugin`).
# A plugin written to the default folder is part of `bcmap_plugins`, which bcmap and the
# tests depend on; in bcmap's own build it is also installed (BCMAP_INSTALL_PLUGIN_DIR) and
# gets the test <name>.CheckPlugin.passes (`bcmap check-plugin` on it, label plugin) unless
# NO_CHECK says it makes no layer of its own.
# From an installed package (find_package(bcmap)), `cmake --install` puts the plugin, as a
# folder bcmap_<name>/ with its DATA and METADATA, into CMAKE_INSTALL_PREFIX, which
# bcmapConfig.cmake makes the user's plugin folder unless a prefix is given: the install
# prefix of a plugin project is a plugin folder.
#
# Built with -fno-gnu-unique: GCC otherwise marks inline statics (the wrapper's, the
# standard library's) STB_GNU_UNIQUE, which makes dlclose a no-op, so a hot reload would
# keep every old copy mapped.
function(bcmap_add_plugin name)
  cmake_parse_arguments(ARG "NO_CHECK" "OUTPUT_DIR;TEST;METADATA" "SOURCES;DATA" ${ARGN})
  list(APPEND ARG_DATA ${ARG_METADATA})  # plugin.json travels with the data
  set(from_package OFF)
  if(NOT ARG_OUTPUT_DIR AND NOT BCMAP_PLUGIN_OUTPUT_DIR AND BCMAP_SDK_INSTALLED)
    set(from_package ON)
  endif()
  set(target bcmap_plugin_${name})
  add_library(${target} MODULE ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE bcmap::sdk)
  if(TARGET bcmap::compiler_options)
    target_link_libraries(${target} PRIVATE bcmap::compiler_options)
  endif()
  set(shipped OFF)
  if(NOT ARG_OUTPUT_DIR)
    set(ARG_OUTPUT_DIR ${BCMAP_PLUGIN_OUTPUT_DIR})
    set(shipped ON)
  endif()
  if(NOT ARG_OUTPUT_DIR)  # from an installed package (find_package(bcmap)): the build's plugins/
    set(ARG_OUTPUT_DIR ${CMAKE_BINARY_DIR}/plugins)
  endif()
  # With data: a folder of its own, NAME/NAME.so beside its files (PluginHost::listPlugins).
  set(lib_dir ${ARG_OUTPUT_DIR})
  if(ARG_DATA)
    set(lib_dir ${ARG_OUTPUT_DIR}/bcmap_${name})
  endif()
  set_target_properties(${target} PROPERTIES
    PREFIX "" OUTPUT_NAME "bcmap_${name}"
    LIBRARY_OUTPUT_DIRECTORY ${lib_dir}
    CXX_VISIBILITY_PRESET hidden)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(${target} PRIVATE -fno-gnu-unique)
  endif()
  target_link_options(${target} PRIVATE -Wl,--no-undefined)

  if(ARG_DATA)
    set(copies)
    foreach(file IN LISTS ARG_DATA)
      get_filename_component(src ${file} ABSOLUTE)
      get_filename_component(base ${file} NAME)
      set(dst ${lib_dir}/${base})
      add_custom_command(OUTPUT ${dst}
        COMMAND ${CMAKE_COMMAND} -E copy_if_different ${src} ${dst}
        DEPENDS ${src}
        COMMENT "Copying ${name}'s data ${base}")
      list(APPEND copies ${dst})
    endforeach()
    add_custom_target(${target}_data DEPENDS ${copies})
    add_dependencies(${target} ${target}_data)
  endif()

  if(shipped AND TARGET bcmap_plugins)
    add_dependencies(bcmap_plugins ${target})
  endif()
  # bcmap's own build installs its shipped plugins (and their data) into the prefix.
  if(shipped AND BCMAP_INSTALL_PLUGIN_DIR)
    if(ARG_DATA)
      install(TARGETS ${target} LIBRARY DESTINATION ${BCMAP_INSTALL_PLUGIN_DIR}/bcmap_${name})
      install(FILES ${ARG_DATA} DESTINATION ${BCMAP_INSTALL_PLUGIN_DIR}/bcmap_${name})
    else()
      install(TARGETS ${target} LIBRARY DESTINATION ${BCMAP_INSTALL_PLUGIN_DIR})
    endif()
  endif()
  if(shipped AND NOT ARG_NO_CHECK)  # tests/sdk registers <name>.CheckPlugin.passes
    set_property(GLOBAL APPEND PROPERTY BCMAP_PLUGIN_CHECKS "${name}")
  endif()
  if(from_package)
    install(TARGETS ${target} LIBRARY DESTINATION bcmap_${name})
    if(ARG_DATA)
      install(FILES ${ARG_DATA} DESTINATION bcmap_${name})
    endif()
  endif()
  if(ARG_TEST)
    get_filename_component(test_src ${ARG_TEST} ABSOLUTE)
    set_property(GLOBAL APPEND PROPERTY BCMAP_PLUGIN_TESTS "${name}|${test_src}")
  endif()
endfunction()
