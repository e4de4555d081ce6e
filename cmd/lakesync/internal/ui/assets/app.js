// lakesync ui: follows a run over server-sent events and draws it.
"use strict";
(function () {
  const status = document.getElementById("status");
  if (!status) return;
  const id = status.dataset.run;
  const el = (tag, text, cls) => {
    const e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  };
  const row = (cells) => {
    const tr = el("tr");
    cells.forEach((c) => tr.appendChild(el("td", String(c))));
    return tr;
  };
  const bytes = (n) => {
    const u = ["B", "KB", "MB", "GB", "TB"];
    let i = 0;
    while (n >= 1000 && i < u.length - 1) { n /= 1000; i++; }
    return (i ? n.toFixed(1) : n) + " " + u[i];
  };
  function draw(s) {
    const mig = s.live && s.live.migration_summary;
    if (s.done && mig && mig.status === "stopped") {
      // lakesync migrate stops at step 2 (exit 2) until the deletion is confirmed.
      status.textContent = "stopped at step " + mig.step + " of 6 (exit " + s.exit_code + ")";
      status.className = "status stopped";
    } else {
      status.textContent = s.done ? (s.exit_code === 0 ? "done" : "failed (exit " + s.exit_code + ")") : "running…";
      status.className = "status " + (s.done ? (s.exit_code === 0 ? "ok" : "bad") : "going");
    }
    const stop = document.getElementById("stop-form");
    if (stop && s.done) stop.hidden = true;
    const stderr = document.getElementById("stderr");
    if (stderr) {
      stderr.textContent = s.stderr;
      if (s.done && s.exit_code !== 0) stderr.parentElement.open = true;
    }
    if (s.kind === "plan") {
      document.getElementById("text").textContent = s.text;
      if (s.done && s.exit_code === 0) document.getElementById("plan-next").hidden = false;
      return;
    }
    const live = s.live;
    document.getElementById("bar").value = live.percent;
    document.getElementById("percent").textContent = Math.round(live.percent) + "%";
    const steps = document.getElementById("steps");
    steps.replaceChildren();
    (live.steps || []).forEach((st) => {
      // As lakesync migrate says it: "step 3 of 6 (copying back), 56%";
      // a step not reached, or done by an earlier run, has no percentage
      // (the rule of StepLine in live.go, which draws the page first).
      let line = "step " + st.step + " of " + st.of;
      if (st.title) line += " (" + st.title + ")";
      if (st.title && st.status !== "pending" && st.message !== "in an earlier run") line += ", " + st.percent + "%";
      const d = el("div", line + " ", "step " + st.status);
      d.appendChild(el("b", st.status));
      if (st.message) d.appendChild(el("span", " " + st.message));
      steps.appendChild(d);
    });
    const del = live.migration_deletion;
    if (del) {
      document.getElementById("deletion").textContent = "Step 3 deletes bucket " + del.bucket + " in account " + del.account_name +
        " (" + del.account_id + "): " + del.objects + " object(s), " + del.noncurrent_versions + " noncurrent version(s), " +
        del.delete_markers + " delete marker(s), " + bytes(del.bytes) + " in all. " +
        (del.settings && del.settings.length ? del.settings.length + " setting(s) will not move; the commands that put them back are in " + del.file + ":" :
          "No setting to reapply.");
      const ul = document.getElementById("settings");
      ul.replaceChildren();
      (del.settings || []).forEach((st) => {
        const li = el("li");
        li.appendChild(el("b", st.name + ": "));
        li.appendChild(el("code", st.reapply));
        ul.appendChild(li);
      });
      document.getElementById("deletion-card").hidden = false;
    }
    const tbody = document.querySelector("#jobs tbody");
    tbody.replaceChildren();
    const failures = document.getElementById("failures");
    failures.replaceChildren();
    (live.jobs || []).forEach((j) => {
      const known = j.planned > 0 || live.summary;
      tbody.appendChild(row([j.name, known ? Math.round(j.percent) + "%" : "–", j.planned > 0 ? j.done + " / " + j.planned : j.done, bytes(j.bytes),
        j.objects_per_sec, j.mb_per_sec, j.in_flight, j.failed]));
      if (j.recent_failures.length) {
        failures.appendChild(el("h3", "Recent failures of " + j.name));
        const ul = el("ul", undefined, "failures");
        j.recent_failures.forEach((f) => ul.appendChild(el("li", f.key + ": " + f.error)));
        failures.appendChild(ul);
      }
    });
    const pol = document.getElementById("policies");
    pol.replaceChildren();
    (live.policies || []).forEach((p) => pol.appendChild(el("li", p)));
    document.getElementById("policies-card").hidden = !(live.policies || []).length;
    if (live.summary) {
      const t = document.getElementById("summary");
      t.replaceChildren();
      ["copied", "adopted", "skipped", "deleted", "failed", "bytes", "retries", "seconds"].forEach((k) => {
        const v = live.summary[k];
        const tile = el("div", undefined, "stat" + (k === "failed" && v > 0 ? " bad" : ""));
        const value = el("div", k === "seconds" ? v.toFixed(2) : String(v), "value");
        value.id = "summary-" + k;
        tile.appendChild(value);
        tile.appendChild(el("div", k === "bytes" ? "bytes (" + bytes(v) + ")" : k, "label"));
        t.appendChild(tile);
      });
      document.getElementById("summary-card").hidden = false;
    }
  }
  const es = new EventSource("/runs/" + encodeURIComponent(id) + "/events");
  es.onmessage = (e) => draw(JSON.parse(e.data));
  es.addEventListener("end", () => es.close());
})();
