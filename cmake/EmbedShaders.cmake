# bcmap_embed_shaders(<target> <files...>): turns GLSL files into a generated C++ source
# with one string per file (bcmap::shaders::get("name.vert")). Editing a shader rebuilds.
function(bcmap_embed_shaders target)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/EmbeddedShaders.cpp)
  set(abs_files "")
  foreach(f IN LISTS ARGN)
    list(APPEND abs_files ${CMAKE_SOURCE_DIR}/shaders/${f})
  endforeach()
  string(REPLACE ";" "|" files_arg "${abs_files}")
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} "-DFILES=${files_arg}"
            -P ${CMAKE_SOURCE_DIR}/cmake/EmbedShadersScript.cmake
    DEPENDS ${abs_files} ${CMAKE_SOURCE_DIR}/cmake/EmbedShadersScript.cmake
    COMMENT "Embedding shaders" VERBATIM)
  target_sources(${target} PRIVATE ${out})
endfunction()
