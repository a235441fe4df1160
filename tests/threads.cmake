# threads.cmake -- extraction on several worker threads (cli/pool.c): the
# output of -j N is the output of -j 1 (label "threads": scripts/test.sh runs
# these again in its ThreadSanitizer stage), and one run under valgrind's
# helgrind (label "helgrind").
set(THREADS_INPUTS
  ${PROJECT_SOURCE_DIR}/examples
  ${CMAKE_CURRENT_SOURCE_DIR}/fixtures/docs)
add_test(NAME threads_same_output
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/threads/same_output.sh $<TARGET_FILE:incimap>
          ${CMAKE_CURRENT_BINARY_DIR}/small-gazetteer.sqlite
          ${CMAKE_CURRENT_BINARY_DIR}/threads-same 4 ${THREADS_INPUTS})
set_tests_properties(threads_same_output PROPERTIES LABELS "threads;e2e" TIMEOUT 300
  FIXTURES_REQUIRED gaz_small)

find_program(VALGRIND_EXE valgrind)
# valgrind cannot run a sanitizer build: helgrind runs on the Release build only
if(VALGRIND_EXE AND NOT CMAKE_BUILD_TYPE MATCHES "^(Asan|Tsan)$")
  add_test(NAME threads_helgrind
    COMMAND ${CMAKE_COMMAND} -E env
            "INCIMAP_TEST_WRAPPER=${VALGRIND_EXE} --tool=helgrind --error-exitcode=99 -q --suppressions=${CMAKE_CURRENT_SOURCE_DIR}/helgrind.supp"
            "SAME_MODES=merge db spill"
            sh ${CMAKE_CURRENT_SOURCE_DIR}/threads/same_output.sh $<TARGET_FILE:incimap>
            ${CMAKE_CURRENT_BINARY_DIR}/small-gazetteer.sqlite
            ${CMAKE_CURRENT_BINARY_DIR}/threads-helgrind 2 ${PROJECT_SOURCE_DIR}/examples)
  set_tests_properties(threads_helgrind PROPERTIES LABELS "threads;helgrind;slow" TIMEOUT 900
    FIXTURES_REQUIRED gaz_small)
endif()

# cli_relay (cli/pool.c), the writer's thread of the final export: order,
# one drop per item, a consumer's failure back to the producer.
add_executable(test_relay unit/test_relay.c ${PROJECT_SOURCE_DIR}/cli/pool.c
               ${PROJECT_SOURCE_DIR}/cli/msgs.c)
target_include_directories(test_relay PRIVATE ${PROJECT_SOURCE_DIR}/cli)
find_package(Threads REQUIRED)
target_link_libraries(test_relay PRIVATE gazetteer cx_check cx_common Threads::Threads m)
cx_add_compile_options(test_relay)
add_test(NAME threads_relay COMMAND test_relay)
set_tests_properties(threads_relay PROPERTIES LABELS "threads")
