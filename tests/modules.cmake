# The incimap executable without GDAL, PROJ, SpatiaLite, cairo and curl, and
# the GDAL module it loads when needed (issue 20, docs/modules.md). The
# module's commands are also covered by the tests of what runs in it: map_*
# (map), gaz_cli_build_summary, gaz_killed_build (gazetteer build),
# qgis_layers, unit_output's formats via out_fixture and case__output_* (the
# OGR formats of `extract`).

# The FlatGeobuf border reader of our own against OGR's reading.
add_executable(test_borders_fgb unit/test_borders_fgb.c)
target_link_libraries(test_borders_fgb PRIVATE output cx_check PkgConfig::GDAL)
cx_add_compile_options(test_borders_fgb)
set(_countries_fgb "$ENV{INCIMAP_VENDOR}")
if(NOT _countries_fgb)
  set(_countries_fgb "/usr/local/share/incimap/vendor")
endif()
set(_countries_fgb "${_countries_fgb}/countries-10m.fgb")
if(NOT EXISTS "${_countries_fgb}")
  set(_countries_fgb "")
endif()
file(MAKE_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/borders-fgb-work)
add_test(NAME unit_borders_fgb
         COMMAND test_borders_fgb ${CMAKE_CURRENT_BINARY_DIR}/borders-fgb-work "${_countries_fgb}")
set_tests_properties(unit_borders_fgb PROPERTIES TIMEOUT 120)

foreach(_c needed missing gpkg)
  add_test(NAME modules_${_c}
           COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/modules/check_modules.sh ${_c}
                   $<TARGET_FILE:incimap> ${GAZ_SMALL} ${CMAKE_CURRENT_BINARY_DIR}/modules-${_c})
  set_tests_properties(modules_${_c} PROPERTIES TIMEOUT 60 SKIP_RETURN_CODE 77)
endforeach()
add_test(NAME modules_installed
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/modules/check_modules.sh installed
                 $<TARGET_FILE:incimap> ${GAZ_SMALL} ${CMAKE_CURRENT_BINARY_DIR}/modules-installed
                 ${CMAKE_COMMAND} ${PROJECT_BINARY_DIR})
set_tests_properties(modules_installed PROPERTIES TIMEOUT 120)
set_tests_properties(modules_missing modules_gpkg modules_installed PROPERTIES
                     FIXTURES_REQUIRED gaz_small)
