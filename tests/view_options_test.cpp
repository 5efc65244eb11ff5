// The page's view options (query string) and the embed code a teacher copies.
#include <catch2/catch.hpp>

#include "view_options.h"

using namespace netshape::app;

TEST_CASE("view options: the default page is the full editor", "[view]") {
    ViewOptions options = parse_view_options("");
    CHECK_FALSE(options.embed);
    CHECK_FALSE(options.dark);
    CHECK(view_query(options).empty());
}

TEST_CASE("view options: what a teacher writes in the link", "[view]") {
    ViewOptions options = parse_view_options("?embed&hide=macs,trainable&theme=light&utm_source=course");
    CHECK(options.embed);
    CHECK_FALSE(options.allow_edit); // read-only unless asked
    CHECK(options.hides("macs"));
    CHECK(options.hides("trainable"));
    CHECK_FALSE(options.hides("params"));
    REQUIRE(options.dark);
    CHECK_FALSE(*options.dark);
    CHECK(options.ignored == std::vector<std::string>{"utm_source=course"});
    CHECK(view_query(options) == "?embed&hide=macs,trainable&theme=light");

    CHECK(parse_view_options("embed&edit").allow_edit);
    ViewOptions editor = parse_view_options("embed&editor");
    CHECK(editor.show_editor);
    CHECK(editor.allow_edit);
    CHECK(parse_view_options("hide=%6Dacs").hides("macs")); // percent-escaped by a mailer
    CHECK(parse_view_options("hide=colour").ignored == std::vector<std::string>{"hide=colour"});
}

TEST_CASE("view options: embed code", "[view]") {
    const std::string code = embed_code("https://example.org/netshape/", parse_view_options("hide=macs"),
                                        "ns1;'A~B';10/linear(2)", "A <b>net</b>");
    CHECK(code.find("<iframe src=\"https://example.org/netshape/?embed&amp;hide=macs#ns1;&#39;A~B&#39;;10/linear(2)\"") == 0);
    CHECK(code.find("title=\"netshape: A &lt;b&gt;net&lt;/b&gt;\"") != std::string::npos);
    CHECK(code.find("netshape:height") != std::string::npos); // the resize script
    CHECK(html_escape("\"&'") == "&quot;&amp;&#39;");
}
