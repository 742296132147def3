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

  // Quote pages go without Material's bundle (overrides/quote.html), so the palette
  // toggle is switched here, and the choice kept where Material keeps it.
  var palettes = document.querySelectorAll("input[name=__palette]");
  if (palettes.length && !document.getElementById("__config")) {
    var keys = ["media", "scheme", "primary", "accent"];
    var usePalette = function (index) {
      keys.slice(1).forEach(function (key) {
        document.body.setAttribute("data-md-color-" + key, palettes[index].getAttribute("data-md-color-" + key));
      });
      palettes.forEach(function (option, i) {
        option.checked = i === index;
        if (option.nextElementSibling) option.nextElementSibling.hidden = i !== index;
      });
    };
    var scheme = document.body.getAttribute("data-md-color-scheme");
    var chosen = [].findIndex.call(palettes, function (option) {
      return option.getAttribute("data-md-color-scheme") === scheme;
    });
    usePalette(Math.max(chosen, 0));
    palettes.forEach(function (option, index) {
      option.addEventListener("change", function () {
        usePalette(index);
        var color = {};
        keys.forEach(function (key) { color[key] = option.getAttribute("data-md-color-" + key); });
        __md_set("__palette", { index: index, color: color });
      });
    });
  }

  // The same pages' search box: Material's bundle focuses it when the search opens (on a
  // phone, from the header's icon) and closes it on Escape; here site.js does.
  var searchToggle = document.getElementById("__search");
  var searchBox = document.querySelector("form.md-search__form[action] .md-search__input");
  if (searchToggle && searchBox && !document.getElementById("__config")) {
    searchToggle.addEventListener("change", function () {
      if (searchToggle.checked) searchBox.focus();
    });
    searchBox.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && searchToggle.checked) {
        searchToggle.checked = false;
        searchBox.blur();
      }
    });
  }

  // A part-page link whose quote is not on this page (renamed to an alias elsewhere,
  // or moved to another part) goes to the quote's own page, which knows its new home.
  function followMissingAnchor() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id)) return;
    if (!/\/parts\/[^/]+\/$/.test(location.pathname)) return;
    if (document.getElementById(id)) return;
    location.replace(new URL("quotes/" + id + "/", siteRoot).href);
  }
  followMissingAnchor();
  window.addEventListener("hashchange", followMissingAnchor);

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

  var list = document.getElementById("nn-suggestions");
  if (list) {
    var words = (location.pathname + " " + location.hash).toLowerCase().match(/[a-z0-9]+(-[a-z0-9]+)*/g) || [];
    var asked = words.filter(function (w) { return w !== "quotes" && w !== "parts" && w !== "html"; }).pop() || "";
    fetch(new URL("quote-ids.json", siteRoot)).then(function (r) { return r.json(); }).then(function (rows) {
      rows.map(function (row) {
        var best = [row[0]].concat(row[2]).reduce(function (m, name) {
          return Math.min(m, distance(asked, name));
        }, Infinity);
        return { id: row[0], topic: row[1], score: best };
      }).sort(function (x, y) { return x.score - y.score; }).slice(0, 5).forEach(function (hit) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = new URL("quotes/" + hit.id + "/", siteRoot).href;
        link.textContent = "On " + hit.topic;
        item.appendChild(link);
        list.appendChild(item);
      });
    });
  }
})();
