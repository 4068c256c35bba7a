# portico_add_external_plugin(<id>)
#
# Builds plugins/<id> as its own CMake project against the *installed* SDK, as an outside author
# would, instead of against this tree's sources:
#
# 1. portico_sdk_stage installs the SDK (the install rules of sdk/ only: headers, libraries,
#    CMake package) into <build>/sdk-stage after the SDK libraries are built.
# 2. ExternalProject configures plugins/<id> with CMAKE_PREFIX_PATH=<build>/sdk-stage and this
#    build's toolchain file (cross builds), compiler, build type and flags (so -Werror and the
#    sanitizers reach it), and builds
#    it in <build>/plugins/<id>-build. PORTICO_BUILD_PREFIX=<build> and PORTICO_PLUGIN_SUBDIR
#    put the module into this build's plugin directory, where the host finds it; the plugin
#    puts its data files beside it the same way (e.g. <build>/share/portico/<id>).
# 3. `cmake --install` of this build installs the plugin with the host (component runtime).
# 4. With BUILD_TESTING, the plugin's own test suite runs as one CTest test of this build.
#
# The target portico_external_<id> builds it; integration tests depend on it.
include_guard(GLOBAL)
include(ExternalProject)

set(PORTICO_EXTERNAL_JOBS 2 CACHE STRING "parallel jobs of the external plugin builds")

function(portico_stage_sdk)
  if(TARGET portico_sdk_stage)
    return()
  endif()
  set(PORTICO_SDK_STAGE ${PROJECT_BINARY_DIR}/sdk-stage CACHE INTERNAL "")
  set(script ${PROJECT_BINARY_DIR}/sdk-stage.cmake)
  file(WRITE ${script} "
execute_process(
  COMMAND \"${CMAKE_COMMAND}\" -DCMAKE_INSTALL_PREFIX=${PORTICO_SDK_STAGE}
          -P \"${PROJECT_BINARY_DIR}/sdk/cmake_install.cmake\"
  OUTPUT_FILE \"${PROJECT_BINARY_DIR}/sdk-stage.log\" ERROR_FILE \"${PROJECT_BINARY_DIR}/sdk-stage.log\"
  RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR \"installing the SDK into ${PORTICO_SDK_STAGE} failed; see ${PROJECT_BINARY_DIR}/sdk-stage.log\")
endif()
")
  # Always run: the install copies only what changed, and a header edit must reach the stage.
  add_custom_target(portico_sdk_stage
    COMMAND ${CMAKE_COMMAND} -P ${script}
    DEPENDS portico_sdk portico_testkit
    COMMENT "Installing the SDK into ${PORTICO_SDK_STAGE}"
    VERBATIM)
endfunction()

function(portico_add_external_plugin id)
  portico_stage_sdk()
  set(binary_dir ${PROJECT_BINARY_DIR}/plugins/${id}-build)
  set(toolchain "")
  if(CMAKE_TOOLCHAIN_FILE)
    set(toolchain -DCMAKE_TOOLCHAIN_FILE:FILEPATH=${CMAKE_TOOLCHAIN_FILE})
  endif()
  set(testing OFF)
  if(BUILD_TESTING)
    set(testing ON)
  endif()
  ExternalProject_Add(portico_external_${id}
    SOURCE_DIR ${PROJECT_SOURCE_DIR}/plugins/${id}
    BINARY_DIR ${binary_dir}
    PREFIX ${PROJECT_BINARY_DIR}/plugins/${id}-ep
    CMAKE_GENERATOR ${CMAKE_GENERATOR}
    CMAKE_CACHE_ARGS
      -DCMAKE_PREFIX_PATH:PATH=${PORTICO_SDK_STAGE}
      -DCMAKE_BUILD_TYPE:STRING=${CMAKE_BUILD_TYPE}
      ${toolchain}
      -DCMAKE_CXX_COMPILER:FILEPATH=${CMAKE_CXX_COMPILER}
      -DCMAKE_CXX_FLAGS:STRING=${CMAKE_CXX_FLAGS}
      -DCMAKE_EXE_LINKER_FLAGS:STRING=${CMAKE_EXE_LINKER_FLAGS}
      -DCMAKE_SHARED_LINKER_FLAGS:STRING=${CMAKE_SHARED_LINKER_FLAGS}
      -DCMAKE_MODULE_LINKER_FLAGS:STRING=${CMAKE_MODULE_LINKER_FLAGS}
      -DCMAKE_EXPORT_COMPILE_COMMANDS:BOOL=${CMAKE_EXPORT_COMPILE_COMMANDS}
      -DCMAKE_INSTALL_LIBDIR:STRING=${CMAKE_INSTALL_LIBDIR}
      -DCMAKE_INSTALL_DATADIR:STRING=${CMAKE_INSTALL_DATADIR}
      -DBUILD_TESTING:BOOL=${testing}
      -DPORTICO_PLUGIN_SUBDIR:STRING=${PORTICO_PLUGIN_SUBDIR}
      -DPORTICO_BUILD_PREFIX:PATH=${PROJECT_BINARY_DIR}
    BUILD_COMMAND ${CMAKE_COMMAND} --build ${binary_dir} --parallel ${PORTICO_EXTERNAL_JOBS}
    BUILD_ALWAYS ON
    INSTALL_COMMAND ""
    DEPENDS portico_sdk_stage
    BUILD_BYPRODUCTS ${PORTICO_PLUGIN_OUTPUT_DIR}/${id}.so)

  # Installed with the host by the plugin's own install rules, into the same prefix.
  install(CODE "
    execute_process(COMMAND \"${CMAKE_COMMAND}\" --install \"${binary_dir}\"
                            --prefix \"\${CMAKE_INSTALL_PREFIX}\" --component runtime
                    RESULT_VARIABLE status)
    if(NOT status EQUAL 0)
      message(FATAL_ERROR \"installing the ${id} plugin from ${binary_dir} failed\")
    endif()"
    COMPONENT runtime)

  if(BUILD_TESTING)
    add_test(NAME "${id}: its own tests, built against the installed SDK"
      COMMAND ${CMAKE_CTEST_COMMAND} --test-dir ${binary_dir} --output-on-failure
              --no-tests=error)
    set_tests_properties("${id}: its own tests, built against the installed SDK"
      PROPERTIES TIMEOUT 300)
  endif()
endfunction()
