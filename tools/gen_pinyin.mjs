// Writes the pinyin of every Chinese name in the bcmap data, for search by pinyin: the
// full form ("tongyuxian"), syllables apart ("tong yu xian") and initials ("tyx").
// Run by tools/gen_pinyin.py, which fetches and checks the pinned pinyin-pro and decides
// when this needs to run; see geodata/README.md.
//
// Usage: node gen_pinyin.mjs <pinyin-pro module> <source label> <stamp JSON> <output> <input.geojson>...
// Names: the values of every property whose key ends in `_zh` (name_zh, county_zh,
// township_zh, village_zh, committee_zh, site_zh, ...) that hold a Chinese character.
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";

const [modulePath, source, stampJson, output, ...inputs] = process.argv.slice(2);
if (!inputs.length) {
  console.error("usage: node gen_pinyin.mjs MODULE SOURCE STAMP_JSON OUTPUT INPUT...");
  process.exit(2);
}
const { pinyin } = createRequire(import.meta.url)(modulePath);

const han = /\p{Script=Han}/u;
const names = new Set();
for (const path of inputs) {
  const collection = JSON.parse(readFileSync(path, "utf8"));
  for (const feature of collection.features ?? []) {
    for (const [key, value] of Object.entries(feature.properties ?? {})) {
      if (key.endsWith("_zh") && typeof value === "string" && han.test(value)) names.add(value);
    }
  }
}

// One call a whole name, so pinyin-pro reads polyphonic characters in their word (长春 chang,
// 长岭 chang). No tones; ü as v, as pinyin keyboards type it. Runs of other characters stay
// one token (digits, Latin letters); punctuation such as the （） of site names is dropped.
function entry(name) {
  const syllables = pinyin(name, { toneType: "none", type: "array", nonZh: "consecutive", v: true })
    .map((s) => s.toLowerCase().replace(/[^a-z0-9]/g, ""))
    .filter((s) => s.length > 0);
  return { full: syllables.join(""), spaced: syllables.join(" "), initials: syllables.map((s) => s[0]).join("") };
}

// Sorted by code point, one name a line: the same bytes on every run, and a readable diff.
const sorted = [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
const lines = sorted.map((name) => `${JSON.stringify(name)}:${JSON.stringify(entry(name))}`);
const text =
  `{"version":1,"source":${JSON.stringify(source)},"bcmap":${stampJson},\n"names":{\n` + lines.join(",\n") + "\n}}\n";
const tmp = `${output}.${process.pid}.tmp`;
writeFileSync(tmp, text, "utf8");
renameSync(tmp, output);
console.log(`${names.size} names`);
