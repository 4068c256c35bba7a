# Installation of the site, and the Debian packages (CPack) built from the install components:
#
#   runtime  the host, libportico_sdk.so.N, the bundled plugins and the site
#            (share/portico/{www,locales,config,studio}); relocatable: the Docker image
#            installs it under /opt/portico.
#   sdk      what plugin authors compile against: headers, the libportico_sdk.so link,
#            libportico_testkit and the CMake package (sdk/packaging.cmake).
#   service  the Debian system integration, for the package only (absolute paths, left out of
#            a plain `cmake --install`): the systemd unit, /etc/portico/portico.json and .env.
#
# `cpack --config <build>/CPackConfig.cmake` then writes portico_<version>_<arch>.deb
# (runtime + service) and portico-sdk_<version>_<arch>.deb (sdk, depends on portico).
set(PORTICO_SHARE_SUBDIR ${CMAKE_INSTALL_DATADIR}/portico)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/www ${PROJECT_SOURCE_DIR}/locales
  DESTINATION ${PORTICO_SHARE_SUBDIR} COMPONENT runtime)
install(FILES ${PROJECT_SOURCE_DIR}/config/portico.json ${PROJECT_SOURCE_DIR}/config/REFERENCE.md
  DESTINATION ${PORTICO_SHARE_SUBDIR}/config COMPONENT runtime)
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${PORTICO_SHARE_SUBDIR}
  COMPONENT runtime)

set(portico_debian ${PROJECT_SOURCE_DIR}/deploy/debian)
install(FILES ${portico_debian}/portico.service DESTINATION lib/systemd/system
  COMPONENT service EXCLUDE_FROM_ALL)
install(FILES ${portico_debian}/bind-low-ports.conf DESTINATION ${PORTICO_SHARE_SUBDIR}/systemd
  COMPONENT service EXCLUDE_FROM_ALL)
install(FILES ${PROJECT_SOURCE_DIR}/config/portico.json DESTINATION /etc/portico
  COMPONENT service EXCLUDE_FROM_ALL)
install(FILES ${portico_debian}/portico.env DESTINATION /etc/portico RENAME .env
  COMPONENT service EXCLUDE_FROM_ALL)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME portico)
set(CPACK_PACKAGE_VENDOR "Portico")
set(CPACK_PACKAGE_CONTACT "Portico maintainers <portico@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_DIRECTORY ${PROJECT_BINARY_DIR}/packages)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL runtime service sdk)
set(CPACK_COMPONENTS_GROUPING ONE_PER_GROUP)
set(CPACK_COMPONENT_RUNTIME_GROUP server)
set(CPACK_COMPONENT_SERVICE_GROUP server)
set(CPACK_COMPONENT_SDK_GROUP sdk)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION web)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)

set(CPACK_DEBIAN_SERVER_PACKAGE_NAME portico)
set(CPACK_DEBIAN_SERVER_DESCRIPTION
  "plugin-based site host\n Serves a multilingual site; every feature is a shared-library plugin\n listed in /etc/portico/portico.json. Runs as the portico user under a\n hardened systemd unit (Type=notify, watchdog); data in /var/lib/portico.")
set(CPACK_DEBIAN_SERVER_PACKAGE_SHLIBDEPS ON)
# passwd: useradd and groupadd in postinst (not in a minimal Debian by priority alone).
set(CPACK_DEBIAN_SERVER_PACKAGE_DEPENDS "passwd")
set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_EXTRA
  ${portico_debian}/postinst ${portico_debian}/prerm ${portico_debian}/postrm
  ${PROJECT_BINARY_DIR}/debian/conffiles)
file(WRITE ${PROJECT_BINARY_DIR}/debian/conffiles "/etc/portico/portico.json\n/etc/portico/.env\n")
set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_DEBIAN_SDK_PACKAGE_NAME portico-sdk)
set(CPACK_DEBIAN_SDK_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_SDK_DESCRIPTION
  "SDK for Portico plugins\n Headers, the test kit and the CMake package (find_package(Portico),\n portico_add_plugin) to build and test plugins outside the Portico tree.")
# The SDK's CMake package finds nlohmann_json, spdlog and Poco (find_dependency), and a plugin
# must be built with the SDK's compiler family and major version (g++ here).
# (Debian's g++ is version 4:<major>...; CMake looks for c++/g++, not g++-<major>.)
string(REGEX MATCH "^[0-9]+" portico_gxx_major "${CMAKE_CXX_COMPILER_VERSION}")
math(EXPR portico_gxx_next "${portico_gxx_major} + 1")
set(CPACK_DEBIAN_SDK_PACKAGE_DEPENDS
  "portico (= ${PROJECT_VERSION}), libpoco-dev, nlohmann-json3-dev, libspdlog-dev, cmake (>= 3.25), make | ninja-build, g++ (>= 4:${portico_gxx_major}), g++ (<< 4:${portico_gxx_next})")
set(CPACK_DEBIAN_SDK_PACKAGE_RECOMMENDS "catch2, ninja-build")
set(CPACK_DEBIAN_SDK_PACKAGE_SHLIBDEPS OFF)

include(CPack)
