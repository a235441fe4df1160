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
