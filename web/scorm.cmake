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
    DEPENDS ${page} ${_scorm_inputs} ${dist}/index.wasm ${dist}/index.deferred.wasm ${dist}/lessons.json
    COMMENT "Writing the SCORM packages to ${dist}/scorm")
  add_custom_target(${target} ALL DEPENDS ${stamp})
  add_dependencies(${target} ${page})
endfunction()

tcplab_scorm_packages(tcplab_scorm tcplab ${TCPLAB_DIST_DIR})
add_dependencies(tcplab_scorm tcplab_zh_font)
tcplab_scorm_packages(tcplab_test_scorm tcplab_test ${TCPLAB_TEST_DIST_DIR})
add_dependencies(tcplab_test_scorm tcplab_test_assets)

# The course builder page (static) and what it loads: the shared manifest
# writer and fflate (from web/node_modules, installed by web/setup.sh;
# copied into dist only, never committed).
set(_fflate ${CMAKE_CURRENT_SOURCE_DIR}/node_modules/fflate)
if(NOT EXISTS ${_fflate}/esm/browser.js)
  message(FATAL_ERROR "No fflate in ${_fflate}: run web/setup.sh (npm ci in web/)")
endif()
function(tcplab_course_builder target dist)
  set(outputs)
  foreach(pair course-builder.html:course-builder.html course-builder.js:course-builder.js
               course-builder.css:course-builder.css scorm-manifest.mjs:scorm-manifest.mjs)
    string(REPLACE ":" ";" pair ${pair})
    list(GET pair 0 from)
    list(GET pair 1 to)
    add_custom_command(OUTPUT ${dist}/${to}
      COMMAND ${CMAKE_COMMAND} -E copy_if_different ${CMAKE_CURRENT_SOURCE_DIR}/${from} ${dist}/${to}
      DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/${from})
    list(APPEND outputs ${dist}/${to})
  endforeach()
  add_custom_command(OUTPUT ${dist}/vendor/fflate.mjs ${dist}/vendor/fflate.LICENSE
    COMMAND ${CMAKE_COMMAND} -E make_directory ${dist}/vendor
    COMMAND ${CMAKE_COMMAND} -E copy_if_different ${_fflate}/esm/browser.js ${dist}/vendor/fflate.mjs
    COMMAND ${CMAKE_COMMAND} -E copy_if_different ${_fflate}/LICENSE ${dist}/vendor/fflate.LICENSE
    DEPENDS ${_fflate}/esm/browser.js)
  list(APPEND outputs ${dist}/vendor/fflate.mjs ${dist}/vendor/fflate.LICENSE)
  add_custom_target(${target} ALL DEPENDS ${outputs})
endfunction()
tcplab_course_builder(tcplab_course_builder ${TCPLAB_DIST_DIR})
tcplab_course_builder(tcplab_test_course_builder ${TCPLAB_TEST_DIST_DIR})
add_dependencies(tcplab_scorm tcplab_course_builder)
add_dependencies(tcplab_test_scorm tcplab_test_course_builder)
