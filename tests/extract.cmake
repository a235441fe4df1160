# Extraction tests (issue 3): unit tests with an in-memory gazetteer, and the
# accuracy floor on the dev corpus with the default gazetteer.
add_executable(test_extract unit/test_extract.c)
target_link_libraries(test_extract PRIVATE extract cx_check)
cx_add_compile_options(test_extract)
add_test(NAME unit_extract
  COMMAND test_extract ${PROJECT_SOURCE_DIR}/data ${CMAKE_CURRENT_SOURCE_DIR}/fixtures/extract)
set_tests_properties(unit_extract PROPERTIES TIMEOUT 60)

# Trigger phrasing (issue 16): the lexicon's compact forms (extract/inflect.c)
# and a sentence per trigger family and form, in English and French.
add_executable(test_triggers unit/test_triggers.c)
target_link_libraries(test_triggers PRIVATE extract cx_check)
cx_add_compile_options(test_triggers)
add_test(NAME unit_triggers
  COMMAND test_triggers ${PROJECT_SOURCE_DIR}/data ${CMAKE_CURRENT_SOURCE_DIR}/fixtures/extract)
set_tests_properties(unit_triggers PROPERTIES TIMEOUT 60)

# Accuracy on the dev corpus: fails below the level reached, so it cannot
# regress. Skips (77) without ../shared or the default gazetteer.
add_test(NAME accuracy_dev
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/accuracy/run.sh $<TARGET_FILE:incimap>
    ${CMAKE_BINARY_DIR}/default-gazetteer.sqlite ${INCIMAP_SHARED_DIR}
    ${CMAKE_CURRENT_BINARY_DIR}/accuracy-out)
set_tests_properties(accuracy_dev PROPERTIES FIXTURES_REQUIRED gaz_default
  SKIP_RETURN_CODE 77 TIMEOUT 300 LABELS e2e)

# The blind challenge corpus (data/challenge/dev, issue 16): articles written
# without reading the extractor, scored by scripts/challenge.sh. Floors a
# little under what the code reached when they were set (data/challenge/README.md;
# raised at a6e4c76, which reaches F1 0.77, dates 0.85, actor1 0.93).
add_test(NAME accuracy_challenge
  COMMAND ${CMAKE_COMMAND} -E env INCIMAP=$<TARGET_FILE:incimap>
    INCIMAP_GAZETTEER=${CMAKE_BINARY_DIR}/default-gazetteer.sqlite SHARED=${INCIMAP_SHARED_DIR}
    MIN_F1=0.74 MIN_DATE=0.82 MIN_ACTOR=0.90
    bash ${PROJECT_SOURCE_DIR}/scripts/challenge.sh dev)
set_tests_properties(accuracy_challenge PROPERTIES FIXTURES_REQUIRED gaz_default
  SKIP_RETURN_CODE 77 TIMEOUT 300 LABELS e2e)

# Many reports: the merge moves to a temporary store; same layers, no leftovers.
add_test(NAME extract_spill
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/accuracy/spill.sh $<TARGET_FILE:incimap>
    ${CMAKE_BINARY_DIR}/default-gazetteer.sqlite ${INCIMAP_SHARED_DIR}
    ${CMAKE_CURRENT_BINARY_DIR}/spill-out)
set_tests_properties(extract_spill PROPERTIES FIXTURES_REQUIRED gaz_default
  SKIP_RETURN_CODE 77 TIMEOUT 300 LABELS e2e)

# Date expressions (overnight ranges, weekdays, month-only publication dates)
# on sentences written for the test, with the real lexicon.
add_executable(test_dates unit/test_dates.c)
target_link_libraries(test_dates PRIVATE extract cx_check)
cx_add_compile_options(test_dates)
add_test(NAME unit_dates COMMAND test_dates ${PROJECT_SOURCE_DIR}/data)
set_tests_properties(unit_dates PROPERTIES TIMEOUT 60)

# Dates and actor side through the extractor (issue 16): datelines, coarse
# publication dates, carried and background dates, the enemy, claimants
add_executable(test_dates_actors unit/test_dates_actors.c)
target_link_libraries(test_dates_actors PRIVATE extract read cx_check)
cx_add_compile_options(test_dates_actors)
add_test(NAME unit_dates_actors COMMAND test_dates_actors ${PROJECT_SOURCE_DIR}/data)
set_tests_properties(unit_dates_actors PROPERTIES TIMEOUT 60)

# claimed_by on every dev article but the lockbox: a party of the conflict
# file or a named organisation, never a fragment (issue 18).
add_test(NAME claims_dev
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/accuracy/claims.sh $<TARGET_FILE:incimap>
    ${CMAKE_BINARY_DIR}/default-gazetteer.sqlite ${INCIMAP_SHARED_DIR}
    ${CMAKE_CURRENT_BINARY_DIR}/claims-out)
set_tests_properties(claims_dev PROPERTIES FIXTURES_REQUIRED gaz_default
  SKIP_RETURN_CODE 77 TIMEOUT 300 LABELS e2e)

# The lexicon's loader (issue 20, start-up): the JSON reader's fast path
# against Jansson, and the phrase dictionary's lists, on lexicons written
# for the test and the shipped data files.
add_executable(test_lexicon unit/test_lexicon.c)
target_link_libraries(test_lexicon PRIVATE extract cx_check)
cx_add_compile_options(test_lexicon)
add_test(NAME unit_lexicon COMMAND test_lexicon ${PROJECT_SOURCE_DIR}/data)
set_tests_properties(unit_lexicon PROPERTIES TIMEOUT 60)
