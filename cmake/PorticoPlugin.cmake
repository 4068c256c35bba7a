# portico_add_plugin(<id> SOURCES <src>... [TESTS <test.cpp>...] [LIBRARIES <lib>...])
#
# Builds a plugin into a MODULE library named <id>.so (hidden visibility, no "lib" prefix).
# Sources compile once into an OBJECT library that the module and the tests both link; a source
# named entry.cpp (the PORTICO_PLUGIN(...) record) goes into the module only.
#
# In the Portico tree the module lands in PORTICO_PLUGIN_OUTPUT_DIR (the host's plugin
# directory) and is installed with the host. Out of tree, through find_package(Portico), it
# lands in ${CMAKE_BINARY_DIR}/plugins/<id>.so unless PORTICO_PLUGIN_OUTPUT_DIR is set.
#
# TESTS build an executable portico_plugin_<id>_tests linked with the plugin's objects,
# Portico::testkit and Catch2::Catch2WithMain (found here when missing), with
# PORTICO_TEST_PLUGIN_FILE defined as the module's path, and register its test cases with
# CTest (call enable_testing() or include(CTest) first). BUILD_TESTING=OFF skips them.
include_guard(GLOBAL)

function(portico_add_plugin id)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "SOURCES;TESTS;LIBRARIES")
  if(NOT arg_SOURCES)
    message(FATAL_ERROR "portico_add_plugin(${id}): SOURCES is required")
  endif()
  if(TARGET Portico::sdk)
    set(sdk_target Portico::sdk)
  else()
    set(sdk_target portico_sdk)
  endif()

  set(entry_sources "")
  set(logic_sources "")
  foreach(src IN LISTS arg_SOURCES)
    if(src MATCHES "(^|/)entry\\.cpp$")
      list(APPEND entry_sources ${src})
    else()
      list(APPEND logic_sources ${src})
    endif()
  endforeach()

  set(objects portico_plugin_${id}_objects)
  add_library(${objects} OBJECT ${logic_sources})
  target_link_libraries(${objects} PUBLIC ${sdk_target} ${arg_LIBRARIES})
  target_include_directories(${objects} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/src)
  set_target_properties(${objects} PROPERTIES
    CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON POSITION_INDEPENDENT_CODE ON)

  set(module portico_plugin_${id})
  add_library(${module} MODULE ${entry_sources})
  target_link_libraries(${module} PRIVATE ${objects})
  if(DEFINED PORTICO_PLUGIN_OUTPUT_DIR)
    set(out_dir ${PORTICO_PLUGIN_OUTPUT_DIR})
  else()
    set(out_dir ${CMAKE_BINARY_DIR}/plugins)
  endif()
  set_target_properties(${module} PROPERTIES
    PREFIX "" OUTPUT_NAME ${id}
    LIBRARY_OUTPUT_DIRECTORY ${out_dir}
    CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)
  if(DEFINED PORTICO_PLUGIN_SUBDIR AND NOT PORTICO_PLUGIN_NO_INSTALL)
    install(TARGETS ${module} LIBRARY DESTINATION ${PORTICO_PLUGIN_SUBDIR} COMPONENT runtime)
  endif()

  if(arg_TESTS AND (NOT DEFINED BUILD_TESTING OR BUILD_TESTING))
    if(NOT TARGET Catch2::Catch2WithMain)
      find_package(Catch2 2.13 REQUIRED)
    endif()
    if(NOT COMMAND catch_discover_tests)
      if(EXISTS "${Catch2_DIR}/Catch.cmake")
        include("${Catch2_DIR}/Catch.cmake")
      else()
        include(Catch)
      endif()
    endif()
    set(test_target portico_plugin_${id}_tests)
    add_executable(${test_target} ${arg_TESTS})
    if(TARGET Portico::testkit)
      set(kit Portico::testkit)
    else()
      set(kit portico_testkit)
    endif()
    target_link_libraries(${test_target} PRIVATE ${objects} ${kit} Catch2::Catch2WithMain)
    target_compile_definitions(${test_target} PRIVATE
      PORTICO_TEST_PLUGIN_FILE="$<TARGET_FILE:${module}>")
    add_dependencies(${test_target} ${module})
    catch_discover_tests(${test_target} TEST_PREFIX "${id}: " EXTRA_ARGS --warn NoTests)
  endif()
endfunction()
