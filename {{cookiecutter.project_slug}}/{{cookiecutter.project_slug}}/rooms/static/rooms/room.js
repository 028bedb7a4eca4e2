// Joins the room named by the form and shows every message that reaches it.
// A file of its own, not inline: the Content Security Policy allows scripts from 'self' only.
const form = document.getElementById("room-form");
const log = document.getElementById("room-log");
const scheme = window.location.protocol === "https:" ? "wss" : "ws";
const socket = new WebSocket(`${scheme}://${window.location.host}/ws/rooms/${form.dataset.room}/`);

socket.addEventListener("message", (event) => {
  const { author, message } = JSON.parse(event.data);
  const item = document.createElement("li");
  item.textContent = `${author}: ${message}`;
  log.append(item);
});

form.addEventListener("submit", (event) => {
  event.preventDefault();
  socket.send(JSON.stringify({ message: form.elements.message.value }));
  form.reset();
});
