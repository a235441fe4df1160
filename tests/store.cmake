# Tests of store/ (issue 5): merge and store unit tests, the kill and
# concurrency tests (tests/store/*.sh driven by store_tool), the issue's bars
# (tests/store/bars.sh, e2e), and the merge benchmark (bench/bench_merge.c).
add_executable(test_merge unit/test_merge.c)
target_link_libraries(test_merge PRIVATE store cx_check m)
cx_add_compile_options(test_merge)
add_test(NAME unit_merge COMMAND test_merge)
set_tests_properties(unit_merge PROPERTIES TIMEOUT 30)

add_executable(test_store unit/test_store.c)
target_link_libraries(test_store PRIVATE store cx_check PkgConfig::SQLITE3 m)
cx_add_compile_options(test_store)
add_test(NAME unit_store COMMAND test_store)
set_tests_properties(unit_store PROPERTIES TIMEOUT 60)

# The merge benchmark (bench/bench_merge.c; bench/bench_merge.sh runs it in
# Release). As a test it guards the bar: 100,000 reports in under 5 s.
add_executable(bench_merge ${PROJECT_SOURCE_DIR}/bench/bench_merge.c)
target_link_libraries(bench_merge PRIVATE store m)
cx_add_compile_options(bench_merge)
add_test(NAME bench_merge_100k COMMAND bench_merge 100000 5)
set_tests_properties(bench_merge_100k PROPERTIES LABELS bench TIMEOUT 120)
if(CMAKE_BUILD_TYPE STREQUAL "Asan")
  # sanitizers slow everything down several times: keep the run, drop the bar
  set_tests_properties(bench_merge_100k PROPERTIES DISABLED TRUE)
endif()

# A driver of the store API for the kill and concurrency scripts.
add_executable(store_tool store/store_tool.c)
target_link_libraries(store_tool PRIVATE store)
cx_add_compile_options(store_tool)
add_test(NAME store_kill
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/store/kill.sh $<TARGET_FILE:store_tool>
                 ${CMAKE_CURRENT_BINARY_DIR}/store_kill)
add_test(NAME store_concurrency
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/store/concurrency.sh $<TARGET_FILE:store_tool>
                 ${CMAKE_CURRENT_BINARY_DIR}/store_concurrency)
set_tests_properties(store_kill store_concurrency PROPERTIES TIMEOUT 180 LABELS store)

# `incimap export` on a store_tool store: usage errors, filters, determinism.
add_test(NAME store_export
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/store/export.sh $<TARGET_FILE:incimap>
                 $<TARGET_FILE:store_tool> ${CMAKE_CURRENT_BINARY_DIR}/store_export)
set_tests_properties(store_export PROPERTIES TIMEOUT 120 LABELS store)

# The issue's bars on the dev corpus (needs ../shared, the default gazetteer
# and `incimap extract --db`; skips with 77 until all three are there).
add_test(NAME store_bars
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/store/bars.sh $<TARGET_FILE:incimap>
                 $<TARGET_FILE:store_tool> ${CMAKE_BINARY_DIR}/default-gazetteer.sqlite
                 ${INCIMAP_SHARED_DIR} ${CMAKE_CURRENT_BINARY_DIR}/store_bars)
set_tests_properties(store_bars PROPERTIES FIXTURES_REQUIRED gaz_default SKIP_RETURN_CODE 77
                     TIMEOUT 600 LABELS e2e)

# Issue 18 end to end: sources of a French and an English report of one
# event, stable ids, a corrected re-feed (tests/store/sources.sh).
add_test(NAME store_sources
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/store/sources.sh $<TARGET_FILE:incimap>
                 $<TARGET_FILE:store_tool> ${CMAKE_BINARY_DIR}/default-gazetteer.sqlite
                 ${CMAKE_CURRENT_BINARY_DIR}/store_sources)
set_tests_properties(store_sources PROPERTIES FIXTURES_REQUIRED gaz_default SKIP_RETURN_CODE 77
                     TIMEOUT 300 LABELS e2e)

# Issue 18 end to end: the outlet each reader finds in a document, else the
# URL's host (tests/store/outlets.sh).
add_test(NAME store_outlets
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/store/outlets.sh $<TARGET_FILE:incimap>
                 ${CMAKE_BINARY_DIR}/default-gazetteer.sqlite
                 ${CMAKE_CURRENT_BINARY_DIR}/store_outlets)
set_tests_properties(store_outlets PROPERTIES FIXTURES_REQUIRED gaz_default SKIP_RETURN_CODE 77
                     TIMEOUT 300 LABELS e2e)

# Issue 18's bars on the dev articles without the lockbox: admin1 on every
# theatre pin, one spelling per unit, no merge across years.
add_test(NAME store_dev_record
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/store/dev_record.sh $<TARGET_FILE:incimap>
                 ${CMAKE_BINARY_DIR}/default-gazetteer.sqlite ${INCIMAP_SHARED_DIR}
                 ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/store_dev_record)
set_tests_properties(store_dev_record PROPERTIES FIXTURES_REQUIRED gaz_default SKIP_RETURN_CODE 77
                     TIMEOUT 300 LABELS e2e)
