// Page services the C++ glue (web/browser_main.cpp) calls: the URL hash, the clipboard,
// downloads, the mirror table, the parent frame. Linked with --js-library; the longer pieces live
// in browser_page.js (Module.netshapePage), which runs in the page.
mergeInto(LibraryManager.library, {
  // history.replaceState: editing must not add a history entry per keystroke, and does not fire
  // hashchange (which is how we tell a person's navigation from our own writes).
  ns_js_write_hash: function (linkText) {
    var url = location.href.split('#')[0] + '#' + UTF8ToString(linkText);
    history.replaceState(history.state, '', url);
  },
  ns_js_location_hash: function () {
    return allocateUTF8(location.hash.slice(1));
  },
  ns_js_location_search: function () {
    return allocateUTF8(location.search);
  },
  ns_js_page_url: function () {
    return allocateUTF8(location.href.split('#')[0].split('?')[0]);
  },
  ns_js_copy_text: function (text) {
    Module.netshapePage.copyText(UTF8ToString(text));
  },
  ns_js_download: function (fileName, mimeType, content) {
    Module.netshapePage.download(UTF8ToString(fileName), UTF8ToString(mimeType), UTF8ToString(content));
  },
  ns_js_download_png: function (fileName, svg, width, height) {
    Module.netshapePage.downloadPng(UTF8ToString(fileName), UTF8ToString(svg), width, height);
  },
  ns_js_open_url: function (url) {
    window.open(UTF8ToString(url), '_blank', 'noopener');
  },
  ns_js_summary_piece: function (text, bytes) {
    Module.netshapePage.summaryPieces.push(UTF8ToString(text, bytes));
  },
  ns_js_mirror_outdated: function () {
    Module.netshapePage.mirrorOutdated();
  },
  // A text box took the keyboard (active) or gave it back; where it is, in CSS pixels.
  ns_js_text_input: function (active, x, y, w, h) {
    Module.netshapePage.textInput(!!active, { x: x, y: y, w: w, h: h });
  },
  ns_js_post_height: function (cssPixels) {
    Module.netshapePage.postHeight(cssPixels);
  },
  ns_js_set_title: function (title) {
    document.title = UTF8ToString(title);
  },
  ns_js_prefers_dark: function () {
    return window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches ? 1 : 0;
  },
  ns_js_is_mac: function () {
    return /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent) ? 1 : 0;
  },
  ns_js_first_frame: function () {
    Module.netshapePage.firstFrame();
  },
  // The import and export tools (browser_page.js): their reply, or 0 while they are on their way.
  ns_js_prepare_tools: function () {
    Module.netshapePage.loadTools();
  },
  ns_js_run_tools: function (request) {
    var reply = Module.netshapePage.runTools(UTF8ToString(request));
    return reply === null ? 0 : allocateUTF8(reply);
  },
  ns_js_tools_failure: function () {
    var failure = Module.netshapePage.toolsFailure();
    return failure === null ? 0 : allocateUTF8(failure);
  },
  ns_js_warn: function (message) {
    console.warn(UTF8ToString(message));
  },
});
