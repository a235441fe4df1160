# robust.cmake -- issue 19, "no silent loss": each row of the issue's table
# is a test here (shell scripts under tests/robust/, some with a real second
# process holding a lock or a WAL) or a case under tests/cases/. Labels e2e
# (the valgrind run takes them) and robust; `long` marks the watch soak,
# registered only with -DCX_LONG_TESTS=ON (scripts/test.sh LONG=1).
set(_rb ${CMAKE_CURRENT_SOURCE_DIR}/robust)
set(_rb_work ${CMAKE_CURRENT_BINARY_DIR}/robust)

add_test(NAME robust_fetch
  COMMAND sh ${_rb}/fetch.sh $<TARGET_FILE:incimap> ${_rb_work}/fetch)
set_tests_properties(robust_fetch PROPERTIES LABELS "robust" TIMEOUT 400)

set(_rb_gaz ${CMAKE_BINARY_DIR}/tests/small-gazetteer.sqlite)
foreach(_c gpkg_wal gpkg_locked gpkg_two folder_gpkg_wal folder_gpkg_locked folder_locked folder_two folder_atomic stdout_full
           signals gaz_build_kill)
  add_test(NAME robust_${_c}
    COMMAND sh ${_rb}/outputs.sh $<TARGET_FILE:incimap> ${_rb_gaz} ${_rb_work}/${_c} ${_c})
  set_tests_properties(robust_${_c} PROPERTIES LABELS "robust" TIMEOUT 180
                       FIXTURES_REQUIRED gaz_small)
endforeach()

# Under the sanitizers RSS and address-space limits measure the shadow
# memory, not ours: the run is kept (windows, the document that fails alone
# is then not provoked), the bars are dropped.
set(_rb_mem_mode bars)
if(CMAKE_BUILD_TYPE STREQUAL "Asan")
  set(_rb_mem_mode nobars)
endif()
add_test(NAME robust_memory
  COMMAND sh ${_rb}/memory.sh $<TARGET_FILE:incimap> ${_rb_gaz} ${_rb_work}/memory ${_rb_mem_mode})
set_tests_properties(robust_memory PROPERTIES LABELS "robust" TIMEOUT 300
                     FIXTURES_REQUIRED gaz_small)

# issue 20: peak memory flat in the input's size (1 MB against 5 MB, -j 2)
add_test(NAME robust_memory_flat
  COMMAND sh ${_rb}/memory_flat.sh $<TARGET_FILE:incimap> ${_rb_gaz} ${_rb_work}/memory_flat
          ${_rb_mem_mode})
set_tests_properties(robust_memory_flat PROPERTIES LABELS "robust" TIMEOUT 180
                     FIXTURES_REQUIRED gaz_small)

add_test(NAME robust_exit_table COMMAND sh ${_rb}/exit_table.sh ${PROJECT_SOURCE_DIR})
set_tests_properties(robust_exit_table PROPERTIES LABELS "robust" TIMEOUT 30)

add_executable(test_cx_lock unit/test_cx_lock.c)
target_link_libraries(test_cx_lock PRIVATE cx_common cx_check)
cx_add_compile_options(test_cx_lock)
add_test(NAME unit_cx_lock COMMAND test_cx_lock)
set_tests_properties(unit_cx_lock PROPERTIES LABELS "unit;robust" TIMEOUT 60)

# Fuzz targets for the readers fuzz_reader does not reach (issue 19): feeds,
# WARC, archive members and compressed streams (fuzz_container), and the
# encoding decoder (fuzz_decode). Replayed over tests/fuzz/corpus/<target>/
# in every build; libFuzzer executables with -DCX_FUZZ=ON and clang, as the
# targets of tests/cli.cmake.
foreach(_t container decode)
  add_executable(replay_${_t} fuzz/fuzz_${_t}.c fuzz/replay.c)
  target_link_libraries(replay_${_t} PRIVATE read)
  cx_add_compile_options(replay_${_t})
  add_test(NAME fuzz_replay_${_t}
           COMMAND replay_${_t} ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/corpus/${_t})
  set_tests_properties(fuzz_replay_${_t} PROPERTIES LABELS "fuzz;robust" TIMEOUT 300)
  if(CX_FUZZ AND CMAKE_C_COMPILER_ID MATCHES "Clang")
    add_executable(fuzz_${_t} fuzz/fuzz_${_t}.c)
    target_link_libraries(fuzz_${_t} PRIVATE read)
    cx_add_compile_options(fuzz_${_t})
    target_compile_options(fuzz_${_t} PRIVATE -fsanitize=fuzzer,address,undefined)
    target_link_options(fuzz_${_t} PRIVATE -fsanitize=fuzzer,address,undefined)
  endif()
endforeach()
