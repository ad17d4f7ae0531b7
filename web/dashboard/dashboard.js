// Afín's dashboard: one plain ES module, no build step, served by `afin serve` at /dashboard. It uses
// only the public HTTP API with the admin key the person signs in with (kept in sessionStorage, so
// it goes when the tab closes). Every text from the API goes into the page as text, never as HTML.
/* global uPlot */
import { httpSender, importRows, parseCatalogue } from './catalogue-import.js';

const KEY_STORE = 'afin.dashboard.key';
const LANG_STORE = 'afin.dashboard.lang';

const TEXT = {
  en: {
    overview: 'Overview', people: 'People', experiments: 'Experiments', catalogue: 'Catalogue', models: 'Models', assistant: 'Assistant', keys: 'Keys and settings',
    signIn: 'Sign in', signOut: 'Sign out', adminKey: 'Admin key', signInHelp: 'The key stays in this tab only (session storage).',
    period: 'Period', events: 'Events', eventsPerMinute: 'Events per minute', activePeople: 'Active people', clickThrough: 'Click-through', conversion: 'Conversion',
    revenue: 'Revenue', orders: 'Orders', aov: 'Average order', personalizedShare: 'Personalised share', answers: 'Recommendation answers',
    activity: 'Activity', money: 'Revenue and orders', rates: 'Rates', loading: 'Loading…', none: 'Nothing yet.',
    searchPerson: 'User id', show: 'Show', profile: 'Profile', affinities: 'Affinities', stage: 'Funnel stage', segments: 'Segments', predictions: 'Predictions',
    churn: 'Churn risk', recent: 'Recent events', recommendations: 'Recommendations with reasons', why: 'Why', consent: 'Consent', history: 'History',
    nudges: 'Nudges', exportData: 'Export', erase: 'Erase', eraseConfirm: 'Erase everything held about {id}? This cannot be undone.', erased: '{id} was erased.',
    item: 'Item', price: 'Price', views: 'Views', clicks: 'Clicks', carts: 'Carts', purchases: 'Purchases', search: 'Search',
    variant: 'Variant', people_n: 'People', uplift: 'Uplift vs control (95 % interval)', srm: 'Sample ratio mismatch', status: 'Status', results: 'Results',
    model: 'Model', trainedAt: 'Trained', seconds: 'Seconds', users: 'Users', items: 'Items', trainNow: 'Train now', training: 'Training…', trained: 'Trained in {s} s.',
    chatAs: 'Chat as', message: 'Message', send: 'Send', intent: 'Intent', slots: 'Slots', candidates: 'Candidates', review: 'Review queue',
    approve: 'Approve', reject: 'Reject', reply: 'Reply', createKey: 'Create key', scope: 'Scope', name: 'Name', revoke: 'Revoke', secretOnce: 'Copy it now, it is shown once:',
    privacy: 'Consent defaults and retention', ranking: 'Ranking settings', tooEarly: 'Too early: no outcome to compare yet.', transcripts: 'Chat transcripts', origins: 'Allowed origins (comma-separated)', rateLimit: 'Requests per second', error: 'Error', notFound: 'No such person.',
    importTitle: 'Import a catalogue', importFile: 'Catalogue file (JSON array, JSON lines or CSV)', importStart: 'Import', cancel: 'Cancel',
    importHelp: 'Fields as in PUT /v1/items: id, title, description, categories, tags, price, currency, imageUrl, language, available, attributes. In CSV, one column per field, lists separated by |, attributes.<name> columns.',
    importProgress: '{sent} of {total} items sent · {stored} stored · {errors} errors', importDone: 'Import finished: {stored} of {total} stored.', importCancelled: 'Import cancelled after {sent} of {total} items (re-importing the file is safe).',
    importFailed: 'Import stopped after {sent} of {total} items: {error}', importEmpty: 'No items in this file.', row: 'Row', line: 'Line', field: 'Field',
    consentDefault: 'Default for people who said nothing', regimes: 'opt-in: off until the person says yes · opt-out: on until they say no',
    eventDays: 'Keep raw events (days)', auditDays: 'Keep the audit log (days)', deploymentSays: 'deployment: {v}', keptForever: 'kept until erased', followDeployment: 'empty: as the deployment',
    save: 'Save', saved: 'Saved.', rankingHelp: 'The ranking settings as JSON: eventWeights, historyHalfLifeDays, maxCategoryShare, rules (boost, bury, pin, filter, exclude). See the README, Ranking.',
    invalidJson: 'Not valid JSON: {error}', interactions: 'Interactions', evaluation: 'Evaluation',
    evalNone: 'Training records no holdout figure: the table above is what it records (people, items and interactions learnt from, and the time it took). Offline accuracy on public datasets (HR@10, nDCG@10) comes from the afin eval command (README, Evaluation).',
    served: 'Served recommendations, last 30 days (live traffic)', holdout: 'Against the global holdout', holdoutOff: 'No global holdout is running, so there is no served comparison with people who get no recommendations (set one with PUT /v1/settings/experiments).',
  },
  es: {
    overview: 'Resumen', people: 'Personas', experiments: 'Experimentos', catalogue: 'Catálogo', models: 'Modelos', assistant: 'Asistente', keys: 'Claves y ajustes',
    signIn: 'Entrar', signOut: 'Salir', adminKey: 'Clave de administración', signInHelp: 'La clave solo se guarda en esta pestaña (session storage).',
    period: 'Periodo', events: 'Eventos', eventsPerMinute: 'Eventos por minuto', activePeople: 'Personas activas', clickThrough: 'Tasa de clics', conversion: 'Conversión',
    revenue: 'Ingresos', orders: 'Pedidos', aov: 'Pedido medio', personalizedShare: 'Parte personalizada', answers: 'Respuestas de recomendación',
    activity: 'Actividad', money: 'Ingresos y pedidos', rates: 'Tasas', loading: 'Cargando…', none: 'Nada todavía.',
    searchPerson: 'Id de usuario', show: 'Ver', profile: 'Perfil', affinities: 'Afinidades', stage: 'Etapa del embudo', segments: 'Segmentos', predictions: 'Predicciones',
    churn: 'Riesgo de abandono', recent: 'Eventos recientes', recommendations: 'Recomendaciones con motivos', why: 'Por qué', consent: 'Consentimiento', history: 'Historial',
    nudges: 'Avisos', exportData: 'Exportar', erase: 'Borrar', eraseConfirm: '¿Borrar todo lo que se guarda de {id}? No se puede deshacer.', erased: '{id} se ha borrado.',
    item: 'Artículo', price: 'Precio', views: 'Vistas', clicks: 'Clics', carts: 'Carritos', purchases: 'Compras', search: 'Buscar',
    variant: 'Variante', people_n: 'Personas', uplift: 'Mejora frente al control (intervalo del 95 %)', srm: 'Desajuste de reparto', status: 'Estado', results: 'Resultados',
    model: 'Modelo', trainedAt: 'Entrenado', seconds: 'Segundos', users: 'Usuarios', items: 'Artículos', trainNow: 'Entrenar ahora', training: 'Entrenando…', trained: 'Entrenado en {s} s.',
    chatAs: 'Chatear como', message: 'Mensaje', send: 'Enviar', intent: 'Intención', slots: 'Datos', candidates: 'Candidatos', review: 'Cola de revisión',
    approve: 'Aprobar', reject: 'Rechazar', reply: 'Responder', createKey: 'Crear clave', scope: 'Ámbito', name: 'Nombre', revoke: 'Revocar', secretOnce: 'Cópiala ahora, solo se muestra una vez:',
    privacy: 'Consentimiento por defecto y retención', ranking: 'Ajustes de ordenación', tooEarly: 'Aún es pronto: no hay resultados que comparar.', transcripts: 'Conversaciones', origins: 'Orígenes permitidos (separados por comas)', rateLimit: 'Peticiones por segundo', error: 'Error', notFound: 'No existe esa persona.',
    importTitle: 'Importar un catálogo', importFile: 'Archivo del catálogo (array JSON, líneas JSON o CSV)', importStart: 'Importar', cancel: 'Cancelar',
    importHelp: 'Campos como en PUT /v1/items: id, title, description, categories, tags, price, currency, imageUrl, language, available, attributes. En CSV, una columna por campo, listas separadas por |, columnas attributes.<nombre>.',
    importProgress: '{sent} de {total} artículos enviados · {stored} guardados · {errors} errores', importDone: 'Importación terminada: {stored} de {total} guardados.', importCancelled: 'Importación cancelada tras {sent} de {total} artículos (volver a importar el archivo es seguro).',
    importFailed: 'Importación detenida tras {sent} de {total} artículos: {error}', importEmpty: 'No hay artículos en este archivo.', row: 'Fila', line: 'Línea', field: 'Campo',
    consentDefault: 'Por defecto para quien no ha dicho nada', regimes: 'opt-in: desactivado hasta que la persona diga sí · opt-out: activado hasta que diga no',
    eventDays: 'Guardar eventos (días)', auditDays: 'Guardar el registro de auditoría (días)', deploymentSays: 'despliegue: {v}', keptForever: 'hasta que se borren', followDeployment: 'vacío: como el despliegue',
    save: 'Guardar', saved: 'Guardado.', rankingHelp: 'Los ajustes de ordenación en JSON: eventWeights, historyHalfLifeDays, maxCategoryShare, rules (boost, bury, pin, filter, exclude). Véase el README, Ranking.',
    invalidJson: 'JSON no válido: {error}', interactions: 'Interacciones', evaluation: 'Evaluación',
    evalNone: 'El entrenamiento no registra ninguna cifra de validación: la tabla de arriba es lo que registra (personas, artículos e interacciones de las que aprendió, y el tiempo que tardó). La precisión offline en conjuntos públicos (HR@10, nDCG@10) sale de la orden afin eval (README, Evaluation).',
    served: 'Recomendaciones servidas, últimos 30 días (tráfico real)', holdout: 'Frente al grupo de control global', holdoutOff: 'No hay grupo de control global, así que no hay comparación servida con quienes no reciben recomendaciones (se activa con PUT /v1/settings/experiments).',
  },
};
const PAGES = ['overview', 'people', 'experiments', 'catalogue', 'models', 'assistant', 'keys'];

let lang = sessionStorage.getItem(LANG_STORE) || (navigator.language || 'en').slice(0, 2);
if (!TEXT[lang]) lang = 'en';
const t = (k, vars = {}) => (TEXT[lang][k] ?? TEXT.en[k] ?? k).replace(/\{(\w+)\}/g, (_, v) => String(vars[v] ?? ''));
const key = () => sessionStorage.getItem(KEY_STORE) || '';
const main = document.getElementById('main');
const charts = [];

/** Builds an element; strings become text nodes, so API data can never inject markup. */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'style') el.setAttribute('style', v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Number.POSITIVE_INFINITY)) if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}
const fmt = {
  n: (x) => (x === null || x === undefined ? '—' : new Intl.NumberFormat(lang).format(Math.round(x * 100) / 100)),
  pct: (x) => (x === null || x === undefined ? '—' : new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 1 }).format(x)),
  money: (x, cur = 'EUR') => (x === null || x === undefined ? '—' : new Intl.NumberFormat(lang, { style: 'currency', currency: cur || 'EUR' }).format(x)),
  time: (x) => (x ? new Date(x).toLocaleString(lang) : '—'),
};
function toast(text) {
  const el = document.getElementById('toast');
  el.textContent = text;
  setTimeout(() => {
    if (el.textContent === text) el.textContent = '';
  }, 4000);
}

async function api(method, path, body) {
  const res = await fetch(path, {
    method,
    headers: { authorization: `Bearer ${key()}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 204) return null;
  const data = await res.json().catch(() => ({}));
  if (!res.ok) {
    const err = new Error(data?.error?.message || `${res.status}`);
    err.status = res.status;
    err.field = data?.error?.field;
    throw err;
  }
  return data;
}
const errorBox = (e) => h('p', { class: 'error', role: 'alert' }, `${t('error')}: ${e.message}`);

function lineChart(target, title, x, series) {
  const width = Math.max(280, target.clientWidth - 8);
  const opts = {
    title,
    width,
    height: 240,
    series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2, scale: s.scale || 'y', spanGaps: false }))],
    axes: [{}, { scale: 'y' }, ...(series.some((s) => s.scale === 'y2') ? [{ scale: 'y2', side: 1, grid: { show: false } }] : [])],
    scales: { x: { time: true } },
  };
  const chart = new uPlot(opts, [x.map((v) => v / 1000), ...series.map((s) => s.data)], target);
  target.setAttribute('role', 'img');
  target.setAttribute('aria-label', `${title}: ${series.map((s) => s.label).join(', ')}`);
  charts.push(chart);
  return chart;
}
const css = (name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

// ——— pages ———

async function overview(view) {
  const period = new URLSearchParams(location.hash.split('?')[1] || '').get('period') || '7d';
  const picker = h(
    'select',
    { id: 'period', onchange: (e) => (location.hash = `#/overview?period=${e.target.value}`) },
    ['1h', '24h', '7d', '30d'].map((p) => h('option', { value: p, selected: p === period }, p)),
  );
  view.append(h('div', { class: 'row' }, h('label', { for: 'period' }, t('period')), picker));
  const o = await api('GET', `/v1/insights/overview?period=${period}`);
  const tot = o.totals;
  const tile = (label, value) => h('div', { class: 'tile' }, h('div', { class: 'label' }, label), h('div', { class: 'value' }, value));
  view.append(
    h(
      'section',
      { class: 'tiles', 'aria-label': t('overview') },
      tile(t('events'), fmt.n(tot.events)),
      tile(t('activePeople'), fmt.n(tot.activePeople)),
      tile(t('clickThrough'), fmt.pct(tot.clickThrough)),
      tile(t('conversion'), fmt.pct(tot.conversion)),
      tile(t('revenue'), fmt.money(tot.revenue)),
      tile(t('aov'), fmt.money(tot.averageOrderValue)),
      tile(t('personalizedShare'), fmt.pct(tot.personalizedShare)),
    ),
  );
  const boxes = [0, 1, 2].map(() => h('div', { class: 'panel chart' }));
  view.append(h('div', { class: 'charts' }, boxes));
  const s = o.series;
  lineChart(boxes[0], t('activity'), s.t, [
    { label: t('eventsPerMinute'), data: s.eventsPerMinute, color: css('--c1') },
    { label: t('activePeople'), data: s.activePeople, color: css('--c2'), scale: 'y2' },
  ]);
  lineChart(boxes[1], t('money'), s.t, [
    { label: t('revenue'), data: s.revenue, color: css('--c3') },
    { label: t('orders'), data: s.orders, color: css('--c4'), scale: 'y2' },
  ]);
  lineChart(boxes[2], t('rates'), s.t, [
    { label: t('clickThrough'), data: s.clickThrough, color: css('--c1') },
    { label: t('conversion'), data: s.conversion, color: css('--c2') },
    { label: t('personalizedShare'), data: s.personalizedShare, color: css('--c3') },
  ]);
}

async function people(view) {
  const id = decodeURIComponent(new URLSearchParams(location.hash.split('?')[1] || '').get('id') || '');
  const input = h('input', { type: 'search', id: 'person', value: id, list: 'shoppers', autocomplete: 'off' });
  const list = h('datalist', { id: 'shoppers' });
  api('GET', '/v1/demo/shoppers')
    .then((r) => list.append(...r.shoppers.slice(0, 200).map((s) => h('option', { value: s.id }, s.name ?? ''))))
    .catch(() => undefined);
  view.append(
    h(
      'form',
      { class: 'row panel', role: 'search', onsubmit: (e) => (e.preventDefault(), (location.hash = `#/people?id=${encodeURIComponent(input.value.trim())}`)) },
      h('label', { for: 'person' }, t('searchPerson')),
      input,
      list,
      h('button', { type: 'submit', class: 'primary' }, t('show')),
    ),
  );
  if (!id) return;
  const u = encodeURIComponent(id);
  let profile;
  try {
    profile = await api('GET', `/v1/users/${u}/profile`);
  } catch (e) {
    view.append(e.status === 404 ? h('p', { class: 'muted' }, t('notFound')) : errorBox(e));
    return;
  }
  const [recs, consent, exported, nudges] = await Promise.all([
    api('GET', `/v1/recommendations?userId=${u}&n=8`).catch((e) => e),
    api('GET', `/v1/users/${u}/consent`).catch((e) => e),
    api('GET', `/v1/users/${u}/export`).catch((e) => e),
    api('GET', `/v1/users/${u}/nudges?limit=10`).catch((e) => e),
  ]);

  const cats = profile.affinities?.categories ?? [];
  const top = Math.max(1e-9, ...cats.map((c) => c.score));
  const pred = profile.predictions;
  view.append(
    h(
      'div',
      { class: 'grid2' },
      h(
        'section',
        { class: 'panel', 'aria-labelledby': 'h-profile' },
        h('h2', { id: 'h-profile' }, `${t('profile')}: ${profile.traits?.name ?? id}`),
        h('p', {}, `${t('stage')}: `, h('span', { class: 'chip good' }, profile.funnelStage ?? '—')),
        h('p', {}, `${t('segments')}: `, (profile.segments ?? []).map((s) => h('span', { class: 'chip' }, s))),
        h('h2', {}, t('affinities')),
        h(
          'div',
          { class: 'bars', role: 'list' },
          cats.map((c) => [
            h('span', { role: 'listitem' }, c.name),
            h('div', { class: 'bar', role: 'presentation' }, h('span', { style: `width:${Math.round((c.score / top) * 100)}%` })),
          ]),
        ),
        pred?.churn
          ? [
              h('h2', {}, t('predictions')),
              h('p', {}, `${t('churn')}: ${fmt.pct(pred.churn.probability)}`),
              h('ul', { class: 'reasons' }, (pred.churn.factors ?? []).map((f) => h('li', {}, `${f.text} (${f.effect})`))),
            ]
          : null,
      ),
      h(
        'section',
        { class: 'panel', 'aria-labelledby': 'h-consent' },
        h('h2', { id: 'h-consent' }, t('consent')),
        consent instanceof Error
          ? errorBox(consent)
          : h(
              'p',
              {},
              ['personalization', 'profiling', 'marketing', 'chatMemory'].map((p) =>
                h('span', { class: `chip ${consent[p] ? 'good' : 'bad'}` }, `${p}: ${consent[p] ? '✓' : '✗'}`),
              ),
            ),
        exported instanceof Error
          ? null
          : h(
              'ul',
              { 'aria-label': t('history') },
              (exported.consent?.history ?? []).slice(-5).map((c) =>
                h(
                  'li',
                  { class: 'muted' },
                  `${fmt.time(c.at)} · ${c.source}: `,
                  Object.entries(c.purposes ?? {}).map(([p, on]) => `${p} ${on ? '✓' : '✗'} `),
                ),
              ),
            ),
        h(
          'div',
          { class: 'row' },
          h('button', { type: 'button', onclick: () => download(`${id}.json`, exported) }, t('exportData')),
          h(
            'button',
            {
              type: 'button',
              class: 'danger',
              id: 'erase',
              onclick: async () => {
                if (!confirm(t('eraseConfirm', { id }))) return;
                await api('DELETE', `/v1/users/${u}`);
                toast(t('erased', { id }));
                location.hash = '#/people';
              },
            },
            t('erase'),
          ),
        ),
      ),
    ),
  );

  const recBox = h('section', { class: 'panel', 'aria-labelledby': 'h-recs' }, h('h2', { id: 'h-recs' }, t('recommendations')));
  if (recs instanceof Error) recBox.append(errorBox(recs));
  else {
    const why = h('pre', { class: 'json', tabindex: 0, hidden: true, 'aria-live': 'polite' });
    recBox.append(
      h(
        'table',
        {},
        h('thead', {}, h('tr', {}, h('th', {}, t('item')), h('th', { class: 'num' }, t('price')), h('th', {}, t('why')))),
        h(
          'tbody',
          {},
          recs.items.map((it) =>
            h(
              'tr',
              { class: 'rec' },
              h('td', {}, h('strong', {}, it.title ?? it.id), h('ul', { class: 'reasons' }, (it.reasons ?? []).map((r) => h('li', {}, r)))),
              h('td', { class: 'num' }, fmt.money(it.price, it.currency)),
              h('td', {}, h('span', { class: 'chip' }, fmt.n(it.score))),
            ),
          ),
        ),
      ),
      h(
        'button',
        {
          type: 'button',
          onclick: async () => {
            const w = await api('GET', `/v1/recommendations/${encodeURIComponent(recs.recommendationId)}/why`).catch((e) => ({ error: e.message }));
            why.textContent = JSON.stringify(w, null, 2);
            why.hidden = false;
          },
        },
        `${t('why')} (evidence)`,
      ),
      why,
    );
  }
  const evBox = h('section', { class: 'panel', 'aria-labelledby': 'h-events' }, h('h2', { id: 'h-events' }, t('recent')));
  const events = exported instanceof Error ? [] : (exported.events ?? []).slice(-15).reverse();
  evBox.append(
    events.length === 0
      ? h('p', { class: 'muted' }, t('none'))
      : h(
          'table',
          {},
          h(
            'tbody',
            {},
            events.map((e) => h('tr', {}, h('td', {}, fmt.time(e.timestamp)), h('td', {}, e.type), h('td', {}, e.itemId ?? e.query ?? ''), h('td', {}, e.channel ?? ''))),
          ),
        ),
  );
  const nBox = h('section', { class: 'panel', 'aria-labelledby': 'h-nudges' }, h('h2', { id: 'h-nudges' }, t('nudges')));
  const nlist = nudges instanceof Error ? [] : (nudges.nudges ?? nudges.items ?? []);
  nBox.append(
    nlist.length === 0
      ? h('p', { class: 'muted' }, t('none'))
      : h(
          'ul',
          {},
          nlist.map((n) => h('li', {}, `${n.trigger} · ${n.channel} · ${n.status} — ${n.message ?? ''}`)),
        ),
  );
  const chats = exported instanceof Error ? [] : (exported.documents ?? []).filter((d) => d.collection === 'chat_session').slice(-3);
  const cBox = h('section', { class: 'panel', 'aria-labelledby': 'h-chats' }, h('h2', { id: 'h-chats' }, t('transcripts')));
  cBox.append(
    chats.length === 0
      ? h('p', { class: 'muted' }, t('none'))
      : h(
          'div',
          {},
          chats.map((d) =>
          h(
            'div',
            { class: 'transcript' },
            h('h3', { class: 'muted' }, fmt.time(d.body.createdAt)),
            (d.body.turns ?? []).map((turn) =>
              h('div', { class: 'turn' }, h('div', { class: 'who' }, turn.role === 'user' ? id : `Afín · ${turn.intent ?? ''}`), turn.text),
            ),
          ),
          ),
        ),
  );
  view.append(recBox, h('div', { class: 'grid2' }, evBox, nBox), cBox);
}

function download(name, data) {
  const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
}

async function experiments(view) {
  const { experiments: list } = await api('GET', '/v1/experiments');
  if (list.length === 0) {
    view.append(h('p', { class: 'panel muted' }, t('none')));
    return;
  }
  for (const x of list) {
    const box = h('section', { class: 'panel experiment', 'aria-label': x.key }, h('h2', {}, `${x.key} `, h('span', { class: 'chip' }, x.status)));
    view.append(box);
    try {
      const r = await api('GET', `/v1/experiments/${encodeURIComponent(x.key)}/results`);
      box.append(
        h(
          'p',
          {},
          r.variants.map((v) => h('span', { class: 'chip' }, `${v.name}: ${fmt.n(v.people)} ${t('people_n').toLowerCase()}`)),
          r.srm?.mismatch ? h('span', { class: 'chip bad', role: 'alert' }, `${t('srm')} (p = ${fmt.n(r.srm.pValue)})`) : null,
        ),
      );
      const primary = r.metrics.find((m) => m.primary) ?? r.metrics[0];
      if (primary) box.append(h('h3', {}, `${primary.label} — ${t('uplift')}`), forest(primary.comparisons));
      box.append(h('ul', {}, (r.summary ?? []).map((s) => h('li', {}, s))));
    } catch (e) {
      box.append(errorBox(e));
    }
  }
}

/** Each variant's uplift against control as a point with its interval, on a scale centred on 0. */
function forest(comparisons) {
  const rows = comparisons.filter((c) => c.uplift);
  if (rows.length === 0) return h('p', { class: 'muted forest-empty' }, t('tooEarly'));
  const span = Math.max(0.05, ...rows.flatMap((c) => [Math.abs(c.uplift.low), Math.abs(c.uplift.high)]));
  const pos = (v) => `${50 + (v / span) * 48}%`;
  return h(
    'div',
    { class: 'forest', role: 'img', 'aria-label': rows.map((c) => `${c.variant}: ${fmt.pct(c.uplift.estimate)} [${fmt.pct(c.uplift.low)}, ${fmt.pct(c.uplift.high)}]`).join('; ') },
    rows.map((c) => [
      h('span', {}, c.variant),
      h(
        'div',
        { class: 'track' },
        h('span', { class: 'ci', style: `left:${pos(c.uplift.low)};right:calc(100% - ${pos(c.uplift.high)})` }),
        h('span', { class: 'pt', style: `left:${pos(c.uplift.estimate)}` }),
      ),
      h('span', { class: c.significant ? 'chip good' : 'chip' }, `${fmt.pct(c.uplift.estimate)} [${fmt.pct(c.uplift.low)}, ${fmt.pct(c.uplift.high)}]`),
    ]),
  );
}

async function catalogue(view) {
  const q = new URLSearchParams(location.hash.split('?')[1] || '').get('q') || '';
  const input = h('input', { type: 'search', id: 'q', value: q });
  view.append(
    h(
      'form',
      { class: 'row panel', role: 'search', onsubmit: (e) => (e.preventDefault(), (location.hash = `#/catalogue?q=${encodeURIComponent(input.value)}`)) },
      h('label', { for: 'q' }, t('search')),
      input,
      h('button', { type: 'submit' }, t('search')),
    ),
  );
  const list = async () => {
    const r = await api('GET', `/v1/insights/items?period=30d&limit=100${q ? `&q=${encodeURIComponent(q)}` : ''}`);
    return itemTable(r);
  };
  let table = await list();
  view.append(
    importPanel(async () => {
      const next = await list();
      table.replaceWith(next);
      table = next;
    }),
    table,
  );
}

/** The catalogue's items with how each performed over 30 days. */
function itemTable(r) {
  return h(
    'section',
    { class: 'panel', id: 'items' },
    h('p', { class: 'muted' }, `${fmt.n(r.total)} ${t('items').toLowerCase()}`),
    h(
      'table',
      {},
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, ''),
          h('th', {}, t('item')),
          h('th', { class: 'num' }, t('price')),
          h('th', { class: 'num' }, t('views')),
          h('th', { class: 'num' }, t('clicks')),
          h('th', { class: 'num' }, t('carts')),
          h('th', { class: 'num' }, t('purchases')),
          h('th', { class: 'num' }, t('revenue')),
        ),
      ),
      h(
        'tbody',
        {},
        r.items.map((it) =>
          h(
            'tr',
            { class: 'item' },
            h('td', {}, it.imageUrl ? h('img', { class: 'thumb', src: it.imageUrl, alt: '', loading: 'lazy' }) : ''),
            h('td', {}, it.title, h('div', { class: 'muted' }, it.id, it.available ? '' : ' · unavailable')),
            h('td', { class: 'num' }, fmt.money(it.price, it.currency)),
            h('td', { class: 'num' }, fmt.n(it.performance.views)),
            h('td', { class: 'num' }, fmt.n(it.performance.clicks)),
            h('td', { class: 'num' }, fmt.n(it.performance.addToCarts)),
            h('td', { class: 'num' }, fmt.n(it.performance.purchases)),
            h('td', { class: 'num' }, fmt.money(it.performance.revenue, it.currency)),
          ),
        ),
      ),
    ),
  );
}

/**
 * Import a catalogue file through PUT /v1/items, in batches: a progress bar (items sent of the file's),
 * each rejected row with the field the server named, and a cancel button that stops between batches.
 */
function importPanel(onDone) {
  const file = h('input', { type: 'file', id: 'import-file', accept: '.json,.ndjson,.jsonl,.csv,application/json,text/csv' });
  const start = h('button', { type: 'submit', class: 'primary', id: 'import-start' }, t('importStart'));
  const cancel = h('button', { type: 'button', id: 'import-cancel', hidden: true }, t('cancel'));
  const bar = h('progress', { id: 'import-progress', max: 1, value: 0, hidden: true, 'aria-label': t('importTitle') });
  const status = h('p', { id: 'import-status', role: 'status', 'aria-live': 'polite' });
  const errors = h('div', { id: 'import-errors' });
  let stop = null;
  cancel.addEventListener('click', () => stop?.abort());
  const showErrors = (list) =>
    errors.replaceChildren(
      list.length === 0
        ? ''
        : h(
            'table',
            { class: 'import-errors' },
            h('thead', {}, h('tr', {}, h('th', { class: 'num' }, t('row')), h('th', { class: 'num' }, t('line')), h('th', {}, t('field')), h('th', {}, t('error')))),
            h(
              'tbody',
              {},
              list.slice(0, 500).map((e) => h('tr', {}, h('td', { class: 'num' }, e.row || '—'), h('td', { class: 'num' }, e.line ?? '—'), h('td', {}, h('code', {}, e.field)), h('td', {}, e.error))),
            ),
          ),
    );
  const run = async (e) => {
    e.preventDefault();
    const f = file.files?.[0];
    if (!f || stop) return;
    const parsed = parseCatalogue(await f.text(), f.name);
    const total = parsed.rows.length;
    showErrors(parsed.errors);
    if (total === 0) {
      status.textContent = t('importEmpty');
      return;
    }
    stop = new AbortController();
    start.disabled = true;
    cancel.hidden = false;
    bar.hidden = false;
    bar.max = total;
    bar.value = 0;
    const progress = (p) => {
      bar.value = p.sent;
      status.textContent = t('importProgress', { sent: fmt.n(p.sent), total: fmt.n(total), stored: fmt.n(p.upserted), errors: fmt.n(parsed.errors.length + p.errors.length) });
      showErrors([...parsed.errors, ...p.errors]);
    };
    progress({ sent: 0, upserted: 0, errors: [] });
    const r = await importRows(parsed.rows, { send: httpSender({ key: key() }), signal: stop.signal, onProgress: progress });
    stop = null;
    start.disabled = false;
    cancel.hidden = true;
    const vars = { sent: fmt.n(r.sent), total: fmt.n(total), stored: fmt.n(r.upserted), error: r.failure?.message ?? '' };
    status.textContent = r.cancelled ? t('importCancelled', vars) : r.failure ? t('importFailed', vars) : t('importDone', vars);
    if (r.failure) status.classList.add('error');
    else status.classList.remove('error');
    if (r.upserted > 0) await onDone().catch((err) => errors.append(errorBox(err)));
  };
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': 'h-import' },
    h('h2', { id: 'h-import' }, t('importTitle')),
    h('form', { class: 'row', onsubmit: run }, h('label', { for: 'import-file' }, t('importFile')), file, start, cancel),
    h('p', { class: 'muted' }, t('importHelp')),
    bar,
    status,
    errors,
  );
}

async function models(view) {
  const render = async () => {
    const { models: list } = await api('GET', '/v1/models');
    return h(
      'table',
      { id: 'models' },
      h(
        'thead',
        {},
        h('tr', {}, h('th', {}, t('model')), h('th', {}, t('trainedAt')), h('th', { class: 'num' }, t('seconds')), h('th', { class: 'num' }, t('users')), h('th', { class: 'num' }, t('items')), h('th', { class: 'num' }, t('interactions')), h('th', {}, '')),
      ),
      h(
        'tbody',
        {},
        list.map((m) =>
          h(
            'tr',
            {},
            h('td', {}, m.name),
            h('td', {}, fmt.time(m.trainedAt)),
            h('td', { class: 'num' }, fmt.n(m.seconds)),
            h('td', { class: 'num' }, fmt.n(m.users)),
            h('td', { class: 'num' }, fmt.n(m.items)),
            h('td', { class: 'num' }, fmt.n(m.interactions)),
            h('td', {}, m.failing ? h('span', { class: 'chip bad' }, m.lastError?.message ?? 'failing') : m.plan ? h('span', { class: 'chip' }, m.plan.reason) : ''),
          ),
        ),
      ),
    );
  };
  const panel = h('section', { class: 'panel' });
  const status = h('div', { role: 'status', 'aria-live': 'polite' });
  const button = h(
    'button',
    {
      type: 'button',
      class: 'primary',
      id: 'train',
      onclick: async () => {
        button.disabled = true;
        status.replaceChildren(t('training'), h('div', { class: 'progress', role: 'progressbar', 'aria-label': t('training') }, h('span')));
        try {
          const r = await api('POST', '/v1/train', {});
          status.replaceChildren(t('trained', { s: fmt.n(r.seconds) }));
          panel.querySelector('table')?.replaceWith(await render());
        } catch (e) {
          status.replaceChildren(errorBox(e));
        } finally {
          button.disabled = false;
        }
      },
    },
    t('trainNow'),
  );
  panel.append(h('div', { class: 'row' }, button, status), await render());
  view.append(panel, await evaluation());
}

/**
 * What the server measures of its models. Training records no holdout figure, so none is shown as one:
 * the served figures are the live traffic's recommendation answers (how many, the share clicked
 * through, the share personalised), and, when a global holdout runs, its results against people who get no recommendations.
 */
async function evaluation() {
  const box = h('section', { class: 'panel', id: 'evaluation', 'aria-labelledby': 'h-eval' }, h('h2', { id: 'h-eval' }, t('evaluation')));
  box.append(h('p', { class: 'muted', id: 'eval-note' }, t('evalNone')));
  const [o, hs] = await Promise.all([api('GET', '/v1/insights/overview?period=30d').catch((e) => e), api('GET', '/v1/settings/experiments').catch((e) => e)]);
  box.append(h('h3', {}, t('served')));
  if (o instanceof Error) box.append(errorBox(o));
  else {
    const tot = o.totals;
    const fig = (label, value) => h('div', { class: 'tile' }, h('div', { class: 'label' }, label), h('div', { class: 'value' }, value));
    box.append(
      h(
        'div',
        { class: 'tiles', id: 'served-figures' },
        fig(t('answers'), fmt.n(tot.answers)),
        fig(t('clickThrough'), fmt.pct(tot.clickThrough)),
        fig(t('personalizedShare'), fmt.pct(tot.personalizedShare)),
      ),
    );
  }
  box.append(h('h3', {}, t('holdout')));
  if (hs instanceof Error || !(hs.globalHoldout > 0)) box.append(h('p', { class: 'muted', id: 'holdout-off' }, hs instanceof Error ? hs.message : t('holdoutOff')));
  else {
    try {
      const r = await api('GET', '/v1/experiments/global-holdout/results');
      const primary = r.metrics.find((m) => m.primary) ?? r.metrics[0];
      if (primary) box.append(h('p', {}, `${primary.label} — ${t('uplift')}`), forest(primary.comparisons));
      box.append(h('ul', {}, (r.summary ?? []).map((x) => h('li', {}, x))));
    } catch (e) {
      box.append(errorBox(e));
    }
  }
  return box;
}

async function assistant(view) {
  const who = h('input', { type: 'text', id: 'chat-user', value: 'u-001' });
  const msg = h('input', { type: 'text', id: 'chat-message', placeholder: 'busco vaqueros baratos', style: 'flex:1' });
  const log = h('div', { class: 'turns', 'aria-live': 'polite' });
  const inside = h('div', { class: 'inside' });
  let sessionId;
  const form = h(
    'form',
    {
      class: 'row',
      onsubmit: async (e) => {
        e.preventDefault();
        const text = msg.value.trim();
        if (!text) return;
        msg.value = '';
        log.append(h('div', { class: 'turn' }, h('div', { class: 'who' }, who.value), text));
        try {
          const r = await api('POST', '/v1/chat', { userId: who.value.trim(), message: text, ...(sessionId ? { sessionId } : {}) });
          sessionId = r.sessionId;
          log.append(
            h(
              'div',
              { class: 'turn assistant' },
              h('div', { class: 'who' }, `Afín · ${r.language} · ${r.by}`),
              r.reply,
              h('ul', { class: 'reasons' }, (r.items ?? []).map((i) => h('li', {}, `${i.title} — ${fmt.money(i.price, i.currency)}`))),
            ),
          );
          inside.replaceChildren(
            h('p', {}, `${t('intent')}: `, h('strong', { class: 'intent' }, r.intent), ` (${fmt.n(r.confidence)})`),
            h('p', {}, t('slots')),
            h('pre', { class: 'json', tabindex: 0 }, JSON.stringify(r.slots, null, 2)),
            h('p', {}, t('candidates')),
            h('ol', {}, (r.items ?? []).map((i) => h('li', {}, `${i.id}: ${(i.reasons ?? []).join(' · ')}`))),
          );
        } catch (err) {
          log.append(errorBox(err));
        }
      },
    },
    h('label', { for: 'chat-user' }, t('chatAs')),
    who,
    h('label', { class: 'visually-hidden', for: 'chat-message' }, t('message')),
    msg,
    h('button', { type: 'submit', class: 'primary' }, t('send')),
  );
  view.append(h('section', { class: 'panel' }, form, h('div', { class: 'chat' }, log, inside)));

  const queue = h('section', { class: 'panel', 'aria-labelledby': 'h-review' }, h('h2', { id: 'h-review' }, t('review')));
  view.append(queue);
  const r = await api('GET', '/v1/review?limit=50').catch((e) => e);
  if (r instanceof Error) return void queue.append(errorBox(r));
  if (r.items.length === 0) return void queue.append(h('p', { class: 'muted' }, t('none')));
  for (const it of r.items) {
    const row = h('div', { class: 'turn' }, h('div', { class: 'who' }, `${it.kind} · ${it.userId ?? ''}`), it.message ?? it.lastTurns?.at(-1)?.text ?? '');
    if (it.kind === 'nudge')
      row.append(
        h('div', { class: 'row' }, [
          h('button', { type: 'button', onclick: () => decide(it.id, 'approve', row) }, t('approve')),
          h('button', { type: 'button', class: 'danger', onclick: () => decide(it.id, 'reject', row) }, t('reject')),
        ]),
      );
    else if (it.sessionId) {
      const answer = h('input', { type: 'text', 'aria-label': t('reply') });
      row.append(
        h(
          'form',
          {
            class: 'row',
            onsubmit: async (e) => {
              e.preventDefault();
              await api('POST', `/v1/chat/${encodeURIComponent(it.sessionId)}/agent`, { message: answer.value, resolve: true }).catch((err) => row.append(errorBox(err)));
              row.remove();
            },
          },
          answer,
          h('button', { type: 'submit' }, t('reply')),
        ),
      );
    }
    queue.append(row);
  }
}
async function decide(id, action, row) {
  try {
    await api('POST', `/v1/review/${encodeURIComponent(id)}`, { action, reviewer: 'dashboard' });
    row.remove();
  } catch (e) {
    row.append(errorBox(e));
  }
}

async function keys(view) {
  const box = h('section', { class: 'panel', 'aria-labelledby': 'h-keys' }, h('h2', { id: 'h-keys' }, t('keys')));
  const secret = h('div', { role: 'status', 'aria-live': 'polite' });
  const scope = h('select', { id: 'key-scope' }, ['public', 'server', 'admin'].map((s) => h('option', { value: s }, s)));
  const name = h('input', { type: 'text', id: 'key-name' });
  const origins = h('input', { type: 'text', id: 'key-origins', placeholder: 'https://shop.example' });
  const rate = h('input', { type: 'number', id: 'key-rate', min: 1, step: 1 });
  const table = h('tbody');
  const load = async () => {
    const { keys: list } = await api('GET', '/v1/keys');
    table.replaceChildren(
      ...list.map((k) =>
        h(
          'tr',
          {},
          h('td', {}, k.name ?? '—'),
          h('td', {}, k.scope),
          h('td', {}, (k.allowedOrigins ?? []).join(', ')),
          h('td', { class: 'num' }, k.rateLimit ?? '—'),
          h('td', {}, fmt.time(k.createdAt)),
          h(
            'td',
            {},
            h(
              'button',
              {
                type: 'button',
                class: 'danger',
                onclick: async () => {
                  await api('DELETE', `/v1/keys/${encodeURIComponent(k.id)}`);
                  await load();
                },
              },
              t('revoke'),
            ),
          ),
        ),
      ),
    );
  };
  box.append(
    h(
      'form',
      {
        class: 'row',
        onsubmit: async (e) => {
          e.preventDefault();
          const allowed = origins.value
            .split(',')
            .map((o) => o.trim())
            .filter(Boolean);
          try {
            const k = await api('POST', '/v1/keys', {
              scope: scope.value,
              ...(name.value ? { name: name.value } : {}),
              ...(allowed.length ? { allowedOrigins: allowed } : {}),
              ...(rate.value ? { rateLimit: Number(rate.value) } : {}),
            });
            secret.replaceChildren(t('secretOnce'), ' ', h('code', {}, k.key));
            await load();
          } catch (err) {
            secret.replaceChildren(errorBox(err));
          }
        },
      },
      h('label', { for: 'key-scope' }, t('scope')),
      scope,
      h('label', { for: 'key-name' }, t('name')),
      name,
      h('label', { for: 'key-origins' }, t('origins')),
      origins,
      h('label', { for: 'key-rate' }, t('rateLimit')),
      rate,
      h('button', { type: 'submit', class: 'primary' }, t('createKey')),
    ),
    secret,
    h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, t('name')), h('th', {}, t('scope')), h('th', {}, 'origins'), h('th', { class: 'num' }, t('rateLimit')), h('th', {}, ''), h('th', {}, ''))), table),
  );
  view.append(box);
  await load();
  const [privacy, settings, ranking] = await Promise.all([
    api('GET', '/v1/privacy').catch((e) => e),
    api('GET', '/v1/settings/privacy').catch((e) => e),
    api('GET', '/v1/settings/ranking').catch((e) => e),
  ]);
  view.append(
    h(
      'div',
      { class: 'grid2' },
      h('section', { class: 'panel', 'aria-labelledby': 'h-privacy' }, h('h2', { id: 'h-privacy' }, t('privacy')), privacyForm(privacy, settings)),
      h('section', { class: 'panel', 'aria-labelledby': 'h-ranking' }, h('h2', { id: 'h-ranking' }, t('ranking')), rankingForm(ranking)),
    ),
  );
}

/** Marks the input the server named in a refusal as invalid (none after a save went through). */
function markInvalid(inputs, field) {
  for (const [name, input] of Object.entries(inputs)) {
    if (name === field) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  }
}

/** The workspace's consent default per purpose and its retention limits, saved with PUT /v1/settings/privacy. */
function privacyForm(privacy, settings) {
  if (settings instanceof Error) return errorBox(settings);
  const described = privacy instanceof Error ? {} : Object.fromEntries(privacy.purposes.map((p) => [p.purpose, p.description]));
  const inputs = {};
  const purposes = Object.keys(settings.consentDefaults);
  const rows = purposes.map((p) => {
    const sel = h(
      'select',
      { id: `consent-${p}`, 'aria-describedby': `consent-${p}-note` },
      ['opt-in', 'opt-out'].map((v) => h('option', { value: v, selected: v === settings.consentDefaults[p] }, v)),
    );
    inputs[`consentDefaults.${p}`] = sel;
    return h(
      'div',
      { class: 'setting' },
      h('label', { for: `consent-${p}` }, h('strong', {}, p)),
      sel,
      h('div', { class: 'muted', id: `consent-${p}-note` }, `${described[p] ?? ''} · ${t('deploymentSays', { v: settings.deployment.consentDefaults[p] })}`),
    );
  });
  const days = (k, label) => {
    const d = settings.deployment.retention[k];
    const input = h('input', {
      type: 'number',
      id: `retention-${k}`,
      min: 1,
      step: 1,
      ...(d === null ? {} : { max: d }),
      value: settings.stored.retention?.[k] ?? '',
      placeholder: d === null ? '∞' : String(d),
      'aria-describedby': `retention-${k}-note`,
    });
    inputs[`retention.${k}`] = input;
    return h(
      'div',
      { class: 'setting' },
      h('label', { for: `retention-${k}` }, h('strong', {}, label)),
      input,
      h('div', { class: 'muted', id: `retention-${k}-note` }, `${t('deploymentSays', { v: d === null ? t('keptForever') : d })} · ${t('followDeployment')}`),
    );
  };
  const out = h('div', { role: 'status', 'aria-live': 'polite', id: 'privacy-result' });
  return h(
    'form',
    {
      id: 'privacy-form',
      'aria-describedby': 'privacy-regimes',
      onsubmit: async (e) => {
        e.preventDefault();
        // Only a choice that differs from the deployment's is stored: the others keep following it.
        const consentDefaults = {};
        for (const p of purposes) {
          const v = inputs[`consentDefaults.${p}`].value;
          if (v !== settings.deployment.consentDefaults[p]) consentDefaults[p] = v;
        }
        const retention = {};
        for (const k of ['eventMaxAgeDays', 'auditMaxAgeDays']) {
          const v = inputs[`retention.${k}`].value.trim();
          if (v !== '') retention[k] = Number(v);
        }
        const body = {
          ...(Object.keys(consentDefaults).length ? { consentDefaults } : {}),
          ...(Object.keys(retention).length ? { retention } : {}),
        };
        try {
          await api('PUT', '/v1/settings/privacy', body);
          markInvalid(inputs, null);
          out.replaceChildren(t('saved'));
        } catch (err) {
          markInvalid(inputs, err.field);
          out.replaceChildren(errorBox(err));
        }
      },
    },
    h('p', { class: 'muted', id: 'privacy-regimes' }, `${t('consentDefault')}: ${t('regimes')}`),
    rows,
    days('eventMaxAgeDays', t('eventDays')),
    days('auditMaxAgeDays', t('auditDays')),
    h('div', { class: 'row' }, h('button', { type: 'submit', class: 'primary', id: 'privacy-save' }, t('save')), out),
  );
}

/** The ranking settings as JSON, saved with PUT /v1/settings/ranking (the server names a wrong field). */
function rankingForm(ranking) {
  if (ranking instanceof Error) return errorBox(ranking);
  const { defaults, ...stored } = ranking;
  const text = h('textarea', { id: 'ranking-json', rows: 14, spellcheck: 'false', 'aria-describedby': 'ranking-help' }, JSON.stringify(stored, null, 2));
  const out = h('div', { role: 'status', 'aria-live': 'polite', id: 'ranking-result' });
  return h(
    'form',
    {
      id: 'ranking-form',
      onsubmit: async (e) => {
        e.preventDefault();
        let body;
        try {
          body = JSON.parse(text.value || '{}');
        } catch (err) {
          text.setAttribute('aria-invalid', 'true');
          out.replaceChildren(h('p', { class: 'error', role: 'alert' }, t('invalidJson', { error: err.message })));
          return;
        }
        try {
          const saved = await api('PUT', '/v1/settings/ranking', body);
          text.value = JSON.stringify(saved, null, 2);
          text.removeAttribute('aria-invalid');
          out.replaceChildren(t('saved'));
        } catch (err) {
          text.setAttribute('aria-invalid', 'true');
          out.replaceChildren(errorBox(err));
        }
      },
    },
    h('p', { class: 'muted', id: 'ranking-help' }, t('rankingHelp')),
    h('label', { class: 'visually-hidden', for: 'ranking-json' }, t('ranking')),
    text,
    h('details', {}, h('summary', {}, 'defaults'), h('pre', { class: 'json', tabindex: 0 }, JSON.stringify(defaults ?? {}, null, 2))),
    h('div', { class: 'row' }, h('button', { type: 'submit', class: 'primary', id: 'ranking-save' }, t('save')), out),
  );
}

const RENDER = { overview, people, experiments, catalogue, models, assistant, keys };

// ——— shell ———

function signIn() {
  const input = h('input', { type: 'password', id: 'key', autocomplete: 'current-password', required: true });
  main.replaceChildren(
    h(
      'form',
      {
        class: 'signin panel',
        onsubmit: async (e) => {
          e.preventDefault();
          sessionStorage.setItem(KEY_STORE, input.value.trim());
          try {
            await api('GET', '/v1/keys');
            route();
          } catch (err) {
            sessionStorage.removeItem(KEY_STORE);
            form.append(errorBox(err));
          }
        },
      },
      h('h1', {}, 'Afín'),
      h('label', { for: 'key' }, t('adminKey')),
      input,
      h('p', { class: 'muted' }, t('signInHelp')),
      h('button', { type: 'submit', class: 'primary' }, t('signIn')),
    ),
  );
  const form = main.querySelector('form');
  input.focus();
}

async function route() {
  // A key in the fragment (the demo's printed link) signs in once and is then removed from the address bar.
  const frag = new URLSearchParams(location.hash.slice(1));
  if (frag.get('key')) {
    sessionStorage.setItem(KEY_STORE, frag.get('key'));
    history.replaceState(null, '', `${location.pathname}#/overview`);
  }
  document.documentElement.lang = lang;
  document.getElementById('lang').value = lang;
  const out = document.getElementById('signout');
  out.textContent = t('signOut');
  out.hidden = !key();
  const page = (location.hash.match(/^#\/(\w+)/) || [])[1];
  const current = PAGES.includes(page) ? page : 'overview';
  document.getElementById('nav').replaceChildren(...PAGES.map((p) => h('a', { href: `#/${p}`, 'aria-current': p === current ? 'page' : undefined }, t(p))));
  for (const c of charts.splice(0)) c.destroy();
  if (!key()) return signIn();
  const view = h('div', { class: 'page', 'data-page': current });
  main.replaceChildren(h('h1', {}, t(current)), view);
  document.title = `${t(current)} · Afín`;
  try {
    await RENDER[current](view);
  } catch (e) {
    if (e.status === 401 || e.status === 403) {
      sessionStorage.removeItem(KEY_STORE);
      return signIn();
    }
    view.append(errorBox(e));
  }
  main.setAttribute('data-ready', current);
}

document.getElementById('lang').addEventListener('change', (e) => {
  lang = e.target.value;
  sessionStorage.setItem(LANG_STORE, lang);
  route();
});
document.getElementById('signout').addEventListener('click', () => {
  sessionStorage.removeItem(KEY_STORE);
  route();
});
window.addEventListener('hashchange', () => {
  main.removeAttribute('data-ready');
  route();
  main.focus();
});
route();
