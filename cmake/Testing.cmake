find_package(GTest REQUIRED)
include(GoogleTest)

# hqadz_test(<name> SOURCES ... LIBS ... [LABEL l])
# One test executable per module; every gtest case becomes a CTest test carrying LABEL (one
# label: gtest_discover_tests cannot pass a list). Tests that use a database are labelled with
# it (sqlite, postgresql); others "unit" unless said otherwise.
function(hqadz_test name)
  cmake_parse_arguments(T "" "LABEL" "SOURCES;LIBS;LABELS" ${ARGN})
  if(NOT T_LABEL AND T_LABELS)
    list(GET T_LABELS 0 T_LABEL)  # older call sites: the first label is kept
  endif()
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} hqadz_options GTest::gtest GTest::gmock
                        GTest::gtest_main)
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}/tests")
  if(NOT T_LABEL)
    set(T_LABEL unit)
  endif()
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 120 PROPERTIES LABELS ${T_LABEL})
endfunction()

# hqadz_db_test(<name> SOURCES ... LIBS ...)
# A module's tests that run on both databases (HQADZ_INSTANTIATE_FOR_BOTH_DATABASES): the
# Postgres/... instances are labelled postgresql, everything else sqlite.
function(hqadz_db_test name)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} hqadz_storage_testing hqadz_options
                        GTest::gtest_main)
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}/tests")
  gtest_discover_tests(${name} TEST_FILTER "-Postgres/*" DISCOVERY_TIMEOUT 120
                       PROPERTIES LABELS sqlite)
  gtest_discover_tests(${name} TEST_FILTER "Postgres/*" DISCOVERY_TIMEOUT 120
                       PROPERTIES LABELS postgresql)
endfunction()
