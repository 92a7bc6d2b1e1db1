# Unity (jumbo) build for clean builds such as CI (CHAT_UNITY_BUILD=ON, scripts/test.sh): each
# compiler run takes several sources, so the Boost/spdlog/GoogleTest headers are parsed and their
# templates instantiated once per batch instead of once per file. Included from the top-level
# CMakeLists.txt after every target exists.
#
# Sources with same-named helpers in anonymous namespaces cannot share a batch. Those are listed
# below: either left out of the unity build (SKIP_UNITY_BUILD_INCLUSION) or, in the targets where
# nearly every file has such helpers (route handlers named List/Get/Create, test fixtures named
# kGuild/Seed), put in explicit groups (UNITY_BUILD_MODE GROUP), where a source with no group is
# compiled alone. A new clash shows up as a "redefinition of" error in `make test`; add the file
# to the lists here.

# dir is the folder whose CMakeLists.txt defines the target; relative paths start there.
function(_chat_unity_skip dir)
  list(TRANSFORM ARGN PREPEND ${dir}/ REGEX "^[^/]" OUTPUT_VARIABLE files)
  set_source_files_properties(${files} DIRECTORY ${dir} PROPERTIES SKIP_UNITY_BUILD_INCLUSION ON)
endfunction()

function(_chat_unity_group dir group)
  list(TRANSFORM ARGN PREPEND ${dir}/ REGEX "^[^/]" OUTPUT_VARIABLE files)
  set_source_files_properties(${files} DIRECTORY ${dir} PROPERTIES UNITY_GROUP ${group})
endfunction()

# The heaviest Asio/Beast sources (20-45 s each) gain little from sharing a batch and, batched, make
# one long compile that the build ends waiting on: they stay on their own.
_chat_unity_skip(${PROJECT_SOURCE_DIR}/src/common boost_src.cpp)
_chat_unity_skip(${PROJECT_SOURCE_DIR}/src/gateway gateway.cpp
  ${PROJECT_SOURCE_DIR}/tests/unit/gateway/coalescing_stream_test.cpp)
_chat_unity_skip(${PROJECT_SOURCE_DIR}/loadgen rest_client.cpp gateway_client.cpp)

# BATCH mode: all but the listed files.
_chat_unity_skip(${PROJECT_SOURCE_DIR}/src/store sqlite/sqlite_messages.cpp)  # ChannelExists
_chat_unity_skip(${PROJECT_SOURCE_DIR}/src/service
  attachment_service.cpp audit_log_service.cpp  # kTarget
  message_service.cpp)                          # Contains
_chat_unity_skip(${PROJECT_SOURCE_DIR}/loadgen
  report.cpp scenario_fanout.cpp scenario_rest.cpp scenario_seed.cpp)  # Ms

# GROUP mode: chat_http. Every resource's handlers are named Create/Get/List/Patch/Delete.
set_target_properties(chat_http PROPERTIES UNITY_BUILD_MODE GROUP)
set(_dir ${PROJECT_SOURCE_DIR}/src/http)
_chat_unity_group(${_dir} http_core
  request.cpp response.cpp error_response.cpp json_body.cpp router.cpp api.cpp multipart.cpp)
_chat_unity_group(${_dir} http_routes
  routes/system_routes.cpp routes/auth_routes.cpp routes/user_routes.cpp
  routes/application_routes.cpp routes/gateway_routes.cpp routes/community_fields.cpp
  routes/search_routes.cpp routes/audit_log_routes.cpp routes/attachment_routes.cpp)
_chat_unity_group(${_dir} http_guild routes/guild_routes.cpp)
_chat_unity_group(${_dir} http_channel routes/channel_routes.cpp)
_chat_unity_group(${_dir} http_role routes/role_routes.cpp)
_chat_unity_group(${_dir} http_member routes/member_routes.cpp)
_chat_unity_group(${_dir} http_invite routes/invite_routes.cpp)
_chat_unity_group(${_dir} http_message routes/message_routes.cpp)

# GROUP mode: store_tests. Most files define their own kGuild/kOwner fixtures.
if(NOT TARGET store_tests)
  return()
endif()
set_target_properties(store_tests PROPERTIES UNITY_BUILD_MODE GROUP)
set(_dir ${PROJECT_SOURCE_DIR}/tests/unit/store)
_chat_unity_group(${_dir} st_guild user_store_test.cpp application_store_test.cpp
  guild_store_test.cpp migrator_test.cpp)
_chat_unity_group(${_dir} st_channel token_store_test.cpp channel_store_test.cpp)
_chat_unity_group(${_dir} st_attachment concurrency_test.cpp attachment_store_test.cpp)
_chat_unity_group(${_dir} st_audit_log sqlite_store_test.cpp audit_log_store_test.cpp)
_chat_unity_group(${_dir} st_invite postgres_instance.cpp postgres_test_db.cpp
  postgres_store_test.cpp invite_store_test.cpp)
_chat_unity_group(${_dir} st_member member_store_test.cpp)
_chat_unity_group(${_dir} st_message message_store_test.cpp)
_chat_unity_group(${_dir} st_reaction reaction_store_test.cpp)
_chat_unity_group(${_dir} st_role role_store_test.cpp)
_chat_unity_group(${_dir} st_search search_store_test.cpp)
unset(_dir)
