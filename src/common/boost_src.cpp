// common/boost_src.cpp — the one translation unit that compiles Asio and Beast
// (BOOST_ASIO_SEPARATE_COMPILATION / BOOST_BEAST_SEPARATE_COMPILATION are set on every target).
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
