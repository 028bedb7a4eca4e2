// Joins the room named by the form and shows every message that reaches it.
// A file of its own, not inline: the Content Security Policy allows scripts from 'self' only.
//
// A restart of the server drops the socket (1006, or 1001 going away): the page opens
// a new one after a pause that doubles up to 10 s, with some jitter, so that a whole
// room does not come back at the same instant. A message sent while the socket is
// down waits for the next one.
const form = document.getElementById("room-form");
const log = document.getElementById("room-log");
const scheme = window.location.protocol === "https:" ? "wss" : "ws";
const url = `${scheme}://${window.location.host}/ws/rooms/${form.dataset.room}/`;
const RECONNECT_ON = new Set([1001, 1006]);
const waiting = [];
let socket;
let pause = 500;

function open() {
  socket = new WebSocket(url);
  socket.addEventListener("open", () => {
    pause = 500;
    while (waiting.length) socket.send(waiting.shift());
  });
  socket.addEventListener("message", (event) => {
    const { author, message } = JSON.parse(event.data);
    const item = document.createElement("li");
    item.textContent = `${author}: ${message}`;
    log.append(item);
  });
  socket.addEventListener("close", (event) => {
    if (!RECONNECT_ON.has(event.code)) return;
    setTimeout(open, pause * (0.5 + Math.random()));
    pause = Math.min(pause * 2, 10000);
  });
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const frame = JSON.stringify({ message: form.elements.message.value });
  if (socket.readyState === WebSocket.OPEN) socket.send(frame);
  else waiting.push(frame);
  form.reset();
});

open();
