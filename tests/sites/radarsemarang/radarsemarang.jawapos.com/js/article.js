// Constructed fixture; structure modelled on ../shared/research/outlet-evidence-2026-12.md §3 (Radar Semarang): a 2026 scraper renders
// radar pages in a browser and finds "no consistent wrapper class"; this script draws the story
// of a shell page from /api/article/<id> into #app, with the closing blocks after it.
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
      var main = element("main", "css-9dk2a");
      main.appendChild(element("h1", "css-3kq1", story.title));
      var info = element("div", "css-7hd1");
      info.appendChild(element("span", "article-author", story.author));
      info.appendChild(element("span", "", story.date));
      main.appendChild(info);
      var text = element("div", "css-p01");
      story.paragraphs.concat(story.closing).forEach(function (line) {
        text.appendChild(element("p", "", line));
      });
      main.appendChild(text);
      document.title = story.title + " - Radar Semarang";
      document.getElementById("app").replaceChildren(main);
    });
})();
