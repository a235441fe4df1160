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
