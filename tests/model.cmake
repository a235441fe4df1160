# The pair model (issue 11): training (scripts/train.py) on a synthetic corpus
# whose weights are known in sign; retraining reproduces the shipped weights
# and their layer; the cross-validated accuracy floor is in accuracy_dev.
add_test(NAME unit_train COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/train/test_train.py)
set_tests_properties(unit_train PROPERTIES TIMEOUT 60)
# the date choice (scripts/train_dates.py) on a synthetic corpus
add_test(NAME unit_train_dates COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/train/test_train_dates.py)
set_tests_properties(unit_train_dates PROPERTIES TIMEOUT 60)
# scripts/candidate_recall.py, and its --distinct (one candidate place per
# incident), on a corpus the test writes.
add_test(NAME unit_candidate_recall
  COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/train/test_candidate_recall.py)
set_tests_properties(unit_candidate_recall PROPERTIES TIMEOUT 60)

add_test(NAME model_retrain
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/train/retrain_check.sh $<TARGET_FILE:incimap>
    ${CMAKE_BINARY_DIR}/default-gazetteer.sqlite ${INCIMAP_SHARED_DIR}
    ${CMAKE_CURRENT_BINARY_DIR}/retrain-out)
set_tests_properties(model_retrain PROPERTIES FIXTURES_REQUIRED gaz_default
  SKIP_RETURN_CODE 77 TIMEOUT 300 LABELS e2e)

# The extractor (extract/model.c) and scripts/train.py score every pair of
# the project's own articles alike, type conjunctions and calibration included.
add_test(NAME model_score_agree
  COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/train/score_agree.py $<TARGET_FILE:incimap>
    ${CMAKE_BINARY_DIR}/default-gazetteer.sqlite ${CMAKE_CURRENT_BINARY_DIR}/score-agree-out)
set_tests_properties(model_score_agree PROPERTIES FIXTURES_REQUIRED gaz_default
  SKIP_RETURN_CODE 77 TIMEOUT 120)

# Candidate pairs and their features on sentences written for the test, and
# the model's contract (confidence, --min-confidence, bad weights files).
add_executable(test_features unit/test_features.c)
target_link_libraries(test_features PRIVATE extract cx_check)
cx_add_compile_options(test_features)
add_test(NAME unit_features
  COMMAND test_features ${PROJECT_SOURCE_DIR}/data ${CMAKE_CURRENT_SOURCE_DIR}/fixtures/extract)
set_tests_properties(unit_features PROPERTIES TIMEOUT 60)

# scripts/lockbox.sh on a fake lockbox (five non-lockbox articles): never
# the real one, which the lead scores once at the end.
add_test(NAME model_lockbox_script
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/train/lockbox_check.sh $<TARGET_FILE:incimap>
    ${CMAKE_BINARY_DIR}/default-gazetteer.sqlite ${INCIMAP_SHARED_DIR}
    ${CMAKE_CURRENT_BINARY_DIR}/lockbox-out)
set_tests_properties(model_lockbox_script PROPERTIES FIXTURES_REQUIRED gaz_default
  SKIP_RETURN_CODE 77 TIMEOUT 300 LABELS e2e)
