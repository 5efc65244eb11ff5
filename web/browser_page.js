// The page side of the web app (linked with --pre-js): the canvas, wake-ups for the idle main
// loop, hash navigation, clipboard, downloads, the screen-reader mirror of the summary, the
// embed frame's height, and the JS API window.netshape. Nothing from a design is ever inserted
// as HTML: names go into the page with textContent only.
(function () {
  'use strict';
  var canvas = document.getElementById('canvas');
  var loading = document.getElementById('loading');
  var mirror = document.getElementById('summary-mirror');
  Module.canvas = canvas;
  // Milliseconds since navigation at each step of starting, for the web benchmark.
  var timings = { script: performance.now(), runtime: null, firstFrame: null };
  Module.onRuntimeInitialized = function () { timings.runtime = performance.now(); };

  function showProblem(message) {
    loading.hidden = false;
    loading.classList.add('problem');
    loading.textContent = message;
  }
  if (!document.createElement('canvas').getContext('webgl2')) {
    showProblem('netshape needs WebGL2, which this browser does not offer (or has turned off).');
  }
  Module.onAbort = function (what) {
    showProblem('netshape stopped: ' + what + '. Reloading the page brings the design back from its link.');
  };

  var kMaxInputBytes = 16 * 1024 * 1024; // src/engine/limits.h
  var started = false;
  var readyResolve;
  var ready = new Promise(function (resolve) { readyResolve = resolve; });
  function call(name, returns, types, args) {
    return Module.ccall(name, returns, types || [], args || []);
  }
  // Passes a string through the heap, not the stack (ccall's 'string' would put a long text, a
  // long link or a big pasted file on the stack and overflow it).
  function callWithText(name, returns, text) {
    var pointer = allocateUTF8(String(text));
    try {
      return call(name, returns, ['number'], [pointer]);
    } finally {
      Module._free(pointer);
    }
  }
  function wake() {
    if (started) call('ns_wake', null);
  }

  // ---- clipboard and downloads ----
  function copyByCommand(text) {
    var area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.appendChild(area);
    area.select();
    try { document.execCommand('copy'); } catch (e) { /* nothing more to try */ }
    area.remove();
    canvas.focus();
  }

  function downloadBlob(fileName, blob) {
    var link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = fileName;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 10000);
  }
  // The diagram as a PNG: its SVG drawn by the browser into an offscreen canvas of width × height
  // pixels (the UI chose a size every browser can make), then encoded. A picture the browser
  // cannot draw is said in the console; the SVG download is unaffected.
  function downloadPng(fileName, svg, width, height) {
    var image = new Image();
    var source = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
    function failed(what) {
      URL.revokeObjectURL(source);
      console.warn('netshape: no PNG of the diagram: ' + what);
    }
    image.onload = function () {
      var picture = document.createElement('canvas');
      picture.width = width;
      picture.height = height;
      var context = picture.getContext('2d');
      if (!context) return failed('the browser gave no canvas of ' + width + ' × ' + height + ' pixels');
      context.drawImage(image, 0, 0, width, height);
      URL.revokeObjectURL(source);
      picture.toBlob(function (png) {
        if (png) downloadBlob(fileName, png);
        else console.warn('netshape: no PNG of the diagram: the browser could not encode ' + width + ' × ' + height + ' pixels');
      }, 'image/png');
    };
    image.onerror = function () { failed('the browser could not draw its SVG'); };
    image.src = source;
  }

  // ---- the screen-reader mirror of the summary table ----
  function cell(row, tag, text) {
    var element = document.createElement(tag);
    element.textContent = text;
    row.appendChild(element);
  }
  // One formatter for every cell (toLocaleString builds one per call: 8,000 calls were 110 ms),
  // made on first use: its ICU start-up is not on the path to the first frame.
  var numberFormat = null;
  function number(value) {
    if (value === null || value === undefined) return 'n/a';
    if (typeof value === 'string') return value; // "?": an exercise's open answer (mirror_json)
    if (!numberFormat) numberFormat = new Intl.NumberFormat('en-US');
    return numberFormat.format(value);
  }
  // A row's working, folded (a screen reader lists the table's cells without reading every formula):
  // <details><summary>Working of conv2d_2</summary><pre>the lines</pre></details>.
  function workingCell(layer) {
    var td = document.createElement('td');
    if (!layer.working) return td;
    var details = document.createElement('details');
    cell(details, 'summary', 'Working of ' + layer.name);
    cell(details, 'pre', layer.working);
    td.appendChild(details);
    return td;
  }
  // `mirror`: the totals and the first rows (web/browser_main.cpp, mirror_json).
  function updateMirror(mirrorData) {
    var table = document.createElement('table');
    var caption = document.createElement('caption');
    caption.textContent = (mirrorData.name || 'Network') + ' (' + mirrorData.convention + ' convention): ' +
      (mirrorData.error ? 'error: ' + mirrorData.error
                        : number(mirrorData.total_params) + ' parameters, ' + number(mirrorData.trainable_params) +
                          ' trainable, ' + number(mirrorData.total_macs) + ' MACs');
    table.appendChild(caption);
    var head = document.createElement('tr');
    ['Layer', 'Type', 'Output shape', 'Params', 'Trainable', 'Non-trainable', 'MACs', 'Working'].forEach(function (title) {
      cell(head, 'th', title);
    });
    table.appendChild(head);
    mirrorData.layers.forEach(function (layer) {
      var row = document.createElement('tr');
      cell(row, 'th', layer.name);
      cell(row, 'td', layer.type + (layer.activation ? ' + ' + layer.activation : ''));
      cell(row, 'td', layer.output_shape);
      cell(row, 'td', number(layer.params));
      cell(row, 'td', number(layer.trainable_params));
      cell(row, 'td', number(layer.non_trainable_params));
      cell(row, 'td', number(layer.macs));
      row.appendChild(workingCell(layer));
      table.appendChild(row);
    });
    if (mirrorData.layer_count > mirrorData.layers.length) {
      var more = document.createElement('tr');
      cell(more, 'td', '… and ' + number(mirrorData.layer_count - mirrorData.layers.length) +
        ' more layers (window.netshape.summary() has them all)');
      table.appendChild(more);
    }
    mirror.replaceChildren(table);
  }

  // The mirror follows the design once edits pause: building a table of 2,000 rows after every
  // keystroke would cost more than the analysis of the design.
  var kMirrorPauseMs = 400;
  var mirrorTimer = null;
  function mirrorOutdated() {
    if (mirrorTimer !== null) clearTimeout(mirrorTimer);
    mirrorTimer = setTimeout(function () {
      mirrorTimer = null;
      updateMirror(JSON.parse(call('ns_mirror', 'string')));
    }, kMirrorPauseMs);
  }

  // ---- the import and export tools: a second module (tools.js, tools.wasm beside this page),
  // fetched the first time a person opens a menu or dialog that uses them, never on a first visit.
  // Once it is here it is called synchronously; the app asks again each frame until then. A fetch
  // that failed is not retried in this page (the design is in the link: a reload keeps it).
  var tools = null;
  var toolsFailure = null;
  var toolsRequested = false;
  var toolsWaiters = []; // called once the module has arrived or failed to
  function toolsSettled() {
    wake();
    toolsWaiters.splice(0).forEach(function (waiter) { waiter(); });
  }
  function whenToolsSettle(waiter) {
    if (tools || toolsFailure) waiter();
    else toolsWaiters.push(waiter);
    loadTools();
  }
  function loadTools() {
    if (toolsRequested) return;
    toolsRequested = true;
    var script = document.createElement('script');
    script.src = new URL('tools.js', document.baseURI).href;
    script.onload = function () {
      createNetshapeTools().then(function (module) {
        tools = module;
        toolsSettled();
      }, function (error) {
        toolsFailure = 'tools.wasm: ' + String(error && error.message || error) + '; reloading the page tries again';
        toolsSettled();
      });
    };
    script.onerror = function () {
      toolsFailure = 'tools.js could not be fetched (is the page offline?); reloading the page tries again';
      toolsSettled();
    };
    document.head.appendChild(script);
  }
  function runTools(request) {
    loadTools();
    if (!tools) return null;
    var bytes = tools.lengthBytesUTF8(request) + 1;
    var pointer = tools._malloc(bytes);
    tools.stringToUTF8(request, pointer, bytes);
    try {
      var replyPointer = tools._netshape_tools_run(pointer);
      var reply = tools.UTF8ToString(replyPointer);
      tools._free(replyPointer);
      return reply;
    } finally {
      tools._free(pointer);
    }
  }

  Module.netshapePage = {
    loadTools: loadTools,
    runTools: runTools,
    toolsFailure: function () { return toolsFailure; },
    copyText: function (text) {
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).catch(function () { copyByCommand(text); });
      } else {
        copyByCommand(text);
      }
    },
    download: function (fileName, mimeType, content) {
      downloadBlob(fileName, new Blob([content], { type: mimeType }));
    },
    downloadPng: downloadPng,
    mirrorOutdated: mirrorOutdated,
    textInput: showTextInput,
    summaryPieces: [],
    postHeight: function (cssPixels) {
      if (window.parent !== window) window.parent.postMessage({ type: 'netshape:height', height: cssPixels }, '*');
    },
    firstFrame: function () {
      timings.firstFrame = performance.now();
      loading.hidden = true;
      started = true;
      contextExtension();
      if (Module.ctx && Module.ctx.isContextLost()) call('ns_gl_lost', null); // before it could be told
      readyResolve();
    },
  };

  // ---- wake-ups: the main loop draws only after something happened ----
  ['mousemove', 'mousedown', 'mouseup', 'wheel', 'touchstart', 'touchmove', 'touchend'].forEach(function (type) {
    canvas.addEventListener(type, wake, { passive: true });
  });
  ['keydown', 'keyup', 'keypress', 'resize', 'focus', 'blur', 'mouseup'].forEach(function (type) {
    window.addEventListener(type, wake);
  });
  document.addEventListener('visibilitychange', wake);
  // The page's layout resized the canvas, or its size in device pixels changed: the second box
  // also sees a pixel ratio change that no media query reports (zoom paths, device emulation).
  if (window.ResizeObserver) {
    new ResizeObserver(wake).observe(canvas);
    try {
      new ResizeObserver(wake).observe(canvas, { box: 'device-pixel-content-box' });
    } catch (e) { /* a browser without it relies on the media query below */ }
  }
  // Zoom and moving to a screen with another pixel ratio: fonts are rasterised again.
  (function watchPixelRatio() {
    if (!window.matchMedia) return;
    window.matchMedia('(resolution: ' + window.devicePixelRatio + 'dppx)')
      .addEventListener('change', function () { wake(); watchPixelRatio(); }, { once: true });
  })();
  canvas.addEventListener('contextmenu', function (event) { event.preventDefault(); });

  // ---- many embeds on a page: an off-screen frame gives its WebGL context back ----
  // Browsers keep about 16 WebGL contexts per page and drop the oldest beyond that: with 20 embeds
  // on a course page the first ones would go blank for good. An embed starts (and makes its
  // context) only once it is scrolled into view — its WebAssembly loads and compiles meanwhile; a
  // frame scrolled out of view puts a picture of its last frame in the canvas's place and gives the
  // context back; scrolled into view again, it asks for it again and draws.
  var snapshot = document.getElementById('snapshot');
  var loseContextExtension = null; // fetched while the context is alive (a lost one offers none)
  var releasedByUs = false;
  var isEmbed = /(^|[?&])embed(&|=|$)/.test(location.search.slice(1));
  var seen = !isEmbed || !window.IntersectionObserver;
  var heldUntilSeen = false;
  // main() runs once the run dependencies are gone (after preRun, when the runtime's are counted).
  Module.preRun = [function () {
    if (seen) return;
    heldUntilSeen = true;
    addRunDependency('netshape-in-view');
  }];
  function contextExtension() {
    if (!loseContextExtension && Module.ctx && !Module.ctx.isContextLost())
      loseContextExtension = Module.ctx.getExtension('WEBGL_lose_context');
    return loseContextExtension;
  }
  function releaseContext() {
    if (!started || releasedByUs || !Module.ctx || Module.ctx.isContextLost() || !contextExtension()) return;
    call('ns_draw_now', null); // still in the drawing buffer while this task runs
    snapshot.src = canvas.toDataURL();
    snapshot.hidden = false;
    releasedByUs = true;
    loseContextExtension.loseContext();
  }
  function restoreContext() {
    if (!Module.ctx || !Module.ctx.isContextLost() || !loseContextExtension) return;
    releasedByUs = false;
    // A context the browser took (too many on the page) comes back by itself once there is room,
    // since the lost event was prevented; asking does no harm.
    loseContextExtension.restoreContext();
  }
  canvas.addEventListener('webglcontextlost', function (event) {
    event.preventDefault(); // the context may come back (it is only restored if this is called)
    if (started) call('ns_gl_lost', null);
    if (!releasedByUs) showProblem('This view gave its graphics back to the page; scroll it out of view and back to redraw it.');
  });
  canvas.addEventListener('webglcontextrestored', function () {
    if (started) call('ns_gl_restored', null);
    snapshot.hidden = true;
    if (loading.classList.contains('problem')) { loading.hidden = true; loading.classList.remove('problem'); }
  });
  if (window.IntersectionObserver) {
    // In a frame, the root is the top page's viewport: "out of view" is out of the reader's view.
    new IntersectionObserver(function (entries) {
      if (entries[entries.length - 1].isIntersecting) {
        seen = true;
        if (heldUntilSeen) {
          heldUntilSeen = false;
          removeRunDependency('netshape-in-view');
        }
        restoreContext();
      } else {
        releaseContext();
      }
    }).observe(canvas);
  }

  // ---- touch: one finger is the app's (tap, drag, long press: web/touch.h), two the page's ----
  // (except on the diagram, whose pinch zooms and pans it)
  // Emscripten's GLFW would turn a touch into a press at the last mouse position: touches on the
  // canvas are stopped on their way down (window, capture phase) and handed over here instead.
  // The canvas's touch-action leaves pinch zoom to the browser.
  // Where, in CSS pixels of the canvas, and when (the event's time, performance.now()'s clock).
  function touchAt(touch, event) {
    var box = canvas.getBoundingClientRect();
    return [touch.clientX - box.left, touch.clientY - box.top, event.timeStamp];
  }
  // Two fingers that landed on the diagram are its pinch (zoom and pan): kept from the browser
  // until one lifts. Anywhere else two fingers are the page's pinch zoom.
  var pinching = false;
  function pinchAt(event) {
    var a = touchAt(event.touches[0], event), b = touchAt(event.touches[1], event);
    return [a[0], a[1], b[0], b[1]];
  }
  var kFourNumbers = ['number', 'number', 'number', 'number'];
  function onTouch(event) {
    if (event.target !== canvas) return;
    event.stopPropagation();
    if (!started) return;
    if (pinching) {
      if (event.cancelable) event.preventDefault();
      if (event.type === 'touchmove' && event.touches.length >= 2) {
        call('ns_pinch_move', null, kFourNumbers, pinchAt(event));
      } else if (event.type !== 'touchmove' && event.touches.length < 2) {
        pinching = false;
        call('ns_pinch_end', null);
      }
      return;
    }
    if (event.type === 'touchstart') {
      if (event.touches.length === 1) {
        call('ns_touch_start', null, ['number', 'number', 'number'], touchAt(event.touches[0], event));
      } else if (event.touches.length === 2 && call('ns_pinch_start', 'number', kFourNumbers, pinchAt(event))) {
        pinching = true;
        if (event.cancelable) event.preventDefault();
      } else {
        call('ns_touch_cancel', null);
      }
    } else if (event.type === 'touchmove') {
      if (event.touches.length === 1) call('ns_touch_move', null, ['number', 'number', 'number'], touchAt(event.touches[0], event));
    } else if (event.type === 'touchend' && event.touches.length === 0) {
      // No emulated mouse events after the tap: they would hover. (After a drag the browser makes
      // the touchend not cancelable, and makes no mouse events either.)
      if (event.cancelable) event.preventDefault();
      // A phone opens its keyboard only for a focus() made while handling the touch.
      if (call('ns_touch_end', 'number', ['number'], [event.timeStamp])) showTextInput(true);
    } else {
      call('ns_touch_cancel', null);
    }
  }
  ['touchstart', 'touchmove', 'touchend', 'touchcancel'].forEach(function (type) {
    window.addEventListener(type, onTouch, { capture: true, passive: false });
  });
  canvas.addEventListener('pointermove', function (event) {
    if (started && event.pointerType === 'mouse') call('ns_mouse_used', null);
  });

  // ---- a real text field behind ImGui's text boxes ----
  // While a box has the keyboard, this textarea has the focus: a phone opens its keyboard for it,
  // and composed text (IME), autocorrect-free typing and a keyboard's paste arrive through it.
  // Keys that GLFW already delivered (its listeners are on window) are not delivered twice; the
  // textarea keeps one space, so that Backspace on a phone has something to delete and is seen.
  var textInput = document.createElement('textarea');
  textInput.id = 'text-input';
  textInput.setAttribute('aria-label', 'netshape text box');
  ['autocapitalize', 'autocomplete', 'autocorrect'].forEach(function (name) { textInput.setAttribute(name, 'off'); });
  textInput.spellcheck = false;
  // 16 px: iOS zooms the page into a field whose text is smaller.
  textInput.style.cssText = 'position:fixed;left:0;top:0;width:1px;height:1px;opacity:0;padding:0;border:0;' +
    'resize:none;overflow:hidden;font-size:16px;pointer-events:none;';
  document.body.appendChild(textInput);
  function resetTextInput() {
    textInput.value = ' ';
    textInput.setSelectionRange(1, 1);
  }
  function showTextInput(active, box) {
    if (box) {
      var canvasBox = canvas.getBoundingClientRect();
      textInput.style.left = (canvasBox.left + box.x) + 'px';
      textInput.style.top = (canvasBox.top + box.y) + 'px';
      textInput.style.width = Math.max(1, box.w) + 'px';
      textInput.style.height = Math.max(1, box.h) + 'px';
    }
    if (active && document.activeElement !== textInput) {
      textInput.focus({ preventScroll: true });
      resetTextInput();
    } else if (!active && document.activeElement === textInput) {
      canvas.focus({ preventScroll: true });
    }
  }
  var keyDeliveredByGlfw = false;
  textInput.addEventListener('keydown', function (event) {
    // 229: the key belongs to a composition or to a phone keyboard that sends no key codes.
    keyDeliveredByGlfw = !(event.isComposing || event.keyCode === 229);
  });
  // A key whose input never came (GLFW prevents Backspace's and Tab's default, and End, the arrows
  // and the like insert nothing) must not make the next text input look delivered: a paste or an
  // IME's word after a Backspace would be lost.
  textInput.addEventListener('keyup', function () { keyDeliveredByGlfw = false; });
  var kTextKeys = { deleteContentBackward: 259, deleteContentForward: 261, insertLineBreak: 257, insertParagraph: 257 };
  function deliverText(inputType, text) {
    if (kTextKeys[inputType]) call('ns_text_key', null, ['number'], [kTextKeys[inputType]]);
    else if (text) callWithText('ns_text_typed', null, text);
  }
  textInput.addEventListener('beforeinput', function (event) {
    var delivered = keyDeliveredByGlfw;
    keyDeliveredByGlfw = false;
    if (event.isComposing || event.inputType === 'insertCompositionText') return; // whole at compositionend
    event.preventDefault(); // the textarea keeps its one space
    if (!delivered && started) {
      deliverText(event.inputType, event.data || (event.dataTransfer ? event.dataTransfer.getData('text/plain') : ''));
    }
  });
  textInput.addEventListener('compositionend', function (event) {
    if (started && event.data) deliverText('insertText', event.data);
    resetTextInput();
  });
  // In an iframe, keys go to the frame only once it has focus: take it on a click.
  canvas.addEventListener('mousedown', function () { window.focus(); canvas.focus(); });
  document.addEventListener('paste', function (event) {
    if (started) callWithText('ns_paste', null, event.clipboardData.getData('text/plain'));
  });
  window.addEventListener('hashchange', function () {
    if (started) callWithText('ns_load_hash', null, location.hash);
  });

  // ---- the JS API, for host pages and tests ----
  window.netshape = {
    ready: ready,
    getText: function () { return call('ns_get_text', 'string'); },
    setText: function (text) {
      // Over the input limit in UTF-16 units is over it in bytes too: refused here, before a copy
      // into WebAssembly memory would grow it for good (the engine refuses the rest the same way;
      // the limit and its message: src/engine/limits.h, limits.cpp).
      if (String(text).length > kMaxInputBytes) {
        return { ok: false, error: { message: 'the input has more than 16,777,216 bytes (16 MiB), the limit for a design',
                                     where: '' } };
      }
      // JSON is read by the tools module (fetched on first use, like import and export), so for
      // JSON the answer is a Promise; link text is read here and answered at once.
      var result = JSON.parse(callWithText('ns_set_text', 'string', text));
      if (!/^\uFEFF?[ \t\r\n]*\{/.test(text)) return result;
      if (!result.pending) return Promise.resolve(result);
      return new Promise(function (resolve) {
        whenToolsSettle(function () { resolve(JSON.parse(callWithText('ns_set_text', 'string', text))); });
      });
    },
    summary: function () {
      var pieces = Module.netshapePage.summaryPieces = [];
      call('ns_summary', null);
      Module.netshapePage.summaryPieces = [];
      return JSON.parse(pieces.join(''));
    },
    status: function () { return JSON.parse(call('ns_status', 'string')); },
    widgets: function () { return JSON.parse(call('ns_widgets', 'string')); },
    texts: function () { return JSON.parse(call('ns_texts', 'string')); },
    measureText: function (text) { return callWithText('ns_measure_text', 'number', text); },
    timings: function () { return Object.assign({}, timings); },
    benchmarkFrames: function (count) { return JSON.parse(call('ns_benchmark_frames', 'string', ['number'], [count])); },
  };
})();
