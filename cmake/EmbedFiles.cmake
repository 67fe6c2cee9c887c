# kalm_embed_files(TARGET name NAMESPACE ns ROOT dir [GLOBS ...] [FILES ...])
# Builds a static library that holds the listed files as byte arrays, so the kalm
# binary is self-contained (lexicons, phrase library, web assets). The generated
# source exposes `ns::EmbeddedFiles()` returning {relative path, content} pairs.
# FILES names files by path, for files the build generates (the web UI).
function(kalm_embed_files)
  cmake_parse_arguments(E "" "TARGET;NAMESPACE;ROOT" "GLOBS;FILES" ${ARGN})
  set(files ${E_FILES})
  foreach(g IN LISTS E_GLOBS)
    file(GLOB_RECURSE found CONFIGURE_DEPENDS "${E_ROOT}/${g}")
    list(APPEND files ${found})
  endforeach()
  list(REMOVE_DUPLICATES files)
  list(SORT files)
  set(out "${CMAKE_CURRENT_BINARY_DIR}/${E_TARGET}_embedded.cc")
  add_custom_command(
    OUTPUT "${out}"
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DROOT=${E_ROOT} -DNS=${E_NAMESPACE}
            "-DFILES=${files}" -P "${PROJECT_SOURCE_DIR}/cmake/GenerateEmbedded.cmake"
    DEPENDS ${files} "${PROJECT_SOURCE_DIR}/cmake/GenerateEmbedded.cmake"
    COMMENT "Embedding ${E_TARGET} (${E_ROOT})"
    VERBATIM)
  add_library(${E_TARGET} STATIC "${out}")
  target_include_directories(${E_TARGET} PUBLIC "${PROJECT_SOURCE_DIR}/include")
endfunction()
