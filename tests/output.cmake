# Tests of geo/ (border index, geodesics, PROJ) and output/ (the layer writer
# in every format, checked with ogrinfo, PostGIS and PyQGIS).
add_executable(test_geo unit/test_geo.c)
target_link_libraries(test_geo PRIVATE geo cx_check)
cx_add_compile_options(test_geo)
add_test(NAME unit_geo COMMAND test_geo)
add_executable(test_geo_admin unit/test_geo_admin.c)
target_link_libraries(test_geo_admin PRIVATE geo cx_check)
cx_add_compile_options(test_geo_admin)
add_test(NAME unit_geo_admin
         COMMAND test_geo_admin ${PROJECT_SOURCE_DIR}/data/regional/admin-units.csv)

add_executable(out_fixture tools/out_fixture.c)
target_include_directories(out_fixture PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/tools)
target_link_libraries(out_fixture PRIVATE output)
cx_add_compile_options(out_fixture)

# The vendor countries file (world-atlas TopoJSON) for the borders checks;
# the tests skip those parts when it is absent.
set(_vendor "$ENV{INCIMAP_VENDOR}")
if(NOT _vendor)
  set(_vendor "/usr/local/share/incimap/vendor")
endif()
set(INCIMAP_TEST_COUNTRIES "${_vendor}/countries-10m.json" CACHE FILEPATH
    "world-atlas countries-10m.json for the output tests")

add_executable(test_output unit/test_output.c)
target_include_directories(test_output PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/tools)
target_link_libraries(test_output PRIVATE output cx_check)
cx_add_compile_options(test_output)
add_test(NAME unit_output
  COMMAND test_output ${CMAKE_CURRENT_BINARY_DIR}/output-work
          ${PROJECT_SOURCE_DIR}/data/styles ${INCIMAP_TEST_COUNTRIES})
set_tests_properties(unit_output PROPERTIES TIMEOUT 300)

# PostGIS round trip: a throwaway cluster on a loopback port (skips with 77
# when the postgresql / postgresql-15-postgis-3 packages are absent).
add_test(NAME postgis_roundtrip
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/postgis/run.sh $<TARGET_FILE:out_fixture>
          ${INCIMAP_TEST_COUNTRIES})
set_tests_properties(postgis_roundtrip PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)

# Headless QGIS: every layer of every format loads valid and styled, and the
# incidents render over the borders (skips with 77 without python3-qgis).
add_test(NAME qgis_layers
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/qgis/check_layers.py
          $<TARGET_FILE:out_fixture> ${PROJECT_SOURCE_DIR}/data/styles
          ${CMAKE_CURRENT_BINARY_DIR}/qgis-work ${INCIMAP_TEST_COUNTRIES})
set_tests_properties(qgis_layers PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300
  ENVIRONMENT "QT_QPA_PLATFORM=offscreen")

# Timings for docs/output.md (not a test): out_bench COUNTRIES OUTDIR [N]
add_executable(out_bench tools/out_bench.c)
target_include_directories(out_bench PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/tools)
target_link_libraries(out_bench PRIVATE output)
cx_add_compile_options(out_bench)

# Issue 18: the README's field table and the layers' fields agree.
add_test(NAME readme_fields
         COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/output/readme_fields.py
                 ${PROJECT_SOURCE_DIR}/README.md $<TARGET_FILE:out_fixture>
                 ${CMAKE_CURRENT_BINARY_DIR}/readme_fields)
set_tests_properties(readme_fields PROPERTIES TIMEOUT 120 LABELS output)

# Issue 20: the streaming GeoJSON writer (output/out_geojson.c) gives the
# bytes of GDAL's driver (INCIMAP_GEOJSON_GDAL=1) on hostile incidents.
add_executable(test_geojson unit/test_geojson.c)
target_link_libraries(test_geojson PRIVATE output cx_check)
cx_add_compile_options(test_geojson)
add_test(NAME unit_geojson COMMAND test_geojson ${CMAKE_CURRENT_BINARY_DIR}/geojson-work
         ${INCIMAP_TEST_COUNTRIES})
set_tests_properties(unit_geojson PROPERTIES TIMEOUT 300)
add_test(NAME geojson_same
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/output/geojson_same.sh $<TARGET_FILE:incimap>
          ${CMAKE_CURRENT_BINARY_DIR}/small-gazetteer.sqlite
          ${CMAKE_BINARY_DIR}/default-gazetteer.sqlite ${INCIMAP_SHARED_DIR}
          ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/geojson-same)
set_tests_properties(geojson_same PROPERTIES FIXTURES_REQUIRED "gaz_small;gaz_default"
  TIMEOUT 600 LABELS e2e)
