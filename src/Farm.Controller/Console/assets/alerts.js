// Open alerts (input empty, output full, reject full, drive faulted, node lost...) in a band at the
// top of the farm view, newest first, each with its acknowledge button for those who may act; the
// towers, drives and nodes they name are marked on the board.

import { el, button, formatTime } from './dom.js';
import { onNextFrame } from './frame.js';

export class Alerts {
  constructor(root, board, canAct) {
    this.root = root;
    this.board = board;
    this.canAct = canAct;
    this.alerts = new Map();
  }

  update(alert) {
    if (!alert || alert.id === undefined || alert.id === null) return;
    this.alerts.set(String(alert.id), alert);
    onNextFrame('alerts', () => this.draw());
  }

  // The alert no longer stands (the bin was refilled, the node came back): it leaves the band.
  remove(id) {
    if (id === undefined || id === null || !this.alerts.delete(String(id))) return;
    onNextFrame('alerts', () => this.draw());
  }

  draw() {
    const open = [...this.alerts.values()]
      .filter(a => !a.acknowledged)
      .sort((a, b) => String(b.raisedAt).localeCompare(String(a.raisedAt)));
    const items = open.map(a => {
      const item = el('div', 'alert kind-' + String(a.kind).replace(/[^a-z0-9-]/gi, ''));
      item.dataset.alert = String(a.id);
      item.append(el('strong', 'alert-kind', a.kind), el('span', 'alert-subject', a.subject), el('span', 'alert-message', a.message), el('time', 'alert-time', formatTime(a.raisedAt)));
      if (this.canAct) item.append(button('Acknowledge', 'alert-acknowledge', { id: String(a.id) }));
      return item;
    });
    this.root.replaceChildren(...items);
    this.root.hidden = items.length === 0;
    this.board.markAlerts(new Set(open.map(a => a.subject)), new Set(open.filter(a => a.kind === 'node-lost').map(a => a.subject)));
  }
}
