# Tests of incimap serve and the offline HTML map (issue 21): sh scripts in
# tests/serve/ that run the incimap binary. They skip (77) without the
# gazetteer, the pinned Leaflet files (scripts/fetch-data.sh), and for the
# browser ones Debian's chromium and puppeteer-core (fetch-data.sh installs
# it into VENDOR/node). Screenshots: <build>/tests/serve-out/*/shots.
if(DEFINED ENV{INCIMAP_VENDOR})
  set(_serve_vendor "$ENV{INCIMAP_VENDOR}")
else()
  set(_serve_vendor "${INCIMAP_HOME}/vendor")
endif()
if(DEFINED ENV{INCIMAP_GAZETTEER})
  set(_serve_gaz "$ENV{INCIMAP_GAZETTEER}")
else()
  set(_serve_gaz "${INCIMAP_HOME}/gazetteer.sqlite")
endif()
set(_serve_env "INCIMAP=$<TARGET_FILE:incimap>" "SERVE_SRC=${PROJECT_SOURCE_DIR}"
               "SERVE_OUT=${CMAKE_CURRENT_BINARY_DIR}/serve-out" "SERVE_VENDOR=${_serve_vendor}"
               "SERVE_GAZ=${_serve_gaz}")
file(MAKE_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}/serve-out")
foreach(_t review hostile reimport html_map loop)
  add_test(NAME serve_${_t} COMMAND sh "${CMAKE_CURRENT_SOURCE_DIR}/serve/${_t}.sh")
  set_tests_properties(serve_${_t} PROPERTIES ENVIRONMENT "${_serve_env}" SKIP_RETURN_CODE 77
                       TIMEOUT 180 LABELS "serve;e2e")
endforeach()
