#!/usr/bin/env node
// Query latency of the default theme's search (themes/default/static/search.js) on a built site, in Node's V8 (the
// engine of Chromium): `node bench/search-query.js OUTPUT_DIR [QUERY...]`. Files are read from OUTPUT_DIR instead
// of fetched. For each query it prints the time of a first run (shards and fragments read and parsed) and the
// median of 20 runs once they are loaded — the time a reader waits per keystroke — with the result count.
"use strict";
const fs = require("fs");
const path = require("path");

const [out, ...args] = process.argv.slice(2);
if (!out) {
  console.error("usage: node bench/search-query.js OUTPUT_DIR [QUERY...]");
  process.exit(2);
}
const queries = args.length ? args : ["oauth token refresh", "retry-after", "webhooks", "pagination", "rate limit", "bulk upload jobs", "webhok"];
global.window = {};
global.document = { readyState: "complete", querySelector: () => null };
global.fetch = async (url) => {
  const file = path.join(out, url.split("?")[0]);
  const ok = fs.existsSync(file);
  return { ok, status: ok ? 200 : 404, json: async () => JSON.parse(fs.readFileSync(file, "utf8")) };
};
require(path.join(__dirname, "..", "themes", "default", "static", "search.js"));
const { createIndex, run } = window.docgenSearch;

(async () => {
  for (const query of queries) {
    const index = createIndex("/search-index/index.json");
    let started = performance.now();
    const first = await run(index, query);
    const cold = performance.now() - started;
    const times = [];
    for (let n = 0; n < 20; n++) {
      started = performance.now();
      await run(index, query);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    console.log(`${JSON.stringify(query)}: first ${cold.toFixed(1)} ms (reading and parsing its files), then ${times[10].toFixed(1)} ms median, ${times[19].toFixed(1)} ms slowest; ${first.count} matching pages, ${first.results.length} sections shown${first.suggestion ? `, did you mean ${first.suggestion}` : ""}`);
  }
})();
