/* search.js: the default theme's site search (docgen writes the index below search-index/ with every build).
 *
 * Runs in the browser with no service, offline, under any base path. The index is sharded: index.json lists
 * the first term of each shard; a query fetches the shards of its words only, ranks pages by BM25 (the scores
 * in the shards already weigh title > element > heading > body > code and normalise page length), then fetches
 * the fragments of the best pages and ranks their sections: all query words before some, closer words before
 * distant ones, each result a section with its heading, page and element, and an excerpt with the words marked.
 * Words are cut and stemmed exactly as docgen cuts and stems them (src/search/terms.rs: runs of letters and
 * digits, lowercased, ASCII words stemmed with Snowball English / Porter2, the same stop words); the last word
 * also matches as a prefix while typing; a word found nowhere gets a "did you mean" from the terms sorting next to it
 * and from those whose end sorts next to its end (the spelling shards), so a typo in the first letter is fixed too.
 * Keyboard: `/` focuses the box, arrows move, Enter opens, Esc closes; combobox + listbox roles. */
(() => {
  "use strict";

  /* ---- Words: the same rules as src/search/terms.rs ---- */
  const STOP_WORDS = new Set(["a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "is",
    "it", "its", "of", "on", "or", "that", "the", "their", "then", "there", "these", "this", "to", "was", "were", "which",
    "will", "with", "you"]);
  const WORD = /[\p{Alphabetic}\p{N}]+/gu;

  /** The lowercased words of `text` with their offsets: [{word, at, end}]. */
  function words(text) {
    const found = [];
    for (const match of text.matchAll(WORD)) {
      found.push({ word: match[0].toLowerCase(), at: match.index, end: match.index + match[0].length });
    }
    return found;
  }

  /* ---- Snowball English (Porter2) stemmer, a port of the algorithm rust-stemmers implements ---- */
  const EXCEPTIONS1 = { skis: "ski", skies: "sky", dying: "die", lying: "lie", tying: "tie", idly: "idl", gently: "gentl",
    ugly: "ugli", early: "earli", only: "onli", singly: "singl", sky: "sky", news: "news", howe: "howe", atlas: "atlas",
    cosmos: "cosmos", bias: "bias", andes: "andes" };
  const EXCEPTIONS2 = new Set(["inning", "outing", "canning", "herring", "earring", "proceed", "exceed", "succeed"]);
  const isVowel = (c) => c === "a" || c === "e" || c === "i" || c === "o" || c === "u" || c === "y";

  /** The longest of `suffixes` that `w` ends with, or "". */
  function longest(w, suffixes) {
    let best = "";
    for (const s of suffixes) if (s.length > best.length && w.endsWith(s)) best = s;
    return best;
  }

  /** Whether `w` ends in a short syllable (Snowball `shortv`). */
  function shortv(w) {
    const n = w.length;
    if (n >= 3 && !isVowel(w[n - 3]) && isVowel(w[n - 2]) && !isVowel(w[n - 1]) && !"wxY".includes(w[n - 1])) return true;
    return n === 2 && isVowel(w[0]) && !isVowel(w[1]);
  }

  /** Where the region after the first non-vowel following a vowel starts, from `from`. */
  function region(w, from) {
    for (let i = from + 1; i < w.length; i++) if (!isVowel(w[i]) && isVowel(w[i - 1])) return i + 1;
    return w.length;
  }

  function stemEnglish(word) {
    if (Object.prototype.hasOwnProperty.call(EXCEPTIONS1, word)) return EXCEPTIONS1[word];
    if (word.length < 3) return word;
    let w = word;
    if (w[0] === "y") w = "Y" + w.slice(1);
    for (let i = 1; i < w.length; i++) if (w[i] === "y" && isVowel(w[i - 1])) w = w.slice(0, i) + "Y" + w.slice(i + 1);
    let p1 = w.length;
    const prefix = ["gener", "commun", "arsen"].find((p) => w.startsWith(p));
    if (prefix) p1 = prefix.length;
    else {
      let i = 0;
      while (i < w.length && !isVowel(w[i])) i++;
      p1 = i < w.length ? region(w, i) : w.length;
    }
    let p2 = w.length;
    {
      let i = p1;
      while (i < w.length && !isVowel(w[i])) i++;
      p2 = i < w.length ? region(w, i) : w.length;
    }
    const hasVowel = (s) => [...s].some(isVowel);
    // Step 1a
    let s = longest(w, ["sses", "ied", "ies", "s", "us", "ss"]);
    if (s === "sses") w = w.slice(0, -2);
    else if (s === "ied" || s === "ies") w = w.length - 3 > 1 ? w.slice(0, -2) : w.slice(0, -1);
    else if (s === "s") {
      const before = w.slice(0, -1);
      if (hasVowel(before.slice(0, -1))) w = before;
    }
    if (EXCEPTIONS2.has(w)) return w.replace(/Y/g, "y");
    // Step 1b
    s = longest(w, ["eed", "eedly", "ed", "edly", "ing", "ingly"]);
    if (s === "eed" || s === "eedly") {
      if (w.length - s.length >= p1) w = w.slice(0, -s.length) + "ee";
    } else if (s) {
      const before = w.slice(0, -s.length);
      if (hasVowel(before)) {
        w = before;
        const end = longest(w, ["at", "bl", "iz", "bb", "dd", "ff", "gg", "mm", "nn", "pp", "rr", "tt"]);
        if (end === "at" || end === "bl" || end === "iz") w += "e";
        else if (end) w = w.slice(0, -1);
        else if (w.length === p1 && shortv(w)) w += "e";
      }
    }
    // Step 1c
    if (w.length > 2 && (w.endsWith("y") || w.endsWith("Y")) && !isVowel(w[w.length - 2])) w = w.slice(0, -1) + "i";
    // Step 2
    const step2 = { tional: "tion", enci: "ence", anci: "ance", abli: "able", entli: "ent", izer: "ize", ization: "ize",
      ational: "ate", ation: "ate", ator: "ate", alism: "al", aliti: "al", alli: "al", fulness: "ful", ousli: "ous",
      ousness: "ous", iveness: "ive", iviti: "ive", biliti: "ble", bli: "ble", ogi: "og", fulli: "ful", lessli: "less", li: "" };
    s = longest(w, Object.keys(step2));
    if (s && w.length - s.length >= p1) {
      const before = w.slice(0, -s.length);
      if (s === "ogi") {
        if (before.endsWith("l")) w = before + "og";
      } else if (s === "li") {
        if ("cdeghkmnrt".includes(before[before.length - 1])) w = before;
      } else w = before + step2[s];
    }
    // Step 3
    const step3 = { tional: "tion", ational: "ate", alize: "al", icate: "ic", iciti: "ic", ical: "ic", ful: "", ness: "", ative: "" };
    s = longest(w, Object.keys(step3));
    if (s && w.length - s.length >= p1) {
      if (s !== "ative") w = w.slice(0, -s.length) + step3[s];
      else if (w.length - s.length >= p2) w = w.slice(0, -s.length);
    }
    // Step 4
    s = longest(w, ["al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ism", "ate", "iti",
      "ous", "ive", "ize", "ion"]);
    if (s && w.length - s.length >= p2) {
      const before = w.slice(0, -s.length);
      if (s !== "ion") w = before;
      else if (before.endsWith("s") || before.endsWith("t")) w = before;
    }
    // Step 5
    if (w.endsWith("e")) {
      const at = w.length - 1;
      if (at >= p2 || (at >= p1 && !shortv(w.slice(0, -1)))) w = w.slice(0, -1);
    } else if (w.endsWith("l") && w.length - 1 >= p2 && w[w.length - 2] === "l") w = w.slice(0, -1);
    return w.replace(/Y/g, "y");
  }

  /** The index term of a lowercased word: ASCII words are stemmed, others kept. Remembered: a query ranks the
   *  sections of ten pages, whose words repeat. */
  const stems = new Map();
  const stem = (word) => {
    let term = stems.get(word);
    if (term === undefined) {
      term = /^[a-z]+$/.test(word) ? stemEnglish(word) : word;
      if (stems.size < 200000) stems.set(word, term);
    }
    return term;
  };

  /* ---- The index: manifest, shards and fragments, each fetched once ---- */
  const K1 = 1.2;
  const B = 0.75;
  const FRAGMENT_PAGES = 10; // pages whose sections are ranked (fetched) for one query
  const MAX_RESULTS = 12;
  const PER_PAGE = 3; // sections one page may show
  const PREFIX_TERMS = 24; // terms a prefix may expand to

  function createIndex(manifestUrl) {
    const base = manifestUrl.replace(/[^/]*$/, "");
    const get = (url) =>
      fetch(url, { credentials: "same-origin" }).then((r) => {
        if (!r.ok) throw new Error(`HTTP ${r.status}`);
        return r.json();
      });
    let manifest = null;
    const shards = new Map();
    const fragments = new Map();
    const load = () => (manifest ||= get(manifestUrl));
    /** Shard `n` as a sorted array of {term, word, ids, scores} with ids absolute. */
    const shard = (m, n) => {
      if (!shards.has(n)) {
        shards.set(n, get(`${base}t/${n}.json?v=${m.build}`).then((data) =>
          data.t.map(([term, word, gaps, scores]) => {
            let id = 0;
            const ids = gaps.map((gap) => (id += gap));
            return { term, word: word || term, ids, scores };
          })));
      }
      return shards.get(n);
    };
    /** Pages are numbered file by file: `m.p` lists each fragment file as [name, pages]. */
    let starts = null;
    const files = new Map();
    const fragment = (m, id) => {
      if (!fragments.has(id)) {
        if (!starts) {
          let at = 0;
          starts = m.p.map(([, pages]) => (at += pages) - pages);
        }
        const n = within(starts, id);
        const [name] = m.p[n];
        if (!files.has(n)) files.set(n, get(`${base}p/${encodeURIComponent(name)}.json?v=${m.build}`));
        fragments.set(id, files.get(n).then((f) => ({ ...f.p[id - starts[n]], id })));
      }
      return fragments.get(id);
    };
    /** The shard of `firsts` (sorted first keys) whose range holds `key`. */
    const within = (firsts, key) => {
      let lo = 0;
      let hi = firsts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (firsts[mid] <= key) lo = mid;
        else hi = mid - 1;
      }
      return lo;
    };
    /** The shard that holds `term`. */
    const shardOf = (m, term) => within(m.shards, term);
    const spellingShards = new Map();
    /** The terms whose reversed form sorts next to reversed `term`: the spelling shard holding it and its two
     *  neighbours, as {term, word, pages}. A word mistyped in its first letters keeps its end, so the right word is
     *  among them (its start, and so its term shard, may be far off). */
    const spelling = async (m, term) => {
      if (!m.spelling || !m.spelling.length) return [];
      const at = within(m.spelling, [...term].reverse().join(""));
      const wanted = [at - 1, at, at + 1].filter((n) => n >= 0 && n < m.spelling.length);
      const loaded = await Promise.all(wanted.map((n) => {
        if (!spellingShards.has(n)) {
          spellingShards.set(n, get(`${base}r/${n}.json?v=${m.build}`).then((data) =>
            data.r.map(([t, word, pages]) => ({ term: t, word: word || t, pages }))));
        }
        return spellingShards.get(n);
      }));
      return loaded.flat();
    };
    return { load, shard, fragment, shardOf, spelling };
  }

  /** Damerau–Levenshtein distance of `a` and `b` when it is at most 1, else 2. */
  function nearness(a, b) {
    if (a === b) return 0;
    if (Math.abs(a.length - b.length) > 1) return 2;
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    const ra = a.slice(i);
    const rb = b.slice(i);
    if (ra.slice(1) === rb.slice(1) || ra.slice(1) === rb || ra === rb.slice(1)) return 1;
    if (ra.length >= 2 && ra[0] === rb[1] && ra[1] === rb[0] && ra.slice(2) === rb.slice(2)) return 1;
    return 2;
  }

  /** Parses a query into its words: [{word, term, prefix}], stop words left out (as in the index). */
  function parseQuery(query) {
    const typing = !/\s$/.test(query);
    const found = words(query);
    return found
      .map((w, i) => ({ word: w.word, term: stem(w.word), prefix: typing && i === found.length - 1 && w.word.length >= 2 }))
      .filter((w) => !STOP_WORDS.has(w.word));
  }

  /** Runs `query` against `index`: {results, count, suggestion, words}. */
  async function run(index, query) {
    const m = await index.load();
    const qwords = parseQuery(query);
    if (!qwords.length) return { results: [], count: 0, suggestion: null, words: qwords };
    const N = Math.max(m.pages, 1);
    const idf = (df) => Math.log(1 + (N - df + 0.5) / (df + 0.5));
    // Phase 1: each word's postings, from its shard(s).
    const perWord = await Promise.all(qwords.map(async (q) => {
      const first = index.shardOf(m, q.term);
      const wanted = [first];
      if (q.prefix) {
        const low = q.word < q.term ? q.word : q.term;
        const from = index.shardOf(m, low);
        for (let n = from; n < m.shards.length && wanted.length < 4; n++) {
          if (n !== first && (n === from || m.shards[n].startsWith(low) || m.shards[n].startsWith(q.word))) wanted.push(n);
          else if (n > from && !(m.shards[n].startsWith(low) || m.shards[n].startsWith(q.word))) break;
        }
      }
      const loaded = (await Promise.all([...new Set(wanted)].map((n) => index.shard(m, n)))).flat();
      const matches = [];
      for (const entry of loaded) {
        if (entry.term === q.term) matches.push({ entry, weight: 1 });
        else if (q.prefix && (entry.term.startsWith(q.word) || entry.word.startsWith(q.word) ||
          (q.term.length >= 3 && entry.term.startsWith(q.term)))) matches.push({ entry, weight: 0.7 });
      }
      matches.sort((a, b) => b.weight - a.weight || b.entry.ids.length - a.entry.ids.length);
      return { q, matches: matches.slice(0, PREFIX_TERMS + 1), loaded, shard: first };
    }));
    // Page scores: BM25 summed over the words; a word's best-matching term counts. Flat typed arrays: a common
    // word lists most pages of the site.
    const part = new Float64Array(N * qwords.length);
    const touched = new Uint8Array(N);
    perWord.forEach(({ matches }, w) => {
      for (const { entry, weight } of matches) {
        const factor = (idf(entry.ids.length) * weight * (K1 + 1)) / 255;
        const { ids, scores } = entry;
        for (let k = 0; k < ids.length; k++) {
          const at = w * N + ids[k];
          const value = factor * scores[k];
          if (value > part[at]) part[at] = value;
          touched[ids[k]] = 1;
        }
      }
    });
    const ranked = [];
    for (let id = 0; id < N; id++) {
      if (!touched[id]) continue;
      let matched = 0;
      let score = 0;
      for (let w = 0; w < qwords.length; w++) {
        const value = part[w * N + id];
        if (value > 0) {
          matched++;
          score += value;
        }
      }
      ranked.push({ id, matched, score });
    }
    ranked.sort((a, b) => b.matched - a.matched || b.score - a.score || a.id - b.id);
    const best = ranked.length ? ranked[0].matched : 0;
    const count = ranked.filter((p) => p.matched === best).length;
    // "Did you mean": for a word found nowhere, the commonest word one letter off (Damerau) among the terms
    // sorting next to it (its term shard and the two around it: a typo near the word's end) and the terms whose end
    // sorts next to its end (the spelling shards: a typo near the start, `xebhook`).
    let suggestion = null;
    const missing = perWord.filter((p) => !p.matches.length);
    if (missing.length) {
      const fixed = await Promise.all(qwords.map(async (q, w) => {
        if (perWord[w].matches.length) return q.word;
        const { shard: at, loaded } = perWord[w];
        const around = [at - 1, at + 1].filter((n) => n >= 0 && n < m.shards.length);
        const [spelled, ...shards] = await Promise.all([index.spelling(m, q.term), ...around.map((n) => index.shard(m, n))]);
        let pick = null;
        for (const entry of [...loaded, ...shards.flat(), ...spelled]) {
          if (nearness(q.word, entry.word) > 1 && nearness(q.term, entry.term) > 1) continue;
          const pages = entry.pages || entry.ids.length;
          if (!pick || pages > pick.pages || (pages === pick.pages && entry.word < pick.word)) pick = { word: entry.word, pages };
        }
        return pick ? pick.word : null;
      }));
      if (fixed.every(Boolean) && fixed.join(" ") !== qwords.map((q) => q.word).join(" ")) suggestion = fixed.join(" ");
    }
    // Phase 2: the sections of the best pages.
    const top = ranked.slice(0, FRAGMENT_PAGES);
    const frags = await Promise.all(top.map((p) => index.fragment(m, p.id)));
    const termSets = perWord.map(({ q, matches }) => ({ q, terms: new Set(matches.map((x) => x.entry.term)) }));
    const results = [];
    frags.forEach((frag, k) => {
      const page = top[k];
      prepare(frag);
      const sections = frag.sections.map((section) => scoreSection(frag, page, termSets, section));
      sections.sort((a, b) => b.matched - a.matched || b.score - a.score);
      const bestMatched = sections.length ? sections[0].matched : 0;
      sections.filter((s) => s.matched === bestMatched && s.local > 0).slice(0, PER_PAGE)
        .forEach((s, n) => results.push({ ...s, rank: n }));
      if (!sections.some((s) => s.local > 0) && sections.length) results.push({ ...sections[0], rank: 0 });
    });
    results.sort((a, b) => b.matched - a.matched || a.rank - b.rank || b.score - a.score);
    return { results: results.slice(0, MAX_RESULTS), count, suggestion, words: termSets };
  }

  /** Cuts a fragment's sections into words with their terms, once per fragment. */
  function prepare(frag) {
    if (frag.sections) return;
    const cut = (text) => words(text).map((w) => ({ ...w, term: stem(w.word) }));
    frag.context = cut(`${frag.t} ${frag.e || ""}`).map((w) => w.term);
    frag.sections = frag.s.map(([id, heading, text, code]) => ({
      id, heading, text, headingWords: cut(heading), textWords: cut(text), codeWords: cut(code),
    }));
  }

  /** How well one section answers the query. */
  function scoreSection(frag, page, termSets, section) {
    const { id, heading, text, headingWords, textWords, codeWords } = section;
    const context = frag.context;
    const matchesWord = (x, set) => set.terms.has(x.term) ||
      (set.q.prefix && (x.term.startsWith(set.q.word) || x.word.startsWith(set.q.word)));
    let local = 0;
    let matched = 0;
    let score = page.score * 0.35;
    const positions = [];
    termSets.forEach((set, w) => {
      const inHeading = headingWords.filter((x) => matchesWord(x, set)).length;
      const inText = [];
      textWords.forEach((x, i) => {
        if (matchesWord(x, set)) inText.push(i);
      });
      const inCode = codeWords.filter((x) => matchesWord(x, set)).length;
      const inContext = context.some((t) => set.terms.has(t) || (set.q.prefix && t.startsWith(set.q.word)));
      const tf = 4 * inHeading + inText.length + 0.3 * inCode;
      if (tf > 0) local++;
      if (tf > 0 || inContext) matched++;
      const length = headingWords.length + textWords.length + codeWords.length;
      score += (tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * length) / 120)) * 2;
      for (const i of inText) positions.push([i, w]);
    });
    // Proximity: the narrowest window of the text holding every matched word.
    let window = null;
    const distinct = new Set(positions.map(([, w]) => w)).size;
    if (distinct >= 1) {
      positions.sort((a, b) => a[0] - b[0]);
      const counts = new Map();
      let have = 0;
      let lo = 0;
      for (let hi = 0; hi < positions.length; hi++) {
        const w = positions[hi][1];
        counts.set(w, (counts.get(w) || 0) + 1);
        if (counts.get(w) === 1) have++;
        while (have === distinct) {
          const span = positions[hi][0] - positions[lo][0] + 1;
          if (!window || span < window.span) window = { span, from: positions[lo][0], to: positions[hi][0] };
          const lw = positions[lo][1];
          counts.set(lw, counts.get(lw) - 1);
          if (counts.get(lw) === 0) have--;
          lo++;
        }
      }
      if (distinct >= 2 && window) score += (3 * (distinct - 1)) / Math.max(1, window.span - distinct + 1);
    }
    const excerptAt = window ? textWords[window.from].at : 0;
    return { frag, id, heading, text, matched, local, score, excerptAt };
  }

  /** About `EXCERPT` characters of `text` around offset `at`, cut at words, with … where cut. */
  const EXCERPT = 170;
  function excerpt(text, at) {
    if (text.length <= EXCERPT) return text;
    let from = Math.max(0, at - 50);
    if (from > 0) {
      const space = text.indexOf(" ", from);
      from = space >= 0 && space < at ? space + 1 : from;
    }
    let to = Math.min(text.length, from + EXCERPT);
    if (to < text.length) {
      const space = text.lastIndexOf(" ", to);
      if (space > from) to = space;
    }
    return `${from > 0 ? "… " : ""}${text.slice(from, to)}${to < text.length ? " …" : ""}`;
  }

  const make = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  };

  /** Appends `text` to `node` with each word the query matched in <mark>. */
  function appendMarked(node, text, termSets) {
    let at = 0;
    for (const w of words(text)) {
      const term = stem(w.word);
      const hit = termSets.some((set) => set.terms.has(term) || (set.q.prefix && (term.startsWith(set.q.word) || w.word.startsWith(set.q.word))));
      if (!hit) continue;
      if (w.at > at) node.append(text.slice(at, w.at));
      node.append(make("mark", "", text.slice(w.at, w.end)));
      at = w.end;
    }
    if (at < text.length) node.append(text.slice(at));
  }

  /* ---- The search box ---- */
  /** The box's parts, written by this script rather than into every page (a page carries only the empty,
   *  hidden box): the label, the input as a combobox, the status line a screen reader announces, the list. */
  const BOX = `<label class="visually-hidden" for="site-search-input">Search the documentation</label>
<svg class="site-search__icon" viewBox="0 0 20 20" aria-hidden="true" focusable="false"><circle cx="8.5" cy="8.5" r="5.5" fill="none" stroke="currentColor" stroke-width="1.8"/><path d="m13 13 4 4" stroke="currentColor" stroke-width="1.8" stroke-linecap="round"/></svg>
<input class="field site-search__input" id="site-search-input" type="search" placeholder="Search" autocomplete="off" spellcheck="false" role="combobox" aria-autocomplete="list" aria-expanded="false" aria-controls="site-search-results" aria-describedby="site-search-status" aria-keyshortcuts="/">
<kbd class="site-search__key" aria-hidden="true">/</kbd>
<p class="visually-hidden" id="site-search-status" role="status"></p>
<ul class="site-search__results" id="site-search-results" role="listbox" aria-label="Search results" hidden></ul>`;

  function initSearch() {
    const box = document.querySelector("[data-search]");
    if (!box || !window.fetch) return;
    // A theme may write its own parts (other words, another language): they are used as they are, when all
    // three are there.
    const parts = ["input", '[role="listbox"]', '[role="status"]'];
    if (!parts.every((part) => box.querySelector(part))) box.innerHTML = BOX;
    const input = box.querySelector("input");
    const list = box.querySelector('[role="listbox"]');
    const status = box.querySelector('[role="status"]');
    const index = createIndex(box.getAttribute("data-search-index"));
    let options = [];
    let active = -1;
    let latest = 0;
    let shown = null; // the query whose answer the list holds
    box.hidden = false;

    const setActive = (n) => {
      if (active >= 0 && options[active]) options[active].setAttribute("aria-selected", "false");
      active = n;
      if (active >= 0 && options[active]) {
        options[active].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", options[active].id);
        options[active].scrollIntoView({ block: "nearest" });
      } else input.removeAttribute("aria-activedescendant");
    };
    const setOpen = (open) => {
      list.hidden = !open;
      input.setAttribute("aria-expanded", String(open));
      if (!open) setActive(-1);
    };

    const option = (n, content) => {
      const li = make("li", "site-search__option");
      li.id = `site-search-option-${n}`;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.append(content);
      return li;
    };

    const show = ({ results, count, suggestion, words: termSets }) => {
      options = [];
      if (suggestion) {
        const button = make("a", "site-search__link site-search__suggestion");
        button.href = "#";
        button.tabIndex = -1;
        button.append("Did you mean ", make("strong", "", suggestion), "?");
        button.addEventListener("click", (event) => {
          event.preventDefault();
          input.value = suggestion;
          search();
        });
        const li = option(0, button);
        li.dataset.suggestion = suggestion;
        options.push(li);
      }
      for (const result of results) {
        const link = make("a", "site-search__link");
        // The page's own title heading (`# Webhooks Guide`) is the top of the page, not a section.
        const section = result.id && result.heading !== result.frag.t;
        link.href = section ? `${result.frag.u}#${result.id}` : result.frag.u;
        link.tabIndex = -1;
        const title = make("span", "site-search__title");
        appendMarked(title, result.heading || result.frag.t, termSets);
        link.append(title);
        const where = [result.frag.e, result.heading && result.heading !== result.frag.t ? result.frag.t : null].filter(Boolean);
        if (where.length) {
          const meta = make("span", "site-search__meta");
          appendMarked(meta, where.join(" › "), termSets);
          link.append(meta);
        }
        if (result.text) {
          const text = make("span", "site-search__excerpt");
          appendMarked(text, excerpt(result.text, result.excerptAt), termSets);
          link.append(text);
        }
        options.push(option(options.length, link));
      }
      const items = options.length ? [...options] : [];
      if (!results.length) items.push(make("li", "site-search__empty", "No page matches."));
      list.replaceChildren(...items);
      const pages = count === 1 ? "1 matching page" : `${count || "No"} matching pages`;
      list.dataset.count = pages;
      status.textContent = suggestion ? `${pages}. Did you mean ${suggestion}?` : pages;
      active = -1;
      setOpen(true);
    };

    const search = () => {
      const query = input.value;
      const ticket = ++latest;
      if (!query.trim()) {
        shown = null;
        list.replaceChildren();
        options = [];
        status.textContent = "";
        setOpen(false);
        return;
      }
      run(index, query).then((answer) => {
        if (ticket !== latest) return; // an older, slower query must not replace a newer one
        show(answer);
        shown = query;
      }).catch(() => {
        if (ticket === latest) status.textContent = "Search is not available right now.";
      });
    };

    input.addEventListener("focus", () => {
      index.load().catch(() => {});
      if (input.value.trim()) search();
    });
    input.addEventListener("input", search);
    input.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (list.hidden) {
          if (shown === input.value && input.value.trim()) setOpen(true);
          else search();
          return;
        }
        if (!options.length) return;
        const step = event.key === "ArrowDown" ? 1 : -1;
        setActive((active + step + options.length) % options.length);
      } else if (event.key === "Enter") {
        const chosen = list.hidden ? null : options[Math.max(active, 0)];
        const link = chosen && chosen.querySelector("a");
        if (!link) return;
        event.preventDefault();
        link.click(); // a real link activation: the browser opens it as it would a click
      } else if (event.key === "Escape") {
        event.preventDefault();
        if (!list.hidden) setOpen(false);
        else if (input.value) input.value = "";
        else input.blur();
      }
    });
    // Keep the focus in the box while a result is clicked, so the list stays until the link opens.
    list.addEventListener("mousedown", (event) => event.preventDefault());
    box.addEventListener("focusout", (event) => {
      if (!box.contains(event.relatedTarget)) setOpen(false);
    });
    document.addEventListener("keydown", (event) => {
      if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
      const target = event.target;
      if (target instanceof Element && target.closest("input, textarea, select, [contenteditable]")) return;
      event.preventDefault();
      input.focus();
      input.select();
    });
  }

  // For tests and tools: the same word rules as the index.
  window.docgenSearch = { words, stem, parseQuery, createIndex, run };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", initSearch);
  else initSearch();
})();
