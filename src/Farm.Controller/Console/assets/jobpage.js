// One job's page (#/jobs/{id}): the job and every disc burned for it (GET /api/jobs/{id}), each
// with its speed curve. It reloads when the job's events say it changed, and every few seconds
// while a disc of it is burning.

import { getJson, path, Unauthorized } from './api.js';
import { el, button, formatDuration, formatNumber, formatTime } from './dom.js';
import { drawCurve } from './curve.js';
import { isFinished, jobProgress } from './jobs.js';

const BurningRefresh = 2000;
const Columns = ['Copy', 'Attempt', 'Drive', 'Node', 'Tower', 'Media', 'Started', 'Ended', 'Avg MB/s', 'Peak MB/s', 'Verify', 'SHA-256', 'Outcome', 'Speed over LBA'];

export class JobPage {
  constructor(root, canAct, onError) {
    this.root = root;
    this.canAct = canAct;
    this.onError = onError;
    this.jobId = null;
    this.timer = null;
    this.loading = false;
    this.again = false;
  }

  open(jobId) {
    this.jobId = jobId;
    this.root.replaceChildren(el('p', 'loading', 'loading job ' + jobId + '...'));
    this.load();
  }

  close() {
    this.jobId = null;
    clearTimeout(this.timer);
  }

  // A job event: reload this page's job (one load at a time; one more if events came meanwhile).
  jobChanged(jobId) {
    if (jobId === this.jobId) this.load();
  }

  async load() {
    if (!this.jobId) return;
    if (this.loading) {
      this.again = true;
      return;
    }

    const jobId = this.jobId;
    this.loading = true;
    clearTimeout(this.timer);
    try {
      const job = await getJson(path('jobs', jobId));
      if (jobId !== this.jobId) return;
      this.render(job);
      const discs = job.discs || [];
      if (discs.some(d => d.outcome === 'burning') || !isFinished(job)) this.timer = setTimeout(() => this.load(), BurningRefresh);
    } catch (error) {
      if (jobId !== this.jobId || error instanceof Unauthorized) return;
      this.root.replaceChildren(el('p', 'problem', `job ${jobId}: ${error.message}`));
      this.onError(error);
    } finally {
      this.loading = false;
      if (this.again) {
        this.again = false;
        this.load();
      }
    }
  }

  render(job) {
    const title = el('h2', 'job-title', job.label || job.id);
    const facts = el('dl', 'job-facts');
    const fact = (name, value) => facts.append(el('dt', null, name), el('dd', null, value ?? ''));
    fact('Job', job.id);
    fact('Status', job.why ? `${job.status}: ${job.why}` : job.status);
    fact('Progress', `${job.verified ?? 0}/${job.copies ?? 0} verified (${formatNumber(jobProgress(job), 0)} %), ${job.rejected ?? 0} rejected, ${job.inFlight ?? 0} in flight`);
    fact('ETA', isFinished(job) ? '' : job.etaSeconds == null ? 'unknown' : formatDuration(job.etaSeconds));
    fact('Media', job.media);
    fact('Image', job.image);
    fact('Image SHA-256', job.sha256);
    fact('Priority', job.priority);
    fact('Submitted', formatTime(job.submittedAt));
    fact('Due', formatTime(job.dueAt));

    const actions = el('p', 'actions');
    if (this.canAct && !isFinished(job)) {
      const status = String(job.status).toLowerCase();
      if (status === 'running') actions.append(button('Hold', 'job-hold', { id: job.id }));
      if (status === 'held') actions.append(button('Resume', 'job-resume', { id: job.id }));
      actions.append(button('Cancel', 'job-cancel', { id: job.id }));
    }

    // Any role may read the report; it is fetched with the token (a plain link would not send it).
    const report = el('button', 'report', 'Report (HTML)');
    report.type = 'button';
    report.dataset.action = 'job-report';
    report.dataset.id = job.id;
    actions.append(report);

    const table = el('table', 'discs');
    const head = el('tr');
    for (const name of Columns) head.append(el('th', null, name));
    table.append(el('thead'));
    table.tHead.append(head);
    const body = el('tbody');
    for (const disc of job.discs || []) body.append(discRow(disc));
    table.append(body);
    const discs = job.discs || [];
    this.root.replaceChildren(title, facts, actions, el('h3', null, `Discs (${discs.length})`), discs.length ? table : el('p', 'none', 'no disc burned yet'));
  }
}

function discRow(disc) {
  const tr = el('tr', 'disc outcome-' + String(disc.outcome || '').replace(/[^a-z]/g, ''));
  tr.dataset.copy = String(disc.copy);
  tr.dataset.attempt = String(disc.attempt);
  const outcome = disc.outcome === 'rejected' && disc.rejectReason ? `rejected: ${disc.rejectReason}`
    : disc.outcome === 'interrupted' && disc.interruptedLba != null ? `interrupted at LBA ${disc.interruptedLba}` : disc.outcome;
  const values = [disc.copy, disc.attempt, disc.drive, disc.node, disc.tower, disc.media, formatTime(disc.startedAt), formatTime(disc.endedAt),
    formatNumber(disc.averageMBps, 1), formatNumber(disc.peakMBps, 1), disc.verify, disc.sha256, outcome];
  for (const value of values) tr.append(el('td', null, value ?? ''));
  const cell = el('td');
  const canvas = el('canvas', 'curve');
  canvas.width = 240;
  canvas.height = 48;
  const points = Array.isArray(disc.speedCurve) ? disc.speedCurve.filter(p => Array.isArray(p) && p.length >= 2) : [];
  canvas.dataset.points = String(points.length);
  drawCurve(canvas, points, 0);
  cell.append(canvas);
  tr.append(cell);
  return tr;
}
