#include "ui_driver.h"

#include "engine/tool_request.h"
#include "engine/link_text.h"
#include "view_options.h"

#include <imgui.h>
#include <imgui_internal.h> // the window an assertion failed in

#include <stdexcept>

namespace netshape::testing {

std::vector<std::string>& imgui_assertions() {
    static std::vector<std::string> seen; // the assert hook is a free function
    return seen;
}

UiDriver::UiDriver(std::string_view text, std::string_view query) {
    ReadResult read = read_architecture_any(text);
    if (read.error) throw std::runtime_error("the test's design does not read: " + read.error->message);
    state = app::make_state(std::move(read.architecture));
    ui.view = app::parse_view_options(query);
    ui.embed_choice = ui.view;
    ui.dark = ui.view.dark.value_or(true);
    platform.copy_text = [this](const std::string& copied_text) { copied.push_back(copied_text); };
    platform.download = [this](std::string_view name, std::string_view, const std::string& content) {
        downloaded.emplace_back(name);
        downloaded_content.push_back(content);
    };
    platform.download_png = [this](std::string_view name, const std::string& svg, int width, int height) {
        downloaded.emplace_back(name);
        downloaded_content.push_back(svg);
        png_sizes.push_back({width, height});
    };
    platform.open_url = [this](const std::string& url) { opened.push_back(url); };
    platform.page_url = [] { return std::string("https://netshape.test/"); };
    // The tools answer at once, as natively, unless a test holds them back as a slow network would.
    platform.run_tools = [this](const std::string& request) -> std::optional<std::string> {
        if (!tools_arrived) return std::nullopt;
        return run_tool_request(request);
    };
    platform.prepare_tools = [this] { ++tools_prepared; };

    context_ = ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = ImVec2(1280, 800);
    io.DeltaTime = 1.0f / 60.0f;
    io.ConfigInputTextCursorBlink = false;
    const int keys[][2] = {{ImGuiKey_Tab, kKeyTab},         {ImGuiKey_LeftArrow, kKeyLeft}, {ImGuiKey_RightArrow, kKeyRight},
                           {ImGuiKey_UpArrow, kKeyUp},      {ImGuiKey_DownArrow, kKeyDown}, {ImGuiKey_Home, kKeyHome},
                           {ImGuiKey_End, kKeyEnd},         {ImGuiKey_Delete, kKeyDelete},  {ImGuiKey_Backspace, kKeyBackspace},
                           {ImGuiKey_Enter, kKeyEnter},     {ImGuiKey_Escape, kKeyEscape},  {ImGuiKey_Space, kKeySpace},  {ImGuiKey_A, 'A'},
                           {ImGuiKey_C, 'C'},               {ImGuiKey_V, 'V'},              {ImGuiKey_X, 'X'},
                           {ImGuiKey_Y, 'Y'},               {ImGuiKey_Z, 'Z'}};
    for (const auto& [imgui_key, code] : keys) io.KeyMap[imgui_key] = code;
    ui.fonts.text = ui.fonts.mono = io.Fonts->AddFontDefault();
    ui.fonts.scale = 1.0f;
    unsigned char* pixels = nullptr;
    int width = 0, height = 0;
    io.Fonts->GetTexDataAsAlpha8(&pixels, &width, &height); // built; nothing renders it
    ui::record_drawn_items();
    frames(3);
}

UiDriver::~UiDriver() { ImGui::DestroyContext(context_); }

void UiDriver::frame() {
    ui::apply_style(ui);
    ui::start_drawn_items_frame();
    ImGui::NewFrame();
    ui::draw(state, ui, platform);
    ImGui::Render(); // the draw data is built and dropped: no renderer
    ui::end_drawn_items_frame();
}

void UiDriver::frames(int count) {
    for (int i = 0; i < count; ++i) frame();
}

bool UiDriver::click(const std::string& label) {
    frame(); // a table or popup shown for the first time is laid out in its second frame
    const ui::DrawnItem* item = find(label);
    if (!item) return false;
    click_at(item->x + item->w / 2, item->y + item->h / 2);
    return true;
}

void UiDriver::move_to(float x, float y) {
    ImGui::GetIO().MousePos = ImVec2(x, y);
    frames(2);
}

void UiDriver::click_at(float x, float y, int button) {
    move_to(x, y);
    ImGui::GetIO().MouseDown[button] = true;
    frame();
    ImGui::GetIO().MouseDown[button] = false;
    frames(2);
}

void UiDriver::wheel(float vertical, float horizontal) {
    ImGui::GetIO().MouseWheel = vertical;
    ImGui::GetIO().MouseWheelH = horizontal;
    frames(2);
}

void UiDriver::key(int code, Modifiers modifiers) {
    ImGuiIO& io = ImGui::GetIO();
    io.KeyCtrl = modifiers.ctrl;
    io.KeyShift = modifiers.shift;
    io.KeyAlt = modifiers.alt;
    io.KeysDown[code] = true;
    frame();
    io.KeysDown[code] = false;
    frame();
    io.KeyCtrl = io.KeyShift = io.KeyAlt = false;
    frame();
}

void UiDriver::type(std::string_view text) {
    for (char c : text) {
        ImGui::GetIO().AddInputCharacter(static_cast<unsigned char>(c));
        frame();
    }
    frame();
}

void UiDriver::resize(float width, float height) {
    ImGui::GetIO().DisplaySize = ImVec2(width, height);
    frames(2);
}

std::string UiDriver::link_text() const { return architecture_to_text(state.design); }

} // namespace netshape::testing

// web/imgui_config.h routes IM_ASSERT here: recorded, so a test fails on it instead of aborting.
void netshape_imgui_assert_failed(const char* expression, const char* file, int line) {
    const ImGuiContext* context = ImGui::GetCurrentContext();
    const char* window = context && context->CurrentWindow ? context->CurrentWindow->Name : "(no window)";
    netshape::testing::imgui_assertions().push_back(std::string(expression) + " at " + file + ":" + std::to_string(line) +
                                                    ", in window " + window);
}
