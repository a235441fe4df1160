# run_case.cmake -- run one golden/error case of tests/cases/<name>/.
#
#   cmake -DINCIMAP=... -DCASE=<case dir> -DWORK=<scratch dir> -DGAZ=<gazetteer>
#         -P run_case.cmake
#
# A case directory holds:
#   args             the command line, one argument per line (no shell quoting)
#   expected.status  the exit status
#   expected.err     optional: every non-empty line must appear in stderr
#   expected.out     optional: every non-empty line must appear in stdout
#   input/           optional: copied to WORK/input before the run
#   setup            optional: one action per line, run before incimap:
#                      big NAME BYTES          one-line text of BYTES bytes, no punctuation
#                      capwords NAME COUNT     COUNT capitalised place-like words
#                      pairwords NAME COUNT    one sentence of COUNT triggers, each
#                                              with a place (candidate pairs)
#                      repeat NAME COUNT TEXT  TEXT (rest of line) COUNT times, one per line
#                      nested NAME DEPTH       a .json file nested DEPTH arrays deep
#                      symlink TARGET NAME     a symbolic link NAME -> TARGET
#                      file NAME               an empty regular file
#                      mkdir NAME              an empty folder
#                      chmod MODE NAME         chmod MODE (skipped with SKIPPED: as root)
#                      stdin NAME              feed this file on standard input
#                      ulimit-f BLOCKS         run under `ulimit -f BLOCKS` (a full disk)
#                      env NAME=VALUE          set NAME in incimap's environment
#                      no-wrapper              skipped (SKIPPED:) under INCIMAP_TEST_WRAPPER
#                                              (valgrind itself needs a usable TMPDIR)
#   checks           optional: after the run
#                      no-output               nothing named out* / .out* is left in WORK
#                      exists REL              WORK/REL exists
#                      empty REL               WORK/REL is a folder with nothing in it
# In args, expected.err and setup: @INPUT@ = WORK/input, @OUT@ = WORK/out,
# @WORK@ = WORK, @GAZ@ = the small test gazetteer, @CASE@ = the case dir.
cmake_minimum_required(VERSION 3.18)

foreach(_v INCIMAP CASE WORK)
  if(NOT DEFINED ${_v})
    message(FATAL_ERROR "run_case.cmake: -D${_v}= is required")
  endif()
endforeach()
if(NOT DEFINED GAZ)
  set(GAZ "${WORK}/no-gazetteer.sqlite")
endif()

# Leave write permission behind us so the scratch dir can be removed.
if(EXISTS "${WORK}")
  execute_process(COMMAND chmod -R u+rwx "${WORK}" ERROR_QUIET)
  file(REMOVE_RECURSE "${WORK}")
endif()
file(MAKE_DIRECTORY "${WORK}/input")
if(IS_DIRECTORY "${CASE}/input")
  file(COPY "${CASE}/input/" DESTINATION "${WORK}/input")
endif()

function(subst out text)
  string(REPLACE "@INPUT@" "${WORK}/input" text "${text}")
  string(REPLACE "@OUT@" "${WORK}/out" text "${text}")
  string(REPLACE "@WORK@" "${WORK}" text "${text}")
  string(REPLACE "@GAZ@" "${GAZ}" text "${text}")
  string(REPLACE "@CASE@" "${CASE}" text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

# Read a file as a list of lines (keeping ';' literal).
function(read_lines out path)
  file(READ "${path}" _c)
  string(REPLACE ";" "\\;" _c "${_c}")
  string(REPLACE "\r" "" _c "${_c}")
  string(REPLACE "\n" ";" _c "${_c}")
  set(${out} "${_c}" PARENT_SCOPE)
endfunction()

execute_process(COMMAND id -u OUTPUT_VARIABLE _uid OUTPUT_STRIP_TRAILING_WHITESPACE)

# ===== Setup =====
set(_stdin "")
set(_ulimit "")
set(_env "")
if(EXISTS "${CASE}/setup")
  read_lines(_setup "${CASE}/setup")
  foreach(_line IN LISTS _setup)
    subst(_line "${_line}")
    if(_line STREQUAL "" OR _line MATCHES "^#")
      continue()
    endif()
    string(REGEX MATCH "^([a-z-]+) *(.*)$" _m "${_line}")
    set(_cmd "${CMAKE_MATCH_1}")
    set(_rest "${CMAKE_MATCH_2}")
    string(REPLACE " " ";" _a "${_rest}")
    list(LENGTH _a _na)
    if(_na GREATER 0)
      list(GET _a 0 _a0)
      if(IS_ABSOLUTE "${_a0}")
        set(_p0 "${_a0}")
      else()
        set(_p0 "${WORK}/input/${_a0}")
      endif()
    endif()
    if(_cmd STREQUAL "big")
      list(GET _a 1 _bytes)
      set(_chunk "la population de la region frontaliere a signale des tirs nourris toute la nuit ")
      string(LENGTH "${_chunk}" _cl)
      math(EXPR _reps "${_bytes} / ${_cl}")
      string(REPEAT "${_chunk}" ${_reps} _body)
      file(WRITE "${_p0}" "${_body}")
    elseif(_cmd STREQUAL "capwords")
      list(GET _a 1 _count)
      set(_chunk "Stepanakert Goris Kapan Martuni Shusha Lachin Agdam Fizuli Jabrayil Hadrut ")
      math(EXPR _reps "${_count} / 10")
      string(REPEAT "${_chunk}" ${_reps} _body)
      file(WRITE "${_p0}" "Bombardements sur ${_body}\n")
    elseif(_cmd STREQUAL "pairwords")
      list(GET _a 1 _count)
      set(_chunk "bombardements sur Goris, combats a Sotk, tirs d'artillerie vers Kapan, ")
      math(EXPR _reps "${_count} / 3")
      string(REPEAT "${_chunk}" ${_reps} _body)
      file(WRITE "${_p0}" "Titre\n\n${_body}\n")
    elseif(_cmd STREQUAL "repeat")
      list(GET _a 1 _count)
      string(REGEX MATCH "^[^ ]+ +[^ ]+ +(.*)$" _m "${_rest}")
      set(_text "${CMAKE_MATCH_1}")
      string(REPEAT "${_text}\n" ${_count} _body)
      file(WRITE "${_p0}" "${_body}")
    elseif(_cmd STREQUAL "nested")
      list(GET _a 1 _depth)
      string(REPEAT "[" ${_depth} _open)
      string(REPEAT "]" ${_depth} _close)
      file(WRITE "${_p0}" "${_open}${_close}")
    elseif(_cmd STREQUAL "symlink")
      list(GET _a 1 _name)
      file(CREATE_LINK "${_a0}" "${WORK}/input/${_name}" SYMBOLIC)
    elseif(_cmd STREQUAL "file")
      file(WRITE "${_p0}" "")
    elseif(_cmd STREQUAL "mkdir")
      file(MAKE_DIRECTORY "${_p0}")
    elseif(_cmd STREQUAL "chmod")
      if(_uid STREQUAL "0")
        message("SKIPPED: running as root, which ignores file modes")
        return()
      endif()
      list(GET _a 1 _name)
      execute_process(COMMAND chmod "${_a0}" "${WORK}/input/${_name}")
    elseif(_cmd STREQUAL "stdin")
      set(_stdin "${_p0}")
    elseif(_cmd STREQUAL "ulimit-f")
      set(_ulimit "${_a0}")
    elseif(_cmd STREQUAL "env")
      list(APPEND _env "${_rest}")
    elseif(_cmd STREQUAL "no-wrapper")
      if(DEFINED ENV{INCIMAP_TEST_WRAPPER} AND NOT "$ENV{INCIMAP_TEST_WRAPPER}" STREQUAL "")
        message("SKIPPED: this case cannot run under $ENV{INCIMAP_TEST_WRAPPER}")
        return()
      endif()
    else()
      message(FATAL_ERROR "${CASE}/setup: unknown action '${_cmd}'")
    endif()
  endforeach()
endif()

# ===== Run =====
read_lines(_args "${CASE}/args")
set(_argv "")
foreach(_arg IN LISTS _args)
  if(_arg STREQUAL "")
    continue()
  endif()
  subst(_arg "${_arg}")
  list(APPEND _argv "${_arg}")
endforeach()

set(_prefix "")
if(_ulimit)
  # A file-size limit stands for a full disk: writes past it fail with EFBIG.
  set(_prefix sh -c "ulimit -f ${_ulimit} && exec \"$0\" \"$@\"")
endif()
# scripts/test.sh runs the e2e cases once more with valgrind in front of
# incimap: INCIMAP_TEST_WRAPPER="valgrind --error-exitcode=99 ...".
set(_wrapper "")
if(DEFINED ENV{INCIMAP_TEST_WRAPPER} AND NOT "$ENV{INCIMAP_TEST_WRAPPER}" STREQUAL "")
  separate_arguments(_wrapper UNIX_COMMAND "$ENV{INCIMAP_TEST_WRAPPER}")
endif()
set(_in_opt "")
if(_stdin)
  set(_in_opt INPUT_FILE "${_stdin}")
endif()
execute_process(
  COMMAND ${CMAKE_COMMAND} -E env
          "INCIMAP_GAZETTEER=${WORK}/no-gazetteer.sqlite"
          "INCIMAP_VENDOR=${WORK}/no-vendor"
          "INCIMAP_HOME=${WORK}/no-home"
          ${_env}
          ${_prefix} ${_wrapper} "${INCIMAP}" ${_argv}
  ${_in_opt}
  WORKING_DIRECTORY "${WORK}"
  RESULT_VARIABLE _rc
  OUTPUT_VARIABLE _out
  ERROR_VARIABLE _err)
file(WRITE "${WORK}/stdout.txt" "${_out}")
file(WRITE "${WORK}/stderr.txt" "${_err}")

set(_fail "")
file(READ "${CASE}/expected.status" _want)
string(STRIP "${_want}" _want)
if(NOT "${_rc}" STREQUAL "${_want}")
  string(APPEND _fail "exit status ${_rc}, expected ${_want}\n")
  if(_wrapper AND "${_rc}" STREQUAL "99")
    string(APPEND _fail "(99: the wrapper -- valgrind -- found memory errors or leaks: see stderr)\n")
  endif()
endif()
foreach(_kind err out)
  if(EXISTS "${CASE}/expected.${_kind}")
    read_lines(_lines "${CASE}/expected.${_kind}")
    foreach(_line IN LISTS _lines)
      if(_line STREQUAL "")
        continue()
      endif()
      subst(_line "${_line}")
      string(FIND "${_${_kind}}" "${_line}" _pos)
      if(_pos EQUAL -1)
        string(APPEND _fail "std${_kind} lacks: ${_line}\n")
      endif()
    endforeach()
  endif()
endforeach()

# ===== Checks =====
if(EXISTS "${CASE}/checks")
  read_lines(_checks "${CASE}/checks")
  foreach(_line IN LISTS _checks)
    subst(_line "${_line}")
    if(_line STREQUAL "no-output")
      file(GLOB _left RELATIVE "${WORK}" "${WORK}/out*" "${WORK}/.out*")
      if(_left)
        string(APPEND _fail "output left behind: ${_left}\n")
      endif()
    elseif(_line MATCHES "^exists (.+)$")
      if(NOT EXISTS "${WORK}/${CMAKE_MATCH_1}")
        string(APPEND _fail "missing: ${CMAKE_MATCH_1}\n")
      endif()
    elseif(_line MATCHES "^empty (.+)$")
      set(_d "${CMAKE_MATCH_1}")
      file(GLOB _left RELATIVE "${WORK}/${_d}" "${WORK}/${_d}/*" "${WORK}/${_d}/.*")
      if(NOT IS_DIRECTORY "${WORK}/${_d}")
        string(APPEND _fail "missing folder: ${_d}\n")
      elseif(_left)
        string(APPEND _fail "left in ${_d}: ${_left}\n")
      endif()
    elseif(NOT _line STREQUAL "")
      message(FATAL_ERROR "${CASE}/checks: unknown check '${_line}'")
    endif()
  endforeach()
endif()

if(_fail)
  message("---- command: ${INCIMAP} ${_argv}\n---- stderr:\n${_err}\n---- stdout (first 2000 bytes):")
  string(SUBSTRING "${_out}" 0 2000 _o)
  message("${_o}")
  message(FATAL_ERROR "case ${CASE} failed:\n${_fail}")
endif()
message("case passed (status ${_rc})")
