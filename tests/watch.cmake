# watch.cmake -- `incimap watch` (issue 12): tests/watch/watch.sh drops files
# into a watched folder and checks the layers within 5 s of each drop, the
# bad file reported once, SIGTERM's clean end and a restart that reads nothing
# new; once with inotify, once with --poll. Labels e2e (so the valgrind run
# of scripts/test.sh takes them, with longer waits and no timing bar) and
# watch.
foreach(_mode inotify poll)
  add_test(NAME watch_${_mode}
           COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/watch/watch.sh $<TARGET_FILE:incimap>
                   ${CMAKE_BINARY_DIR}/tests/small-gazetteer.sqlite
                   ${CMAKE_CURRENT_SOURCE_DIR}/fixtures/input
                   ${CMAKE_CURRENT_BINARY_DIR}/watch/${_mode} ${_mode})
  set_tests_properties(watch_${_mode} PROPERTIES LABELS "e2e;watch" TIMEOUT 120
                       FIXTURES_REQUIRED gaz_small)
endforeach()

# Issue 19: a watch that never goes deaf (tests/watch/robust.sh: .part/.tmp/~
# names, files written in two steps, symlinks out of the tree, SIGHUP, the
# watched folder deleted and recreated, empty layers at start, timestamped
# batch log lines).
add_test(NAME watch_robust
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/watch/robust.sh $<TARGET_FILE:incimap>
                 ${CMAKE_BINARY_DIR}/tests/small-gazetteer.sqlite
                 ${CMAKE_CURRENT_BINARY_DIR}/watch/robust)
set_tests_properties(watch_robust PROPERTIES LABELS "watch;robust" TIMEOUT 180
                     FIXTURES_REQUIRED gaz_small)

# Issue 19: a file edited or replaced under its name replaces its document,
# its incidents re-derived (tests/watch/replace.sh).
add_test(NAME watch_replace
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/watch/replace.sh $<TARGET_FILE:incimap>
                 ${CMAKE_BINARY_DIR}/tests/small-gazetteer.sqlite
                 ${CMAKE_CURRENT_BINARY_DIR}/watch/replace)
set_tests_properties(watch_replace PROPERTIES LABELS "watch;robust" TIMEOUT 120
                     FIXTURES_REQUIRED gaz_small)

# The 10-minute soak (label long): only with -DCX_LONG_TESTS=ON, which
# scripts/test.sh sets when LONG=1. Bounded random drops, partial writes,
# replacements, deletions and a recreation of the folder; then the store
# passes integrity_check, the layers equal an export, no temporary is left.
option(CX_LONG_TESTS "Register the long tests (the watch soak)" OFF)
if(CX_LONG_TESTS)
  add_test(NAME watch_soak
           COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/watch/soak.py $<TARGET_FILE:incimap>
                   ${CMAKE_BINARY_DIR}/tests/small-gazetteer.sqlite
                   ${CMAKE_CURRENT_BINARY_DIR}/watch/soak 600)
  set_tests_properties(watch_soak PROPERTIES LABELS "long;watch" TIMEOUT 900
                       FIXTURES_REQUIRED gaz_small)
endif()
