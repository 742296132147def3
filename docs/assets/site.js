// Quote links: copy a quote's permanent address, land on renamed or moved quotes,
// and suggest the nearest quotes on the 404 page. No dependencies, no other host.
(function () {
  "use strict";

  var siteRoot = new URL("../", document.currentScript.src);

  function announce(message) {
    var region = document.getElementById("nn-announce");
    if (!region) return;
    region.textContent = "";
    // A fresh text node after a tick makes screen readers announce a repeated message too.
    setTimeout(function () { region.textContent = message; }, 50);
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = document.execCommand("copy");
      document.body.removeChild(area);
      ok ? resolve() : reject(new Error("copy refused"));
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button.nn-copy-link, button.nn-copy");
    if (!button) return;
    var text, done;
    if (button.classList.contains("nn-copy-link")) {
      text = new URL(button.getAttribute("data-href"), location.href).href;
      done = "Link to the quote copied: " + text;
    } else {
      text = document.getElementById(button.getAttribute("data-copy-from")).textContent;
      done = button.textContent.replace(/^Copy /, "") + " copied";
    }
    copy(text).then(function () {
      button.setAttribute("data-copied", "");
      announce(done.charAt(0).toUpperCase() + done.slice(1));
    }, function () {
      announce("Could not copy; the address is " + text);
    });
  });

  // The navigation drawer of a phone-sized window, for the keyboard too. Material opens it
  // with its ☰, a label, which Tab never reaches: a button takes the label's place (the same
  // icon, inside the header's landmark). Focus moves into the drawer when it opens; Escape,
  // or Tab past its end, closes it, Escape giving focus back to the button.
  var drawer = document.getElementById("__drawer");
  var sidebar = document.querySelector(".md-sidebar--primary");
  var menuLabel = document.querySelector(".md-header label.md-header__button[for=__drawer]");
  if (drawer && sidebar && menuLabel) {
    var menu = document.createElement("button");
    menu.type = "button";
    menu.className = "md-header__button md-icon nn-menu";
    menu.setAttribute("aria-label", "Navigation");
    menu.setAttribute("aria-expanded", "false");
    menu.innerHTML = menuLabel.innerHTML;  // the theme's own icon, nothing from the corpus
    menuLabel.before(menu);
    var setDrawer = function (open) {
      drawer.checked = open;
      menu.setAttribute("aria-expanded", String(open));
    };
    menu.addEventListener("click", function () {
      setDrawer(!drawer.checked);
      var first = drawer.checked && sidebar.querySelector("a[href], [tabindex='0']");
      // Once the slide-in has made the drawer visible, and so focusable.
      if (first) setTimeout(function () { first.focus(); }, 50);
    });
    drawer.addEventListener("change", function () { setDrawer(drawer.checked); });
    sidebar.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && drawer.checked) {
        setDrawer(false);
        menu.focus();
      }
    });
    sidebar.addEventListener("focusout", function (event) {
      var next = event.relatedTarget;
      if (drawer.checked && next && !sidebar.contains(next) && next !== menu) setDrawer(false);
    });
  }

  // A long source or tag page leaves each quote's record on the quote's page
  // (render.INLINE_RECORDS): opening its disclosure brings the passages here.
  document.addEventListener("toggle", function (event) {
    var details = event.target;
    if (!details.open || !details.hasAttribute || !details.hasAttribute("data-record")) return;
    var address = details.getAttribute("data-record");
    details.removeAttribute("data-record");
    var url = new URL(address, location.href);
    fetch(url).then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.text();
    }).then(function (html) {
      var page = new DOMParser().parseFromString(html, "text/html");
      var found = page.querySelector(".nn-onrecord .nn-passages");
      var placeholder = details.querySelector(".nn-record-elsewhere");
      if (!found || !placeholder) return;
      // Links in the passages are absolute (their sources) or relative to the quote page.
      found.querySelectorAll("a[href]").forEach(function (a) {
        a.setAttribute("href", new URL(a.getAttribute("href"), url).href);
      });
      placeholder.replaceWith(document.importNode(found, true));
    }).catch(function () {
      details.setAttribute("data-record", address);  // the link stays; opening again retries
    });
  }, true);

  // Print shows every record: disclosures open for printing and close again after.
  var opened = [];
  window.addEventListener("beforeprint", function () {
    opened = [].filter.call(document.querySelectorAll("details.nn-record:not([open])"), function (d) {
      d.open = true;
      return true;
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });

  // A part-page link whose quote is not on this page (renamed to an alias elsewhere, or
  // moved to another part) goes to the quote's own page, which knows its new home. A link
  // to no quote at all stays here and says so, rather than leaving for the 404 page.
  var quoteIds = null;
  function knownIds() {
    quoteIds = quoteIds || fetch(new URL("quote-ids.json", siteRoot)).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    });
    return quoteIds;
  }
  function followMissingAnchor() {
    var id = decodeURIComponent(location.hash.slice(1));
    var notice = document.getElementById("nn-missing");
    if (notice) notice.remove();
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id)) return;
    if (!/\/parts\/[^/]+\/$/.test(location.pathname)) return;
    if (document.getElementById(id)) return;
    knownIds().then(function (rows) {
      var known = rows.some(function (row) { return row[0] === id || row[2].indexOf(id) >= 0; });
      if (known) {
        location.replace(new URL("quotes/" + id + "/", siteRoot).href);
        return;
      }
      var article = document.querySelector("article.md-content__inner");
      var heading = article && article.querySelector("h1");
      if (!heading) return;
      var box = document.createElement("p");
      box.id = "nn-missing";
      box.className = "nn-missing";
      box.setAttribute("role", "status");
      box.textContent = "No quote of this collection has the address #" + id + ". Here is the part it pointed into.";
      heading.after(box);
    }).catch(function () {});
  }
  followMissingAnchor();
  window.addEventListener("hashchange", followMissingAnchor);

  // Arriving from a search (?h=…), the words it matched are marked: a record disclosure
  // holding some of them opens, so the marks are seen. Material marks them once the page is
  // ready, after this script has run; the observer stops at the first marks or after 3 s.
  if (new URLSearchParams(location.search).has("h")) {
    var openMarked = function () {
      var opened = false;
      document.querySelectorAll("details:not([open]) mark").forEach(function (mark) {
        var details = mark.closest("details");
        var section = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
        var scope = section && section.closest(".nn-quote");
        if (scope && !scope.contains(details)) return;
        details.open = true;
        opened = true;
      });
      return opened || document.querySelector("article mark") !== null;
    };
    if (!openMarked()) {
      var watcher = new MutationObserver(function () {
        if (openMarked()) watcher.disconnect();
      });
      watcher.observe(document.body, { childList: true, subtree: true });
      setTimeout(function () { watcher.disconnect(); }, 3000);
    }
  }

  // Home: "Another quote" shows a random quote without reloading; quotes.json is
  // fetched on the first click only, so a visit that never asks costs nothing.
  var random = document.getElementById("nn-random");
  var another = document.querySelector("button.nn-another");
  if (random && another) {
    var quotes = null;
    var current = random.querySelector(".nn-random-link").getAttribute("href");
    another.hidden = false;
    another.addEventListener("click", function () {
      var ready = quotes ? Promise.resolve(quotes) :
        fetch(new URL("quotes.json", siteRoot)).then(function (r) { return r.json(); })
          .then(function (data) { quotes = data.quotes; return quotes; });
      ready.then(function (all) {
        var pick;
        do {
          pick = all[Math.floor(Math.random() * all.length)];
        } while (all.length > 1 && "quotes/" + pick.id + "/" === current);
        current = "quotes/" + pick.id + "/";
        random.querySelector(".nn-random-text").textContent = pick.text;
        random.querySelector(".nn-random-topic").textContent = pick.topic;
        random.querySelector(".nn-random-source").textContent = pick.source.title;
        random.querySelector(".nn-random-credit").textContent = pick.attribution;
        random.querySelector(".nn-random-link").href = new URL(current, siteRoot).href;
        var status = random.querySelector(".nn-random-status");
        status.textContent = pick.status;
        status.className = "nn-status nn-status--" + pick.status + " nn-random-status";
      });
    });
  }

  // 404: offer the quotes whose ids (or former ids) are closest to the address asked for.
  function distance(a, b) {
    var row = [], i, j, prev, tmp;
    for (j = 0; j <= b.length; j++) row[j] = j;
    for (i = 1; i <= a.length; i++) {
      prev = row[0];
      row[0] = i;
      for (j = 1; j <= b.length; j++) {
        tmp = row[j];
        row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
        prev = tmp;
      }
    }
    return row[b.length];
  }

  // A suggestion is offered only when it is close: at most a third of the address's letters
  // differ (two for a short one), so "/nope-not-here/" offers nothing rather than five guesses.
  var list = document.getElementById("nn-suggestions");
  if (list) {
    var words = (location.pathname + " " + location.hash).toLowerCase().match(/[a-z0-9]+(-[a-z0-9]+)*/g) || [];
    var asked = words.filter(function (w) { return w !== "quotes" && w !== "parts" && w !== "html"; }).pop() || "";
    var limit = Math.max(2, Math.floor(asked.length / 3));
    knownIds().then(function (rows) {
      var hits = rows.map(function (row) {
        var best = [row[0]].concat(row[2]).reduce(function (m, name) {
          return Math.min(m, distance(asked, name));
        }, Infinity);
        return { id: row[0], topic: row[1], score: best };
      }).filter(function (hit) { return asked && hit.score <= limit; });
      hits.sort(function (x, y) { return x.score - y.score; }).slice(0, 5).forEach(function (hit) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = new URL("quotes/" + hit.id + "/", siteRoot).href;
        link.textContent = "On " + hit.topic;
        item.appendChild(link);
        list.appendChild(item);
      });
      if (hits.length) document.getElementById("nn-suggest").hidden = false;
    });
  }
})();
