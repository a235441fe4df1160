# read/ (issue 17): the article-extraction benchmark as a floor. The pages and
# their gold come from ../shared at run time (never copied into the repo).
add_test(NAME read_bench_f1
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/read/bench_f1.sh $<TARGET_FILE:incimap>
                 ${INCIMAP_SHARED_DIR} 0.93)
set_tests_properties(read_bench_f1 PROPERTIES LABELS "read;accuracy" TIMEOUT 300
                     SKIP_REGULAR_EXPRESSION "SKIPPED:")
