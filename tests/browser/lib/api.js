// The few API calls the journeys arrange things with: what the demo network holds, and the
// managers' decisions (the manager pages come later).
'use strict';

const DEMO_PASSWORD = 'softlanding-demo';

class Api {
  constructor(base) {
    this.base = base;
    this.tokens = new Map();
  }

  async call(method, path, { token, body } = {}) {
    const headers = { accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(this.base + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
    return text ? JSON.parse(text) : null;
  }

  /** An access token for a demo account (or any account with its password). */
  async token(email, password = DEMO_PASSWORD) {
    if (!this.tokens.has(email)) {
      const res = await fetch(`${this.base}/api/v1/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'password', username: email, password }),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`login of ${email} answered ${res.status}: ${text}`);
      this.tokens.set(email, JSON.parse(text).access_token);
    }
    return this.tokens.get(email);
  }

  async as(email, method, path, body) {
    return this.call(method, path, { token: await this.token(email), body });
  }

  /** The clusters of the demo network by name, and the published offers by title. */
  async demoNetwork() {
    const clusters = (await this.call('GET', '/api/v1/clusters?limit=100')).items;
    const offers = (await this.call('GET', '/api/v1/offers?limit=100')).items;
    const cluster = (name) => {
      const c = clusters.find((x) => x.name === name);
      if (!c) throw new Error(`the demo network has no cluster ${name}`);
      return c;
    };
    const offer = (title) => {
      const o = offers.find((x) => x.title === title);
      if (!o) throw new Error(`the demo network has no published offer "${title}"`);
      return o;
    };
    return { clusters, offers, cluster, offer };
  }

  /** The home cluster's manager verifies the pending SME called `name`. */
  async verifySme(managerEmail, name) {
    const pending = (await this.as(managerEmail, 'GET', '/api/v1/smes?membership=pending&limit=100')).items;
    const sme = pending.find((s) => s.name === name);
    if (!sme) {
      throw new Error(`${managerEmail} sees no pending SME "${name}" (pending: ${pending.map((s) => s.name).join(', ') || 'none'})`);
    }
    await this.as(managerEmail, 'POST', `/api/v1/smes/${sme.id}/verify`);
    return sme;
  }

  /** The host's manager approves the landing. */
  async approve(managerEmail, landingId) {
    return this.as(managerEmail, 'POST', `/api/v1/landings/${landingId}/approve`, {
      message: 'Welcome! Ask for the host at the front desk.',
    });
  }
}

module.exports = { Api, DEMO_PASSWORD };
