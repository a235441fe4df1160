# Tests of `incimap map` (issue 7): map/ unit tests, pixel checks of a
# rendered fixture, SVG/PDF validity, error paths, a 1,000-incident timing
# and the README map's freshness. Everything that needs the Natural Earth
# countries file skips (77) when it is absent.
if(TARGET map)
  if(DEFINED ENV{INCIMAP_VENDOR})
    set(_map_vendor "$ENV{INCIMAP_VENDOR}")
  else()
    set(_map_vendor "${INCIMAP_HOME}/vendor")
  endif()
  set(INCIMAP_MAP_COUNTRIES "${_map_vendor}/countries-10m.json" CACHE FILEPATH
      "Natural Earth countries (world-atlas countries-10m.json) for the map tests")
  set(_map_fixture "${CMAKE_CURRENT_SOURCE_DIR}/map/incidents.geojson")
  set(_map_out "${CMAKE_CURRENT_BINARY_DIR}/map-out")
  file(MAKE_DIRECTORY "${_map_out}")

  add_executable(test_map unit/test_map.c)
  target_link_libraries(test_map PRIVATE map cx_check PkgConfig::GDAL PkgConfig::CAIRO m)
  cx_add_compile_options(test_map)

  add_test(NAME map_unit COMMAND test_map unit "${_map_fixture}")
  add_test(NAME map_render_pixels
           COMMAND test_map render "${_map_fixture}" "${INCIMAP_MAP_COUNTRIES}" "${_map_out}")
  add_test(NAME map_bench_1000
           COMMAND test_map bench 1000 "${INCIMAP_MAP_COUNTRIES}" "${_map_out}")
  set_tests_properties(map_render_pixels map_bench_1000 PROPERTIES SKIP_RETURN_CODE 77)
  set_tests_properties(map_bench_1000 PROPERTIES TIMEOUT 60 LABELS bench)

  # CLI checks: sh scripts that run the incimap binary.
  set(_map_env "INCIMAP=$<TARGET_FILE:incimap>" "MAP_COUNTRIES=${INCIMAP_MAP_COUNTRIES}"
               "MAP_FIXTURE=${_map_fixture}" "MAP_OUT=${_map_out}"
               "MAP_SRC=${PROJECT_SOURCE_DIR}" "MAP_SHARED=${INCIMAP_SHARED_DIR}" "TEST_MAP=$<TARGET_FILE:test_map>"
               "MAP_GAZETTEER=${CMAKE_BINARY_DIR}/default-gazetteer.sqlite")
  foreach(_t cli_errors cli_svg cli_pdf readme_current style_colours e2e sept2022)
    add_test(NAME map_${_t} COMMAND sh "${CMAKE_CURRENT_SOURCE_DIR}/map/check_${_t}.sh")
    set_tests_properties(map_${_t} PROPERTIES ENVIRONMENT "${_map_env}"
                         SKIP_RETURN_CODE 77 TIMEOUT 120)
  endforeach()
  set_tests_properties(map_e2e map_sept2022 PROPERTIES LABELS e2e)
  # The README map and the e2e map come from `incimap extract`, which needs
  # the default gazetteer (tests/gazetteer.cmake's gaz_default fixture).
  set_tests_properties(map_readme_current map_e2e map_sept2022 PROPERTIES
                       FIXTURES_REQUIRED gaz_default)

  # --db: a store made by the store tests' driver (tests/store/store_tool.c).
  if(TARGET store AND EXISTS "${CMAKE_CURRENT_SOURCE_DIR}/store/store_tool.c")
    add_test(NAME map_cli_db COMMAND sh "${CMAKE_CURRENT_SOURCE_DIR}/map/check_cli_db.sh")
    set_tests_properties(map_cli_db PROPERTIES
                         ENVIRONMENT "${_map_env};STORE_TOOL=$<TARGET_FILE:store_tool>"
                         SKIP_RETURN_CODE 77 TIMEOUT 120)
  endif()
endif()

# The QGIS side of the September 2022 bar (issue 18): stars visible under
# every stacking of the styled layers, one label per place, geo_precision 3
# hollow. Skips (77) without python3-qgis or ../shared.
add_test(NAME qgis_sept2022
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/qgis/check_sept2022.py
                 $<TARGET_FILE:incimap> ${INCIMAP_SHARED_DIR} ${PROJECT_SOURCE_DIR}
                 ${CMAKE_CURRENT_BINARY_DIR}/qgis-sept2022)
set_tests_properties(qgis_sept2022 PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300 LABELS e2e
                     FIXTURES_REQUIRED gaz_default
                     ENVIRONMENT "INCIMAP_GAZETTEER=${CMAKE_BINARY_DIR}/default-gazetteer.sqlite")
