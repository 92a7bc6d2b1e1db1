# Script mode (cmake -P): writes OUTPUT, a .cpp holding every file of WEB_DIR (html, js, css) as a
# raw string literal, for http/web_assets.hpp. Called from src/http/CMakeLists.txt; fails the
# build on a file the raw string delimiter cannot hold or of a type it does not know.
cmake_minimum_required(VERSION 3.25)
include("${CMAKE_CURRENT_LIST_DIR}/../../cmake/write_if_changed.cmake")
set(delim "chat_web")
file(GLOB files "${WEB_DIR}/*.html" "${WEB_DIR}/*.js" "${WEB_DIR}/*.css")
list(SORT files)
set(entries "")
foreach(path IN LISTS files)
  get_filename_component(name "${path}" NAME)
  if(name MATCHES "\\.html$")
    set(type "text/html; charset=utf-8")
  elseif(name MATCHES "\\.js$")
    set(type "text/javascript; charset=utf-8")
  elseif(name MATCHES "\\.css$")
    set(type "text/css; charset=utf-8")
  else()
    message(FATAL_ERROR "web/${name}: not html, js or css")
  endif()
  file(READ "${path}" text)
  string(FIND "${text}" ")${delim}\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "web/${name} contains the delimiter )${delim}\"")
  endif()
  string(APPEND entries "    {\"${name}\", \"${type}\", R\"${delim}(${text})${delim}\"},\n")
endforeach()
string(CONCAT content "// Generated from ${WEB_DIR} by embed_web_gen.cmake. Do not edit.\n"
              "#include \"http/web_assets.hpp\"\n\nnamespace chat::http {\n\nnamespace {\n"
              "constexpr WebAsset kAssets[] = {\n" "${entries}" "};\n}  // namespace\n\n"
              "std::span<const WebAsset> WebAssets() { return kAssets; }\n\n"
              "}  // namespace chat::http\n")
chat_write_if_changed("${OUTPUT}" "${content}")
