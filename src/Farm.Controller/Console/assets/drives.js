// A tile per drive: state (coloured), job and copy, progress with LBA, MB/s, drive buffer and FIFO
// fill, the live speed curve of the burn, the last error. A tile is built once; an event only
// stores the drive and asks for a redraw of that tile at the next frame.

import { el, setText, setClass, setWidth, show, button, insertSorted, formatNumber } from './dom.js';
import { onNextFrame } from './frame.js';
import { CurveHistory, drawCurve } from './curve.js';

const States = ['idle', 'busy', 'paused', 'maintenance', 'offline'];

export class DriveTiles {
  constructor(board, canAct, jobLabel, onCount) {
    this.board = board;
    this.canAct = canAct;
    this.jobLabel = jobLabel;
    this.onCount = onCount;
    this.tiles = new Map();
  }

  update(drive) {
    if (!drive || !drive.id) return;
    let tile = this.tiles.get(drive.id);
    if (!tile) {
      tile = this.make(drive);
      this.tiles.set(drive.id, tile);
      this.onCount(this.tiles.size);
    }

    tile.drive = drive;
    if (tile.curve.add(drive)) tile.curveDirty = true;
    onNextFrame(tile, () => this.draw(tile));
  }

  // A job's label arrived or changed: tiles showing that job redraw.
  jobChanged(jobId) {
    for (const tile of this.tiles.values()) {
      if (tile.drive.job === jobId) onNextFrame(tile, () => this.draw(tile));
    }
  }

  make(drive) {
    const tower = this.board.tower(drive.node, drive.tower);
    const root = el('article', 'tile');
    root.dataset.drive = drive.id;
    const head = el('div', 'tile-head');
    const name = el('span', 'drive-name', drive.id);
    const state = el('span', 'state');
    head.append(name, state);
    const product = el('div', 'product');
    const job = el('div', 'job');
    const bar = el('div', 'bar');
    const fill = el('div', 'fill');
    bar.append(fill);
    const progress = el('div', 'progress');
    const percent = el('span', 'percent');
    const lba = el('span', 'lba');
    progress.append(percent, lba);
    const figures = el('div', 'figures');
    const speed = el('span', 'speed');
    const buffer = meter('buf', 'drive buffer');
    const fifo = meter('FIFO', "FIFO (the node's write buffer)");
    figures.append(speed, buffer.root, fifo.root);
    const canvas = el('canvas', 'curve');
    canvas.width = 200;
    canvas.height = 36;
    canvas.setAttribute('aria-label', `speed over LBA of ${drive.id}'s burn`);
    const error = el('div', 'last-error');
    root.append(head, product, job, bar, progress, figures, canvas, error);

    const actions = {};
    if (this.canAct) {
      const row = el('div', 'actions');
      for (const [verb, text] of [['pause', 'Pause'], ['resume', 'Resume'], ['maintenance', 'Maintenance'], ['clear', 'Clear']]) {
        actions[verb] = button(text, 'drive-' + verb, { id: drive.id });
        row.append(actions[verb]);
      }

      root.append(row);
    }

    insertSorted(tower.grid, root, drive.id);
    return { root, state, product, job, fill, percent, lba, speed, buffer, fifo, canvas, error, actions, curve: new CurveHistory(), curveDirty: false, drive };
  }

  draw(tile) {
    const d = tile.drive;
    const state = States.includes(String(d.state).toLowerCase()) ? String(d.state).toLowerCase() : 'unknown';
    setClass(tile.root, 'tile state-' + state + (tile.root.classList.contains('alerted') ? ' alerted' : ''));
    setText(tile.state, d.phase && state === 'busy' ? `${state} · ${d.phase}` : state);
    setText(tile.product, d.product || '');
    const working = Boolean(d.job);
    setText(tile.job, working ? `${this.jobLabel(d.job)} · copy ${d.copy}${d.attempt > 1 ? ` (attempt ${d.attempt})` : ''}` : 'no job');
    tile.job.title = working ? 'job ' + d.job : '';
    const percent = working && typeof d.percent === 'number' ? d.percent : 0;
    setWidth(tile.fill, percent);
    setText(tile.percent, working ? formatNumber(percent, 1) + ' %' : '');
    setText(tile.lba, working && d.totalBlocks > 0 ? `LBA ${Math.max(0, d.lba ?? 0)} / ${d.totalBlocks}` : '');
    setText(tile.speed, working && typeof d.mbps === 'number' ? formatNumber(d.mbps, 1) + ' MB/s' : '');
    tile.buffer.set(working ? d.bufferPercent : null);
    tile.fifo.set(working ? d.fifoPercent : null);
    setText(tile.error, d.lastError ? 'last error: ' + d.lastError + (d.failures ? ` (${d.failures} failed)` : '') : '');
    show(tile.error, Boolean(d.lastError));
    if (tile.curveDirty) {
      tile.curveDirty = false;
      drawCurve(tile.canvas, tile.curve.points, d.totalBlocks);
      tile.canvas.dataset.points = String(tile.curve.points.length);
    }

    const a = tile.actions;
    if (a.pause) {
      show(a.pause, state === 'idle' || state === 'busy');
      show(a.resume, state === 'paused' || state === 'maintenance');
      show(a.maintenance, state !== 'maintenance' && state !== 'offline');
      show(a.clear, Boolean(d.lastError) || d.failures > 0);
    }
  }
}

function meter(label, title) {
  const root = el('span', 'meter-figure');
  root.title = title;
  const bar = el('span', 'meter');
  const fill = el('span', 'fill');
  bar.append(fill);
  const value = el('span', 'value');
  root.append(el('span', 'meter-label', label), bar, value);
  return {
    root,
    set(percent) {
      const known = typeof percent === 'number' && Number.isFinite(percent);
      setWidth(fill, known ? percent : 0);
      setText(value, known ? Math.round(percent) + ' %' : '–');
    },
  };
}
