# SCORM packages of the page (web/scorm-package.mjs) in dist/scorm/, made
# after the page is linked. Needs node (already needed by emcc) and
# python3 (zipfile).
find_program(TCPLAB_NODE node REQUIRED)
find_package(Python3 COMPONENTS Interpreter REQUIRED)
file(GLOB _scorm_lessons CONFIGURE_DEPENDS ${TCPLAB_ROOT}/lessons/*.json)
set(_scorm_stamp ${CMAKE_CURRENT_BINARY_DIR}/scorm-packages.stamp)
add_custom_command(OUTPUT ${_scorm_stamp}
  COMMAND ${CMAKE_COMMAND} -E rm -rf ${TCPLAB_DIST_DIR}/scorm
  COMMAND ${TCPLAB_NODE} ${CMAKE_CURRENT_SOURCE_DIR}/scorm-package.mjs --dist ${TCPLAB_DIST_DIR}
          --lessons ${TCPLAB_ROOT}/lessons --out ${TCPLAB_DIST_DIR}/scorm --python ${Python3_EXECUTABLE}
  COMMAND ${CMAKE_COMMAND} -E touch ${_scorm_stamp}
  DEPENDS tcplab ${_scorm_lessons} ${CMAKE_CURRENT_SOURCE_DIR}/scorm-package.mjs
          ${CMAKE_CURRENT_SOURCE_DIR}/scorm-manifest.mjs ${CMAKE_CURRENT_SOURCE_DIR}/scorm_zip.py
          ${CMAKE_CURRENT_SOURCE_DIR}/scorm.js ${TCPLAB_DIST_DIR}/index.wasm
  COMMENT "Writing the SCORM packages to ${TCPLAB_DIST_DIR}/scorm")
add_custom_target(tcplab_scorm ALL DEPENDS ${_scorm_stamp})
add_dependencies(tcplab_scorm tcplab tcplab_zh_font)
