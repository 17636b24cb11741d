// execra sample UI: plain JavaScript, no build. The job list follows /api/events (all jobs), the job view follows
// /api/jobs/{id}/events (one job, replayed then live); both are Server-Sent Events whose names are event kinds.
'use strict';

const $ = (id) => document.getElementById(id);
const HISTORY_PAGE_SIZE = 10;
const MAX_LOG_LINES = 2000;

const state = {
  jobs: new Map(),          // id -> job snapshot shown in the job list
  historyPage: 0,
  view: null,               // the job view: { id, source, outputSeq, pendingPrompt }
};

// ---- HTTP -------------------------------------------------------------------------------------------------------

async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (!response.ok) {
    throw new Error((json && (json.detail || json.title)) || `${method} ${path}: ${response.status}`);
  }
  return json;
}

// ---- small view helpers -----------------------------------------------------------------------------------------

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (value !== null && value !== undefined) node.setAttribute(key, value);
  }
  node.append(...children.filter((child) => child !== null && child !== undefined));
  return node;
}

function setProgress(bar, progress) {
  const fraction = progress ? progress.fraction : null;
  if (fraction === null || fraction === undefined) {
    bar.removeAttribute('value');   // indeterminate
    bar.title = (progress && progress.hint) || '';
  } else {
    bar.value = fraction;
    bar.title = `${Math.round(fraction * 100)} %`;
  }
}

function presetOf(job) {
  return (job.command.metadata && job.command.metadata.preset) || job.command.program;
}

function phaseText(phase) {
  if (!phase) return '';
  return phase.label ? `${phase.name}: ${phase.label}` : phase.name;
}

function formatTime(instant) {
  return instant ? new Date(instant).toLocaleString() : '';
}

// ---- presets ----------------------------------------------------------------------------------------------------

async function loadPresets() {
  const presets = await api('GET', '/api/presets');
  $('preset-list').replaceChildren(...presets.map((preset) => el('div', { class: 'preset' },
    el('h3', {}, preset.name),
    el('p', {}, `${preset.program} · ${preset.placeholders.map((p) => `{${p}}`).join(' ')}`),
    el('div', {}, ...preset.tags.map((tag) => el('span', { class: 'tag' }, tag))),
    el('button', { class: 'primary', type: 'button', id: `start-${preset.name}`, dataset: { preset: preset.name },
      onclick: () => launch(preset.name) }, `Start ${preset.name}`))));
}

async function launch(name) {
  $('launch-error').hidden = true;
  try {
    // fresh defaults each time: output files and clone directories must not exist yet
    const preset = (await api('GET', '/api/presets')).find((p) => p.name === name);
    const job = await api('POST', '/api/jobs', { preset: name, parameters: preset.defaults });
    upsertJob(job);
    openJob(job.id);
  } catch (error) {
    $('launch-error').textContent = error.message;
    $('launch-error').hidden = false;
  }
}

// ---- job list (live) --------------------------------------------------------------------------------------------

async function loadJobs() {
  const page = await api('GET', '/api/jobs?size=20&state=QUEUED&state=RUNNING&state=EXITED');
  const recent = await api('GET', '/api/jobs?size=5&state=FINALIZED');
  state.jobs.clear();
  $('job-rows').replaceChildren();
  [...recent.jobs, ...page.jobs].sort((a, b) => a.createdAt.localeCompare(b.createdAt)).forEach(upsertJob);
}

function upsertJob(job) {
  state.jobs.set(job.id, job);
  let row = document.querySelector(`#job-rows tr[data-job-id="${job.id}"]`);
  if (!row) {
    row = el('tr', { dataset: { jobId: job.id } },
      el('td', {}, el('span', { class: 'job-label' }), el('span', { class: 'job-id' }, job.id)),
      el('td', {}, el('span', { class: 'state' })),
      el('td', { class: 'node' }),
      el('td', { class: 'phase' }),
      el('td', {}, el('progress', { id: `progress-${job.id}`, max: '1', dataset: { jobId: job.id } })),
      el('td', {}, el('span', { class: 'outcome' })),
      el('td', { class: 'actions' },
        el('button', { type: 'button', class: 'view', onclick: () => openJob(job.id) }, 'View'), ' ',
        el('button', { type: 'button', class: 'danger cancel', dataset: { jobId: job.id },
          onclick: () => cancel(job.id) }, 'Cancel')));
    $('job-rows').prepend(row);
  }
  row.querySelector('.job-label').textContent = `${job.label || presetOf(job)}`;
  // the node that runs the job: with the postgres profile, any instance of the cluster may claim it
  row.querySelector('.node').textContent = job.node;
  renderState(row, job);
  row.querySelector('.phase').textContent = phaseText(job.phase);
  const bar = row.querySelector('progress');
  setProgress(bar, job.progress);
  // a finished job that never reported progress has nothing to show (an indeterminate bar would look busy)
  bar.hidden = job.state === 'FINALIZED' && (job.progress.fraction === null || job.progress.fraction === undefined);
  $('no-jobs').hidden = state.jobs.size > 0;
}

function renderState(row, job) {
  const badge = row.querySelector('.state');
  badge.textContent = job.state;
  badge.dataset.state = job.state;
  row.dataset.state = job.state;
  const outcome = row.querySelector('.outcome');
  outcome.textContent = job.outcome ? job.outcome.message : '';
  outcome.dataset.outcome = job.outcome ? job.outcome.kind : '';
  row.querySelector('button.cancel').disabled = job.state === 'FINALIZED';
}

async function refreshJob(id) {
  const details = await api('GET', `/api/jobs/${id}?afterSeq=0&limit=1`);
  upsertJob(details.job);
  return details.job;
}

// Applies an event of /api/events to the job list.
function onListEvent(event) {
  const job = state.jobs.get(event.jobId);
  if (event.kind === 'job_created' || !job || event.kind === 'lagged' || event.kind === 'finalized') {
    refreshJob(event.jobId).then(() => { if (event.kind === 'finalized') loadHistory(); });
    return;
  }
  const row = document.querySelector(`#job-rows tr[data-job-id="${event.jobId}"]`);
  switch (event.kind) {
    // started on the node that claimed it, which the snapshot names
    case 'job_started': job.state = 'RUNNING'; renderState(row, job); refreshJob(event.jobId).catch(() => {}); break;
    case 'exited': job.state = 'EXITED'; renderState(row, job); break;
    case 'progress_updated': job.progress = event.progress; setProgress(row.querySelector('progress'), event.progress); break;
    case 'phase_entered': job.phase = { name: event.name, label: event.label }; row.querySelector('.phase').textContent = phaseText(job.phase); break;
    case 'phase_updated': if (job.phase) { job.phase.label = event.label; row.querySelector('.phase').textContent = phaseText(job.phase); } break;
    case 'phase_exited': row.querySelector('.phase').textContent = ''; break;
    case 'label_updated': row.querySelector('.job-label').textContent = event.label; break;
    default: break;
  }
}

function followAllJobs() {
  const source = new EventSource('/api/events');
  const kinds = ['job_created', 'job_started', 'phase_entered', 'phase_updated', 'phase_exited', 'progress_updated',
    'label_updated', 'exited', 'cancelled', 'finalized', 'lagged'];
  kinds.forEach((kind) => source.addEventListener(kind, (message) => onListEvent(JSON.parse(message.data))));
  source.onopen = () => {
    $('connection').textContent = 'live';
    $('connection').dataset.state = 'open';
    loadJobs();      // (re)connected: events may have been missed meanwhile
  };
  source.onerror = () => {
    $('connection').textContent = 'reconnecting…';
    $('connection').dataset.state = 'error';
  };
}

async function cancel(id) {
  try {
    upsertJob(await api('POST', `/api/jobs/${id}/cancel`));
  } catch (error) {
    alert(error.message);
  }
}

// ---- job view ---------------------------------------------------------------------------------------------------

async function openJob(id) {
  closeJob();
  const view = { id, source: null, outputSeq: 0, finalized: false };
  state.view = view;
  document.querySelectorAll('#job-rows tr').forEach((row) => row.classList.toggle('selected', row.dataset.jobId === id));
  $('job-view').hidden = false;
  $('job-view').dataset.jobId = id;
  ['log', 'warnings', 'findings'].forEach((list) => $(list).replaceChildren());
  $('warning-count').textContent = '0';
  $('finding-count').textContent = '0';
  $('prompt').hidden = true;
  $('job-notice').hidden = true;
  const details = await api('GET', `/api/jobs/${id}?limit=1`);
  if (state.view !== view) return;
  renderJobHead(details.job);
  view.source = new EventSource(`/api/jobs/${id}/events`);
  const kinds = ['job_created', 'job_started', 'phase_entered', 'phase_updated', 'phase_exited', 'progress_updated',
    'label_updated', 'output_appended', 'warning_detected', 'known_error_detected', 'finding_emitted',
    'prompt_detected', 'interpreter_error', 'exited', 'cancelled', 'finalized', 'lagged'];
  kinds.forEach((kind) => view.source.addEventListener(kind, (message) => {
    if (state.view === view) onJobEvent(view, JSON.parse(message.data));
  }));
  if (!details.live) {
    // not run by this instance (e.g. before a restart): the stored events hold no output lines; read the log
    loadOutput(view);
  }
}

function closeJob() {
  if (state.view && state.view.source) state.view.source.close();
  state.view = null;
  $('job-view').hidden = true;
  document.querySelectorAll('#job-rows tr.selected').forEach((row) => row.classList.remove('selected'));
}

function renderJobHead(job) {
  $('job-title').textContent = job.label || presetOf(job);
  $('job-command').textContent = job.command.commandLine;
  $('job-node').textContent = job.node;
  $('job-state').textContent = job.state;
  $('job-state').dataset.state = job.state;
  $('job-phase').textContent = phaseText(job.phase);
  setProgress($('job-progress'), job.progress);
  $('job-progress').dataset.jobId = job.id;
  $('job-outcome').textContent = job.outcome ? job.outcome.message : '';
  $('job-outcome').dataset.outcome = job.outcome ? job.outcome.kind : '';
  $('job-cancel').disabled = job.state === 'FINALIZED';
  $('job-cancel').onclick = () => cancel(job.id);
}

function onJobEvent(view, event) {
  switch (event.kind) {
    case 'job_started':
      setJobState('RUNNING');
      refreshJob(view.id).then((job) => { if (state.view === view) $('job-node').textContent = job.node; }).catch(() => {});
      break;
    case 'exited': setJobState('EXITED'); break;
    case 'phase_entered': $('job-phase').textContent = phaseText(event); break;
    case 'phase_updated': $('job-phase').textContent = event.label; break;
    case 'progress_updated': setProgress($('job-progress'), event.progress); break;
    case 'label_updated': $('job-title').textContent = event.label; break;
    case 'output_appended': appendOutput(view, event.seq, event.stream, event.line); break;
    case 'warning_detected': addItem('warnings', 'warning-count', null, event.message); break;
    case 'known_error_detected': addItem('warnings', 'warning-count', 'ERROR', `${event.code}: ${event.message}`); break;
    case 'interpreter_error': addItem('warnings', 'warning-count', 'ERROR', `interpreter ${event.interpreter}: ${event.error}`); break;
    case 'finding_emitted': addItem('findings', 'finding-count', event.finding.severity, `${event.finding.message} (${event.finding.code})`); break;
    case 'prompt_detected': showPrompt(event.prompt); break;
    case 'cancelled': notice('Cancellation requested: the process group is being terminated.'); break;
    case 'lagged':
      notice(`Events from #${event.seq} were missed while the connection fell behind; reloaded the output.`);
      loadOutput(view);
      break;
    case 'finalized':
      view.source.close();    // the stream ends here; without this EventSource would reconnect
      $('prompt').hidden = true;
      refreshJob(view.id).then(renderJobHead);
      break;
    default: break;
  }
}

function setJobState(jobState) {
  $('job-state').textContent = jobState;
  $('job-state').dataset.state = jobState;
}

function appendOutput(view, seq, stream, line) {
  if (seq <= view.outputSeq) return;   // already shown (from /output or the replay)
  view.outputSeq = seq;
  const log = $('log');
  const stick = log.scrollTop + log.clientHeight >= log.scrollHeight - 4;
  log.append(el('div', { class: stream === 'STDERR' ? 'stderr' : null }, line));
  while (log.childElementCount > MAX_LOG_LINES) log.firstElementChild.remove();
  if (stick) log.scrollTop = log.scrollHeight;
}

async function loadOutput(view) {
  let after = view.outputSeq;
  for (;;) {
    const page = await api('GET', `/api/jobs/${view.id}/output?afterSeq=${after}&maxBytes=262144`);
    if (state.view !== view) return;
    page.chunks.forEach((chunk) => appendOutput(view, chunk.seq, chunk.stream, chunk.line));
    if (page.chunks.length === 0 || page.nextSeq <= after) return;
    after = page.nextSeq;
  }
}

function addItem(list, counter, severity, text) {
  $(list).append(el('li', { dataset: severity ? { severity } : {} }, text));
  $(counter).textContent = String($(list).childElementCount);
}

function showPrompt(prompt) {
  $('prompt-text').textContent = prompt;
  $('prompt').hidden = false;
  $('prompt-answer').value = '';
  $('prompt-answer').focus();
}

function notice(text) {
  $('job-notice').textContent = text;
  $('job-notice').hidden = false;
}

$('prompt').addEventListener('submit', async (submit) => {
  submit.preventDefault();
  const view = state.view;
  try {
    await api('POST', `/api/jobs/${view.id}/stdin`, { text: $('prompt-answer').value });
    $('prompt').hidden = true;
  } catch (error) {
    notice(error.message);
  }
});
$('job-close').addEventListener('click', closeJob);

// ---- history (finalized jobs from the job store) ----------------------------------------------------------------

async function loadHistory() {
  const page = await api('GET', `/api/jobs?state=FINALIZED&page=${state.historyPage}&size=${HISTORY_PAGE_SIZE}`);
  $('history-rows').replaceChildren(...page.jobs.map((job) => el('tr', { dataset: { jobId: job.id } },
    el('td', {}, el('span', { class: 'job-label' }, job.label || presetOf(job)), el('span', { class: 'job-id' }, job.id)),
    el('td', {}, formatTime(job.finishedAt)),
    el('td', {}, el('span', { class: 'outcome', dataset: { outcome: job.outcome.kind } }, job.outcome.message)),
    el('td', {}, String(job.outcome.findings.length)),
    el('td', { class: 'actions' }, el('button', { type: 'button', onclick: () => openJob(job.id) }, 'View')))));
  const pages = Math.max(1, Math.ceil(page.total / HISTORY_PAGE_SIZE));
  $('history-page').textContent = `page ${state.historyPage + 1} of ${pages} · ${page.total} finished jobs`;
  $('history-prev').disabled = state.historyPage === 0;
  $('history-next').disabled = state.historyPage + 1 >= pages;
}

$('history-prev').addEventListener('click', () => { state.historyPage -= 1; loadHistory(); });
$('history-next').addEventListener('click', () => { state.historyPage += 1; loadHistory(); });

// ---- start ------------------------------------------------------------------------------------------------------

loadPresets();
loadHistory();
loadJobs();          // at once: the stream's open only reloads what may have been missed while (re)connecting
followAllJobs();
