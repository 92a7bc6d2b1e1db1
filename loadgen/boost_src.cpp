// loadgen/boost_src.cpp — the load generator's own Asio/Beast separate-compilation unit, so that
// chat-loadgen links none of the server's libraries (chat_options sets the *_SEPARATE_COMPILATION
// macros on every target).
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
