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
foreach(_t review hostile reimport split html_map loop)
  add_test(NAME serve_${_t} COMMAND sh "${CMAKE_CURRENT_SOURCE_DIR}/serve/${_t}.sh")
  set_tests_properties(serve_${_t} PROPERTIES ENVIRONMENT "${_serve_env}" SKIP_RETURN_CODE 77
                       TIMEOUT 900 LABELS "serve;e2e")
endforeach()
# the loop retrains the model on data/train (a minute): not under valgrind
set_tests_properties(serve_loop PROPERTIES LABELS "serve;e2e;slow")

# store/store_review.c: verdicts, versions, undo, edits, merge, the overlay.
add_executable(test_store_review unit/test_store_review.c)
target_link_libraries(test_store_review PRIVATE store cx_check PkgConfig::SQLITE3 m)
cx_add_compile_options(test_store_review)
add_test(NAME unit_store_review COMMAND test_store_review)
set_tests_properties(unit_store_review PROPERTIES TIMEOUT 60)
