find_package(GTest REQUIRED)
include(GoogleTest)

# hqadz_test(<name> SOURCES ... LIBS ... [LABELS ...])
# One test executable per module; every gtest case becomes a CTest test carrying LABELS.
function(hqadz_test name)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} hqadz_options GTest::gtest GTest::gmock
                        GTest::gtest_main)
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}/tests")
  if(NOT T_LABELS)
    set(T_LABELS unit)
  endif()
  string(REPLACE ";" "\\;" labels "${T_LABELS}")
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 120 PROPERTIES LABELS "${labels}")
endfunction()
