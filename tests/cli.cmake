# cli.cmake -- tests of the readers, the `incimap extract` command line, the
# golden/error cases under tests/cases/, and the fuzz corpus replay.
# Owner: CLI / hardening. Labels: unit, e2e (end-to-end, run under valgrind
# by scripts/test.sh), fuzz.

# ===== Readers =====
add_executable(test_document unit/test_read.c)
target_link_libraries(test_document PRIVATE read cx_check)
cx_add_compile_options(test_document)
add_test(NAME unit_document
         COMMAND test_document ${CMAKE_CURRENT_SOURCE_DIR}/fixtures/docs)
set_tests_properties(unit_document PROPERTIES LABELS "unit" TIMEOUT 120)

# the one-pass JSON Lines reader against Jansson (read/jsonl_fast.c)
add_executable(test_jsonl_fast unit/test_jsonl_fast.c fuzz/fuzz_jsonl.c)
target_link_libraries(test_jsonl_fast PRIVATE read cx_check)
cx_add_compile_options(test_jsonl_fast)
add_test(NAME unit_jsonl_fast COMMAND test_jsonl_fast)
set_tests_properties(unit_jsonl_fast PROPERTIES LABELS "unit" TIMEOUT 60)

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

# ===== Fuzz targets (tests/fuzz/) =====
# With -DCX_FUZZ=ON and clang: libFuzzer executables fuzz_<target> (run them
# by hand, see README "Development"). In every build: replay_<target>, the
# same code driven by tests/fuzz/replay.c over tests/fuzz/corpus/<target>/,
# registered as the ctest fuzz_replay_<target>.
foreach(_t reader html extract text merge jsonl)
  set(_lib extract)
  if(_t STREQUAL "merge")
    set(_lib store)
  elseif(_t STREQUAL "reader" OR _t STREQUAL "html" OR _t STREQUAL "jsonl")
    set(_lib read)
  endif()
  add_executable(replay_${_t} fuzz/fuzz_${_t}.c fuzz/replay.c)
  target_link_libraries(replay_${_t} PRIVATE ${_lib})
  target_compile_definitions(replay_${_t} PRIVATE
    FUZZ_DATA_DIR="${PROJECT_SOURCE_DIR}/data")
  cx_add_compile_options(replay_${_t})
  add_test(NAME fuzz_replay_${_t}
           COMMAND replay_${_t} ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/corpus/${_t})
  set_tests_properties(fuzz_replay_${_t} PROPERTIES LABELS "fuzz" TIMEOUT 300)
  if(CX_FUZZ AND CMAKE_C_COMPILER_ID MATCHES "Clang")
    add_executable(fuzz_${_t} fuzz/fuzz_${_t}.c)
    target_link_libraries(fuzz_${_t} PRIVATE ${_lib})
    target_compile_definitions(fuzz_${_t} PRIVATE
      FUZZ_DATA_DIR="${PROJECT_SOURCE_DIR}/data")
    cx_add_compile_options(fuzz_${_t})
    target_compile_options(fuzz_${_t} PRIVATE -fsanitize=fuzzer,address,undefined)
    target_link_options(fuzz_${_t} PRIVATE -fsanitize=fuzzer,address,undefined)
  endif()
endforeach()

# ===== Conventions (issue 18): -o FILE.ext, summary line, installed data paths =====
foreach(_t outfile install)
  add_test(NAME cli_conventions_${_t}
           COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/conventions/check_${_t}.sh)
  set_tests_properties(cli_conventions_${_t} PROPERTIES
    ENVIRONMENT "INCIMAP=$<TARGET_FILE:incimap>;GAZ=${CLI_SMALL_GAZETTEER};WORK=${CMAKE_CURRENT_BINARY_DIR}/conventions-${_t};HERE=${CMAKE_CURRENT_SOURCE_DIR}/conventions;BUILD=${CMAKE_BINARY_DIR};SRC=${PROJECT_SOURCE_DIR}"
    FIXTURES_REQUIRED gaz_small SKIP_RETURN_CODE 77 TIMEOUT 120 LABELS e2e)
endforeach()
