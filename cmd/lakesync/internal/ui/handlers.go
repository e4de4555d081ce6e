package ui

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/lakesync/lakesync/cmd/lakesync/internal/report"
)

// output runs a command line to its end and returns what it wrote.
func (s *Server) output(ctx context.Context, args []string) (stdout, stderr string, code int) {
	var out, errb bytes.Buffer
	code = s.opts.Command(ctx, args, &out, &errb)
	return s.runs.redact.Replace(out.String()), s.runs.redact.Replace(errb.String()), code
}

type planData struct {
	Plan *Run
	Text planText
}

// planPage shows the plan ?plan=ID, else the newest plan made here, and
// the forms.
func (s *Server) planPage(w http.ResponseWriter, r *http.Request) {
	d := planData{Plan: s.runs.latestPlan()}
	if id := r.URL.Query().Get("plan"); id != "" {
		if d.Plan = s.runs.get(id); d.Plan == nil || d.Plan.Kind != "plan" {
			s.render(w, http.StatusNotFound, "error.html", page{Title: "No such plan", Error: "no plan " + id})
			return
		}
	}
	if d.Plan != nil {
		snap, _ := d.Plan.snapshot()
		d.Text = splitPlanText(snap.Text)
	}
	s.render(w, http.StatusOK, "plan.html", page{Title: "Plan", Nav: "plan", Data: d})
}

func (s *Server) started(w http.ResponseWriter, r *http.Request, run *Run, err error) {
	var busy errBusy
	switch {
	case errors.As(err, &busy):
		s.render(w, http.StatusConflict, "error.html", page{Title: "Busy", Error: err.Error()})
	case err != nil:
		s.render(w, http.StatusInternalServerError, "error.html", page{Title: "Error", Error: err.Error()})
	default:
		http.Redirect(w, r, "/runs/"+run.ID, http.StatusSeeOther)
	}
}

// startPlan runs lakesync plan --graph --out RUNS/ID.plan: the plan an
// apply started here applies.
func (s *Server) startPlan(w http.ResponseWriter, r *http.Request) {
	run, err := s.runs.start(s.ctx, "plan", s.command([]string{"plan", "--graph"}), "", nil)
	s.started(w, r, run, err)
}

// startApply runs lakesync apply --json RUNS/PLAN.plan once the user has
// typed "yes", as lakesync apply asks on a terminal; with a job chosen,
// apply --job copies only that job.
func (s *Server) startApply(w http.ResponseWriter, r *http.Request) {
	planRun := s.runs.get(r.PostFormValue("plan"))
	if planRun == nil || planRun.Kind != "plan" {
		s.render(w, http.StatusBadRequest, "error.html", page{Title: "No such plan", Error: "no plan " + r.PostFormValue("plan") + ": make one on the Plan page"})
		return
	}
	if strings.TrimSpace(r.PostFormValue("confirm")) != "yes" {
		s.render(w, http.StatusBadRequest, "error.html", page{Title: "Apply cancelled", Error: "apply cancelled: only 'yes' is accepted to apply the plan " + planRun.ID})
		return
	}
	file := s.runs.planFile(planRun.ID)
	planned, err := s.planned(r.Context(), file)
	if err != nil {
		s.render(w, http.StatusInternalServerError, "error.html", page{Title: "Error", Error: err.Error()})
		return
	}
	words := []string{"apply", "--json"}
	if job := r.PostFormValue("job"); job != "" {
		// lakesync apply refuses a name that is no job of the
		// configuration; the bar counts only the job that copies.
		words = append(words, "--job", job)
		planned = map[string]int64{job: planned[job]}
	}
	run, err := s.runs.start(s.ctx, "apply", s.command(words, file), planRun.ID, planned)
	s.started(w, r, run, err)
}

// planned is the objects each job of the saved plan copies, adopts or
// deletes, from lakesync show PLANFILE --json.
func (s *Server) planned(ctx context.Context, file string) (map[string]int64, error) {
	out, errs, code := s.output(ctx, s.command([]string{"show", "--json"}, file))
	if code != 0 {
		return nil, errors.New("lakesync show " + file + ": " + errs)
	}
	type count struct {
		Objects int64 `json:"objects"`
	}
	var p struct {
		Jobs []struct {
			Name string `json:"name"`
			Data *struct {
				Copy, Adopt, Delete count
			} `json:"data"`
		} `json:"jobs"`
	}
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		return nil, errors.New("lakesync show " + file + " --json: " + err.Error())
	}
	m := map[string]int64{}
	for _, j := range p.Jobs {
		m[j.Name] = 0
		if j.Data != nil {
			m[j.Name] = j.Data.Copy.Objects + j.Data.Adopt.Objects + j.Data.Delete.Objects
		}
	}
	return m, nil
}

// startMigrate runs lakesync migrate NAME --json --auto-approve once the
// user has typed "yes", as lakesync migrate asks on a terminal, with
// --confirm-delete-source when that field is filled (lakesync migrate
// checks it names the bucket; without it, it stops at step 2).
func (s *Server) startMigrate(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimSpace(r.PostFormValue("migration"))
	if name == "" || strings.HasPrefix(name, "-") {
		s.render(w, http.StatusBadRequest, "error.html", page{Title: "No migration", Error: "give the name of a migration block"})
		return
	}
	if strings.TrimSpace(r.PostFormValue("confirm")) != "yes" {
		s.render(w, http.StatusBadRequest, "error.html", page{Title: "Migration cancelled", Error: "migration cancelled: only 'yes' is accepted to start lakesync migrate " + name})
		return
	}
	words := []string{"migrate", "--json", "--auto-approve"}
	if c := strings.TrimSpace(r.PostFormValue("confirm_delete_source")); c != "" {
		words = append(words, "--confirm-delete-source", c)
	}
	run, err := s.runs.start(s.ctx, "migrate", s.command(words, name), "", nil)
	s.started(w, r, run, err)
}

func (s *Server) historyPage(w http.ResponseWriter, r *http.Request) {
	all, err := s.runs.list()
	p := page{Title: "Runs", Nav: "runs", Data: all}
	if err != nil {
		p.Error = err.Error()
	}
	s.render(w, http.StatusOK, "runs.html", p)
}

func (s *Server) runPage(w http.ResponseWriter, r *http.Request) {
	run := s.runs.get(r.PathValue("id"))
	if run == nil {
		s.render(w, http.StatusNotFound, "error.html", page{Title: "No such run", Error: "no run " + r.PathValue("id")})
		return
	}
	snap, _ := run.snapshot()
	s.render(w, http.StatusOK, "run.html", page{Title: "Run " + run.ID, Nav: "runs", Data: snap})
}

// stopRun stops a run that goes on, and shows its page: the run ends as
// the CLI does on Ctrl-C.
func (s *Server) stopRun(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if !s.runs.stop(id) {
		s.render(w, http.StatusConflict, "error.html", page{Title: "Not running", Error: "run " + id + " is not going on: nothing to stop"})
		return
	}
	http.Redirect(w, r, "/runs/"+id, http.StatusSeeOther)
}

// runEvents streams a run's snapshots as server-sent events, at most
// four a second, until it ends.
func (s *Server) runEvents(w http.ResponseWriter, r *http.Request) {
	run := s.runs.get(r.PathValue("id"))
	if run == nil {
		http.NotFound(w, r)
		return
	}
	flush, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	for {
		snap, changed := run.snapshot()
		b, _ := json.Marshal(snap)
		if _, err := w.Write([]byte("data: " + string(b) + "\n\n")); err != nil {
			return
		}
		flush.Flush()
		if snap.Done {
			_, _ = w.Write([]byte("event: end\ndata: {}\n\n"))
			flush.Flush()
			return
		}
		select {
		case <-r.Context().Done():
			return
		case <-changed:
		}
		select {
		case <-r.Context().Done():
			return
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// runReport is the HTML report of a run's events (report.Render, as
// lakesync report EVENTS.jsonl writes it).
func (s *Server) runReport(w http.ResponseWriter, r *http.Request) {
	run := s.runs.get(r.PathValue("id"))
	if run == nil || !run.jsonEvents() {
		http.NotFound(w, r)
		return
	}
	ev, err := os.ReadFile(s.runs.outFile(run))
	var out bytes.Buffer
	if err == nil {
		var parsed *report.Run
		if parsed, err = report.Parse(bytes.NewReader(ev), run.ID+".jsonl"); err == nil {
			err = report.Render(&out, parsed)
		}
	}
	if err != nil {
		s.render(w, http.StatusInternalServerError, "error.html", page{Title: "Error", Error: err.Error()})
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'")
	_, _ = w.Write(out.Bytes())
}

// planPicture is a saved plan's access picture as SVG (lakesync show
// PLANFILE --svg), for the plan page's <img>: no script runs in it.
func (s *Server) planPicture(w http.ResponseWriter, r *http.Request) {
	run := s.runs.get(r.PathValue("id"))
	if run == nil || run.Kind != "plan" {
		http.NotFound(w, r)
		return
	}
	out, errs, code := s.output(r.Context(), s.command([]string{"show", "--svg"}, s.runs.planFile(run.ID)))
	if code != 0 {
		http.Error(w, errs, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	_, _ = w.Write([]byte(out))
}
