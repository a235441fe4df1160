# Gazetteer tests (issue 2). Fixtures other teams use:
#   gaz_small   -> ${CMAKE_BINARY_DIR}/tests/small-gazetteer.sqlite (from
#                  tests/fixtures/gazetteer, always available, < 1 s)
#   gaz_default -> ${CMAKE_BINARY_DIR}/default-gazetteer.sqlite (the default
#                  build from the vendor dir; skipped when it is absent)
set(GAZ_FIX ${CMAKE_CURRENT_SOURCE_DIR}/fixtures/gazetteer)
set(GAZ_WORK ${CMAKE_CURRENT_BINARY_DIR}/gazetteer-work)
file(MAKE_DIRECTORY ${GAZ_WORK})
set(GAZ_SMALL ${CMAKE_CURRENT_BINARY_DIR}/small-gazetteer.sqlite)
set(GAZ_DEFAULT ${CMAKE_BINARY_DIR}/default-gazetteer.sqlite)

add_executable(test_gazetteer unit/test_gazetteer.c)
target_link_libraries(test_gazetteer PRIVATE gazetteer cx_check PkgConfig::SQLITE3
                      PkgConfig::GDAL)
cx_add_compile_options(test_gazetteer)
add_test(NAME unit_gazetteer COMMAND test_gazetteer ${GAZ_FIX} ${GAZ_WORK})
set_tests_properties(unit_gazetteer PROPERTIES TIMEOUT 60)

# the read index (gaz_index.c) answers as SQLite does, on the small gazetteer
add_executable(test_gaz_index unit/test_gaz_index.c)
target_link_libraries(test_gaz_index PRIVATE gazetteer cx_check PkgConfig::SQLITE3)
cx_add_compile_options(test_gaz_index)
add_test(NAME unit_gaz_index COMMAND test_gaz_index ${GAZ_SMALL} ${GAZ_WORK}/index)
set_tests_properties(unit_gaz_index PROPERTIES LABELS "unit" TIMEOUT 60
  FIXTURES_REQUIRED gaz_small)

add_executable(bench_lookup ${PROJECT_SOURCE_DIR}/bench/bench_lookup.c)
target_link_libraries(bench_lookup PRIVATE gazetteer)
cx_add_compile_options(bench_lookup)

# ----- the small fixture gazetteer -----
add_test(NAME gaz_small
  COMMAND $<TARGET_FILE:incimap> gazetteer build --overwrite --no-defaults -q
    --geonames ${GAZ_FIX}/geonames.txt --alternate-names ${GAZ_FIX}/altnames.txt
    --admin1 ${GAZ_FIX}/admin1.txt --countries ${GAZ_FIX}/countries.geojson
    --extra ${GAZ_FIX}/extra.csv --extra ${GAZ_FIX}/regions.geojson
    --extra-columns name=locality_en,name:fr=locality_fr,name:hy=locality_hy,admin1=marz,lat=latitude,lon=longitude,radius_km=radius
    -o ${GAZ_SMALL})
set_tests_properties(gaz_small PROPERTIES FIXTURES_SETUP gaz_small TIMEOUT 60)

set(GAZ_CHECK sh ${GAZ_FIX}/check_lookup.sh $<TARGET_FILE:incimap>)
set(GAZ_EXPECT sh ${GAZ_FIX}/expect.sh)
add_test(NAME gaz_small_lookup_vardenis
  COMMAND ${GAZ_CHECK} ${GAZ_SMALL} Vardenis geonames:616108 geonames:900001)
add_test(NAME gaz_small_lookup_translit
  COMMAND ${GAZ_CHECK} ${GAZ_SMALL} Latchine geonames:147625)
add_test(NAME gaz_small_lookup_table
  COMMAND ${GAZ_EXPECT} 0 "Xankandi +Stepanakert +PPL +settlement +AZ +Xankǝndi +53100"
    $<TARGET_FILE:incimap> gazetteer lookup Stepanakert --gazetteer ${GAZ_SMALL})
# the theatre gate extraction applies (issue 16): Stepanakert in the core, kept
add_test(NAME gaz_small_lookup_gate
  COMMAND ${GAZ_EXPECT} 0 "Xankandi +Stepanakert .* core +kept"
    $<TARGET_FILE:incimap> gazetteer lookup Stepanakert --gazetteer ${GAZ_SMALL})
add_test(NAME gaz_small_lookup_gate_json
  COMMAND ${GAZ_EXPECT} 0 "\"theatre\": \"core\""
    $<TARGET_FILE:incimap> gazetteer lookup Stepanakert --json --gazetteer ${GAZ_SMALL})
add_test(NAME gaz_small_lookup_bad_conflict
  COMMAND ${GAZ_EXPECT} 2 "--conflict: '../x' is not a conflict id"
    $<TARGET_FILE:incimap> gazetteer lookup Stepanakert --conflict ../x --gazetteer ${GAZ_SMALL})
add_test(NAME gaz_small_lookup_nomatch
  COMMAND ${GAZ_EXPECT} 1 "no gazetteer match for \"Nowhereville\""
    $<TARGET_FILE:incimap> gazetteer lookup Nowhereville --gazetteer ${GAZ_SMALL})
add_test(NAME gaz_small_info
  COMMAND ${GAZ_EXPECT} 0 "schema_version: 1"
    $<TARGET_FILE:incimap> gazetteer info --gazetteer ${GAZ_SMALL})
set_tests_properties(gaz_small_lookup_gate gaz_small_lookup_gate_json gaz_small_lookup_bad_conflict
  PROPERTIES FIXTURES_REQUIRED gaz_small TIMEOUT 30)
set_tests_properties(gaz_small_lookup_vardenis gaz_small_lookup_translit gaz_small_lookup_table
  gaz_small_lookup_nomatch gaz_small_info PROPERTIES FIXTURES_REQUIRED gaz_small TIMEOUT 30)

# ----- CLI error paths -----
add_test(NAME gaz_cli_missing_gazetteer
  COMMAND ${GAZ_EXPECT} 4 "^incimap: ${GAZ_WORK}/absent.sqlite: gazetteer not found"
    $<TARGET_FILE:incimap> gazetteer lookup Vardenis --gazetteer ${GAZ_WORK}/absent.sqlite)
add_test(NAME gaz_cli_not_sqlite
  COMMAND ${GAZ_EXPECT} 4 "^incimap: ${GAZ_FIX}/not-sqlite.sqlite: not a gazetteer"
    $<TARGET_FILE:incimap> gazetteer lookup Vardenis --gazetteer ${GAZ_FIX}/not-sqlite.sqlite)
add_test(NAME gaz_cli_malformed_rows
  COMMAND ${GAZ_EXPECT} 0 "geonames.txt:6: warning: bad latitude/longitude; row skipped"
    $<TARGET_FILE:incimap> gazetteer build --overwrite --no-defaults --geonames ${GAZ_FIX}/geonames.txt
    -o ${GAZ_WORK}/cli-malformed.sqlite)
add_test(NAME gaz_cli_build_summary
  COMMAND ${GAZ_EXPECT} 0 "14 rows read, 12 kept, 2 rejected; 12 places"
    $<TARGET_FILE:incimap> gazetteer build --overwrite --no-defaults --geonames ${GAZ_FIX}/geonames.txt
    -o ${GAZ_WORK}/cli-summary.sqlite)
add_test(NAME gaz_cli_truncated
  COMMAND ${GAZ_EXPECT} 4 "^incimap: ${GAZ_FIX}/truncated.txt:2: truncated file"
    $<TARGET_FILE:incimap> gazetteer build --overwrite --no-defaults --geonames ${GAZ_FIX}/truncated.txt
    -o ${GAZ_WORK}/cli-truncated.sqlite)
add_test(NAME gaz_cli_missing_source
  COMMAND ${GAZ_EXPECT} 4 "^incimap: ${GAZ_WORK}/nope.txt: source file not found"
    $<TARGET_FILE:incimap> gazetteer build --overwrite --no-defaults --geonames ${GAZ_WORK}/nope.txt
    -o ${GAZ_WORK}/cli-missing.sqlite)
add_test(NAME gaz_cli_no_vendor
  COMMAND ${CMAKE_COMMAND} -E env INCIMAP_VENDOR=${GAZ_WORK}/empty-vendor
    ${GAZ_EXPECT} 4 "cities500.txt: vendor data file missing; run scripts/fetch-data.sh"
    $<TARGET_FILE:incimap> gazetteer build --overwrite -o ${GAZ_WORK}/cli-novendor.sqlite)
add_test(NAME gaz_cli_usage
  COMMAND ${GAZ_EXPECT} 2 "-o FILE is required" $<TARGET_FILE:incimap> gazetteer build)
add_test(NAME gaz_cli_help
  COMMAND ${GAZ_EXPECT} 0 "EXIT STATUS" $<TARGET_FILE:incimap> gazetteer lookup --help)
add_test(NAME gaz_cli_fetch_missing
  COMMAND ${GAZ_EXPECT} 4 "file://${GAZ_WORK}/ZZ.zip: download failed"
    $<TARGET_FILE:incimap> gazetteer fetch ZZ --base-url file://${GAZ_WORK} -o ${GAZ_WORK})
add_test(NAME gaz_killed_build
  COMMAND sh ${GAZ_FIX}/killed_build.sh $<TARGET_FILE:incimap> ${GAZ_FIX} ${GAZ_WORK}/killed)
set_tests_properties(gaz_cli_missing_gazetteer gaz_cli_not_sqlite gaz_cli_malformed_rows
  gaz_cli_build_summary gaz_cli_truncated gaz_cli_missing_source gaz_cli_no_vendor
  gaz_cli_usage gaz_cli_help gaz_cli_fetch_missing PROPERTIES TIMEOUT 30)
set_tests_properties(gaz_killed_build PROPERTIES TIMEOUT 120)

# ----- importer on ../shared/data -----
add_test(NAME gaz_shared_import
  COMMAND sh ${GAZ_FIX}/shared_import.sh $<TARGET_FILE:incimap> ${INCIMAP_SHARED_DIR}
    ${GAZ_WORK}/shared)
set_tests_properties(gaz_shared_import PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 120)

# ----- the default gazetteer (vendor packages + data/regional) -----
add_test(NAME gaz_default
  COMMAND sh ${GAZ_FIX}/default_build.sh $<TARGET_FILE:incimap> ${GAZ_DEFAULT})
set_tests_properties(gaz_default PROPERTIES FIXTURES_SETUP gaz_default SKIP_RETURN_CODE 77
  TIMEOUT 300)
set(_gaz_default_checks
  "martuni|Martuni|geonames:146969|geonames:616438"
  "vardenis|Vardenis|geonames:616108|incimap:am-ag-vardenis-61"
  "stepanakert|Stepanakert|geonames:146970"
  "khankendi|Khankendi|geonames:146970"
  "khankendi_az|Xankəndi|geonames:146970"
  "haut_karabakh|Haut-Karabakh|incimap:nagorno-karabakh"
  "nagorno_karabakh|Nagorny Karabakh|incimap:nagorno-karabakh"
  "latchine|Latchine|geonames:147625"
  "chouchi|Chouchi|geonames:147105"
  "gandja|Gandja|geonames:586523"
  "djebrail|Djebraïl|geonames:148141"
  "fizouli|Fizouli|geonames:148106"
  "bakou|Bakou|geonames:587084"
  "erevan|Erevan|geonames:616052"
  "lac_sevan|lac Sevan|incimap:lake-sevan"
  "syounik|Syounik|csc:AM-SU"
  "couloir|couloir de Latchine|incimap:lachin-corridor")
foreach(_c ${_gaz_default_checks})
  string(REPLACE "|" ";" _parts "${_c}")
  list(GET _parts 0 _tag)
  list(SUBLIST _parts 1 -1 _args)
  add_test(NAME gaz_default_${_tag} COMMAND ${GAZ_CHECK} ${GAZ_DEFAULT} ${_args})
  set_tests_properties(gaz_default_${_tag} PROPERTIES FIXTURES_REQUIRED gaz_default
    SKIP_RETURN_CODE 77 TIMEOUT 30)
endforeach()
# transliteration by rules (spellings in no list), with a country preference
set(_gaz_translit_checks
  "latchin|Latchin|geonames:147625" "choucha|Choucha|geonames:147105"
  "gyandja|Gyandja|geonames:586523" "terter|Tərtər|geonames:584871"
  "kelbadjar|Kelbadjar|geonames:586268" "hatrut|Hatrut|geonames:148105")
foreach(_c ${_gaz_translit_checks})
  string(REPLACE "|" ";" _parts "${_c}")
  list(GET _parts 0 _tag)
  list(SUBLIST _parts 1 -1 _args)
  add_test(NAME gaz_default_translit_${_tag}
    COMMAND ${GAZ_CHECK} ${GAZ_DEFAULT} ${_args} -- --country AZ)
  set_tests_properties(gaz_default_translit_${_tag} PROPERTIES FIXTURES_REQUIRED gaz_default
    SKIP_RETURN_CODE 77 TIMEOUT 30)
endforeach()

# ----- press spellings of small Karabakh places and border villages, looked up in
# the installed default gazetteer (skips with 77 when it is absent) -----
add_test(NAME gaz_installed_press_spellings
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/gazetteer/press_spellings.sh $<TARGET_FILE:incimap>)
set_tests_properties(gaz_installed_press_spellings PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 60)
# the same list against the default gazetteer built from this tree
add_test(NAME gaz_default_press_spellings
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/gazetteer/press_spellings.sh $<TARGET_FILE:incimap>
    ${GAZ_DEFAULT})
set_tests_properties(gaz_default_press_spellings PROPERTIES FIXTURES_REQUIRED gaz_default
  SKIP_RETURN_CODE 77 TIMEOUT 60)

# ----- issue 13: places on the wrong continent repaired or dropped, one place per
# entity across sources, merged rows linked (tests/gazetteer/default_places.sh) -----
foreach(_check outside one links)
  add_test(NAME gaz_default_places_${_check}
    COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/gazetteer/default_places.sh ${GAZ_DEFAULT} ${_check})
  set_tests_properties(gaz_default_places_${_check} PROPERTIES FIXTURES_REQUIRED gaz_default
    SKIP_RETURN_CODE 77 TIMEOUT 120)
endforeach()

# ----- issue 13: --names en|fr|local, the rows of the issue's table -----
add_executable(test_names unit/test_names.c)
target_link_libraries(test_names PRIVATE gazetteer cx_check)
cx_add_compile_options(test_names)
add_test(NAME gaz_default_names
  COMMAND test_names ${GAZ_DEFAULT} ${PROJECT_SOURCE_DIR}/data/conflicts/armenia-azerbaijan.json
    ${GAZ_WORK})
set_tests_properties(gaz_default_names PROPERTIES FIXTURES_REQUIRED gaz_default
  SKIP_RETURN_CODE 77 TIMEOUT 60)
add_test(NAME gaz_default_merge_gegharkunik
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/gazetteer/merge_gegharkunik.sh $<TARGET_FILE:incimap>
    ${GAZ_DEFAULT} ${GAZ_WORK}/gegharkunik)
set_tests_properties(gaz_default_merge_gegharkunik PROPERTIES FIXTURES_REQUIRED gaz_default
  SKIP_RETURN_CODE 77 TIMEOUT 60)
