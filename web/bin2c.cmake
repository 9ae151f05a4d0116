# cmake -DIN=<file> -DOUT=<file.cpp> -DNAME=<symbol> -P bin2c.cmake
# Writes a C++ source defining `const unsigned char NAME[]` and `NAME_SIZE`
# with the bytes of IN (fonts the page embeds, subset at build time).
file(READ "${IN}" hex HEX)
string(LENGTH "${hex}" n)
math(EXPR size "${n} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," body "${hex}")
string(REGEX REPLACE "((0x..,){24})" "\\1\n" body "${body}")
file(WRITE "${OUT}" "// Generated from ${IN} by web/bin2c.cmake. Do not edit.\n"
  "extern const unsigned char ${NAME}[];\nextern const unsigned ${NAME}_SIZE;\n"
  "const unsigned char ${NAME}[] = {\n${body}\n};\nconst unsigned ${NAME}_SIZE = ${size};\n")
