// The farm laid out as the hardware is: a section per node, in it a group per tower (its bins and
// alert at the top, its drives' tiles below). Sections are made the first time a drive or tower
// names them and kept in natural order.

import { el, insertSorted, setText, setClass, setWidth, button, show } from './dom.js';
import { onNextFrame } from './frame.js';

export class Board {
  constructor(root, canAct) {
    this.root = root;
    this.canAct = canAct;
    this.nodes = new Map();
    this.towers = new Map();
  }

  node(nodeId) {
    const id = nodeId || '(no node)';
    let node = this.nodes.get(id);
    if (!node) {
      const section = el('section', 'node');
      const head = el('h3', 'node-head');
      head.append(el('span', 'node-name', 'Node ' + id), el('span', 'node-lost', 'lost'));
      section.append(head);
      node = { id, section };
      insertSorted(this.root, section, id);
      this.nodes.set(id, node);
    }

    return node;
  }

  tower(nodeId, towerId) {
    const key = `${nodeId}\u0000${towerId}`;
    let tower = this.towers.get(key);
    if (!tower) {
      tower = this.makeTower(this.node(nodeId), towerId || '(no tower)');
      this.towers.set(key, tower);
    }

    return tower;
  }

  makeTower(node, towerId) {
    const section = el('section', 'tower');
    section.dataset.tower = towerId;
    const head = el('div', 'tower-head');
    const name = el('span', 'tower-name', 'Tower ' + towerId);
    const bins = el('div', 'bins');
    const input = bin('Input', true), output = bin('Output', false), reject = bin('Reject', false);
    bins.append(input.root, output.root, reject.root);
    const alert = el('span', 'tower-alert');
    alert.hidden = true;
    head.append(name, bins, alert);
    if (this.canAct) {
      const refill = el('span', 'refill');
      const count = el('input');
      count.type = 'number';
      count.min = '0';
      count.step = '1';
      count.placeholder = 'blanks';
      count.className = 'refill-count';
      count.dataset.refillFor = towerId;
      count.setAttribute('aria-label', `blanks now in tower ${towerId}'s input bin`);
      refill.append(count, button('Refilled', 'tower-refilled', { id: towerId }));
      head.append(refill);
    }

    const grid = el('div', 'tiles');
    section.append(head, grid);
    insertSorted(node.section, section, towerId);
    return { id: towerId, section, grid, input, output, reject, alert, highestInput: 0 };
  }

  updateTower(data) {
    const tower = this.tower(data.node, data.id);
    onNextFrame('tower:' + data.node + '/' + data.id, () => {
      const input = Number(data.input) || 0;
      tower.highestInput = Math.max(tower.highestInput, input);
      setText(tower.input.value, `${input} ${data.inputMedia || ''}`.trim());
      setWidth(tower.input.fill, tower.highestInput > 0 ? (100 * input) / tower.highestInput : 0);
      setText(tower.output.value, data.output);
      setText(tower.reject.value, data.reject);
      setText(tower.alert, data.alert || '');
      show(tower.alert, Boolean(data.alert));
      setClass(tower.input.root, input === 0 ? 'bin empty' : 'bin');
      tower.section.classList.toggle('alerted', Boolean(data.alert) || tower.section.classList.contains('has-open-alert'));
    });
  }

  // Marks every node, tower and drive some open alert names (subject ids).
  markAlerts(subjects, lostNodes) {
    onNextFrame('alert-marks', () => {
      for (const node of this.nodes.values()) node.section.classList.toggle('lost', lostNodes.has(node.id));
      for (const tower of this.towers.values()) {
        tower.section.classList.toggle('has-open-alert', subjects.has(tower.id));
        tower.section.classList.toggle('alerted', subjects.has(tower.id) || !tower.alert.hidden);
      }

      for (const tile of this.root.querySelectorAll('.tile')) tile.classList.toggle('alerted', subjects.has(tile.dataset.drive));
    });
  }
}

// A bin's level. The API gives no bin capacity: the input's meter is relative to the most blanks
// seen in it since the page opened; output and reject show their counts.
function bin(label, withMeter) {
  const root = el('span', 'bin');
  const value = el('span', 'value');
  root.append(el('span', 'bin-label', label));
  let fill = null;
  if (withMeter) {
    fill = el('span', 'fill');
    const meter = el('span', 'meter');
    meter.append(fill);
    root.append(meter);
  }

  root.append(value);
  return { root, fill, value };
}
