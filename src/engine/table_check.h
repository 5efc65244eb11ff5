// Checks a table a person made by hand — pasted from course notes, a tutorial or a notebook —
// against a design: every shape, activation size and parameter count in it, each wrong one with
// the right value and the slip that most likely gave it (answers.h).
//
// Tables are read as people write them: tab- or space-aligned columns (with a header naming the
// columns, or none), Markdown, CSV, or lines such as
//   conv1 (28-5+1)=24 -> 6x24x24  (5*5*1+1)*6 = 156
// where a cell's working is skipped and its result (after the last "->" or "=") is checked.
// LaTeX from a rendered page ($32 \times 24$, 9'248, \rightarrow) is read too.
#pragma once

#include "analysis.h"
#include "answers.h"
#include "architecture.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace netshape {

enum class TableColumn { shape, elements, params };

std::string_view table_column_name(TableColumn column); // "output shape", "activation size", "params"

struct TableCellCheck {
    TableColumn column = TableColumn::shape;
    std::string written; // the value read from the cell: "208", "(28,28,8)"
    AnswerCheck check;
};

struct TableRowCheck {
    size_t line = 0;      // 1-based, in the pasted text
    std::string label;    // the row's name as written: "CONV1 (f=5, s=1)"
    std::string checked_against; // "layer 'CONV1' (conv2d)", "the model input", "the total"; empty: not matched
    std::string matched_by;      // "name", "order"; empty for the input and total rows
    std::vector<TableCellCheck> cells;
};

struct TableCheck {
    std::vector<TableRowCheck> rows;  // every row with something to check, in order
    std::vector<std::string> notes;   // rows not matched, layers with parameters the table leaves out
    size_t cells_checked = 0;
    size_t cells_wrong = 0;
    size_t cells_unreadable = 0;
};

// `analysis` is of `architecture`. A design with an error is checked up to its first invalid layer.
TableCheck check_table(const Architecture& architecture, const Analysis& analysis, std::string_view table);

// The CLI's and the app's report: a line per row, and under each wrong cell the right value and why.
std::string format_table_check(const TableCheck& check);

} // namespace netshape
