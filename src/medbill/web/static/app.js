// medbill: small progressive enhancements. Every page works without this file.
"use strict";
(function () {
  const csrf = () => (document.querySelector('meta[name="csrf-token"]') || {}).content || "";

  // Type-ahead code search: fills the <datalist> of an input.code-search from /api/codes/search.
  function typeahead(input) {
    const list = document.getElementById(input.getAttribute("list"));
    let timer = null, last = "";
    input.addEventListener("input", () => {
      clearTimeout(timer);
      const q = input.value.trim();
      if (q.length < 2 || q === last) return;
      timer = setTimeout(async () => {
        last = q;
        const system = input.dataset.system ? "&system=" + encodeURIComponent(input.dataset.system) : "";
        try {
          const r = await fetch("/api/codes/search?limit=10&q=" + encodeURIComponent(q) + system,
                                { headers: { Accept: "application/json" }, credentials: "same-origin" });
          if (!r.ok) return;
          const hits = await r.json();
          list.replaceChildren(...hits.map(h => {
            const o = document.createElement("option");
            o.value = h.code; o.label = h.code + " " + (h.description || h.matched || "");
            o.textContent = o.label;
            return o;
          }));
        } catch (e) { /* the form still works: the coder can type the code */ }
      }, 180);
    });
  }
  document.querySelectorAll("input.code-search").forEach(typeahead);

  // Evidence: hovering or focusing a code row outlines its evidence in the note.
  document.querySelectorAll("tr[data-code]").forEach(row => {
    const code = row.dataset.code;
    const marks = () => document.querySelectorAll('mark[data-codes~="' + CSS.escape(code) + '"]');
    const on = () => marks().forEach(m => m.classList.add("active"));
    const off = () => marks().forEach(m => m.classList.remove("active"));
    row.addEventListener("mouseenter", on); row.addEventListener("mouseleave", off);
    row.addEventListener("focusin", on); row.addEventListener("focusout", off);
  });

  // Job progress: poll /api/jobs/{id} until done; reload the page when asked to.
  document.querySelectorAll("[data-job]").forEach(el => {
    const id = el.dataset.job;
    const tick = async () => {
      let job;
      try {
        const r = await fetch("/api/jobs/" + id, { headers: { Accept: "application/json" }, credentials: "same-origin" });
        if (r.status === 401 || r.status === 403 || r.status === 404) return;
        if (!r.ok) { setTimeout(tick, 2000); return; }  // busy server (e.g. 503, locked database): ask again
        job = await r.json();
      } catch (e) { setTimeout(tick, 2000); return; }
      const bar = el.querySelector("progress");
      if (bar) { bar.max = job.total || 1; bar.value = job.done; }
      const msg = el.querySelector(".job-message"); if (msg) msg.textContent = job.message;
      const count = el.querySelector(".job-count"); if (count) count.textContent = job.done + "/" + job.total;
      const status = el.querySelector(".job-status");
      if (status) { status.textContent = job.status; status.className = "job-status badge " + job.status; }
      if (job.status === "done" || job.status === "failed") {
        if (el.dataset.reload) {
          // done: show the page as it is now; failed: keep the job, so the page says why
          const u = new URL(location.href);
          if (job.status === "done") u.searchParams.delete("job");
          location.replace(u);
        }
        return;
      }
      setTimeout(tick, 700);
    };
    tick();
  });
  window.medbillCsrf = csrf;
})();
