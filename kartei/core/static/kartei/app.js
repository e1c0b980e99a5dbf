/* Kartei's own behaviour: small, no inline scripts (the Content-Security-Policy forbids them). */
(function () {
  "use strict";

  function modal() {
    var element = document.getElementById("modal");
    return element ? bootstrap.Modal.getOrCreateInstance(element) : null;
  }

  function toast(text) {
    var box = document.getElementById("toasts");
    if (!box || !text) return;
    var element = document.createElement("div");
    element.className = "toast align-items-center text-bg-success border-0";
    element.setAttribute("role", "status");
    var row = document.createElement("div");
    row.className = "d-flex";
    var body = document.createElement("div");
    body.className = "toast-body";
    body.textContent = text;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "btn-close btn-close-white me-2 m-auto";
    close.setAttribute("data-bs-dismiss", "toast");
    close.setAttribute("aria-label", box.dataset.closeLabel || "Close");
    row.append(body, close);
    element.append(row);
    box.append(element);
    new bootstrap.Toast(element, { delay: 5000 }).show();
    element.addEventListener("hidden.bs.toast", function () { element.remove(); });
  }

  function focusFirstProblem(root) {
    var field = root.querySelector(".is-invalid") || root.querySelector("[data-focus]");
    if (field) field.focus();
    else {
      var first = root.querySelector("[autofocus]");
      if (first) first.focus();
    }
  }

  // Dialogs: whatever htmx loads into the modal opens it; a finished form closes it, and the focus goes back to
  // what opened it.
  var opener = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    var element = document.getElementById("modal");
    if (event.detail.target.id === "modal-content" && element && !element.classList.contains("show")) {
      opener = event.detail.elt;
    }
  });
  document.addEventListener("hidden.bs.modal", function () {
    if (opener && opener.isConnected) opener.focus();
    opener = null;
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target.id === "modal-content") {
      var m = modal();
      if (m) m.show();
    }
  });
  // Once htmx has wired up what it swapped in, the focus goes to its first problem or its autofocus field.
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.detail.target.isConnected) focusFirstProblem(event.detail.target);
  });
  document.addEventListener("shown.bs.modal", function (event) { focusFirstProblem(event.target); });

  // "Show more" and "Show older" replace themselves with what they loaded. When the focus was on what was
  // replaced, it goes to the first thing to focus in what came instead, not back to the top of the page.
  var FOCUSABLE = "a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select, textarea";
  var replaced = null;
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    replaced = target !== document.body && target.contains(document.activeElement)
      ? { parent: target.parentElement, before: target.previousElementSibling } : null;
  });
  document.addEventListener("htmx:afterSettle", function () {
    var lost = replaced;
    replaced = null;
    if (!lost || (document.activeElement && document.activeElement !== document.body)) return;
    var node = lost.before ? lost.before.nextElementSibling : lost.parent && lost.parent.firstElementChild;
    for (; node; node = node.nextElementSibling) {
      var first = node.matches(FOCUSABLE) ? node : node.querySelector(FOCUSABLE);
      if (first) { first.focus(); return; }
    }
  });
  document.body.addEventListener("customers-changed", function () { var m = modal(); if (m) m.hide(); });
  document.body.addEventListener("kartei:toast", function (event) { toast(event.detail.value); });

  // Only one default address.
  document.addEventListener("change", function (event) {
    if (!event.target.matches(".address-row input[name$='-is_default']") || !event.target.checked) return;
    document.querySelectorAll(".address-row input[name$='-is_default']").forEach(function (box) {
      if (box !== event.target) box.checked = false;
    });
  });

  document.addEventListener("click", function (event) {
    var add = event.target.closest("[data-add-address]");
    if (add) {
      var form = add.closest("form");
      var total = form.querySelector("input[name='addresses-TOTAL_FORMS']");
      var template = form.querySelector("#address-template");
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      var holder = form.querySelector("[data-addresses]");
      holder.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      var rows = holder.querySelectorAll(".address-row:not(.d-none)");
      var added = rows[rows.length - 1];
      if (rows.length === 1) added.querySelector("input[name$='-is_default']").checked = true;
      added.querySelector("input[name$='-street']").focus();
      return;
    }
    var remove = event.target.closest("[data-remove-address]");
    if (remove) {
      var row = remove.closest(".address-row");
      row.querySelector("input[name$='-DELETE']").checked = true;
      row.querySelector("input[name$='-is_default']").checked = false;
      row.classList.add("d-none");
      return;
    }
    var removeTag = event.target.closest("[data-remove-tag]");
    if (removeTag) {
      var box = removeTag.closest(".tag-box");
      removeTag.closest(".tag-chip").remove();
      box.querySelector(".tag-typing").focus();
    }
  });

  // Tags: Enter or comma turns what was typed into a chip; Backspace in an empty field removes the last one.
  function addTag(input) {
    var box = input.closest(".tag-box");
    input.value.split(",").forEach(function (raw) {
      var name = raw.trim();
      if (!name) return;
      var exists = Array.prototype.some.call(box.querySelectorAll("input[name='tags']"), function (h) {
        return h.value.toLowerCase() === name.toLowerCase();
      });
      if (exists) return;
      var chip = document.createElement("span");
      chip.className = "badge text-bg-secondary tag-chip";
      chip.append(document.createTextNode(name));
      var hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = "tags";
      hidden.value = name;
      var close = document.createElement("button");
      close.type = "button";
      close.className = "btn-close btn-close-white ms-1";
      close.setAttribute("data-remove-tag", "");
      var label = input.closest("[data-tag-input]").dataset.removeLabel || "Remove tag %(name)s";
      close.setAttribute("aria-label", label.replace("%(name)s", name));
      chip.append(hidden, close);
      box.insertBefore(chip, input);
    });
    input.value = "";
  }
  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (input.matches && input.matches(".tag-typing")) {
      if ((event.key === "Enter" || event.key === ",") && input.value.trim()) {
        event.preventDefault();
        addTag(input);
      } else if (event.key === "Enter") {
        event.preventDefault();
      } else if (event.key === "Backspace" && !input.value) {
        var chips = input.closest(".tag-box").querySelectorAll(".tag-chip");
        if (chips.length) chips[chips.length - 1].remove();
      }
      return;
    }
    // Escape leaves a note's edit form as "Cancel" does.
    if (event.key === "Escape" && input.closest && input.closest(".note-edit")) {
      event.preventDefault();
      var cancel = input.closest(".note-edit").querySelector("[data-cancel-edit]");
      cancel.click();
      return;
    }
    // "/" jumps to the search box, as in many web apps.
    if (event.key === "/" && !/^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName)) {
      var search = document.getElementById("q");
      if (search) { event.preventDefault(); search.focus(); search.select(); }
    }
  });
  document.addEventListener("input", function (event) {
    // A suggestion picked from the list becomes a chip at once.
    var input = event.target;
    if (!input.matches || !input.matches(".tag-typing") || event.inputType) return;
    if (input.value.trim()) addTag(input);
  });

  // What a search found is said once, when every list of it is counted: "Current customers: 3 customers."
  var searched = false;
  function resultsSummary(results) {
    if (results.querySelector(".count-placeholder")) return null;
    return Array.prototype.map.call(results.querySelectorAll("[data-summary]"), function (part) {
      var text = part.textContent.trim().replace(/\.$/, "");
      return (part.dataset.summary ? part.dataset.summary + ": " : "") + text + ".";
    }).join(" ");
  }
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target.id === "results") searched = true;
  });
  document.addEventListener("htmx:afterSettle", function () {
    var results = document.getElementById("results");
    var status = document.getElementById("results-status");
    if (!searched || !results || !status) return;
    var summary = resultsSummary(results);
    if (summary === null) return;
    searched = false;
    status.textContent = summary;
  });

  // The table's header sticks below the navigation bar, whose height depends on the language and the screen.
  var navbar = document.querySelector("nav.navbar");
  if (navbar && window.ResizeObserver) {
    new ResizeObserver(function () {
      document.documentElement.style.setProperty("--navbar-height", navbar.offsetHeight + "px");
    }).observe(navbar);
  }

  // A new colleague: the password fields matter only when a first password is set now.
  function showPasswordFields(form) {
    var box = form && form.querySelector("[data-password-fields]");
    if (!box) return;
    var chosen = form.querySelector("input[name='access']:checked");
    box.hidden = !chosen || chosen.value !== "password";
  }
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("input[name='access']")) showPasswordFields(event.target.form);
  });

  // Ordering for a customer: a product found in the search adds its line ("SKU quantity") to the lines typed;
  // the order page prints its confirmation.
  document.addEventListener("click", function (event) {
    var add = event.target.closest("[data-add-line]");
    if (add) {
      var lines = document.getElementById("order-lines");
      var text = lines.value.replace(/\s+$/, "");
      lines.value = (text ? text + "\n" : "") + add.getAttribute("data-add-line") + "\n";
      lines.focus();
      var status = document.getElementById("order-lines-status");
      if (status) status.textContent = add.getAttribute("data-added");
      return;
    }
    if (event.target.closest("[data-print]")) window.print();
    var copy = event.target.closest("[data-copy]");
    if (copy) {
      var field = document.querySelector(copy.getAttribute("data-copy"));
      field.select();
      var said = document.getElementById("copy-status");
      var done = function () { if (said) said.textContent = copy.getAttribute("data-copied"); };
      if (navigator.clipboard) navigator.clipboard.writeText(field.value).then(done, function () {});
      else { document.execCommand("copy"); done(); }
    }
  });

  // Limiting a coupon to some customers: a customer ticked among those found joins the chosen ones, so the next
  // search does not take them away; Enter in the search finds, it does not add the coupon.
  document.addEventListener("change", function (event) {
    var option = event.target.closest("[data-choose-into]");
    if (option && event.target.checked) {
      document.querySelector(option.getAttribute("data-choose-into")).appendChild(option);
      option.removeAttribute("data-choose-into");
      event.target.focus();
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.matches("[data-enter-searches]")) event.preventDefault();
  });

  // Mentions: typing "@" in a comment offers colleagues, customers and products whose name starts so (accents
  // aside); arrows move, Enter or Tab picks, Escape closes. A pick writes "@Name " into the text and adds a hidden
  // "mentions" field; the server then links each place the text names it.
  var MENTION_QUERY = /(^|[\s([{"'„“])@([^\s@]{0,30}(?: [^\s@]{1,30}){0,2})$/;
  var mentionAsked = 0;
  var mentionTimer = null;
  function mentionList(area) { return document.getElementById(area.getAttribute("aria-controls")); }
  function mentionClose(area) {
    var list = mentionList(area);
    if (list) { list.hidden = true; list.innerHTML = ""; }
    area.removeAttribute("aria-activedescendant");
  }
  function mentionOptions(list) { return Array.prototype.slice.call(list.querySelectorAll("[data-pick]")); }
  function mentionMark(area, option) {
    mentionOptions(mentionList(area)).forEach(function (o) { o.setAttribute("aria-selected", o === option ? "true" : "false"); });
    if (option) { area.setAttribute("aria-activedescendant", option.id); option.scrollIntoView({ block: "nearest" }); }
  }
  function mentionTyped(area) {
    var match = MENTION_QUERY.exec(area.value.slice(0, area.selectionStart));
    return match ? { q: match[2], start: area.selectionStart - match[2].length - 1 } : null;
  }
  function mentionPick(area, option) {
    var typed = mentionTyped(area);
    if (!typed) return mentionClose(area);
    var name = "@" + option.getAttribute("data-name") + " ";
    area.value = area.value.slice(0, typed.start) + name + area.value.slice(area.selectionStart);
    area.selectionStart = area.selectionEnd = typed.start + name.length;
    var picks = area.form.querySelector("[data-mention-picks]");
    var value = option.getAttribute("data-pick");
    if (!picks.querySelector('input[value="' + value + '"]')) {
      var input = document.createElement("input");
      input.type = "hidden"; input.name = "mentions"; input.value = value;
      picks.appendChild(input);
    }
    mentionClose(area);
    area.focus();
  }
  document.addEventListener("input", function (event) {
    var area = event.target;
    if (!area.matches || !area.matches("[data-mention-options]")) return;
    var typed = mentionTyped(area);
    clearTimeout(mentionTimer);
    if (!typed) return mentionClose(area);
    mentionTimer = setTimeout(function () {
      var asked = ++mentionAsked;
      fetch(area.getAttribute("data-mention-options") + "?q=" + encodeURIComponent(typed.q), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : ""; })
        .then(function (html) {
          if (asked !== mentionAsked || document.activeElement !== area) return;
          var list = mentionList(area);
          list.innerHTML = html;
          var options = mentionOptions(list);
          if (!options.length && typed.q.indexOf(" ") >= 0) return mentionClose(area);
          list.hidden = false;
          mentionMark(area, options[0]);
        });
    }, 120);
  });
  document.addEventListener("keydown", function (event) {
    var area = event.target;
    if (!area.matches || !area.matches("[data-mention-options]")) return;
    var list = mentionList(area);
    if (!list || list.hidden) return;
    var options = mentionOptions(list);
    var current = options.indexOf(document.getElementById(area.getAttribute("aria-activedescendant")));
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      var step = event.key === "ArrowDown" ? 1 : -1;
      if (options.length) mentionMark(area, options[(current + step + options.length) % options.length]);
    } else if ((event.key === "Enter" || event.key === "Tab") && current >= 0) {
      event.preventDefault();
      mentionPick(area, options[current]);
    } else if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      mentionClose(area);
    }
  });
  document.addEventListener("mousedown", function (event) {
    var option = event.target.closest && event.target.closest("[role=listbox] [data-pick]");
    if (!option) return;
    var area = document.querySelector('[aria-controls="' + option.closest("[role=listbox]").id + '"]');
    if (!area) return;
    event.preventDefault();  // the text keeps the focus and its caret
    mentionPick(area, option);
  });
  document.addEventListener("focusout", function (event) {
    if (event.target.matches && event.target.matches("[data-mention-options]")) mentionClose(event.target);
  });

  // Attachments: the files picked (or dropped anywhere on the form) are listed by name before they are sent.
  function listFiles(input) {
    var list = document.querySelector(input.getAttribute("data-file-list"));
    if (!list) return;
    list.innerHTML = "";
    Array.prototype.forEach.call(input.files, function (file) {
      var item = document.createElement("li");
      item.textContent = file.name;
      list.appendChild(item);
    });
  }
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("input[type=file][data-file-list]")) listFiles(event.target);
  });
  ["dragenter", "dragover"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      var form = event.target.closest && event.target.closest("[data-drop-files]");
      if (!form || !event.dataTransfer || event.dataTransfer.types.indexOf("Files") < 0) return;
      event.preventDefault();
      form.classList.add("dropping");
    });
  });
  document.addEventListener("dragleave", function (event) {
    var form = event.target.closest && event.target.closest("[data-drop-files]");
    if (form && !form.contains(event.relatedTarget)) form.classList.remove("dropping");
  });
  document.addEventListener("drop", function (event) {
    var form = event.target.closest && event.target.closest("[data-drop-files]");
    if (!form || !event.dataTransfer || !event.dataTransfer.files.length) return;
    event.preventDefault();
    form.classList.remove("dropping");
    var input = form.querySelector("input[type=file]");
    var all = new DataTransfer();
    Array.prototype.forEach.call(input.files, function (file) { all.items.add(file); });
    Array.prototype.forEach.call(event.dataTransfer.files, function (file) { all.items.add(file); });
    input.files = all.files;
    listFiles(input);
  });

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector(".customer-form, .staff-form, .product-form, .order-form");
    if (form) focusFirstProblem(form);
    showPasswordFields(document.querySelector(".staff-form"));
  });
})();
