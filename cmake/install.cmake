# install(): headers, libzmem.a and libzmem.so, the CMake package (zmemConfig.cmake with the
# target zmem::zmem, the static library, and zmem::zmem_shared) and zmem.pc for pkg-config.
# Included from the top-level CMakeLists.txt after the targets exist.
include(CMakePackageConfigHelpers)

set(ZMEM_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/zmem)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/zmem
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.h" PATTERN "*.hpp")

install(TARGETS zmem zmem_shared EXPORT zmemTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

install(EXPORT zmemTargets
  NAMESPACE zmem::
  FILE zmemTargets.cmake
  DESTINATION ${ZMEM_CMAKE_DIR})

configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/zmemConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/zmemConfig.cmake
  INSTALL_DESTINATION ${ZMEM_CMAKE_DIR})
# 0.x: a minor version may break the API, so only the same minor version is compatible.
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/zmemConfigVersion.cmake
  VERSION ${PROJECT_VERSION}
  COMPATIBILITY SameMinorVersion)
install(FILES
  ${CMAKE_CURRENT_BINARY_DIR}/zmemConfig.cmake
  ${CMAKE_CURRENT_BINARY_DIR}/zmemConfigVersion.cmake
  DESTINATION ${ZMEM_CMAKE_DIR})

# zmem.pc finds the prefix from its own location (${pcfiledir}), so an installed tree can be
# moved, and `cmake --install --prefix DIR` works whatever prefix the build was configured with.
set(ZMEM_PC_DIR ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
if(IS_ABSOLUTE ${ZMEM_PC_DIR})
  set(ZMEM_PC_PREFIX ${CMAKE_INSTALL_PREFIX})
else()
  file(RELATIVE_PATH ZMEM_PC_UP /x/${ZMEM_PC_DIR} /x)
  string(REGEX REPLACE "/$" "" ZMEM_PC_UP "${ZMEM_PC_UP}")
  set(ZMEM_PC_PREFIX "\${pcfiledir}/${ZMEM_PC_UP}")
endif()
foreach(kind LIBDIR INCLUDEDIR)
  if(IS_ABSOLUTE ${CMAKE_INSTALL_${kind}})
    set(ZMEM_PC_${kind} ${CMAKE_INSTALL_${kind}})
  else()
    set(ZMEM_PC_${kind} "\${prefix}/${CMAKE_INSTALL_${kind}}")
  endif()
endforeach()
# What libzmem.a needs besides itself, taken from the target so the .pc follows src/CMakeLists.txt:
# plain library names become -lNAME; targets and generator expressions are left out.
set(ZMEM_PC_LIBS_PRIVATE "")
get_target_property(zmem_link_deps zmem INTERFACE_LINK_LIBRARIES)
if(zmem_link_deps)
  foreach(dep IN LISTS zmem_link_deps)
    if(dep MATCHES "^[A-Za-z0-9_.+-]+$" AND NOT TARGET ${dep})
      string(APPEND ZMEM_PC_LIBS_PRIVATE " -l${dep}")
    elseif(dep MATCHES "^-l")
      string(APPEND ZMEM_PC_LIBS_PRIVATE " ${dep}")
    endif()
  endforeach()
endif()
string(APPEND ZMEM_PC_LIBS_PRIVATE " -lstdc++ -lm")
string(STRIP "${ZMEM_PC_LIBS_PRIVATE}" ZMEM_PC_LIBS_PRIVATE)
configure_file(${CMAKE_CURRENT_LIST_DIR}/zmem.pc.in ${CMAKE_CURRENT_BINARY_DIR}/zmem.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/zmem.pc DESTINATION ${ZMEM_PC_DIR})
