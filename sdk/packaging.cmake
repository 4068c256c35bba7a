# Installs the SDK (headers, libportico_sdk, libportico_testkit) and the CMake package that
# plugin authors use out of tree: find_package(Portico) -> Portico::sdk, Portico::data (the opt-in data store), Portico::testkit and
# portico_add_plugin().
include(CMakePackageConfigHelpers)

set(PORTICO_CMAKE_INSTALL_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/Portico)

set_target_properties(portico_sdk PROPERTIES EXPORT_NAME sdk)
set_target_properties(portico_sdk_data PROPERTIES EXPORT_NAME data)
# The test kit finds libportico_sdk next to itself once installed.
set_target_properties(portico_testkit PROPERTIES EXPORT_NAME testkit INSTALL_RPATH "$ORIGIN")

install(DIRECTORY
  ${CMAKE_CURRENT_SOURCE_DIR}/include/portico
  ${CMAKE_CURRENT_SOURCE_DIR}/testkit/include/portico
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  COMPONENT sdk
  FILES_MATCHING PATTERN "*.hpp")
install(FILES ${PORTICO_SDK_GENERATED_INCLUDE}/portico/sdk/poco_version.hpp
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/portico/sdk
  COMPONENT sdk)

# libportico_sdk.so.N is what the installed host links, hence the runtime component (the
# portico package); the link a plugin build needs (libportico_sdk.so) is the SDK's, as in a
# Debian -dev package. The test kit only serves plugin tests: SDK alone.
install(TARGETS portico_sdk portico_sdk_data
  EXPORT PorticoTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT runtime NAMELINK_COMPONENT sdk
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS portico_testkit
  EXPORT PorticoTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT sdk
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

install(EXPORT PorticoTargets
  NAMESPACE Portico::
  DESTINATION ${PORTICO_CMAKE_INSTALL_DIR}
  COMPONENT sdk)

configure_package_config_file(
  ${PROJECT_SOURCE_DIR}/cmake/PorticoConfig.cmake.in
  ${PROJECT_BINARY_DIR}/PorticoConfig.cmake
  INSTALL_DESTINATION ${PORTICO_CMAKE_INSTALL_DIR})
write_basic_package_version_file(
  ${PROJECT_BINARY_DIR}/PorticoConfigVersion.cmake
  VERSION ${PROJECT_VERSION}
  COMPATIBILITY SameMajorVersion)

install(FILES
  ${PROJECT_BINARY_DIR}/PorticoConfig.cmake
  ${PROJECT_BINARY_DIR}/PorticoConfigVersion.cmake
  ${PROJECT_SOURCE_DIR}/cmake/PorticoPlugin.cmake
  DESTINATION ${PORTICO_CMAKE_INSTALL_DIR}
  COMPONENT sdk)
