// The app state the web front end draws from: edits, the text pane, the URL hash and undo.
#include "support.h"

#include "app_state.h"
#include "editing.h"
#include "engine/text.h"

using namespace netshape;
using namespace netshape::app;

namespace {

const char* kSeed000Text = "ns1;1x28x28/conv2d(32,5)+relu/maxpool2d(2)/conv2d(32,3)+relu/maxpool2d(2)/flatten/"
                           "linear(256)+relu/linear(10)+softmax";

Architecture from_text(std::string_view text) {
    TextReadResult read = read_architecture_text(text);
    REQUIRE_FALSE(read.error);
    return read.architecture;
}

} // namespace

TEST_CASE("app state: a hash shows its design and its analysis", "[app]") {
    AppState state = make_state(from_text("ns1;10/linear(2)"));
    CHECK(load_hash(state, std::string("#") + kSeed000Text));
    CHECK(state.analysis.total_params == 217'706); // seed 000
    CHECK(current_hash(state) == kSeed000Text);
    CHECK_FALSE(state.hash_outdated); // the hash already holds this design
    SECTION("the same hash again changes nothing") { CHECK_FALSE(load_hash(state, kSeed000Text)); }
    SECTION("an empty hash changes nothing") { CHECK_FALSE(load_hash(state, "#")); }
}

TEST_CASE("app state: a broken hash never destroys the design", "[app]") {
    AppState state = make_state(from_text(kSeed000Text));
    CHECK_FALSE(load_hash(state, "#ns1;1x28x28/conv2(32,5)"));
    CHECK(state.analysis.total_params == 217'706);
    CHECK(state.design.layers.size() == 7);
    REQUIRE(state.hash_error);
    CHECK(state.hash_error->column == 13);
    CHECK(state.rejected_hash == "ns1;1x28x28/conv2(32,5)");
    SECTION("a good hash afterwards clears the error") {
        CHECK(load_hash(state, "ns1;10/linear(2)"));
        CHECK_FALSE(state.hash_error);
        CHECK(state.rejected_hash.empty());
    }
    SECTION("garbage of every kind is refused the same way") {
        for (const char* garbage : {"#%%%", "#<script>alert(1)</script>", "#ns1;", "#ns9;4/relu", "#ns1;4/relu(((("}) {
            CAPTURE(garbage);
            load_hash(state, garbage);
            CHECK(state.design.layers.size() == 7);
        }
    }
}

TEST_CASE("app state: browsers may percent-escape the hash", "[app]") {
    AppState state = make_state(from_text("ns1;4/relu"));
    // a title with a quote and a space, as a browser might hand it over
    CHECK(load_hash(state, "#ns1;%27My~net%27;10/linear(2)"));
    CHECK(state.design.name == "My net");
    CHECK(percent_decode("a%20b%2") == "a b%2");
    CHECK(percent_decode("%zz") == "%zz");
}

TEST_CASE("app state: the text pane edits the design, and keeps it while the text is broken", "[app]") {
    AppState state = make_state(from_text("ns1;10/linear(2)"));
    CHECK(edit_text(state, "ns1;10/linear(3)"));
    CHECK(state.analysis.total_params == (10 + 1) * 3);
    CHECK_FALSE(edit_text(state, "ns1;10/linear(3"));
    CHECK(state.text == "ns1;10/linear(3"); // what the person typed stays
    REQUIRE(state.text_error);
    CHECK(state.analysis.total_params == (10 + 1) * 3); // the design is the last good one
    CHECK(state.hash_outdated);
    CHECK(current_hash(state) == "ns1;10/linear(3)");
    mark_hash_written(state);
    CHECK_FALSE(state.hash_outdated);
}

TEST_CASE("app state: undo and redo restore designs exactly", "[app]") {
    AppState state = make_state(from_text("ns1;10/linear(2)"));
    set_design(state, from_text("ns1;10/linear(3)"));
    set_design(state, from_text("ns1;10/linear(4)/relu"));
    CHECK(undo(state));
    CHECK(current_hash(state) == "ns1;10/linear(3)");
    CHECK(undo(state));
    CHECK(current_hash(state) == "ns1;10/linear(2)");
    CHECK_FALSE(undo(state));
    CHECK(redo(state));
    CHECK(redo(state));
    CHECK(current_hash(state) == "ns1;10/linear(4)/relu");
    CHECK_FALSE(redo(state));
    SECTION("an edit after undo drops the redo history") {
        undo(state);
        set_design(state, from_text("ns1;10/tanh"));
        CHECK_FALSE(redo(state));
    }
}

TEST_CASE("app state: typing into one box is one undo step", "[app]") {
    AppState state = make_state(from_text("ns1;10/linear(2)"));
    // Typing "32" into linear's out_features: "3", then "32".
    set_design(state, from_text("ns1;10/linear(3)"), "layers[0].out_features");
    set_design(state, from_text("ns1;10/linear(32)"), "layers[0].out_features");
    set_design(state, from_text("ns1;10/linear(32)/relu")); // another edit
    CHECK(undo(state));
    CHECK(current_hash(state) == "ns1;10/linear(32)");
    CHECK(undo(state));
    CHECK(current_hash(state) == "ns1;10/linear(2)");
    CHECK_FALSE(undo(state));

    SECTION("the text pane groups its typing too") {
        CHECK(edit_text(state, "ns1;10/linear(2)/relu"));
        CHECK(edit_text(state, "ns1;10/linear(2)/relu/linear(5)"));
        CHECK(undo(state));
        CHECK(current_hash(state) == "ns1;10/linear(2)");
    }
}

TEST_CASE("app state: the text pane shows one layer per line", "[app]") {
    // The reader skips white space between elements, so the pane can be laid out for reading
    // while the hash stays on one line.
    AppState state = make_state(from_text(kSeed000Text));
    CHECK(state.text == "ns1;1x28x28\n/conv2d(32,5)+relu\n/maxpool2d(2)\n/conv2d(32,3)+relu\n/maxpool2d(2)\n"
                        "/flatten\n/linear(256)+relu\n/linear(10)+softmax");
    CHECK(current_hash(state) == kSeed000Text);
    // Slashes inside repeats and quoted titles stay where they are.
    CHECK(layout_link_text("ns1;'a/b';8/2*(linear(8)/relu)/linear(2)") ==
          "ns1;'a/b';8\n/2*(linear(8)/relu)\n/linear(2)");
}

TEST_CASE("app state: a link with blocks keeps them in the hash and the pane, and a table edit keeps the design", "[app][blocks]") {
    const std::string text = "ns1;10;lin(w)=(linear(w)/relu);two()=(lin(3)/lin(3))/lin(4)/two";
    AppState state = make_state(from_text("ns1;10/linear(2)"));
    CHECK(load_hash(state, "#" + text));
    // linear 10→4: 44; 4→3: 15; 3→3: 12
    CHECK(state.analysis.total_params == 44 + 15 + 12);
    CHECK(current_hash(state) == text);
    // each definition on a line of its own in the text pane, which reads back to the same link
    CHECK(state.text == "ns1;10\n;lin(w)=(linear(w)/relu)\n;two()=(lin(3)/lin(3))\n/lin(4)\n/two");
    edit_text(state, state.text + " "); // the pane as typed: the same design
    CHECK(current_hash(state) == text);
    SECTION("removing a layer of a use writes that use's layers; the others stay uses") {
        set_design(state, with_layer_removed(state.design, 5)); // the second use of two: its last relu
        Architecture read_back = from_text(current_hash(state));
        REQUIRE(read_back.layers.size() == 5);
        CHECK(analyze(read_back).total_params == 44 + 15 + 12);
        CHECK(current_hash(state).find("/lin(4)/") != std::string::npos);
    }
}

TEST_CASE("app state: undo keeps a bounded number of layers", "[app]") {
    // Eight edits of a 100,000-layer design (the most a link may hold) would be 800,000 layers
    // remembered; the history keeps at most 500,000, the newest steps first.
    AppState state = make_state(from_text("ns1;8/100000*(relu)"));
    for (int step = 0; step < 8; ++step) {
        Architecture design = state.design;
        design.name = cat("step ", step);
        set_design(state, std::move(design));
    }
    CHECK(state.undo_stack.size() == 5);
    CHECK(state.undo_stack.back().name == "step 6"); // the newest is kept
    REQUIRE(undo(state));
    CHECK(state.design.name == "step 6");
}
