# What `cmake --install` puts under the prefix: the public headers, the shared library
# libvqsearch.so (it exports only what VQS_EXPORT marks, and links its own BLAS and HDF5),
# a CMake package, so that
#
#   find_package(vqsearch REQUIRED)
#   target_link_libraries(app PRIVATE vqsearch::vqsearch)
#
# works from the prefix, and vqsearch.pc for pkg-config. tests/consumer builds a program
# both ways against a fresh install (ctest install_consumer_test).

include(CMakePackageConfigHelpers)

set(VQS_CMAKE_PACKAGE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/vqsearch)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/vqsearch DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.h")
install(TARGETS vqsearch_shared EXPORT vqsearchTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT vqsearchTargets NAMESPACE vqsearch:: DESTINATION ${VQS_CMAKE_PACKAGE_DIR})

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/vqsearchConfig.cmake.in
                              ${CMAKE_CURRENT_BINARY_DIR}/vqsearchConfig.cmake
                              INSTALL_DESTINATION ${VQS_CMAKE_PACKAGE_DIR})
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/vqsearchConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/vqsearchConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/vqsearchConfigVersion.cmake
        DESTINATION ${VQS_CMAKE_PACKAGE_DIR})

# Relocatable: the prefix is found from where the .pc file lies, so an install moved (or
# made with `cmake --install --prefix`) still points at its own headers and library.
file(RELATIVE_PATH VQS_PC_PREFIX /root/${CMAKE_INSTALL_LIBDIR}/pkgconfig /root)
configure_file(${PROJECT_SOURCE_DIR}/cmake/vqsearch.pc.in ${CMAKE_CURRENT_BINARY_DIR}/vqsearch.pc
               @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/vqsearch.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
