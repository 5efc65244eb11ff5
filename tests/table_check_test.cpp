// Checking a table made by hand. The tables are the seeds' own (seed 000's answer, correct; seed
// 001's published table, whose parameter counts are wrong) and hand-written ones with the slips
// students make; every right value is derived in a comment from the layer's documented formula.
#include "support.h"

#include "engine/link_text.h"
#include "engine/table_check.h"

#include <string>

using namespace netshape;
using namespace netshape::testing;

namespace {

TableCheck check_against(std::string_view link_text, std::string_view table) {
    const Architecture architecture = read_link(link_text);
    return check_table(architecture, analyze(architecture), table);
}

// The wrong cells as "label column", in order, so a CHECK shows exactly which were flagged.
std::vector<std::string> wrong_cells(const TableCheck& check) {
    std::vector<std::string> wrong;
    for (const TableRowCheck& row : check.rows)
        for (const TableCellCheck& cell : row.cells)
            if (cell.check.verdict == AnswerVerdict::wrong)
                wrong.push_back(row.label + " " + std::string(table_column_name(cell.column)));
    return wrong;
}

const TableCellCheck* cell_of(const TableCheck& check, std::string_view label, TableColumn column) {
    for (const TableRowCheck& row : check.rows)
        if (row.label == label)
            for (const TableCellCheck& cell : row.cells)
                if (cell.column == column) return &cell;
    return nullptr;
}

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

constexpr std::string_view kSeed000 =
    "ns1;1x28x28/conv2d1=conv2d(32,5)+relu/maxpool1=maxpool2d(2)/conv2d2=conv2d(32,3)+relu/maxpool2=maxpool2d(2)/"
    "flatten/dense=linear(256)+relu/output=linear(10)+softmax";

// Seed 001's network, Keras (channels last): (5·5·3 + 1)·8 = 608, (5·5·8 + 1)·16 = 3,216,
// (400 + 1)·120 = 48,120, (120 + 1)·84 = 10,164, (84 + 1)·10 = 850.
constexpr std::string_view kSeed001 = "ns1;keras;32x32x3/CONV1=conv2d(8,5)/POOL1=maxpool2d(2)/CONV2=conv2d(16,5)/"
                                      "POOL2=maxpool2d(2)/flatten/FC3=linear(120)/FC4=linear(84)/Softmax=linear(10)+softmax";

} // namespace

TEST_CASE("table check: seed 000's answer table, LaTeX and all, passes", "[table_check]") {
    // As the seed's answer writes it (tab-separated, LaTeX, 9'248 with an apostrophe).
    const TableCheck check = check_against(kSeed000, "#\tname\tsize\tparameters\n"
                                                     "0\tinput\t1x28x28\t0\n"
                                                     "1\tconv2d1\t$(28 - (5 - 1)) = 24 \\rightarrow 32 \\times 24 \\times 24$\t$(5 \\times 5 \\times 1 + 1) \\times 32 = 832$\n"
                                                     "2\tmaxpool1\t$32 \\times 12 \\times 12$\t0\n"
                                                     "3\tconv2d2\t$(12 - (3 - 1)) = 10 \\rightarrow 32 \\times 10 \\times 10$\t$(3 \\times 3 \\times 32 + 1) \\times 32 = 9'248$\n"
                                                     "4\tmaxpool2\t$32 \\times 5 \\times 5$\t0\n"
                                                     "5\tdense\t256\t$(32 \\times 5 \\times 5 + 1) \\times 256 = 205'056$\n"
                                                     "6\toutput\t10\t$(256 + 1) \\times 10 = 2'570$\n");
    CHECK(check.rows.size() == 7);
    CHECK(check.cells_checked == 14); // a shape and a count on each of the 7 rows
    CHECK(check.cells_wrong == 0);
    CHECK(check.cells_unreadable == 0);
    CHECK(check.notes.empty());
    // The question's own table (no parameters column) passes too.
    const TableCheck sizes = check_against(kSeed000, "#\tname\tsize\n0\tinput\t1x28x28\n1\tconv2d1\t32x24x24\n"
                                                     "2\tmaxpool1\t32x12x12\n3\tconv2d2\t32x10x10\n4\tmaxpool2\t32x5x5\n"
                                                     "5\tdense\t256\n6\toutput\t10\n");
    CHECK(sizes.cells_checked == 7);
    CHECK(sizes.cells_wrong == 0);
}

TEST_CASE("table check: seed 001's published table flags exactly its wrong counts", "[table_check]") {
    // The table as the article prints it; its shapes and activation sizes are right.
    const TableCheck check = check_against(kSeed001, "\tActivation shape\tActivation Size\t# parameters\n"
                                                     "Input:\t(32,32,3)\t3,072 $a^3$\t0\n"
                                                     "CONV1 (f=5, s=1)\t(28,28,8)\t6,272\t208 ←\n"
                                                     "POOL1\t(14,14,8)\t1,568\t0 ←\n"
                                                     "CONV2 (f=5, s=1)\t(10,10,16)\t1,600\t416 ←\n"
                                                     "POOL2\t(5,5,16)\t400\t0 ←\n"
                                                     "FC3\t(120,1)\t120\t48,001 ←\n"
                                                     "FC4\t(84,1)\t84\t10,081 ←\n"
                                                     "Softmax\t(10,1)\t10\t841\n");
    CHECK(check.cells_checked == 24);
    CHECK(wrong_cells(check) == std::vector<std::string>{"CONV1 params", "CONV2 params", "FC3 params", "FC4 params",
                                                         "Softmax params"});
    const TableCellCheck* conv1 = cell_of(check, "CONV1", TableColumn::params);
    REQUIRE(conv1);
    CHECK(conv1->check.right_value == "608");
    REQUIRE_FALSE(conv1->check.slips.empty());
    CHECK(conv1->check.slips[0].starts_with("the input channels left out")); // (5·5 + 1)·8 = 208
    const TableCellCheck* fc3 = cell_of(check, "FC3", TableColumn::params);
    REQUIRE(fc3);
    CHECK(fc3->check.right_value == "48,120");
    REQUIRE_FALSE(fc3->check.slips.empty());
    CHECK(fc3->check.slips[0].starts_with("one bias for the whole layer")); // 120·400 + 1 = 48,001
    // (120, 1) is the column vector the course writes for a vector of 120: right, with a note.
    const TableCellCheck* fc3_shape = cell_of(check, "FC3", TableColumn::shape);
    REQUIRE(fc3_shape);
    CHECK(fc3_shape->check.verdict == AnswerVerdict::right_but_written_differently);
    const std::string report = format_table_check(check);
    CHECK(contains(report, "WRONG  params 208: it is 608"));
    CHECK(contains(report, "5 of 24 cells wrong"));
}

TEST_CASE("table check: a Markdown table with a student's slips", "[table_check]") {
    // 3×32×32: conv1 3×3, padding 1: 32 + 2 − 3 + 1 = 32, (3·3·3 + 1)·16 = 448; pool1: 16;
    // conv2: (3·3·16 + 1)·32 = 4,640; pool2: 8; fc: 32·8·8 = 2,048 inputs, (2,048 + 1)·10 = 20,490.
    const TableCheck check = check_against("ns1;3x32x32/conv1=conv2d(16,3,padding=1)/pool1=maxpool2d(2)/"
                                           "conv2=conv2d(32,3,padding=1)/pool2=maxpool2d(2)/flatten/fc=linear(10)",
                                           "| Layer | Output shape | Params |\n"
                                           "|-------|--------------|-------:|\n"
                                           "| conv1 | 16x30x30 | 448 |\n"         // padding forgotten
                                           "| pool1 | 16x16x16 | 0 |\n"
                                           "| conv2 | [32, 16, 16] | 4,608 |\n"   // bias left out: 3·3·16·32
                                           "| pool2 | 32 x 8 x 8 | 0 |\n"
                                           "| fc | 10 | 2048*10+10 = 20,490 |\n"
                                           "| **Total** | | 25,578 |\n");         // 448 + 4,640 + 20,490
    CHECK(wrong_cells(check) == std::vector<std::string>{"conv1 output shape", "conv2 params"});
    const TableCellCheck* conv1 = cell_of(check, "conv1", TableColumn::shape);
    REQUIRE(conv1);
    CHECK(conv1->check.right_value == "[16, 32, 32]");
    REQUIRE_FALSE(conv1->check.slips.empty());
    CHECK(conv1->check.slips[0].starts_with("padding left out"));
    const TableCellCheck* conv2 = cell_of(check, "conv2", TableColumn::params);
    REQUIRE(conv2);
    REQUIRE_FALSE(conv2->check.slips.empty());
    CHECK(conv2->check.slips[0].starts_with("bias left out"));
    CHECK(check.cells_checked == 11);
}

TEST_CASE("table check: lines of working, CSV, and rows matched in order", "[table_check]") {
    // LeNet-5 on 1×28×28: conv1 5×5: 24, (5·5·1 + 1)·6 = 156; pool: 12; conv2: 8, (5·5·6 + 1)·16
    // = 2,416; pool: 4; fc1 (16·4·4 + 1)·120 = 30,840; fc2 (120 + 1)·84 = 10,164; fc3 (84 + 1)·10
    // = 850; in all 44,426.
    constexpr std::string_view kLeNet = "ns1;1x28x28/conv1=conv2d(6,5)/pool1=maxpool2d(2)/conv2=conv2d(16,5)/"
                                        "pool2=maxpool2d(2)/flatten/fc1=linear(120)/fc2=linear(84)/fc3=linear(10)";
    const TableCheck lines = check_against(kLeNet, "Here is how I worked the LeNet-5 out by hand, layer by layer:\n"
                                                   "conv1 (28-5+1)=24 -> 6x24x24  (5*5*1+1)*6 = 156\n"
                                                   "pool1 24/2=12 -> 6x12x12  0\n"
                                                   "conv2 (12-5+1)=8 -> 16x8x8  (5*5*6+1)*16 = 2416\n"
                                                   "pool2 -> 16x4x4  0\n"
                                                   "fc1 (16*4*4+1)*120 = 30840\n"
                                                   "fc2 120*84 = 10080\n" // biases left out: (120 + 1)·84 = 10,164
                                                   "fc3 (84+1)*10 = 850\n"
                                                   "Total params: 44,342\n"); // the sum with fc2's slip
    CHECK(wrong_cells(lines) == std::vector<std::string>{"fc2 params", "Total params"});
    CHECK(lines.cells_checked == 12);

    // CSV, names the design does not use: matched in order, by the kind each name suggests.
    const TableCheck csv = check_against(kLeNet, "layer,output shape,params\n"
                                                 "C1,\"[6, 24, 24]\",156\n"
                                                 "S2,\"[6, 12, 12]\",0\n"
                                                 "C3,\"[16, 8, 8]\",\"2,416\"\n"
                                                 "S4,\"[16, 4, 4]\",0\n"
                                                 "F5,120,\"30,840\"\n"
                                                 "F6,84,\"10,164\"\n"
                                                 "output,10,850\n");
    CHECK(csv.cells_wrong == 0);
    CHECK(csv.cells_checked == 14);
    REQUIRE(csv.rows.size() == 7);
    CHECK(csv.rows[0].matched_by == "order");
    CHECK(csv.rows[4].checked_against == "layer 'fc1' (linear)"); // the flatten before it has no row
}

TEST_CASE("table check: what cannot be read or matched is said", "[table_check]") {
    const TableCheck check = check_against(kSeed000, "name  shape  params\n"
                                                     "conv2d1  32x24x24  eight hundred\n"
                                                     "mystery  32x12x12  0\n");
    CHECK(check.cells_unreadable == 1);
    // "mystery" has no telling name, so it is matched in order, to the layer after conv2d1.
    REQUIRE(check.rows.size() == 2);
    CHECK(check.rows[1].checked_against == "layer 'maxpool1' (maxpool2d)");
    // Layers with parameters that have no row are named.
    bool dense_named = false;
    for (const std::string& note : check.notes) dense_named = dense_named || contains(note, "'dense'");
    CHECK(dense_named);
    // Nothing that looks like a table: nothing checked, and the report says so.
    const TableCheck empty = check_against(kSeed000, "no table here, only words about one");
    CHECK(empty.cells_checked == 0);
    CHECK(contains(format_table_check(empty), "0 of 0 cells wrong"));
}
