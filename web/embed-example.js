// The example course page (embed-example.html): one iframe per lesson
// article, the events of each lesson into the score panel, frame heights
// from the lessons' height messages, and the buttons that send commands.
//
// The embed snippet for one lesson is:
//   <iframe src="index.html?lesson=handshake&parentOrigin=https://your.site&instance=l1"
//           title="..." allow="clipboard-write"></iframe>
// and a `message` listener that checks event.origin and event.source.
// Commands carry an id; the lesson answers each with an `ack` event.
//
// For tests: window.tcplabEvents holds every accepted event in order.
'use strict';

(function () {
  // Where tcplab is: next to this page, or elsewhere (any origin) with
  // <meta name="tcplab-app" content="https://tcplab.example/index.html"> or
  // ?app=<that address>. Events are taken from that origin only.
  const meta = document.querySelector('meta[name="tcplab-app"]');
  const appParam = new URLSearchParams(location.search).get('app');
  const app = new URL(appParam || (meta && meta.content) || 'index.html', location.href);
  const frames = new Map(); // instance -> { iframe, row, stats }
  let sent = 0; // command ids
  window.tcplabEvents = [];

  function cell(row, text) {
    const td = document.createElement('td');
    td.textContent = text;
    row.appendChild(td);
    return td;
  }

  function render(entry) {
    const s = entry.stats;
    const row = entry.row;
    row.cells[1].textContent = s.status;
    row.cells[2].textContent = s.hosts;
    row.cells[3].textContent = s.answers ? `${s.correct} right of ${s.answers}` : '-';
    row.cells[4].textContent = s.score === null ? '-' : `${s.score} / ${s.questions}`;
    row.cells[5].textContent = s.seconds === null ? '-' : `${Math.round(s.seconds)} s`;
  }

  function log(instance, msg) {
    const li = document.createElement('li');
    const detail = Object.entries(msg).filter(([k]) => k !== 'source' && k !== 'instance' && k !== 'type')
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ');
    li.textContent = `${instance}: ${msg.type} ${detail}`;
    const list = document.getElementById('event-log');
    list.insertBefore(li, list.firstChild);
    while (list.children.length > 50) list.removeChild(list.lastChild);
  }

  for (const article of document.querySelectorAll('article.lesson')) {
    const instance = article.dataset.instance;
    const lesson = article.dataset.lesson;
    const src = new URL(app);
    src.searchParams.set('lesson', lesson);
    src.searchParams.set('parentOrigin', location.origin);
    src.searchParams.set('instance', instance);
    const iframe = document.createElement('iframe');
    iframe.src = src.href;
    iframe.title = `${article.querySelector('h2').textContent} (interactive lesson)`;
    iframe.allow = 'clipboard-write';
    iframe.id = `frame-${instance}`;
    article.appendChild(iframe);

    const row = document.createElement('tr');
    row.id = `row-${instance}`;
    cell(row, lesson);
    for (let i = 0; i < 5; i++) cell(row, '-');
    document.getElementById('score-rows').appendChild(row);
    const entry = { iframe, row, stats: { status: 'loading', hosts: '-', answers: 0, correct: 0, score: null,
                                          questions: 0, seconds: null } };
    frames.set(instance, entry);
    render(entry);

    for (const button of article.querySelectorAll('button[data-command]')) {
      button.addEventListener('click', () => {
        const command = { target: 'tcplab', type: button.dataset.command, id: `${instance}-${++sent}` };
        if (button.dataset.lang) command.lang = button.dataset.lang;
        // Only to the lesson's own origin.
        iframe.contentWindow.postMessage(command, app.origin);
      });
    }
  }

  window.addEventListener('message', (event) => {
    if (event.origin !== app.origin) return;
    const msg = event.data;
    if (!msg || typeof msg !== 'object' || msg.source !== 'tcplab') return;
    const entry = frames.get(msg.instance);
    // The instance id is only a label: the sender must be that very frame.
    if (!entry || event.source !== entry.iframe.contentWindow) return;
    window.tcplabEvents.push(msg);
    const s = entry.stats;
    switch (msg.type) {
      case 'ready':
        s.status = 'ready';
        break;
      case 'height':
        entry.iframe.style.height = `${Math.max(320, Math.min(2000, Number(msg.height) || 0))}px`;
        break;
      case 'state':
        s.hosts = `${msg.A} / ${msg.B}`;
        if (s.status !== 'complete') s.status = msg.mode === 'lesson' ? 'in progress' : msg.mode;
        break;
      case 'answer':
        s.answers += 1;
        if (msg.correct) s.correct += 1;
        break;
      case 'complete':
        s.status = 'complete';
        s.score = msg.score;
        s.questions = msg.questions;
        s.seconds = msg.seconds;
        break;
      default:
        break;
    }
    if (msg.type !== 'height') log(msg.instance, msg);
    render(entry);
  });
})();
