# The pair model (issue 11): training (scripts/train.py) on a synthetic corpus
# whose weights are known in sign; retraining reproduces the shipped weights
# and their layer; the cross-validated accuracy floor is in accuracy_dev.
add_test(NAME unit_train COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/train/test_train.py)
set_tests_properties(unit_train PROPERTIES TIMEOUT 60)

add_test(NAME model_retrain
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/train/retrain_check.sh $<TARGET_FILE:incimap>
    ${CMAKE_BINARY_DIR}/default-gazetteer.sqlite ${INCIMAP_SHARED_DIR}
    ${CMAKE_CURRENT_BINARY_DIR}/retrain-out)
set_tests_properties(model_retrain PROPERTIES FIXTURES_REQUIRED gaz_default
  SKIP_RETURN_CODE 77 TIMEOUT 300 LABELS e2e)
