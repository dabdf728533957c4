/* docgen default theme: small progressive enhancements, no libraries.
 * Every feature looks for its markup first and does nothing without it; pages work the same without this file.
 *   1. colour-scheme toggle        4. copy buttons on code blocks     (site search: search.js)
 *   2. "All elements" sidebar list 5. phone sidebar toggle
 *   3. elements index filter       6. current "On this page" entry while scrolling
 */
(() => {
  "use strict";

  const root = document.documentElement;
  const FILTER_MIN = 15; // the sidebar list gets a filter box above this many elements

  /** Creates an element with a class name and, optionally, text. */
  function make(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  /** One polite live region for short status messages ("Copied to clipboard"). */
  let statusRegion = null;
  function announce(message) {
    if (!statusRegion) {
      statusRegion = make("div", "visually-hidden");
      statusRegion.setAttribute("role", "status");
      document.body.append(statusRegion);
    }
    statusRegion.textContent = "";
    window.setTimeout(() => { statusRegion.textContent = message; }, 50);
  }

  /** Shows only the items whose text contains every word typed in the input; reports how many are shown. */
  function bindFilter(input, items, textOf, onChange) {
    const texts = items.map((item) => textOf(item).toLowerCase());
    const run = () => {
      const words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      let shown = 0;
      items.forEach((item, i) => {
        const match = words.every((word) => texts[i].includes(word));
        item.hidden = !match;
        if (match) shown += 1;
      });
      onChange(shown);
    };
    input.addEventListener("input", run);
    if (input.value) run(); // the browser may restore a typed value on back/forward
  }

  /* 1. Colour scheme: system → light → dark → system. The choice lives in localStorage and is applied
   *    before the first paint by the inline script in <head>; "system" removes html[data-theme]. */
  const THEME_KEY = "docgen-theme";
  const MODES = ["system", "light", "dark"];

  function currentMode() {
    const mode = root.getAttribute("data-theme");
    return mode === "light" || mode === "dark" ? mode : "system";
  }

  function applyMode(mode, remember) {
    if (mode === "light" || mode === "dark") root.setAttribute("data-theme", mode);
    else root.removeAttribute("data-theme");
    if (!remember) return;
    try {
      if (mode === "system") localStorage.removeItem(THEME_KEY);
      else localStorage.setItem(THEME_KEY, mode);
    } catch (_) {
      /* storage disabled: the choice lasts for this page only */
    }
  }

  function initThemeToggle() {
    const button = document.querySelector("[data-theme-toggle]");
    if (!button) return;
    const describe = () => {
      const mode = currentMode();
      const next = MODES[(MODES.indexOf(mode) + 1) % MODES.length];
      const text = `Colour scheme: ${mode} (switch to ${next})`;
      button.setAttribute("aria-label", text);
      button.title = text;
    };
    button.addEventListener("click", () => {
      const mode = currentMode();
      applyMode(MODES[(MODES.indexOf(mode) + 1) % MODES.length], true);
      describe();
    });
    // Keep other open tabs in step.
    window.addEventListener("storage", (event) => {
      if (event.key !== THEME_KEY) return;
      applyMode(event.newValue || "system", false);
      describe();
    });
    describe();
  }

  /* 2. "All elements": fetched once per page from the shared elements-nav.json whose URL the template puts
   *    in html[data-elements-nav]. The current element is marked; long lists get a filter box.
   *    On failure the plain link to the elements index stays the way in. */
  function initElementsNav() {
    const target = document.querySelector("[data-elements-nav-target]");
    const url = root.getAttribute("data-elements-nav");
    if (!target || !url) return;
    fetch(url, { credentials: "same-origin" })
      .then((response) => {
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        return response.json();
      })
      .then((elements) => {
        if (Array.isArray(elements) && elements.length) renderElementsNav(target, elements);
      })
      .catch(() => {});
  }

  function renderElementsNav(target, elements) {
    const currentKey = target.getAttribute("data-current-key");
    const currentUrl = target.getAttribute("data-current-url");
    const list = make("ul", "elements-nav__list");
    const items = [];
    for (const element of elements) {
      const item = make("li");
      const link = make("a", "elements-nav__link", element.heading);
      link.href = element.url;
      if ((currentKey && element.key === currentKey) || (currentUrl && element.url === currentUrl)) {
        link.classList.add("is-current");
        link.setAttribute("aria-current", "true");
      }
      item.append(link);
      list.append(item);
      items.push(item);
    }

    if (elements.length > FILTER_MIN) {
      const id = "elements-nav-filter";
      const label = make("label", "visually-hidden", "Filter elements");
      label.htmlFor = id;
      const input = make("input", "field elements-nav__filter");
      Object.assign(input, { id, type: "search", placeholder: `Filter ${elements.length} elements`, autocomplete: "off", spellcheck: false });
      const empty = make("p", "elements-nav__empty", "No element matches.");
      empty.hidden = true;
      target.append(label, input, list, empty);
      bindFilter(input, items, (item) => item.textContent, (shown) => { empty.hidden = shown > 0; });
    } else {
      target.append(list);
    }
  }

  /* 3. Elements index: the filter box above the cards (hidden until this runs). */
  function initElementIndex() {
    const index = document.querySelector("[data-element-index]");
    const box = index && index.querySelector("[data-element-filter]");
    if (!box) return;
    const input = box.querySelector("input");
    const cards = Array.from(index.querySelectorAll("[data-element-card]"));
    const count = index.querySelector("[data-element-count]");
    const empty = index.querySelector("[data-element-empty]");
    box.hidden = false;
    bindFilter(input, cards, (card) => card.getAttribute("data-filter") || card.textContent, (shown) => {
      if (count) count.textContent = String(shown);
      if (empty) empty.hidden = shown > 0;
    });
  }

  /* 4. Code blocks: a bar with the language and a copy button above each pre.code. */
  const COPY_ICON = '<svg viewBox="0 0 20 20" aria-hidden="true" focusable="false"><rect x="6.5" y="6.5" width="10" height="10" rx="2" fill="none" stroke="currentColor" stroke-width="1.6"/><path d="M13.5 4.5v-.5a1.5 1.5 0 0 0-1.5-1.5H5A1.5 1.5 0 0 0 3.5 4v7A1.5 1.5 0 0 0 5 12.5h.5" fill="none" stroke="currentColor" stroke-width="1.6"/></svg>';
  const DONE_ICON = '<svg viewBox="0 0 20 20" aria-hidden="true" focusable="false"><path d="m4.5 10.5 3.5 3.5 7.5-8" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"/></svg>';

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    // Plain http: copy through a hidden textarea.
    return new Promise((resolve, reject) => {
      const area = make("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.cssText = "position:fixed;top:0;left:0;opacity:0";
      document.body.append(area);
      area.select();
      const ok = document.execCommand("copy");
      area.remove();
      if (ok) resolve();
      else reject(new Error("copy failed"));
    });
  }

  function initCodeBlocks() {
    for (const pre of document.querySelectorAll("pre.code")) {
      if (pre.parentElement.classList.contains("code-block")) continue;
      const block = make("div", "code-block");
      const bar = make("div", "code-block__bar");
      const lang = make("span", "code-block__lang", pre.getAttribute("data-lang") || "");
      const button = make("button", "copy-button");
      button.type = "button";
      button.setAttribute("aria-label", "Copy code to clipboard");
      button.innerHTML = `${COPY_ICON}<span>Copy</span>`;
      let timer = 0;
      button.addEventListener("click", () => {
        const code = pre.querySelector("code") || pre;
        copyText(code.textContent.replace(/\n$/, "")).then(
          () => {
            button.classList.add("is-copied");
            button.innerHTML = `${DONE_ICON}<span>Copied</span>`;
            announce("Copied to clipboard");
            window.clearTimeout(timer);
            timer = window.setTimeout(() => {
              button.classList.remove("is-copied");
              button.innerHTML = `${COPY_ICON}<span>Copy</span>`;
            }, 1800);
          },
          () => announce("Copy failed: select the code and copy it by hand"),
        );
      });
      bar.append(lang, button);
      pre.replaceWith(block);
      block.append(bar, pre);
    }
  }

  /* 5. Phone sidebar: swap the no-JS :target link for a real disclosure button. */
  function initSidebarToggle() {
    const button = document.querySelector("[data-sidebar-toggle]");
    const sidebar = document.getElementById("sidebar");
    if (!button || !sidebar) return;
    const setOpen = (open) => {
      sidebar.classList.toggle("is-open", open);
      button.setAttribute("aria-expanded", String(open));
    };
    button.hidden = false;
    button.addEventListener("click", () => setOpen(!sidebar.classList.contains("is-open")));
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && sidebar.classList.contains("is-open")) {
        setOpen(false);
        button.focus();
      }
    });
  }

  /* 6. "On this page": mark the section being read — the last heading above a line 30% down the viewport.
   *    The observer only says when a heading crosses that line; the page is not polled on scroll. */
  function initTocSpy() {
    const toc = document.querySelector("[data-toc]");
    if (!toc || !("IntersectionObserver" in window)) return;
    const entries = [];
    for (const link of toc.querySelectorAll('a[href^="#"]')) {
      const heading = document.getElementById(decodeURIComponent(link.hash.slice(1)));
      if (heading) entries.push({ heading, link });
    }
    if (!entries.length) return;
    let active = null;
    const update = () => {
      const line = window.innerHeight * 0.3;
      let next = null;
      for (const entry of entries) {
        if (entry.heading.getBoundingClientRect().top > line) break;
        next = entry;
      }
      if (next === active) return;
      if (active) active.link.classList.remove("is-active");
      if (next) next.link.classList.add("is-active");
      active = next;
    };
    const observer = new IntersectionObserver(update, { rootMargin: "0px 0px -70% 0px" });
    for (const entry of entries) observer.observe(entry.heading);
    update();
    window.addEventListener("load", update, { once: true }); // images and fonts may move the headings
  }

  initThemeToggle();
  initElementsNav();
  initElementIndex();
  initCodeBlocks();
  initSidebarToggle();
  initTocSpy();
})();
