// Package jobs runs Quietdesk's scheduled work on robfig/cron: today,
// keeping recurring series materialized a year ahead; reminders, alerts and
// backups join it as they are built. A job that fails is logged by name
// (never with record contents) and tried again at its next time.
package jobs

import (
	"context"
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
			if err := j.Run(ctx); err != nil {
				log.Error("scheduled job failed", "job", j.Name, "err", err)
				return
			}
			log.Debug("scheduled job done", "job", j.Name, "took", time.Since(began))
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
