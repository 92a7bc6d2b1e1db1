# The PostgreSQL instance of the Store suite and the PostgreSQL-only tests, added to store_tests.
# Included from this folder's CMakeLists.txt: include(CMakeLists.postgres.cmake)
# They need CHAT_TEST_DATABASE_URL (scripts/services.sh start DIR writes it to DIR/env) and fail,
# never skip, without it.
target_sources(store_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/postgres_instance.cpp
  ${CMAKE_CURRENT_LIST_DIR}/postgres_test_db.cpp
  ${CMAKE_CURRENT_LIST_DIR}/postgres_store_test.cpp
)
# postgres_test_db.cpp creates and drops the throwaway databases with libpq directly.
target_link_libraries(store_tests PRIVATE PkgConfig::LIBPQ)
