// libFuzzer target: the ImGui front end (web/ui.cpp, natively, no renderer; tests/ui_driver.h)
// fed random input — clicks on the widgets on screen or anywhere, the wheel, keys with modifiers,
// typed characters, window sizes, the embed views — over a design read from the input. Under
// ASan and UBSan any read of a replaced design, any overflow, and any ImGui assertion aborts.
#include "../ui_driver.h"

#include <fuzzer/FuzzedDataProvider.h>

#include <cstdio>
#include <cstdlib>
#include <stdexcept>

using namespace netshape;
using netshape::testing::Modifiers;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    FuzzedDataProvider input(data, size);
    const std::string design = input.ConsumeRandomLengthString(300);
    static const char* const kQueries[] = {"", "?embed", "?embed&edit", "?embed&editor", "?theme=light"};
    const char* query = kQueries[input.ConsumeIntegralInRange<size_t>(0, std::size(kQueries) - 1)];
    if (std::getenv("NETSHAPE_FUZZ_VERBOSE")) std::fprintf(stderr, "design %s, query %s\n", design.c_str(), query);
    std::optional<testing::UiDriver> driver;
    try {
        driver.emplace(design, query);
    } catch (const std::runtime_error&) {
        return 0; // not a design
    }
    if (driver->state.design.layers.size() > 300) return 0;
    static const int kKeys[] = {testing::kKeyTab,  testing::kKeyEnter, testing::kKeyEscape, testing::kKeyBackspace,
                                testing::kKeyDelete, testing::kKeyUp,  testing::kKeyDown,   testing::kKeyLeft,
                                testing::kKeyRight,  testing::kKeyEnd, 'A', 'Z', 'Y', 'N', 'V', 'C', 'X'};
    for (int step = 0; step < 40 && input.remaining_bytes() > 0; ++step) {
        const int action = input.ConsumeIntegralInRange(0, 6);
        if (std::getenv("NETSHAPE_FUZZ_VERBOSE")) std::fprintf(stderr, "step %d: action %d\n", step, action);
        switch (action) {
        case 0: { // a click on a widget on screen
            const std::vector<ui::DrawnItem>& items = ui::drawn_items();
            if (items.empty()) break;
            const std::string label = items[input.ConsumeIntegralInRange<size_t>(0, items.size() - 1)].label;
            if (std::getenv("NETSHAPE_FUZZ_VERBOSE")) std::fprintf(stderr, "  click %s\n", label.c_str());
            driver->click(label);
            break;
        }
        case 1: { // a click anywhere, left or right
            const float x = input.ConsumeFloatingPointInRange(0.0f, 1300.0f), y = input.ConsumeFloatingPointInRange(0.0f, 820.0f);
            const int button = input.ConsumeBool() ? 0 : 1;
            if (std::getenv("NETSHAPE_FUZZ_VERBOSE")) std::fprintf(stderr, "  click at %g, %g (button %d)\n", x, y, button);
            driver->click_at(x, y, button);
            break;
        }
        case 2:
        {
            const float vertical = input.ConsumeFloatingPointInRange(-20.0f, 20.0f);
            const float horizontal = input.ConsumeFloatingPointInRange(-5.0f, 5.0f);
            if (std::getenv("NETSHAPE_FUZZ_VERBOSE")) std::fprintf(stderr, "  wheel %g %g\n", vertical, horizontal);
            driver->wheel(vertical, horizontal);
            break;
        }
        case 3:
            driver->key(kKeys[input.ConsumeIntegralInRange<size_t>(0, std::size(kKeys) - 1)],
                        Modifiers{.ctrl = input.ConsumeBool(), .shift = input.ConsumeBool(), .alt = input.ConsumeBool()});
            break;
        case 4:
            driver->type(input.ConsumeRandomLengthString(8));
            break;
        case 5: {
            const float width = input.ConsumeFloatingPointInRange(1.0f, 2000.0f);
            const float height = input.ConsumeFloatingPointInRange(1.0f, 1400.0f);
            if (std::getenv("NETSHAPE_FUZZ_VERBOSE")) std::fprintf(stderr, "  resize %g x %g\n", width, height);
            driver->resize(width, height);
            break;
        }
        default:
        {
            const float x = input.ConsumeFloatingPointInRange(0.0f, 1300.0f), y = input.ConsumeFloatingPointInRange(0.0f, 820.0f);
            if (std::getenv("NETSHAPE_FUZZ_VERBOSE")) std::fprintf(stderr, "  move %g %g\n", x, y);
            driver->move_to(x, y);
            break;
        }
        }
        if (!testing::imgui_assertions().empty()) {
            std::fprintf(stderr, "ImGui assertion: %s\n", testing::imgui_assertions().front().c_str());
            std::abort();
        }
    }
    // The design the UI ends with is one the link can say.
    const std::string text = driver->link_text();
    TextReadResult read = read_architecture_text(text);
    if (read.error || architecture_to_text(read.architecture) != text) {
        std::fprintf(stderr, "the UI made a design its link cannot say: %s\n", text.c_str());
        std::abort();
    }
    return 0;
}
