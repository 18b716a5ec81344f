// Constructed fixture; structure modelled on ../shared/research/outlets.md §5 (Radar Semarang, Jawa Pos radar network).
// Renders the story of a JavaScript-shell page: fetches it from /api/article/<id> and builds
// the read__* markup in #__next.
(function () {
  var id = location.pathname.split("/")[2];
  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }
  fetch("/api/article/" + id)
    .then(function (answer) { return answer.json(); })
    .then(function (story) {
      var read = element("div", "read");
      read.appendChild(element("h1", "read__title", story.title));
      var info = element("div", "read__info");
      info.appendChild(element("div", "read__info__author", story.author));
      info.appendChild(element("div", "read__info__date", story.date));
      read.appendChild(info);
      var content = element("div", "read__content clearfix");
      story.paragraphs.forEach(function (text) { content.appendChild(element("p", "", text)); });
      read.appendChild(content);
      document.title = story.title + " - Radar Semarang";
      var mount = document.getElementById("__next");
      mount.replaceChildren(read);
    });
})();
