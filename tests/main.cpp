// Catch2's main, in a file of its own so the test files compile without it.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
