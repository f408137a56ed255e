// Package jobs runs Quietdesk's scheduled work on robfig/cron: today,
// keeping recurring series materialized a year ahead; reminders, alerts and
// backups join it as they are built. A job that fails is logged by name
// (never with record contents) and tried again at its next time.
package jobs

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/robfig/cron/v3"
)

// Job is one piece of scheduled work. Spec is a cron spec or a descriptor
// such as "@every 30m".
type Job struct {
	Name string
	Spec string
	Run  func(ctx context.Context) error
}

// ErrSkipped is returned by a job with nothing it may do here (the
// practice key is not loaded); it is not a failure.
var ErrSkipped = errors.New("jobs: skipped")

// Runner runs jobs until Stop.
type Runner struct {
	cron   *cron.Cron
	ctx    context.Context
	cancel context.CancelFunc
}

// Start schedules jobs. A job never runs twice at once: a slow run makes
// the next one wait rather than pile up on the single database connection.
func Start(log *slog.Logger, list []Job) (*Runner, error) {
	ctx, cancel := context.WithCancel(context.Background())
	c := cron.New(cron.WithChain(cron.SkipIfStillRunning(cron.DiscardLogger)))
	for _, j := range list {
		if _, err := c.AddFunc(j.Spec, func() {
			began := time.Now()
			err := j.Run(ctx)
			switch {
			case errors.Is(err, ErrSkipped):
				log.Debug("scheduled job skipped", "job", j.Name)
			case err != nil:
				log.Error("scheduled job failed", "job", j.Name, "err", err)
			default:
				log.Info("scheduled job done", "job", j.Name, "took", time.Since(began))
			}
		}); err != nil {
			cancel()
			return nil, err
		}
	}
	c.Start()
	return &Runner{cron: c, ctx: ctx, cancel: cancel}, nil
}

// Stop cancels running jobs and waits for them to return.
func (r *Runner) Stop() {
	r.cancel()
	<-r.cron.Stop().Done()
}
