// Catch2's main for the native UI tests.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
