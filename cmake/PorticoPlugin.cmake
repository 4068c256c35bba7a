# portico_add_plugin(<id> SOURCES <src>... [TESTS <test.cpp>...] [LIBRARIES <lib>...])
#
# Builds a plugin into a MODULE library named <id>.so (hidden visibility, no "lib" prefix,
# -fno-gnu-unique with GCC so the host can unload it after an upgrade).
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
#
# Refused at configure time, as the host would refuse the built plugin: an id that breaks the
# plugin id rule (^[a-z][a-z0-9_]*$), and, against an installed SDK, a compiler or C++
# standard other than the ones the SDK was built with (PORTICO_SDK_CXX_*, recorded by
# PorticoConfig.cmake). A plugin that sets no CMAKE_CXX_STANDARD gets the SDK's.
include_guard(GLOBAL)

# The compiler family and major version must be the SDK's: the host compares them (the
# "compiler" field of the plugin's record) before any C++ object crosses.
function(portico_check_compiler context)
  if(NOT DEFINED PORTICO_SDK_CXX_COMPILER_ID OR NOT DEFINED CMAKE_CXX_COMPILER_ID)
    return()
  endif()
  string(REGEX MATCH "^[0-9]+" sdk_major "${PORTICO_SDK_CXX_COMPILER_VERSION}")
  string(REGEX MATCH "^[0-9]+" our_major "${CMAKE_CXX_COMPILER_VERSION}")
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL PORTICO_SDK_CXX_COMPILER_ID OR
     NOT our_major STREQUAL sdk_major)
    message(FATAL_ERROR "${context}: compiler: this project uses ${CMAKE_CXX_COMPILER_ID} "
      "${CMAKE_CXX_COMPILER_VERSION} (${CMAKE_CXX_COMPILER}), the Portico SDK was built with "
      "${PORTICO_SDK_CXX_COMPILER_ID} ${PORTICO_SDK_CXX_COMPILER_VERSION}, and the host refuses "
      "a plugin built with another compiler family or major version. Fix: configure a fresh "
      "build directory with -DCMAKE_CXX_COMPILER=${PORTICO_SDK_CXX_COMPILER} (or another "
      "${PORTICO_SDK_CXX_COMPILER_ID} ${sdk_major}.x).")
  endif()
endfunction()

# The C++ standard of `target` must be the SDK's (the host compares __cplusplus); unset, it
# becomes the SDK's.
function(_portico_check_standard context target)
  if(NOT DEFINED PORTICO_SDK_CXX_STANDARD OR PORTICO_SDK_CXX_STANDARD STREQUAL "")
    return()
  endif()
  get_target_property(standard ${target} CXX_STANDARD)
  if(NOT standard)
    set_target_properties(${target} PROPERTIES
      CXX_STANDARD ${PORTICO_SDK_CXX_STANDARD} CXX_STANDARD_REQUIRED ON)
  elseif(NOT standard STREQUAL PORTICO_SDK_CXX_STANDARD)
    message(FATAL_ERROR "${context}: C++ standard: this project builds with C++${standard} "
      "(CMAKE_CXX_STANDARD or the CXX_STANDARD property), the Portico SDK and host with "
      "C++${PORTICO_SDK_CXX_STANDARD}, and the host refuses a plugin built with another "
      "standard. Fix: set CMAKE_CXX_STANDARD to ${PORTICO_SDK_CXX_STANDARD} (or leave it "
      "unset) and pass no -std flag.")
  endif()
endfunction()

# Compile options that keep `target`'s code unloadable, so the host can replace a plugin without
# a restart (an upgraded .so is loaded beside the old one, which is dlclosed once its last
# request ends). GCC marks inline and template statics STB_GNU_UNIQUE by default, and one such
# symbol makes the system loader keep a library in memory for good; -fno-gnu-unique turns that
# off (each plugin keeps its own copy, which hidden visibility gives it anyway). Clang never
# emits them.
function(portico_plugin_unloadable target)
  target_compile_options(${target} PRIVATE $<$<CXX_COMPILER_ID:GNU>:-fno-gnu-unique>)
endfunction()

function(portico_add_plugin id)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "SOURCES;TESTS;LIBRARIES")
  # The rule the host applies (the id is also the config key, the .so name and the namespace).
  if(NOT id MATCHES "^[a-z][a-z0-9_]*$")
    message(FATAL_ERROR "portico_add_plugin(${id}): plugin id must match ^[a-z][a-z0-9_]*$ "
      "(lowercase letters, digits and underscores, starting with a letter), got \"${id}\"; "
      "the id is also the config key, the .so file name and the namespace, so use "
      "underscores instead of dashes.")
  endif()
  if(NOT arg_SOURCES)
    message(FATAL_ERROR "portico_add_plugin(${id}): SOURCES is required")
  endif()
  portico_check_compiler("portico_add_plugin(${id})")
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
  _portico_check_standard("portico_add_plugin(${id})" ${objects})
  portico_plugin_unloadable(${objects})

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
  _portico_check_standard("portico_add_plugin(${id})" ${module})
  portico_plugin_unloadable(${module})
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
    _portico_check_standard("portico_add_plugin(${id})" ${test_target})
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
