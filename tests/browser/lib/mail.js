// Reads the .eml files the service's file transport writes to <data_dir>/mail/.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

function decodeQuotedPrintable(text) {
  const bytes = [];
  const soft = text.replace(/=\r?\n/g, '');
  for (let i = 0; i < soft.length; i++) {
    const c = soft[i];
    if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(soft.slice(i + 1, i + 3))) {
      bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(c, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** RFC 2047 encoded words (=?utf-8?b?...?= and =?utf-8?q?...?=) in a header. */
function decodeWords(value) {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([bBqQ])\?([^?]*)\?=/g, (_, charset, enc, text) =>
      enc.toLowerCase() === 'b'
        ? Buffer.from(text, 'base64').toString('utf8')
        : decodeQuotedPrintable(text.replace(/_/g, ' ')),
    );
}

function splitHead(raw) {
  const at = raw.search(/\r?\n\r?\n/);
  if (at < 0) return { head: raw, body: '' };
  const sep = raw.slice(at).match(/^\r?\n\r?\n/)[0];
  return { head: raw.slice(0, at), body: raw.slice(at + sep.length) };
}

function headers(head) {
  const out = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const m = line.match(/^([^:]+):\s*(.*)$/);
    if (m) out[m[1].toLowerCase()] = m[2];
  }
  return out;
}

/** The decoded text of every leaf part of a MIME entity, in order. */
function textParts(raw) {
  const { head, body } = splitHead(raw);
  const h = headers(head);
  const type = h['content-type'] || 'text/plain';
  const boundary = type.match(/boundary="?([^";]+)"?/i);
  if (/^multipart\//i.test(type) && boundary) {
    const parts = body.split(`--${boundary[1]}`).slice(1);
    return parts
      .filter((p) => !p.startsWith('--'))
      .flatMap((p) => textParts(p.replace(/^\r?\n/, '')));
  }
  const encoding = (h['content-transfer-encoding'] || '7bit').toLowerCase();
  let text = body;
  if (encoding === 'quoted-printable') text = decodeQuotedPrintable(body);
  else if (encoding === 'base64') text = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  return [{ type: type.split(';')[0].trim().toLowerCase(), text }];
}

function readMail(file) {
  const raw = fs.readFileSync(file, 'utf8');
  const h = headers(splitHead(raw).head);
  return { file, to: h.to || '', subject: decodeWords(h.subject || ''), parts: textParts(raw) };
}

/**
 * Waits (up to 20 s) for an email to `to` whose plain text holds a link to `linkPath` under
 * `base`, written at `since` (ms since the epoch) or later; returns the newest such link and its
 * email ({ file, to, subject, parts }).
 */
async function waitForLink(mailDir, { to, base, linkPath, since = 0 }) {
  const escaped = (base + linkPath).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`${escaped}[^\\s"<>]*`);
  const deadline = Date.now() + 20_000;
  let seen = [];
  while (Date.now() < deadline) {
    const files = fs.existsSync(mailDir) ? fs.readdirSync(mailDir).filter((f) => f.endsWith('.eml')) : [];
    // Newest first; only mail written since `since` (ms since the epoch).
    seen = files
      .map((f) => ({ f: path.join(mailDir, f), at: fs.statSync(path.join(mailDir, f)).mtimeMs }))
      .filter((x) => x.at >= since)
      .sort((a, b) => b.at - a.at)
      .map((x) => readMail(x.f));
    for (const mail of seen) {
      if (!mail.to.toLowerCase().includes(to.toLowerCase())) continue;
      for (const part of mail.parts.filter((p) => p.type === 'text/plain')) {
        const m = part.text.match(pattern);
        if (m) return { link: m[0], mail };
      }
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const list = seen.map((m) => `  to ${m.to}: ${m.subject}`).join('\n') || '  (none)';
  throw new Error(`no email to ${to} with a link to ${linkPath} within 20 s; mail so far:\n${list}`);
}

module.exports = { waitForLink, readMail, decodeQuotedPrintable };
