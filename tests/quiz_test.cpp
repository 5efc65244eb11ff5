// Exercises: the query that turns summary cells into answer boxes (web/view_options.h).
#include <catch2/catch.hpp>

#include "view_options.h"

using namespace netshape::app;

TEST_CASE("exercise query: quiz= and layers= are read and written back", "[quiz]") {
    ViewOptions both = parse_view_options("?quiz=shape,params");
    CHECK(both.quiz_shape);
    CHECK(both.quiz_params);
    CHECK(both.quiz_layers.empty()); // every layer
    CHECK(both.ignored.empty());
    CHECK(view_query(both) == "?quiz=shape,params");

    // The order a teacher writes them in does not matter; the link is written one way.
    ViewOptions narrowed = parse_view_options("embed&layers=3,dense&quiz=params,shape&theme=dark");
    CHECK(narrowed.embed);
    CHECK(narrowed.quiz_layers == std::vector<std::string>{"3", "dense"});
    CHECK(view_query(narrowed) == "?embed&quiz=shape,params&layers=3,dense&theme=dark");
    CHECK(view_query(parse_view_options(view_query(narrowed))) == view_query(narrowed));

    ViewOptions params_only = parse_view_options("quiz=params&layers=%33,3,,dense"); // %33 is "3"
    CHECK_FALSE(params_only.quiz_shape);
    CHECK(params_only.quiz_params);
    CHECK(params_only.quiz_layers == std::vector<std::string>{"3", "dense"}); // once each

    // A bare "quiz" is both kinds; unknown kinds are ignored (and reported), never fatal.
    CHECK(parse_view_options("quiz").quiz_shape);
    CHECK(parse_view_options("quiz").quiz_params);
    ViewOptions unknown = parse_view_options("quiz=macs,shape&utm_source=course");
    CHECK(unknown.quiz_shape);
    CHECK_FALSE(unknown.quiz_params);
    CHECK(unknown.ignored == std::vector<std::string>{"quiz=macs", "utm_source=course"});

    // layers= without an exercise narrows nothing: it is reported as not used.
    ViewOptions stray = parse_view_options("layers=2,3");
    CHECK_FALSE(stray.quiz());
    CHECK(stray.quiz_layers.empty());
    CHECK(stray.ignored == std::vector<std::string>{"layers=2,3"});
    CHECK(view_query(stray).empty());
}

TEST_CASE("exercise query: an embed code keeps the exercise", "[quiz]") {
    const std::string code = embed_code("https://e.org/", parse_view_options("quiz=shape&layers=3"), "ns1;4/relu", "");
    CHECK(code.find("<iframe src=\"https://e.org/?embed&amp;quiz=shape&amp;layers=3#ns1;4/relu\"") == 0);
}

