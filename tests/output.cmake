# Tests of geo/ (border index, geodesics, PROJ) and output/ (the layer writer
# in every format, checked with ogrinfo, PostGIS and PyQGIS).
add_executable(test_geo unit/test_geo.c)
target_link_libraries(test_geo PRIVATE geo cx_check)
cx_add_compile_options(test_geo)
add_test(NAME unit_geo COMMAND test_geo)
