/* Chat widget for the bot's socket.io channel: Indonesian interface, conversation kept in localStorage.
   Every text goes into the page through textContent, never as HTML. */
(function () {
  "use strict";

  const script = document.currentScript;
  const SERVER = script.dataset.server || new URL(script.src, location.href).origin;
  const SOCKET_PATH = script.dataset.path || "/socket.io";
  const STORE_SESSION = "kramChat.session";
  const STORE_HISTORY = "kramChat.history";
  const MAX_HISTORY = 200;
  const REPLY_TIMEOUT_MS = 60000;
  const FEEDBACK_PAYLOAD = "/feedback{"; /* 👍 / 👎 under an answer (actions/buttons.py) */
  const TEXT = {
    title: "Asisten Kram Betis",
    welcome:
      "Halo! Saya menjawab pertanyaan tentang kram betis di malam hari atau saat berlari, " +
      "mati rasa dan kesemutan di kaki, spasme kaki, dan kedutan otot betis, dari artikel " +
      "kesehatan dengan sumbernya. Saya bukan dokter: jika keluhan berat atau tidak membaik, " +
      "periksakan diri ke dokter.",
    log: "Percakapan",
    input: "Pertanyaan Anda",
    placeholder: "Tulis pertanyaan Anda…",
    send: "Kirim",
    reset: "Percakapan baru",
    replies: "Pilihan jawaban",
    typing: "Asisten sedang mengetik…",
    connecting: "Menghubungkan…",
    online: "Terhubung",
    offline: "Terputus, mencoba lagi…",
    noReply: "Belum ada jawaban; coba kirim lagi.",
  };

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function load(key, fallback) {
    try {
      const value = localStorage.getItem(key);
      return value === null ? fallback : JSON.parse(value);
    } catch (error) {
      return fallback;
    }
  }

  function save(key, value) {
    try {
      if (value === null) localStorage.removeItem(key);
      else localStorage.setItem(key, JSON.stringify(value));
    } catch (error) {
      /* Private browsing or a full quota: the conversation then lasts as long as the page. */
    }
  }

  /* The widget's elements, built into #kram-chat (or a new element at the end of the page). */
  const root = document.getElementById("kram-chat") || document.body.appendChild(element("div"));
  const chat = element("section", "kc-chat");
  chat.setAttribute("aria-label", TEXT.title);
  const header = element("header", "kc-header");
  const status = element("span", "kc-status", TEXT.connecting);
  status.setAttribute("role", "status");
  const reset = element("button", "kc-reset", TEXT.reset);
  reset.type = "button";
  header.append(element("h1", "kc-title", TEXT.title), status, reset);
  const log = element("div", "kc-log");
  log.setAttribute("role", "log");
  log.setAttribute("aria-label", TEXT.log);
  log.tabIndex = 0;
  const typing = element("p", "kc-typing", TEXT.typing);
  typing.hidden = true;
  const form = element("form", "kc-form");
  const label = element("label", "kc-visually-hidden", TEXT.input);
  const input = element("input", "kc-input");
  input.id = "kc-input";
  label.htmlFor = input.id;
  input.type = "text";
  input.autocomplete = "off";
  input.maxLength = 1000;
  input.placeholder = TEXT.placeholder;
  const sendButton = element("button", "kc-send", TEXT.send);
  sendButton.type = "submit";
  form.append(label, input, sendButton);
  chat.append(header, log, form);
  root.append(chat);

  /* Messages: a text, or an answer (its passage, the review's warning, its source line). */
  function bubble(entry) {
    const node = element("div", "kc-message kc-" + entry.from);
    if (!entry.answer) {
      node.append(element("p", "", entry.text));
      return node;
    }
    node.classList.add("kc-answer");
    node.append(element("p", "kc-passage", entry.answer.passage));
    if (entry.answer.warning) node.append(element("p", "kc-warning", entry.answer.warning));
    node.append(element("p", "kc-source", entry.answer.source));
    return node;
  }

  /* The answer a bot_uttered event carries (actions/answer_format.py), or null. */
  function answerOf(message) {
    const answer = message.answer;
    if (!answer || typeof answer.passage !== "string" || typeof answer.source !== "string") return null;
    return {
      passage: answer.passage,
      warning: typeof answer.warning === "string" ? answer.warning : null,
      source: answer.source,
    };
  }

  function show(node) {
    log.append(node, typing);
    log.scrollTop = log.scrollHeight;
  }

  function showReplies(replies) {
    const group = element("div", "kc-replies");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", TEXT.replies);
    for (const reply of replies) {
      const feedback = reply.payload.indexOf(FEEDBACK_PAYLOAD) === 0;
      const button = element("button", feedback ? "kc-reply kc-feedback" : "kc-reply", reply.title);
      button.type = "button";
      button.addEventListener("click", function () {
        send(reply.payload, reply.title);
        input.focus();
      });
      group.append(button);
    }
    show(group);
  }

  function clearReplies() {
    for (const group of log.querySelectorAll(".kc-replies")) group.remove();
  }

  let history = load(STORE_HISTORY, []);
  if (!Array.isArray(history)) history = [];

  /* A bot message's buttons stay until the user says something (an answer's suggestions and
     feedback stay under the offer that may follow it). */
  function add(entry) {
    if (entry.from === "user") clearReplies();
    show(bubble(entry));
    if (entry.replies && entry.replies.length) showReplies(entry.replies);
    history.push(entry);
    history = history.slice(-MAX_HISTORY);
    save(STORE_HISTORY, history);
  }

  const welcome = bubble({ from: "bot", text: TEXT.welcome });
  welcome.classList.add("kc-welcome");
  show(welcome);
  let lastUser = -1;
  history.forEach(function (entry, position) {
    if (entry.from === "user") lastUser = position;
  });
  history.forEach(function (entry, position) {
    show(bubble(entry));
    if (position > lastUser && entry.replies && entry.replies.length) showReplies(entry.replies);
  });

  /* The socket. The server issues the session and a token that proves this page holds it; the
     page shows both to resume it after a reload, and messages wait until the server confirms it. */
  let session = load(STORE_SESSION, null) || {};
  let confirmed = false;
  let pending = [];
  let typingTimer = null;

  function setTyping(on) {
    clearTimeout(typingTimer);
    typing.hidden = !on;
    if (on) {
      log.scrollTop = log.scrollHeight;
      typingTimer = setTimeout(function () {
        typing.hidden = true;
        status.textContent = TEXT.noReply;
      }, REPLY_TIMEOUT_MS);
    }
  }

  const socket = io(SERVER, { path: SOCKET_PATH });

  function emit(message) {
    socket.emit("user_uttered", { message: message, session_id: session.session_id });
  }

  function send(message, shown) {
    add({ from: "user", text: shown });
    setTyping(true);
    if (confirmed) emit(message);
    else pending.push(message);
  }

  socket.on("connect", function () {
    socket.emit("session_request", { session_id: session.session_id, token: session.token });
  });
  socket.on("session_confirm", function (issued) {
    session = { session_id: String(issued.session_id), token: String(issued.token) };
    save(STORE_SESSION, session);
    confirmed = true;
    status.textContent = TEXT.online;
    pending.forEach(emit);
    pending = [];
  });
  socket.on("disconnect", function () {
    confirmed = false;
    status.textContent = TEXT.offline;
  });
  socket.on("connect_error", function () {
    status.textContent = TEXT.offline;
  });
  socket.on("bot_uttered", function (message) {
    setTyping(false);
    status.textContent = TEXT.online;
    const answer = answerOf(message);
    if (answer) {
      add({ from: "bot", answer: answer });
      return;
    }
    if (typeof message.text !== "string") return;
    const replies = (message.quick_replies || []).map(function (reply) {
      return { title: String(reply.title), payload: String(reply.payload) };
    });
    add({ from: "bot", text: message.text, replies: replies });
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    const message = input.value.trim();
    if (!message) return;
    input.value = "";
    send(message, message);
  });
  reset.addEventListener("click", function () {
    save(STORE_HISTORY, null);
    save(STORE_SESSION, null);
    location.reload();
  });
})();
