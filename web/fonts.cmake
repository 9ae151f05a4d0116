# The UI font: DejaVu Sans (Debian's fonts-dejavu-core, free licence), cut at
# build time to the Latin glyphs and symbols the UI uses, embedded in the
# wasm. Output: ${CMAKE_CURRENT_BINARY_DIR}/ui_font.cpp (symbol UI_FONT).
find_program(PYFTSUBSET pyftsubset REQUIRED)
set(TCPLAB_UI_FONT_SOURCE /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf CACHE FILEPATH "UI font (TTF)")
if(NOT EXISTS ${TCPLAB_UI_FONT_SOURCE})
  message(FATAL_ERROR "No UI font at ${TCPLAB_UI_FONT_SOURCE}: apt-get install fonts-dejavu-core (web/setup.sh does)")
endif()
set(_subset ${CMAKE_CURRENT_BINARY_DIR}/ui_font.ttf)
add_custom_command(OUTPUT ${_subset}
  COMMAND ${PYFTSUBSET} ${TCPLAB_UI_FONT_SOURCE}
          --unicodes=U+0020-007E,U+00B7,U+00D7,U+2013-2014,U+2018-201D,U+2022,U+2026,U+2190-2193,U+2212,U+2713,U+2717,U+25B6,U+25A0,U+25CF
          --layout-features= --no-hinting --desubroutinize --output-file=${_subset}
  DEPENDS ${TCPLAB_UI_FONT_SOURCE}
  COMMENT "Subsetting the UI font")
add_custom_command(OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/ui_font.cpp
  COMMAND ${CMAKE_COMMAND} -DIN=${_subset} -DOUT=${CMAKE_CURRENT_BINARY_DIR}/ui_font.cpp -DNAME=UI_FONT
          -P ${CMAKE_CURRENT_SOURCE_DIR}/bin2c.cmake
  DEPENDS ${_subset} ${CMAKE_CURRENT_SOURCE_DIR}/bin2c.cmake
  COMMENT "Embedding the UI font")
set(TCPLAB_UI_FONT_CPP ${CMAKE_CURRENT_BINARY_DIR}/ui_font.cpp)

# The Chinese font: WenQuanYi Micro Hei (Debian's fonts-wqy-microhei,
# Apache-2.0), cut to the characters the UI and the built-in lessons use and
# served as dist/zh-font.ttf, fetched only when Chinese is shown.
set(TCPLAB_ZH_FONT_SOURCE /usr/share/fonts/truetype/wqy/wqy-microhei.ttc CACHE FILEPATH "CJK font (TTC/TTF)")
if(NOT EXISTS ${TCPLAB_ZH_FONT_SOURCE})
  message(FATAL_ERROR "No CJK font at ${TCPLAB_ZH_FONT_SOURCE}: apt-get install fonts-wqy-microhei (web/setup.sh does)")
endif()
find_package(Python3 REQUIRED COMPONENTS Interpreter)
file(GLOB _zh_sources CONFIGURE_DEPENDS
  ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp ${TCPLAB_ROOT}/lessons/*.cpp ${TCPLAB_ROOT}/lessons/*.json
  ${TCPLAB_ROOT}/lessons/*/*.json
  # The socket lab's log says the sockets layer's reasons (issue 15).
  ${TCPLAB_ROOT}/engine/socket_reason.h ${TCPLAB_ROOT}/engine/socket_names.cpp
  # The capture replay's notes (engine/replay.cpp) are said in Chinese too.
  ${TCPLAB_ROOT}/engine/replay.cpp)
set(_zh_chars ${CMAKE_CURRENT_BINARY_DIR}/zh-chars.txt)
add_custom_command(OUTPUT ${_zh_chars}
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/cjk_chars.py ${_zh_chars} ${_zh_sources}
  DEPENDS ${_zh_sources} ${CMAKE_CURRENT_SOURCE_DIR}/cjk_chars.py
  COMMENT "Collecting the Chinese characters of the UI and lessons")
add_custom_command(OUTPUT ${TCPLAB_DIST_DIR}/zh-font.ttf
  COMMAND ${CMAKE_COMMAND} -E make_directory ${TCPLAB_DIST_DIR}
  COMMAND ${PYFTSUBSET} ${TCPLAB_ZH_FONT_SOURCE} --font-number=0 --text-file=${_zh_chars}
          --unicodes=U+0020-007E --layout-features= --no-hinting --desubroutinize
          --output-file=${TCPLAB_DIST_DIR}/zh-font.ttf
  DEPENDS ${_zh_chars} ${TCPLAB_ZH_FONT_SOURCE}
  COMMENT "Subsetting the Chinese font")
add_custom_target(tcplab_zh_font ALL DEPENDS ${TCPLAB_DIST_DIR}/zh-font.ttf)

# The fallback for an author's lesson whose Chinese text uses characters
# outside the subset above: every CJK ideograph of the font (about 3 MB),
# fetched only then, and only the glyphs the lesson needs are rasterised.
add_custom_command(OUTPUT ${TCPLAB_DIST_DIR}/zh-font-large.ttf
  COMMAND ${CMAKE_COMMAND} -E make_directory ${TCPLAB_DIST_DIR}
  COMMAND ${PYFTSUBSET} ${TCPLAB_ZH_FONT_SOURCE} --font-number=0
          --unicodes=U+0020-007E,U+2E80-9FFF,U+F900-FAFF,U+FF00-FFEF --layout-features= --no-hinting
          --desubroutinize --output-file=${TCPLAB_DIST_DIR}/zh-font-large.ttf
  DEPENDS ${TCPLAB_ZH_FONT_SOURCE}
  COMMENT "Subsetting the fallback Chinese font")
add_custom_target(tcplab_zh_font_large ALL DEPENDS ${TCPLAB_DIST_DIR}/zh-font-large.ttf)
