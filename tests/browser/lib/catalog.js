// The portal's Fluent catalogs (locales/<lang>/portal.ftl), read to tell English text on a page
// that should be in another language: an element whose whole text is an English message that
// the other language lacks or says differently is an untranslated one.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { REPO } = require('./service');

/** Message id → value (simple messages only: no attributes, terms or selectors). */
function parse(file) {
  const out = new Map();
  if (!fs.existsSync(file)) return out;
  let key = null;
  let lines = [];
  const flush = () => {
    if (key !== null) out.set(key, lines.join(' ').replace(/\s+/g, ' ').trim());
    key = null;
    lines = [];
  };
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = line.match(/^([a-zA-Z][\w-]*)\s*=\s*(.*)$/);
    if (m) {
      flush();
      [, key] = m;
      lines = [m[2]];
    } else if (key !== null && /^\s+\S/.test(line) && !/^\s+\./.test(line)) {
      lines.push(line.trim());
    } else {
      flush();
    }
  }
  flush();
  return out;
}

function escape(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `{ $var }` placeables match anything; messages with selectors are left out. */
function pattern(value) {
  if (value.includes('->') || /\{\s*-/.test(value) || /\{\s*"/.test(value)) return null;
  const parts = value.split(/\{\s*\$[\w-]+\s*\}/);
  if (!parts.join('').match(/\p{L}{3}/u)) return null;
  return `^${parts.map(escape).join('.+?')}$`;
}

/** For a language other than English: the English messages that would be a missed translation. */
function untranslated(lang) {
  if (lang === 'en') return [];
  const en = parse(path.join(REPO, 'locales', 'en', 'portal.ftl'));
  const other = parse(path.join(REPO, 'locales', lang, 'portal.ftl'));
  const out = [];
  for (const [key, value] of en) {
    if (other.get(key) === value) continue;
    const p = pattern(value);
    if (p) out.push({ key, pattern: p });
  }
  return out;
}

module.exports = { untranslated, parse, pattern };
