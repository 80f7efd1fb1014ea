# -DANNSCOPE_SANITIZE=address,undefined (any of address, undefined, leak) instruments the native core and its
# C tests. Every finding aborts the test that hit it (no recovery), so a sanitized ctest run passes only when
# clean. Kept as a module applied to the whole tree so the library's source layout may change freely.
set(ANNSCOPE_SANITIZE "" CACHE STRING "Comma-separated sanitizers for the native core and its tests (address, undefined, leak)")

if(ANNSCOPE_SANITIZE)
  if(NOT CMAKE_C_COMPILER_ID MATCHES "GNU|Clang")
    message(FATAL_ERROR "ANNSCOPE_SANITIZE needs GCC or Clang (found ${CMAKE_C_COMPILER_ID})")
  endif()
  string(REPLACE "," ";" _as_sanitizers "${ANNSCOPE_SANITIZE}")
  foreach(_as_s IN LISTS _as_sanitizers)
    if(NOT _as_s MATCHES "^(address|undefined|leak)$")
      message(FATAL_ERROR "ANNSCOPE_SANITIZE: unknown sanitizer '${_as_s}' (use address, undefined, leak)")
    endif()
  endforeach()
  string(REPLACE ";" "," _as_list "${_as_sanitizers}")
  # frame pointers and debug info give readable reports; -O1 keeps the instrumented suite fast
  add_compile_options(-fsanitize=${_as_list} -fno-sanitize-recover=all -fno-omit-frame-pointer -g -O1)
  add_link_options(-fsanitize=${_as_list})
  message(STATUS "Sanitizers: ${_as_list}")
endif()
