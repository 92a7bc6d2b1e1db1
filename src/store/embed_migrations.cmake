# chat_embed_migrations(<target> <sql_dir> <namespace> <function> <header>)
# Embeds <sql_dir>/NNNN_name.{up,down}.sql into <target> as a generated .cpp defining
# `std::span<const chat::store::Migration> <namespace>::<function>()` (declared in <header>).
# The .cpp is regenerated when a .sql file changes; adding or removing one re-runs CMake
# (CONFIGURE_DEPENDS). Used by the SQLite store and by the PostgreSQL store.
set(CHAT_EMBED_MIGRATIONS_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/embed_migrations_gen.cmake)

function(chat_embed_migrations target sql_dir namespace function header)
  file(GLOB sql_files CONFIGURE_DEPENDS "${sql_dir}/*.sql")
  set(out "${CMAKE_CURRENT_BINARY_DIR}/${target}_${function}.cpp")
  add_custom_command(
    OUTPUT "${out}"
    COMMAND ${CMAKE_COMMAND} "-DSQL_DIR=${sql_dir}" "-DOUTPUT=${out}" "-DNAMESPACE=${namespace}"
            "-DFUNCTION=${function}" "-DHEADER=${header}" -P "${CHAT_EMBED_MIGRATIONS_SCRIPT}"
    DEPENDS ${sql_files} "${CHAT_EMBED_MIGRATIONS_SCRIPT}"
    COMMENT "Embedding migrations from ${sql_dir}"
    VERBATIM)
  target_sources(${target} PRIVATE "${out}")
endfunction()
