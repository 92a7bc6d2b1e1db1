# Script mode (cmake -P): writes OUTPUT, a .cpp holding every SQL_DIR/NNNN_name.{up,down}.sql as
# raw string literals. Called by chat_embed_migrations (embed_migrations.cmake). Fails the build
# on a missing .down.sql, a duplicate version or a file the raw string delimiter cannot hold.
cmake_minimum_required(VERSION 3.25)
include("${CMAKE_CURRENT_LIST_DIR}/../../cmake/write_if_changed.cmake")
set(delim "chat_sql")
file(GLOB up_files "${SQL_DIR}/*.up.sql")
list(SORT up_files)

set(entries "")
set(seen_versions "")
foreach(up IN LISTS up_files)
  get_filename_component(file_name "${up}" NAME)
  if(NOT file_name MATCHES "^([0-9]+)_([A-Za-z0-9_]+)\\.up\\.sql$")
    message(FATAL_ERROR "migration ${file_name}: expected NNNN_name.up.sql")
  endif()
  set(version_text "${CMAKE_MATCH_1}")
  set(name "${CMAKE_MATCH_2}")
  math(EXPR version "${version_text}")
  if(version IN_LIST seen_versions)
    message(FATAL_ERROR "migration version ${version} appears twice in ${SQL_DIR}")
  endif()
  list(APPEND seen_versions ${version})
  set(down "${SQL_DIR}/${version_text}_${name}.down.sql")
  if(NOT EXISTS "${down}")
    message(FATAL_ERROR "migration ${file_name} has no ${version_text}_${name}.down.sql")
  endif()
  file(READ "${up}" up_sql)
  file(READ "${down}" down_sql)
  string(FIND "${up_sql}" ")${delim}\"" up_clash)
  string(FIND "${down_sql}" ")${delim}\"" down_clash)
  if(NOT up_clash EQUAL -1 OR NOT down_clash EQUAL -1)
    message(FATAL_ERROR "migration ${file_name}: SQL contains the delimiter )${delim}\"")
  endif()
  string(APPEND entries "    {${version}, \"${name}\",\n     R\"${delim}(${up_sql})${delim}\",\n"
                        "     R\"${delim}(${down_sql})${delim}\"},\n")
endforeach()

if(entries STREQUAL "")
  set(body "std::span<const Migration> ${FUNCTION}() { return {}; }\n")
else()
  string(CONCAT body "namespace {\nconstexpr Migration kMigrations[] = {\n" "${entries}"
                "};\n}  // namespace\n\n"
                "std::span<const Migration> ${FUNCTION}() { return kMigrations; }\n")
endif()

# SQL holds semicolons, CMake's list separator: build the text with CONCAT, never with lists.
string(CONCAT content "// Generated from ${SQL_DIR} by embed_migrations_gen.cmake. Do not edit.\n"
              "#include \"${HEADER}\"\n\nnamespace ${NAMESPACE} {\n\n" "${body}"
              "\n}  // namespace ${NAMESPACE}\n")
chat_write_if_changed("${OUTPUT}" "${content}")
