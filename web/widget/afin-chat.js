// <afin-chat>: Afín's chat widget, a web component with no framework and no build step. A page adds
//   <script src="https://afin.example.com/widget.js" defer></script>
//   <afin-chat public-key="afin_public_…" user-token="…"></afin-chat>
// It talks to the real chat API (POST /v1/chat, GET /v1/chat/opener, GET /v1/items/:id) with the
// public key, lives in a shadow root (the page's styles do not leak in or out) and is styled through
// CSS custom properties (--afin-accent, --afin-bg, …). "Add to cart" on a product card dispatches
// `afin:add-to-cart` on the element for the host page to handle.
(() => {
  if (typeof customElements === 'undefined' || customElements.get('afin-chat')) return;

  // The server that served this script: the API's default address.
  const SCRIPT_ORIGIN = (() => {
    try {
      return new URL(document.currentScript.src).origin;
    } catch {
      return location.origin;
    }
  })();

  const TEXT = {
    en: {
      open: 'Chat with the shop assistant',
      title: 'Shop assistant',
      close: 'Close chat',
      log: 'Conversation',
      label: 'Your message',
      placeholder: 'Ask about products, sizes, orders…',
      send: 'Send',
      add: 'Add to cart',
      added: 'Added to cart',
      typing: 'The assistant is typing',
      suggestions: 'Suggested replies',
      products: 'Suggested products',
      privacy: 'Your data',
      know: 'What do you know about me?',
      forget: 'Forget me',
      confirm: 'Erase what the assistant remembers about you? This cannot be undone.',
      yes: 'Yes, forget me',
      no: 'Cancel',
      error: 'Sorry, the assistant cannot be reached right now. Please try again.',
      tone: { informal: 'Friendly tone', technical: 'Technical tone', direct: 'Direct tone' },
      you: 'You',
      bot: 'Assistant',
      language: 'Español',
      languageLabel: 'Cambiar a español',
    },
    es: {
      open: 'Hablar con el asistente de la tienda',
      title: 'Asistente de la tienda',
      close: 'Cerrar el chat',
      log: 'Conversación',
      label: 'Tu mensaje',
      placeholder: 'Pregunta por productos, tallas, pedidos…',
      send: 'Enviar',
      add: 'Añadir al carrito',
      added: 'Añadido al carrito',
      typing: 'El asistente está escribiendo',
      suggestions: 'Respuestas sugeridas',
      products: 'Productos sugeridos',
      privacy: 'Tus datos',
      know: '¿Qué sabes de mí?',
      forget: 'Olvídame',
      confirm: '¿Borrar lo que el asistente recuerda de ti? No se puede deshacer.',
      yes: 'Sí, olvídame',
      no: 'Cancelar',
      error: 'Lo siento, ahora no se puede contactar con el asistente. Inténtalo de nuevo.',
      tone: { informal: 'Tono cercano', technical: 'Tono técnico', direct: 'Tono directo' },
      you: 'Tú',
      bot: 'Asistente',
      language: 'English',
      languageLabel: 'Switch to English',
    },
  };

  const CSS = `
:host { --afin-accent: #3156d3; --afin-on-accent: #fff; --afin-bg: #fff; --afin-text: #1d2330; --afin-muted: #596174;
  --afin-line: #e3e6eb; --afin-bot-bubble: #f1f3f7; --afin-user-bubble: var(--afin-accent); --afin-radius: 14px;
  --afin-font: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; --afin-width: 380px; --afin-z: 2147483000;
  position: fixed; right: 20px; bottom: 20px; z-index: var(--afin-z); font: 15px/1.45 var(--afin-font); color: var(--afin-text); }
* { box-sizing: border-box; }
button { font: inherit; cursor: pointer; }
:focus-visible { outline: 3px solid var(--afin-accent); outline-offset: 2px; }
.launcher { width: 60px; height: 60px; border-radius: 50%; border: 0; background: var(--afin-accent); color: var(--afin-on-accent);
  box-shadow: 0 6px 20px rgba(0,0,0,.25); display: grid; place-items: center; margin-left: auto; position: relative; }
.launcher svg { width: 28px; height: 28px; }
.dot { position: absolute; top: 4px; right: 4px; width: 14px; height: 14px; border-radius: 50%; background: #d92d20; border: 2px solid var(--afin-bg); }
.teaser { background: var(--afin-bg); border: 1px solid var(--afin-line); border-radius: var(--afin-radius); padding: 10px 12px; margin: 0 0 10px auto;
  max-width: 260px; box-shadow: 0 4px 16px rgba(0,0,0,.15); text-align: left; color: var(--afin-text); display: block; }
.panel { width: min(var(--afin-width), calc(100vw - 24px)); height: min(600px, calc(100vh - 110px)); background: var(--afin-bg);
  border: 1px solid var(--afin-line); border-radius: var(--afin-radius); box-shadow: 0 12px 40px rgba(0,0,0,.25);
  display: flex; flex-direction: column; overflow: hidden; margin-bottom: 12px; }
[hidden] { display: none !important; }
header { display: flex; align-items: center; gap: 8px; padding: 12px 14px; background: var(--afin-accent); color: var(--afin-on-accent); }
header h2 { font-size: 16px; margin: 0; flex: 1; }
header .tone { font-size: 12px; opacity: .9; display: block; font-weight: 400; }
header button { background: transparent; border: 1px solid rgba(255,255,255,.5); color: inherit; border-radius: 8px; padding: 4px 8px; font-size: 13px; }
header button.icon { border: 0; font-size: 20px; line-height: 1; padding: 2px 8px; }
.menu { border-bottom: 1px solid var(--afin-line); padding: 10px 14px; display: flex; flex-wrap: wrap; gap: 8px; background: var(--afin-bot-bubble); }
.menu p { margin: 0; width: 100%; font-size: 14px; }
.log { position: relative; flex: 1; overflow-y: auto; padding: 14px; display: flex; flex-direction: column; gap: 10px; }
.log > * { flex-shrink: 0; }
.msg { max-width: 88%; padding: 9px 12px; border-radius: var(--afin-radius); white-space: pre-wrap; overflow-wrap: anywhere; }
.msg.bot { background: var(--afin-bot-bubble); align-self: flex-start; border-bottom-left-radius: 4px; }
.msg.user { background: var(--afin-user-bubble); color: var(--afin-on-accent); align-self: flex-end; border-bottom-right-radius: 4px; }
.msg.error { background: #fdecea; color: #8a1c12; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.cards { list-style: none; margin: 0; padding: 2px 0 4px; display: flex; gap: 10px; overflow-x: auto; align-self: stretch; }
.card { flex: 0 0 180px; border: 1px solid var(--afin-line); border-radius: 12px; overflow: hidden; background: var(--afin-bg); display: flex; flex-direction: column; }
.card img, .card .ph { width: 100%; height: 110px; object-fit: cover; display: block; }
.card .ph { display: grid; place-items: center; font-size: 34px; font-weight: 700; color: #fff; }
.card .body { padding: 8px 10px 10px; display: flex; flex-direction: column; gap: 4px; flex: 1; }
.card h3 { font-size: 14px; margin: 0; }
.card .price { font-weight: 700; }
.card .reason { font-size: 12.5px; color: var(--afin-muted); margin: 0; flex: 1; }
.card button { border: 0; border-radius: 8px; padding: 7px 8px; background: var(--afin-accent); color: var(--afin-on-accent); font-size: 13.5px; }
.card button[aria-pressed="true"] { background: #16794c; }
.typing { align-self: flex-start; padding: 10px 14px; background: var(--afin-bot-bubble); border-radius: var(--afin-radius); display: flex; gap: 4px; }
.typing i { width: 7px; height: 7px; border-radius: 50%; background: var(--afin-muted); animation: afin-b 1s infinite ease-in-out; }
.typing i:nth-child(2) { animation-delay: .15s; } .typing i:nth-child(3) { animation-delay: .3s; }
@keyframes afin-b { 0%, 80%, 100% { opacity: .3; transform: translateY(0); } 40% { opacity: 1; transform: translateY(-3px); } }
@media (prefers-reduced-motion: reduce) { .typing i { animation: none; } }
.quick { display: flex; flex-wrap: wrap; gap: 6px; padding: 0 14px 8px; }
.quick button, .menu button { border: 1px solid var(--afin-accent); color: var(--afin-accent); background: var(--afin-bg); border-radius: 999px; padding: 5px 11px; font-size: 13.5px; }
form { display: flex; gap: 8px; padding: 10px 12px; border-top: 1px solid var(--afin-line); }
input { flex: 1; min-width: 0; border: 1px solid var(--afin-line); border-radius: 10px; padding: 9px 11px; font: inherit; color: var(--afin-text); background: var(--afin-bg); }
form button { border: 0; border-radius: 10px; padding: 0 14px; background: var(--afin-accent); color: var(--afin-on-accent); }
`;

  const ICON =
    '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true"><path d="M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12z"/></svg>';

  const el = (tag, attrs, text) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) if (v !== undefined && v !== null && v !== false) e.setAttribute(k, v === true ? '' : v);
    if (text !== undefined) e.textContent = text;
    return e;
  };

  /** The user id a signed user token names (`ut1.<base64url id>.<exp>.<sig>`); the server checks the signature. */
  function tokenUser(token) {
    const part = String(token || '').split('.')[1];
    if (!part) return null;
    try {
      const b = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
      return new TextDecoder().decode(Uint8Array.from(b, (c) => c.charCodeAt(0)));
    } catch {
      return null;
    }
  }

  let pageVisitor = null;
  /**
   * The visitor id the client (/sdk.js) keeps, so the widget and the page's events name one person.
   * With `consent-required`, a new id is stored only once the visitor accepted profiling (the client's
   * stored choice); until then it lasts as long as the page.
   */
  function visitorId(optIn) {
    try {
      const stored = JSON.parse(localStorage.getItem('afin.anonymousId') || 'null');
      if (stored) return stored;
      pageVisitor ??= `anon-${crypto.randomUUID ? crypto.randomUUID() : Math.random().toString(36).slice(2)}`;
      const consent = JSON.parse(localStorage.getItem('afin.consent') || '{}');
      if (!optIn || consent.profiling === true) localStorage.setItem('afin.anonymousId', JSON.stringify(pageVisitor));
      return pageVisitor;
    } catch {
      pageVisitor ??= `anon-${Math.random().toString(36).slice(2)}`;
      return pageVisitor;
    }
  }

  const safeImage = (u) => (typeof u === 'string' && /^(https?:|data:image\/)/i.test(u) ? u : null);

  class AfinChat extends HTMLElement {
    static get observedAttributes() {
      return ['lang', 'user-token'];
    }

    constructor() {
      super();
      this.root = this.attachShadow({ mode: 'open' });
      this.sessionId = null;
      this.items = new Map();
      this.started = false;
      this.busy = false;
    }

    get api() {
      return (this.getAttribute('api') || SCRIPT_ORIGIN).replace(/\/+$/, '');
    }
    get lang() {
      const l = (this.getAttribute('lang') || document.documentElement.lang || navigator.language || 'en').slice(0, 2).toLowerCase();
      return l === 'es' ? 'es' : 'en';
    }
    set lang(v) {
      this.setAttribute('lang', v);
    }
    get t() {
      return TEXT[this.lang];
    }
    get userId() {
      return this.getAttribute('user-id') || tokenUser(this.getAttribute('user-token')) || visitorId(this.hasAttribute('consent-required'));
    }
    /** Whether the person is signed in: only then can the assistant show or erase what it holds. */
    get proven() {
      return Boolean(this.getAttribute('user-token'));
    }

    connectedCallback() {
      if (this.panel) return;
      // A constructed style sheet is not inline CSS, so a host page's strict CSP (no 'unsafe-inline') allows it.
      let sheet = null;
      try {
        sheet = new CSSStyleSheet();
        sheet.replaceSync(CSS);
        this.root.adoptedStyleSheets = [sheet];
      } catch {
        sheet = null;
      }
      this.root.innerHTML = `${sheet ? '' : `<style>${CSS}</style>`}
<div class="panel" role="dialog" aria-labelledby="title" hidden>
  <header><h2 id="title"><span class="name"></span><span class="tone"></span></h2>
    <button type="button" class="lang-btn"></button><button type="button" class="privacy-btn" aria-expanded="false" aria-controls="menu"></button>
    <button type="button" class="icon close">×</button></header>
  <div class="menu" id="menu" hidden></div>
  <div class="log" role="log" aria-live="polite" aria-relevant="additions" tabindex="0"></div>
  <div class="typing" role="status" hidden><i></i><i></i><i></i><span class="sr"></span></div>
  <div class="quick" role="group"></div>
  <form><label class="sr" for="input"></label><input id="input" autocomplete="off" maxlength="4000"><button type="submit"></button></form>
</div>
<button type="button" class="teaser" hidden></button>
<button type="button" class="launcher" aria-expanded="false" aria-controls="panel">${ICON}<span class="dot" hidden></span></button>`;
      const $ = (s) => this.root.querySelector(s);
      this.panel = $('.panel');
      this.panel.id = 'panel';
      this.log = $('.log');
      this.typing = $('.typing');
      this.quick = $('.quick');
      this.input = $('input');
      this.launcher = $('.launcher');
      this.teaser = $('.teaser');
      this.menu = $('.menu');
      this.launcher.addEventListener('click', () => (this.panel.hidden ? this.open() : this.close()));
      this.teaser.addEventListener('click', () => this.open());
      $('.close').addEventListener('click', () => this.close());
      $('.lang-btn').addEventListener('click', () => {
        this.lang = this.lang === 'es' ? 'en' : 'es';
      });
      $('.privacy-btn').addEventListener('click', () => this.toggleMenu());
      $('form').addEventListener('submit', (e) => {
        e.preventDefault();
        const text = this.input.value.trim();
        if (text) {
          this.input.value = '';
          this.send(text);
        }
      });
      this.panel.addEventListener('keydown', (e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          this.close();
        }
      });
      this.render();
      if (this.hasAttribute('open')) this.open();
      else if (this.hasAttribute('proactive')) this.start(true);
    }

    attributeChangedCallback() {
      if (this.panel) this.render();
    }

    /** Fills in every label in the current language. */
    render() {
      const t = this.t;
      const $ = (s) => this.root.querySelector(s);
      $('.name').textContent = t.title;
      this.launcher.setAttribute('aria-label', t.open);
      $('.close').setAttribute('aria-label', t.close);
      const lb = $('.lang-btn');
      lb.textContent = t.language;
      lb.setAttribute('aria-label', t.languageLabel);
      lb.setAttribute('lang', this.lang === 'es' ? 'en' : 'es');
      const pb = $('.privacy-btn');
      pb.textContent = t.privacy;
      pb.hidden = !this.proven;
      this.log.setAttribute('aria-label', t.log);
      this.quick.setAttribute('aria-label', t.suggestions);
      this.typing.querySelector('.sr').textContent = t.typing;
      $('label').textContent = t.label;
      this.input.placeholder = t.placeholder;
      $('form button').textContent = t.send;
      this.panel.setAttribute('lang', this.lang);
      if (this.tone) $('.tone').textContent = t.tone[this.tone] || '';
      if (!this.menu.hidden) this.fillMenu();
    }

    open() {
      this.panel.hidden = false;
      this.teaser.hidden = true;
      this.root.querySelector('.dot').hidden = true;
      this.launcher.setAttribute('aria-expanded', 'true');
      this.input.focus();
      this.dispatchEvent(new CustomEvent('afin:open', { bubbles: true, composed: true }));
      if (!this.started) this.start(false);
    }

    close() {
      this.panel.hidden = true;
      this.launcher.setAttribute('aria-expanded', 'false');
      this.launcher.focus();
    }

    toggleMenu() {
      const show = this.menu.hidden;
      this.menu.hidden = !show;
      this.root.querySelector('.privacy-btn').setAttribute('aria-expanded', String(show));
      if (show) {
        this.fillMenu();
        this.menu.querySelector('button').focus();
      }
    }

    fillMenu(confirming) {
      const t = this.t;
      this.menu.replaceChildren();
      if (confirming) {
        const p = el('p', { id: 'confirm' }, t.confirm);
        const yes = el('button', { type: 'button', 'aria-describedby': 'confirm' }, t.yes);
        const no = el('button', { type: 'button' }, t.no);
        yes.addEventListener('click', () => {
          this.toggleMenu();
          this.send(t.forget);
        });
        no.addEventListener('click', () => this.fillMenu(false));
        this.menu.append(p, yes, no);
        yes.focus();
        return;
      }
      const know = el('button', { type: 'button' }, t.know);
      const forget = el('button', { type: 'button' }, t.forget);
      know.addEventListener('click', () => {
        this.toggleMenu();
        this.send(t.know);
      });
      forget.addEventListener('click', () => this.fillMenu(true));
      this.menu.append(know, forget);
    }

    headers(json) {
      const h = { authorization: `Bearer ${this.getAttribute('public-key') || ''}` };
      const token = this.getAttribute('user-token');
      if (token) h['afin-user-token'] = token;
      if (json) h['content-type'] = 'application/json';
      return h;
    }

    async call(method, path, body) {
      const res = await fetch(this.api + path, { method, headers: this.headers(body !== undefined), body: body === undefined ? undefined : JSON.stringify(body) });
      const data = await res.json().catch(() => null);
      if (!res.ok) throw new Error((data && data.error && data.error.message) || `HTTP ${res.status}`);
      return data;
    }

    /** The proactive opener: a first message from a recent signal (a cart left behind, a price drop), or a greeting. */
    async start(teaseOnly) {
      if (this.started) return;
      this.started = true;
      this.setTyping(true);
      try {
        const o = await this.call('GET', `/v1/chat/opener?userId=${encodeURIComponent(this.userId)}`);
        this.sessionId = o.sessionId;
        this.show(o);
        if (teaseOnly && this.panel.hidden && o.signal) {
          this.teaser.textContent = o.reply;
          this.teaser.hidden = false;
          this.root.querySelector('.dot').hidden = false;
        }
      } catch {
        this.started = false;
      } finally {
        this.setTyping(false);
      }
    }

    setTyping(on) {
      this.typing.hidden = !on;
      this.log.setAttribute('aria-busy', String(on));
    }

    /** Sends one message and shows the answer. */
    async send(text) {
      if (this.busy) return;
      this.busy = true;
      this.bubble('user', text);
      this.quick.replaceChildren();
      this.setTyping(true);
      this.dispatchEvent(new CustomEvent('afin:message', { detail: { role: 'user', text }, bubbles: true, composed: true }));
      try {
        const r = await this.call('POST', '/v1/chat', { userId: this.userId, message: text, channel: 'web', ...(this.sessionId ? { sessionId: this.sessionId } : {}) });
        this.sessionId = r.sessionId;
        this.show(r);
      } catch {
        const m = this.bubble('bot', this.t.error);
        m.classList.add('error');
        m.setAttribute('role', 'alert');
      } finally {
        this.setTyping(false);
        this.busy = false;
      }
    }

    /** Shows an answer of the assistant: its text, product cards, quick replies, language and tone. */
    show(r) {
      if (r.language === 'en' || r.language === 'es') this.lang = r.language;
      if (r.tone) {
        this.tone = r.tone;
        this.setAttribute('data-tone', r.tone);
      }
      this.render();
      for (const a of r.agentMessages || []) this.bubble('bot', a.text);
      const m = this.bubble('bot', r.reply);
      if (r.items && r.items.length) m.after(this.cards(r.items));
      // The answer's start in view (its cards below it), not the bottom of a long answer.
      this.log.scrollTop = Math.max(0, m.offsetTop - 8);
      this.quick.replaceChildren(
        ...(r.suggestions || []).slice(0, 4).map((s) => {
          const b = el('button', { type: 'button' }, s);
          b.addEventListener('click', () => this.send(s));
          return b;
        }),
      );
      this.dispatchEvent(new CustomEvent('afin:reply', { detail: r, bubbles: true, composed: true }));
    }

    bubble(who, text) {
      const m = el('div', { class: `msg ${who}` });
      m.append(el('span', { class: 'sr' }, `${who === 'user' ? this.t.you : this.t.bot}: `), document.createTextNode(text));
      this.log.append(m);
      this.log.scrollTop = this.log.scrollHeight;
      return m;
    }

    cards(items) {
      const t = this.t;
      const ul = el('ul', { class: 'cards', 'aria-label': t.products });
      for (const it of items) {
        const li = el('li', { class: 'card' });
        const hue = [...it.id].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 360, 7);
        const ph = el('div', { class: 'ph', 'aria-hidden': 'true' }, (it.title || '?').trim().charAt(0).toUpperCase());
        ph.style.background = `hsl(${hue} 45% 42%)`;
        const body = el('div', { class: 'body' });
        const title = el('h3', {}, it.title);
        body.append(title);
        if (typeof it.price === 'number') {
          let price = String(it.price);
          try {
            price = new Intl.NumberFormat(this.lang === 'es' ? 'es-ES' : 'en-GB', { style: 'currency', currency: it.currency || 'EUR' }).format(it.price);
          } catch {
            // An unknown currency code: the bare number.
          }
          body.append(el('span', { class: 'price' }, price));
        }
        if (it.reasons && it.reasons[0]) body.append(el('p', { class: 'reason' }, it.reasons[0]));
        const add = el('button', { type: 'button', 'aria-pressed': 'false', 'aria-label': `${t.add}: ${it.title}` }, t.add);
        add.addEventListener('click', () => {
          add.setAttribute('aria-pressed', 'true');
          add.textContent = t.added;
          this.dispatchEvent(
            new CustomEvent('afin:add-to-cart', {
              detail: { itemId: it.id, title: it.title, price: it.price, currency: it.currency, sessionId: this.sessionId },
              bubbles: true,
              composed: true,
            }),
          );
        });
        body.append(add);
        li.append(ph, body);
        ul.append(li);
        this.image(it.id).then((src) => {
          if (!src) return;
          const img = el('img', { src, alt: it.title, loading: 'lazy' });
          img.addEventListener('load', () => ph.replaceWith(img));
        });
      }
      return ul;
    }

    /** The item's image, read once per item (chat answers carry ids, titles and prices, not images). */
    image(id) {
      if (!this.items.has(id))
        this.items.set(
          id,
          this.call('GET', `/v1/items/${encodeURIComponent(id)}`).then(
            (item) => safeImage(item && item.imageUrl),
            () => null,
          ),
        );
      return this.items.get(id);
    }
  }

  customElements.define('afin-chat', AfinChat);
})();
