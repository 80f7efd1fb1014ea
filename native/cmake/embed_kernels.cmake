# Writes OUT: a C header holding each OpenCL source in KERNELS as a NUL-terminated byte array named
# as_kernel_<file stem>, plus a table of (name, source) pairs. Bytes, not a string literal, so any character
# in a kernel (quotes, backslashes, long lines) survives unchanged.
set(body "/* generated from native/src/opencl/kernels by embed_kernels.cmake: do not edit */\n#include <stddef.h>\n\n")
set(table "")
foreach(path IN LISTS KERNELS)
  get_filename_component(stem ${path} NAME_WE)
  file(READ ${path} hex HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n  " bytes "${bytes}")
  string(APPEND body "static const char as_kernel_${stem}[] = {\n  ${bytes}0x00};\n\n")
  string(APPEND table "    {\"${stem}\", as_kernel_${stem}},\n")
endforeach()
string(APPEND body "static const struct { const char* name; const char* source; } as_kernel_sources[] = {\n${table}};\n")
file(WRITE ${OUT}.tmp "${body}")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUT}.tmp)
