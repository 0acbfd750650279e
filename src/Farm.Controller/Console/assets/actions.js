// What the operator's buttons do: one click handler for the whole page (buttons carry
// data-action and data-id). The server decides: a viewer's forced request is refused (403) and
// the refusal is shown. The result shows on the board when the farm's events report it.

import { post, path, headers, checked, ApiProblem } from './api.js';

const Requests = {
  'drive-pause': id => [path('drives', id, 'pause')],
  'drive-resume': id => [path('drives', id, 'resume')],
  'drive-maintenance': id => [path('drives', id, 'maintenance')],
  'drive-clear': id => [path('drives', id, 'clear')],
  'job-hold': id => [path('jobs', id, 'hold')],
  'job-resume': id => [path('jobs', id, 'resume')],
  'job-cancel': id => [path('jobs', id, 'cancel')],
  'alert-acknowledge': id => [path('alerts', id, 'acknowledge')],
};

// Cancelling is not undone: the first click asks, a second within a few seconds does it.
const Confirmed = new Set(['job-cancel']);
const ConfirmWindow = 4000;

export function wireActions(toast) {
  document.addEventListener('click', async event => {
    const target = event.target instanceof Element ? event.target.closest('button[data-action]') : null;
    if (!target || target.disabled) return;
    const action = target.dataset.action;
    const id = target.dataset.id;
    if (action === 'job-report') {
      await openReport(id, toast);
      return;
    }

    let request;
    if (action === 'tower-refilled') {
      request = refill(target, id, toast);
    } else if (Requests[action]) {
      request = Requests[action](id);
    }

    if (!request) return;
    if (Confirmed.has(action) && !target.dataset.confirming) {
      target.dataset.confirming = target.textContent;
      target.textContent = 'Confirm ' + target.textContent.toLowerCase();
      setTimeout(() => restore(target), ConfirmWindow);
      return;
    }

    restore(target);
    target.disabled = true;
    try {
      await post(...request);
      toast(`${describe(action)} ${id}: asked`, false);
    } catch (error) {
      toast(`${describe(action)} ${id}: ${error instanceof ApiProblem ? error.message : error}`, true);
    } finally {
      target.disabled = false;
    }
  });
}

function restore(target) {
  if (target.dataset.confirming) {
    target.textContent = target.dataset.confirming;
    delete target.dataset.confirming;
  }
}

function refill(target, towerId, toast) {
  const field = target.parentElement ? target.parentElement.querySelector('input.refill-count') : null;
  const text = field ? field.value.trim() : '';
  if (!/^\d+$/.test(text)) {
    toast(`tower ${towerId}: type how many blanks are now in the input bin (a whole number), then Refilled`, true);
    if (field) field.focus();
    return null;
  }

  return [path('towers', towerId, 'refilled'), { input: Number(text) }];
}

function describe(action) {
  const [subject, verb] = action.split('-');
  return `${verb} ${subject}`;
}

async function openReport(jobId, toast) {
  try {
    const response = await checked(await fetch(path('jobs', jobId, 'report') + '?format=html', { headers: headers('text/html'), cache: 'no-store' }));
    const url = URL.createObjectURL(await response.blob());
    const link = document.createElement('a');
    link.href = url;
    link.download = `report-${jobId}.html`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  } catch (error) {
    toast(`report of ${jobId}: ${error.message}`, true);
  }
}
