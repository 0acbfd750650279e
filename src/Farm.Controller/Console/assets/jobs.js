// The jobs table: a row per job, newest first, with progress (verified of copies), rejects, discs
// in flight and the ETA; hold, resume and cancel for those who may act. Rows are built once and
// redrawn at the next frame when their job changes.

import { el, setText, setWidth, show, button, formatDuration } from './dom.js';
import { onNextFrame } from './frame.js';

export class JobTable {
  constructor(body, canAct, onJob) {
    this.body = body;
    this.canAct = canAct;
    this.onJob = onJob;
    this.jobs = new Map();
    this.rows = new Map();
  }

  label(jobId) {
    const job = this.jobs.get(jobId);
    return job && job.label ? job.label : jobId;
  }

  update(job) {
    if (!job || !job.id) return;
    const before = this.jobs.get(job.id);
    this.jobs.set(job.id, job);
    let row = this.rows.get(job.id);
    if (!row) {
      row = this.make(job);
      this.rows.set(job.id, row);
    }

    row.job = job;
    onNextFrame(row, () => draw(row));
    if (!before || before.label !== job.label) this.onJob(job.id);
  }

  make(job) {
    const tr = el('tr');
    tr.dataset.job = job.id;
    const link = el('a', 'job-link', job.id);
    link.href = '#/jobs/' + encodeURIComponent(job.id);
    const cells = {
      id: el('td'), label: el('td', 'label'), status: el('td', 'status'), progress: el('td'),
      rejected: el('td', 'num'), inFlight: el('td', 'num'), eta: el('td', 'eta'), actions: el('td', 'actions'),
    };
    cells.id.append(link);
    const bar = el('div', 'bar');
    const fill = el('div', 'fill');
    bar.append(fill);
    const count = el('span', 'count');
    cells.progress.append(bar, count);
    const actions = {};
    if (this.canAct) {
      actions.hold = button('Hold', 'job-hold', { id: job.id });
      actions.resume = button('Resume', 'job-resume', { id: job.id });
      actions.cancel = button('Cancel', 'job-cancel', { id: job.id });
      cells.actions.append(actions.hold, actions.resume, actions.cancel);
    }

    tr.append(...Object.values(cells));
    this.insert(tr, job);
    return { tr, cells, fill, count, actions, job };
  }

  // Newest first (ISO times compare as strings), whatever order the jobs arrive in.
  insert(tr, job) {
    const key = String(job.submittedAt || '');
    tr.dataset.submitted = key;
    for (const other of this.body.children) {
      if (key > (other.dataset.submitted || '')) {
        this.body.insertBefore(tr, other);
        return;
      }
    }

    this.body.appendChild(tr);
  }
}

export function jobProgress(job) {
  const copies = Number(job.copies) || 0;
  return copies > 0 ? (100 * (Number(job.verified) || 0)) / copies : 0;
}

export function isFinished(job) {
  return ['completed', 'failed', 'cancelled'].includes(String(job.status).toLowerCase());
}

function draw(row) {
  const job = row.job;
  const status = String(job.status || '').toLowerCase();
  setText(row.cells.label, job.label || '');
  setText(row.cells.status, job.why ? `${job.status}: ${job.why}` : job.status);
  row.tr.className = 'job status-' + status.replace(/[^a-z]/g, '');
  setWidth(row.fill, jobProgress(job));
  setText(row.count, `${job.verified ?? 0}/${job.copies ?? 0}`);
  setText(row.cells.rejected, job.rejected ?? 0);
  setText(row.cells.inFlight, job.inFlight ?? 0);
  setText(row.cells.eta, isFinished(job) ? '' : job.etaSeconds === null || job.etaSeconds === undefined ? 'unknown' : formatDuration(job.etaSeconds));
  const a = row.actions;
  if (a.hold) {
    show(a.hold, status === 'running');
    show(a.resume, status === 'held');
    show(a.cancel, !isFinished(job));
  }
}
