// The customers' phones page: polls the simulator once a second and re-renders with
// textContent only (message text is never parsed as HTML).
"use strict";

(function () {
  const POLL_MS = 1000;
  const selected = document.body.dataset.phone || "";
  const lastSeen = { phones: "", conversation: "", webhooks: "" };

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function safeUrl(url) {
    try {
      const parsed = new URL(url, window.location.href);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : "#";
    } catch (e) {
      return "#";
    }
  }

  async function getJson(url) {
    const response = await fetch(url, { headers: { Accept: "application/json" }, cache: "no-store" });
    if (!response.ok) throw new Error(url + ": HTTP " + response.status);
    return response.json();
  }

  // Skip re-rendering when nothing changed (keeps selection and scroll stable).
  function changed(key, data) {
    const text = JSON.stringify(data);
    if (text === lastSeen[key]) return false;
    lastSeen[key] = text;
    return true;
  }

  function renderPhones(phones) {
    const list = document.getElementById("phone-list");
    if (!list) return;
    const items = phones.map(function (p) {
      const li = el("li");
      const a = el("a", "phone" + (p.phone === selected ? " active" : ""));
      a.href = "/?phone=" + encodeURIComponent(p.phone);
      a.dataset.phone = p.phone;
      a.append(el("span", "name", p.name || p.phone), el("span", "number", p.name ? p.phone : ""),
        el("span", "last", p.last_body), el("span", "when", p.last_time));
      li.append(a);
      return li;
    });
    if (!items.length) items.push(el("li", "empty", "No phones yet: add one, or send it a message through the API."));
    list.replaceChildren.apply(list, items);
  }

  function renderBubble(b) {
    const li = el("li", "bubble from-" + b.side);
    li.dataset.sid = b.sid;
    if (b.template) li.append(el("div", "template", "template " + b.template));
    b.media.forEach(function (m) {
      const link = el("a", "media");
      link.href = safeUrl(m.url);
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      if (m.is_image) {
        const img = el("img");
        img.src = safeUrl(m.url);
        img.alt = "photo";
        link.append(img);
      } else {
        link.textContent = "📎 " + m.content_type;
      }
      li.append(link);
    });
    if (b.body) li.append(el("p", "text", b.body));
    const meta = el("div", "meta");
    const time = el("time", null, b.time);
    time.dateTime = b.at;
    meta.append(time);
    if (b.segments) {
      const segments = el("span", "segments", b.segments.label);
      segments.dataset.segments = String(b.segments.count);
      segments.dataset.encoding = b.segments.encoding;
      segments.title = "SMS segments billed, and the encoding";
      meta.append(segments);
    }
    if (b.tick) {
      const tick = el("span", "tick tick-" + b.tick.css, b.tick.symbol);
      tick.title = b.tick.label + (b.error_message ? ": " + b.error_message : "");
      meta.append(tick);
    }
    if (b.webhook) {
      const css = b.webhook.ok ? "hook-ok" : (b.webhook.done ? "hook-bad" : "hook-wait");
      meta.append(el("span", "hook " + css, b.webhook.label));
    }
    li.append(meta);
    return li;
  }

  function renderConversation(conv) {
    ["sms", "whatsapp"].forEach(function (channel) {
      const thread = document.querySelector('.thread[data-channel="' + channel + '"]');
      const data = conv.threads[channel];
      if (!thread || !data) return;
      const list = thread.querySelector(".bubbles");
      const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
      list.replaceChildren.apply(list, data.messages.map(renderBubble));
      if (atBottom) list.scrollTop = list.scrollHeight;
      const state = thread.querySelector(".thread-state");
      if (channel === "sms") {
        state.textContent = data.opted_out ? "opted out (STOP): the app gets 21610" : "";
      } else {
        state.textContent = data.window_open ? "24-hour window open" : "24-hour window closed: templates only";
      }
    });
  }

  function renderWebhooks(hooks) {
    const body = document.getElementById("webhook-rows");
    if (!body) return;
    const rows = hooks.slice().reverse().map(function (w) {
      const tr = el("tr", w.ok ? "ok" : (w.done ? "bad" : "wait"));
      const what = w.params.MessageStatus || w.params.SmsStatus || "";
      const app = w.status_code !== null ? String(w.status_code) : (w.done ? (w.error || "no answer") : "…");
      const latency = w.latency_ms !== null ? Math.round(w.latency_ms) + " ms" : "";
      [String(w.id), w.kind, w.message_sid, what, app, latency, w.url].forEach(function (text) {
        tr.append(el("td", null, text));
      });
      return tr;
    });
    body.replaceChildren.apply(body, rows);
  }

  async function poll() {
    try {
      const phones = await getJson("/sim/api/phones");
      if (changed("phones", phones)) renderPhones(phones.phones);
      if (selected) {
        const conv = await getJson("/sim/api/conversation?phone=" + encodeURIComponent(selected));
        if (changed("conversation", conv)) renderConversation(conv);
      }
      const hooks = await getJson("/sim/api/webhooks?limit=20");
      if (changed("webhooks", hooks)) renderWebhooks(hooks.webhooks);
    } catch (e) {
      // The simulator restarted or is busy: try again on the next tick.
    }
  }

  function showError(form, message) {
    const box = form.querySelector(".form-error");
    if (!box) return;
    box.textContent = message || "";
    box.hidden = !message;
  }

  async function errorText(response) {
    try {
      const data = await response.json();
      return data.error || ("HTTP " + response.status);
    } catch (e) {
      return "HTTP " + response.status;
    }
  }

  document.querySelectorAll("form.composer").forEach(function (form) {
    const textarea = form.querySelector("textarea");
    const attach = form.querySelector(".attach");
    const fileInput = form.querySelector('input[type="file"]');
    fileInput.addEventListener("change", function () {
      const file = fileInput.files[0];
      attach.classList.toggle("has-file", Boolean(file));
      attach.title = file ? "Attached: " + file.name : "Attach a photo";
    });
    textarea.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
    form.addEventListener("submit", async function (event) {
      event.preventDefault();
      const data = new FormData(form);
      data.delete("redirect");
      const button = form.querySelector("button");
      button.disabled = true;
      try {
        const response = await fetch("/sim/api/send", {
          method: "POST", body: data, headers: { Accept: "application/json" },
        });
        if (!response.ok) {
          showError(form, await errorText(response));
          return;
        }
        showError(form, "");
        form.reset();
        attach.classList.remove("has-file");
        attach.title = "Attach a photo";
        await poll();
      } catch (e) {
        showError(form, "the simulator did not answer");
      } finally {
        button.disabled = false;
        textarea.focus();
      }
    });
  });

  const addPhone = document.getElementById("add-phone");
  if (addPhone) {
    addPhone.addEventListener("submit", async function (event) {
      event.preventDefault();
      const payload = { phone: addPhone.elements.phone.value, name: addPhone.elements.name.value };
      const response = await fetch("/sim/api/phones", {
        method: "POST", body: JSON.stringify(payload),
        headers: { "Content-Type": "application/json", Accept: "application/json" },
      });
      if (!response.ok) {
        showError(addPhone, await errorText(response));
        return;
      }
      const created = await response.json();
      window.location.href = "/?phone=" + encodeURIComponent(created.phone);
    });
  }

  document.querySelectorAll(".thread .bubbles").forEach(function (list) {
    list.scrollTop = list.scrollHeight;
  });
  poll();
  window.setInterval(poll, POLL_MS);
})();
