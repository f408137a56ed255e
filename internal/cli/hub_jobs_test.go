package cli_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"quietdesk/internal/cli"
	"quietdesk/internal/testutil"
)

// TestHubRunsTheJobsThatNeedNoKey runs `quietdesk hub` on the small demo
// with nobody logged in: the database integrity check, which needs no key,
// runs on its schedule (that key jobs wait for the key is
// internal/wiring's TestKeyJobsWaitForTheKey).
func TestHubRunsTheJobsThatNeedNoKey(t *testing.T) {
	dir, _ := demoDir(t)
	ctx, stop := context.WithCancel(context.Background())
	var stdout, stderr testutil.Buffer
	exited := make(chan int, 1)
	go func() {
		exited <- cli.Run(ctx, []string{"hub", "--data-dir", dir, "--listen", "127.0.0.1:0", "--beacon", "0", "--check-every", "1s"},
			"test", &stdout, &stderr)
	}()
	const ran = `msg="scheduled job done" job="database integrity check"`
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(stderr.String(), ran) && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	stop()
	if code := <-exited; code != 0 {
		t.Fatalf("hub exited %d:\n%s", code, stderr.String())
	}
	log := stderr.String()
	if !strings.Contains(log, ran) {
		t.Fatalf("the hub never ran the integrity check:\n%s", log)
	}
}
