// The installation's health: every replica of every service, as the gateway sees it.
import { badge, h, replace, table } from '../dom.js';

export async function render(view) {
  const overall = h('p', { id: 'overall' });
  const services = h('div', { id: 'services' });
  view.append(h('h1', { text: 'Status' }), overall, services,
    h('p', { class: 'muted' }, 'Machine-readable: ', h('a', { href: '/api/health', text: '/api/health' }),
      '. Each service’s OpenAPI document: ', h('code', { text: '/api/docs/<service>' }), '.'));
  const refresh = async () => {
    let body;
    try {
      const response = await fetch('/api/health', { cache: 'no-store' });
      body = await response.json();
    } catch (e) {
      replace(overall, badge('gateway unreachable', 'DOWN'));
      return;
    }
    replace(overall, 'Overall: ', badge(body.status), h('span', { class: 'muted', text: ` answered by ${body.gateway}` }));
    replace(services, table(['Service', 'Ready', 'Replicas', 'API'], Object.entries(body.services || {}).map(([name, service]) => [
      name, h('span', { class: service.status, text: `${service.ready}/${service.total}` }),
      h('div', {}, service.replicas.map(r => h('div', {}, badge(r.status), ` ${r.instance || r.uri}`))),
      h('a', { href: `/api/docs/${name}`, text: 'OpenAPI' }),
    ])));
  };
  await refresh();
  const timer = setInterval(refresh, 5000);
  return () => clearInterval(timer);
}
