# cli.cmake -- tests of the readers, the `incimap extract` command line, the
# golden/error cases under tests/cases/, and the fuzz corpus replay.
# Owner: CLI / hardening. Labels: unit, e2e (end-to-end, run under valgrind
# by scripts/test.sh), fuzz.

# ===== Readers =====
add_executable(test_document unit/test_document.c)
target_link_libraries(test_document PRIVATE extract cx_check)
cx_add_compile_options(test_document)
add_test(NAME unit_document
         COMMAND test_document ${CMAKE_CURRENT_SOURCE_DIR}/fixtures/docs)
set_tests_properties(unit_document PROPERTIES LABELS "unit" TIMEOUT 120)

# ===== Golden / error cases: tests/cases/<name>/ =====
# Each directory is one ctest (case__<name>) run by tests/cases/run_case.cmake;
# see that file for the layout. Cases whose args name @GAZ@ need the small
# gazetteer built by the gazetteer tests (fixture gaz_small). Cases named
# pathological_* or with a `timeout` file get that TIMEOUT and the label
# "slow" (left out of the valgrind run, which would take hours on them).
set(CLI_SMALL_GAZETTEER "${CMAKE_BINARY_DIR}/tests/small-gazetteer.sqlite")
file(GLOB _cli_cases LIST_DIRECTORIES true "${CMAKE_CURRENT_SOURCE_DIR}/cases/*")
list(SORT _cli_cases)
foreach(_case ${_cli_cases})
  if(NOT IS_DIRECTORY "${_case}" OR NOT EXISTS "${_case}/args")
    continue()
  endif()
  get_filename_component(_name "${_case}" NAME)
  add_test(NAME case__${_name}
           COMMAND ${CMAKE_COMMAND}
                   -DINCIMAP=$<TARGET_FILE:incimap>
                   -DCASE=${_case}
                   -DWORK=${CMAKE_CURRENT_BINARY_DIR}/cases/${_name}
                   -DGAZ=${CLI_SMALL_GAZETTEER}
                   -P ${CMAKE_CURRENT_SOURCE_DIR}/cases/run_case.cmake)
  set(_labels e2e)
  set(_timeout 30)
  if(EXISTS "${_case}/timeout")
    file(READ "${_case}/timeout" _timeout)
    string(STRIP "${_timeout}" _timeout)
    list(APPEND _labels slow)
  endif()
  set_tests_properties(case__${_name} PROPERTIES
    LABELS "${_labels}" TIMEOUT ${_timeout} SKIP_REGULAR_EXPRESSION "SKIPPED:")
  file(READ "${_case}/args" _args)
  if(_args MATCHES "@GAZ@")
    set_tests_properties(case__${_name} PROPERTIES FIXTURES_REQUIRED gaz_small)
  endif()
endforeach()
