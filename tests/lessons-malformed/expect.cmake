# A malformed lesson file must be refused: `tcplab-lesson validate FILE`
# exits with 2 and says on stderr what is wrong.
#
#   cmake -DTOOL=<tcplab-lesson> -DFILE=<file.json> -P tests/lessons-malformed/expect.cmake
#
# The expected text (a substring of stderr) comes from a sibling file
# <name>.expect (for files that are not valid JSON) or else from the file's
# top-level field "expect_error" (which the lesson loader ignores).
if(NOT DEFINED TOOL OR NOT DEFINED FILE)
  message(FATAL_ERROR "usage: cmake -DTOOL=<tcplab-lesson> -DFILE=<file.json> -P expect.cmake")
endif()

get_filename_component(dir "${FILE}" DIRECTORY)
get_filename_component(name "${FILE}" NAME_WLE)
set(expect_file "${dir}/${name}.expect")
if(EXISTS "${expect_file}")
  file(READ "${expect_file}" expected)
  string(STRIP "${expected}" expected)
else()
  file(READ "${FILE}" content)
  string(JSON expected ERROR_VARIABLE json_error GET "${content}" expect_error)
  if(json_error)
    message(FATAL_ERROR "${FILE}: no \"expect_error\" field and no ${name}.expect file: ${json_error}")
  endif()
endif()
if(expected STREQUAL "")
  message(FATAL_ERROR "${FILE}: the expected error text is empty")
endif()

execute_process(COMMAND "${TOOL}" validate "${FILE}"
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc STREQUAL "2")
  message(FATAL_ERROR "${FILE}: expected exit code 2, got ${rc}\nstdout:\n${out}\nstderr:\n${err}")
endif()
string(FIND "${err}" "${expected}" pos)
if(pos EQUAL -1)
  message(FATAL_ERROR "${FILE}: stderr does not contain the expected text\n  expected: ${expected}\n  stderr:   ${err}")
endif()
message(STATUS "refused as expected: ${err}")
