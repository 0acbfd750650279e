// The operator console: who is looking (GET /api/whoami decides whether action buttons exist),
// the farm's drives, towers, jobs and alerts loaded once, then kept live by GET /api/events.
// Two views: the farm (#/) and one job (#/jobs/{id}), switched without a reload.

import { getJson, onUnauthorized, token, Unauthorized } from './api.js';
import { connectEvents } from './events.js';
import { Board } from './board.js';
import { DriveTiles } from './drives.js';
import { Alerts } from './alerts.js';
import { JobTable } from './jobs.js';
import { JobPage } from './jobpage.js';
import { wireActions } from './actions.js';
import { showLogin, wireLogin } from './login.js';

const ActingRoles = new Set(['operator', 'admin']);
let session = null;

function toast(message, bad) {
  const node = document.getElementById('toast');
  node.textContent = message;
  node.className = bad ? 'bad' : 'good';
  node.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => (node.hidden = true), bad ? 10_000 : 4000);
}

function setConnection(text) {
  const node = document.getElementById('connection');
  node.textContent = text;
  node.dataset.state = text === 'live' ? 'live' : 'down';
}

function list(value, name) {
  // The contract's lists are JSON arrays; an object holding the list under its name is read too.
  if (Array.isArray(value)) return value;
  return value && Array.isArray(value[name]) ? value[name] : [];
}

async function start() {
  session?.stop();
  session = null;
  document.getElementById('sign-out').hidden = !token.get();
  let me;
  try {
    me = await getJson('/api/whoami');
  } catch (error) {
    if (!(error instanceof Unauthorized)) {
      setConnection('cannot reach the farm');
      toast(`who am I: ${error.message}; trying again`, true);
      setTimeout(start, 3000);
    }

    return;
  }

  const canAct = ActingRoles.has(String(me.role).toLowerCase());
  document.body.classList.toggle('can-act', canAct);
  document.getElementById('who').textContent = `${me.name} (${me.role})`;
  document.getElementById('login').hidden = true;

  const boardRoot = document.getElementById('board');
  const jobsBody = document.querySelector('#jobs tbody');
  boardRoot.replaceChildren();
  jobsBody.replaceChildren();
  const board = new Board(boardRoot, canAct);
  const page = new JobPage(document.getElementById('job-detail'), canAct, () => {});
  let drives = null;
  const jobs = new JobTable(jobsBody, canAct, jobId => drives?.jobChanged(jobId));
  drives = new DriveTiles(board, canAct, jobId => jobs.label(jobId), count => (document.getElementById('drive-count').textContent = `(${count})`));
  const alerts = new Alerts(document.getElementById('alerts'), board, canAct);
  const handlers = {
    drive: d => drives.update(d),
    tower: t => board.updateTower(t),
    job: j => {
      jobs.update(j);
      page.jobChanged(j.id);
    },
    alert: a => alerts.update(a),
    'alert-cleared': a => alerts.remove(a && a.id),
  };

  const route = () => {
    const match = /^#\/jobs\/(.+)$/.exec(location.hash);
    document.getElementById('farm-view').hidden = Boolean(match);
    document.getElementById('job-view').hidden = !match;
    if (match) page.open(decodeURIComponent(match[1]));
    else page.close();
  };
  window.addEventListener('hashchange', route);
  route();

  // A first picture from the lists, then the stream (whose snapshot on connect covers what
  // changed in between).
  setConnection('loading...');
  const loads = [['/api/drives', 'drives', handlers.drive], ['/api/towers', 'towers', handlers.tower], ['/api/jobs', 'jobs', handlers.job], ['/api/alerts', 'alerts', handlers.alert]];
  const results = await Promise.allSettled(loads.map(([url]) => getJson(url)));
  results.forEach((result, i) => {
    if (result.status === 'fulfilled') list(result.value, loads[i][1]).forEach(loads[i][2]);
    else if (!(result.reason instanceof Unauthorized)) toast(`${loads[i][0]}: ${result.reason.message}`, true);
  });
  if (results.some(r => r.status === 'rejected' && r.reason instanceof Unauthorized)) return;

  const stopEvents = connectEvents(handlers, setConnection);
  session = {
    stop() {
      stopEvents();
      window.removeEventListener('hashchange', route);
      page.close();
    },
  };
}

onUnauthorized(why => {
  session?.stop();
  session = null;
  setConnection('signed out');
  showLogin(token.get() ? `the token was refused (${why})` : null);
});
wireLogin(start);
wireActions(toast);
start();
