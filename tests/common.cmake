add_executable(test_common unit/test_common.c)
target_link_libraries(test_common PRIVATE cx_common cx_check)
cx_add_compile_options(test_common)
add_test(NAME unit_common COMMAND test_common)
