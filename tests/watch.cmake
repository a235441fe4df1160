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
