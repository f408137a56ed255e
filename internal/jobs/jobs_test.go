package jobs_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"quietdesk/internal/jobs"
	"quietdesk/internal/testutil"
)

func TestRunsAndLogsFailuresByName(t *testing.T) {
	var logs testutil.Buffer
	ran := make(chan struct{}, 10)
	r, err := jobs.Start(slog.New(slog.NewTextHandler(&logs, nil)), []jobs.Job{
		{Name: "extend series", Spec: "@every 1s", Run: func(context.Context) error { ran <- struct{}{}; return nil }},
		{Name: "broken job", Spec: "@every 1s", Run: func(context.Context) error { return errors.New("disk full") }},
	})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-ran:
	case <-time.After(5 * time.Second):
		t.Fatal("the job did not run within 5 s")
	}
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(logs.String(), `job="broken job"`) && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	r.Stop()
	if !strings.Contains(logs.String(), `job="broken job" err="disk full"`) {
		t.Fatalf("failure not logged by name:\n%s", logs.String())
	}
}

func TestStopCancelsARunningJob(t *testing.T) {
	started := make(chan struct{})
	r, err := jobs.Start(slog.New(slog.DiscardHandler), []jobs.Job{{Name: "slow", Spec: "@every 1s", Run: func(ctx context.Context) error {
		close(started)
		<-ctx.Done()
		return ctx.Err()
	}}})
	if err != nil {
		t.Fatal(err)
	}
	<-started
	done := make(chan struct{})
	go func() { r.Stop(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Stop did not cancel the running job")
	}
}

func TestBadSpec(t *testing.T) {
	if _, err := jobs.Start(slog.New(slog.DiscardHandler), []jobs.Job{{Name: "x", Spec: "every tuesday", Run: nil}}); err == nil {
		t.Fatal("a bad spec must be refused")
	}
}
