// The glossary: what the summary's columns and totals mean, true under both conventions. One list,
// drawn by the app's Help > Glossary, printed by `netshape glossary`, and compared with the
// README's Glossary section by a test, so the three never say different things.
#pragma once

#include <span>
#include <string_view>

namespace netshape {

struct GlossaryEntry {
    std::string_view id;   // stable, for links: "macs"
    std::string_view term; // "MACs and FLOPs"
    std::string_view text; // a short paragraph; its first sentence stands alone (the hover text)
    // The totals' and columns' labels this entry explains, '|'-separated: "Total MACs|MACs".
    std::string_view labels;
};

std::span<const GlossaryEntry> glossary();

// The entry explaining a totals line or a column heading: "Total MACs: 1,589,760 (…)" and "MACs"
// give the MACs entry. A line matches a label it starts with when ':' or " (" follows, or it is the
// label. Null when no entry explains it.
const GlossaryEntry* glossary_entry_for(std::string_view line);

const GlossaryEntry* glossary_entry(std::string_view id);

// The text up to and including its first ". " (or all of it): the hover text.
std::string_view first_sentence(std::string_view text);

} // namespace netshape
