# The messages helper's unit tests. Include from tests/unit/domain/CMakeLists.txt with
# include(CMakeLists.messages.cmake).
# Mention parsing and message text rules (domain/mentions.cpp, compiled into chat_json).
chat_unit_test(mentions_tests mentions_test.cpp)
target_link_libraries(mentions_tests PRIVATE chat_json chat_domain)
# MessageService / ReactionService events over an in-memory SQLite store and the local bus.
chat_unit_test(message_service_tests ${CMAKE_CURRENT_LIST_DIR}/../service/message_service_test.cpp)
target_link_libraries(message_service_tests PRIVATE chat_service chat_json chat_store chat_bus)
