# input.cmake -- the readers of news as it arrives (issue 12): encodings,
# compressed files, zip/tar archives, RSS/Atom feeds, WARC files, and the
# hostile forms of each. One ctest per tests/input/<name>.case (input__<name>,
# labels e2e and input), run by tests/input/run_input.cmake. The binary
# inputs are built at test time from the text fixtures of
# tests/fixtures/input/ by tests/tools/mkinput.c (libarchive, iconv).
pkg_check_modules(MKINPUT_ARCHIVE REQUIRED IMPORTED_TARGET libarchive)
add_executable(mkinput tools/mkinput.c)
target_link_libraries(mkinput PRIVATE PkgConfig::MKINPUT_ARCHIVE)
cx_add_compile_options(mkinput)

file(GLOB _input_cases "${CMAKE_CURRENT_SOURCE_DIR}/input/*.case")
list(SORT _input_cases)
foreach(_case ${_input_cases})
  get_filename_component(_name "${_case}" NAME_WE)
  add_test(NAME input__${_name}
           COMMAND ${CMAKE_COMMAND}
                   -DINCIMAP=$<TARGET_FILE:incimap>
                   -DMKINPUT=$<TARGET_FILE:mkinput>
                   -DCASE=${_case}
                   -DWORK=${CMAKE_CURRENT_BINARY_DIR}/input/${_name}
                   -DGAZ=${CMAKE_BINARY_DIR}/tests/small-gazetteer.sqlite
                   -DFIX=${CMAKE_CURRENT_SOURCE_DIR}/fixtures/input
                   -P ${CMAKE_CURRENT_SOURCE_DIR}/input/run_input.cmake)
  set_tests_properties(input__${_name} PROPERTIES LABELS "e2e;input" TIMEOUT 60
                       FIXTURES_REQUIRED gaz_small)
endforeach()
