# The plugin author's API is free of Poco: each public header (the SDK's and the test kit's,
# as they are installed) is compiled alone, and the headers it pulls in are listed (-H). A
# header that does not compile alone, or pulls in a Poco header, fails the test; the one opt-in
# header, portico/sdk/data.hpp, must pull Poco in, which proves the check sees Poco at all.
#
#   cmake -DCXX=<compiler> -DINCLUDE_DIRS=<dir|dir> -DHEADER_ROOTS=<dir|dir>
#         -DOPT_IN=portico/sdk/data.hpp -DWORK_DIR=<dir> -P poco_free_headers.cmake
foreach(var CXX INCLUDE_DIRS HEADER_ROOTS OPT_IN WORK_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "poco_free_headers.cmake: ${var} is not set")
  endif()
endforeach()

string(REPLACE "|" ";" INCLUDE_DIRS "${INCLUDE_DIRS}")
string(REPLACE "|" ";" HEADER_ROOTS "${HEADER_ROOTS}")
set(flags -std=c++17 -fsyntax-only -H)
foreach(dir IN LISTS INCLUDE_DIRS)
  list(APPEND flags -I${dir})
endforeach()
file(MAKE_DIRECTORY ${WORK_DIR})

set(failures "")
set(checked 0)
set(opt_in_seen FALSE)
foreach(root IN LISTS HEADER_ROOTS)
  # Globbed when the test runs, so a header added or moved later is checked without edits here.
  file(GLOB_RECURSE headers RELATIVE ${root} ${root}/*.hpp)
  foreach(header IN LISTS headers)
    string(MAKE_C_IDENTIFIER ${header} stem)
    set(unit ${WORK_DIR}/${stem}.cpp)
    file(WRITE ${unit} "#include <${header}>\n")
    execute_process(COMMAND ${CXX} ${flags} ${unit}
      RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
    math(EXPR checked "${checked} + 1")
    if(NOT status EQUAL 0)
      string(APPEND failures "${header}: does not compile on its own:\n${err}\n")
      continue()
    endif()
    string(REGEX MATCHALL "[^\n]*/Poco/[^\n]*" poco_lines "${err}")
    if(header STREQUAL OPT_IN)
      set(opt_in_seen TRUE)
      if(NOT poco_lines)
        string(APPEND failures "${header}: the check saw no Poco header in the opt-in header; "
          "it cannot be trusted to see one elsewhere\n")
      endif()
    elseif(poco_lines)
      list(GET poco_lines 0 first)
      string(STRIP "${first}" first)
      string(APPEND failures "${header}: includes Poco (\"${first}\"); only ${OPT_IN} may\n")
    endif()
  endforeach()
endforeach()

if(NOT opt_in_seen)
  string(APPEND failures "${OPT_IN}: not found under ${HEADER_ROOTS}\n")
endif()
if(failures)
  message(FATAL_ERROR "public headers that include Poco or do not stand alone:\n${failures}")
endif()
message(STATUS "${checked} public headers compile alone; only ${OPT_IN} includes Poco")
