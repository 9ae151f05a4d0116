# SCORM packages of the page (web/scorm-package.mjs) in dist/scorm/, made
# after the page is linked; the same from the test page in dist-test/scorm/
# (the browser tests play them against an LMS runtime). Needs node
# (already needed by emcc) and python3 (zipfile).
find_program(TCPLAB_NODE node REQUIRED)
find_package(Python3 COMPONENTS Interpreter REQUIRED)
file(GLOB _scorm_lessons CONFIGURE_DEPENDS ${TCPLAB_ROOT}/lessons/*.json)
set(_scorm_inputs ${_scorm_lessons} ${CMAKE_CURRENT_SOURCE_DIR}/scorm-package.mjs
    ${CMAKE_CURRENT_SOURCE_DIR}/scorm-manifest.mjs ${CMAKE_CURRENT_SOURCE_DIR}/scorm_zip.py
    ${CMAKE_CURRENT_SOURCE_DIR}/scorm.js)

# tcplab_scorm_packages(<target> <page target> <dist dir>)
function(tcplab_scorm_packages target page dist)
  set(stamp ${CMAKE_CURRENT_BINARY_DIR}/${target}.stamp)
  add_custom_command(OUTPUT ${stamp}
    COMMAND ${CMAKE_COMMAND} -E rm -rf ${dist}/scorm
    COMMAND ${TCPLAB_NODE} ${CMAKE_CURRENT_SOURCE_DIR}/scorm-package.mjs --dist ${dist}
            --lessons ${TCPLAB_ROOT}/lessons --out ${dist}/scorm --python ${Python3_EXECUTABLE}
    COMMAND ${CMAKE_COMMAND} -E touch ${stamp}
    DEPENDS ${page} ${_scorm_inputs} ${dist}/index.wasm
    COMMENT "Writing the SCORM packages to ${dist}/scorm")
  add_custom_target(${target} ALL DEPENDS ${stamp})
  add_dependencies(${target} ${page})
endfunction()

tcplab_scorm_packages(tcplab_scorm tcplab ${TCPLAB_DIST_DIR})
add_dependencies(tcplab_scorm tcplab_zh_font)
tcplab_scorm_packages(tcplab_test_scorm tcplab_test ${TCPLAB_TEST_DIST_DIR})
add_dependencies(tcplab_test_scorm tcplab_test_assets)
