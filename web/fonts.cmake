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
          --unicodes=U+0020-007E,U+00A0-00FF,U+2013-2014,U+2018-201D,U+2022,U+2026,U+2190-2193,U+21BA,U+2212,U+2713,U+2717,U+00D7,U+25B6,U+25A0,U+25CF
          --layout-features= --no-hinting --desubroutinize --output-file=${_subset}
  DEPENDS ${TCPLAB_UI_FONT_SOURCE}
  COMMENT "Subsetting the UI font")
add_custom_command(OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/ui_font.cpp
  COMMAND ${CMAKE_COMMAND} -DIN=${_subset} -DOUT=${CMAKE_CURRENT_BINARY_DIR}/ui_font.cpp -DNAME=UI_FONT
          -P ${CMAKE_CURRENT_SOURCE_DIR}/bin2c.cmake
  DEPENDS ${_subset} ${CMAKE_CURRENT_SOURCE_DIR}/bin2c.cmake
  COMMENT "Embedding the UI font")
set(TCPLAB_UI_FONT_CPP ${CMAKE_CURRENT_BINARY_DIR}/ui_font.cpp)
