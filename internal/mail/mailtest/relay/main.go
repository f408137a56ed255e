// Command relay runs mailtest's loopback SMTP relay (STARTTLS, AUTH) for
// the browser tests, which cannot start a Go server themselves: it writes
// its certificate to --cert-out, prints "port N", then "received TO" for
// each message it takes, until it is killed.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"quietdesk/internal/mail"
	"quietdesk/internal/mail/mailtest"
)

func main() {
	certOut := flag.String("cert-out", "", "file to write the relay's certificate (PEM) to")
	flag.Parse()
	s, err := mailtest.Start(mailtest.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "relay:", err)
		os.Exit(1)
	}
	defer s.Close()
	if *certOut != "" {
		if err := os.WriteFile(*certOut, s.CertPEM, 0o600); err != nil {
			fmt.Fprintln(os.Stderr, "relay:", err)
			os.Exit(1)
		}
	}
	s.Reached = func(step mail.Step) {
		if step == mail.StepData {
			got := s.Received()
			fmt.Printf("received %s\n", got[len(got)-1].To)
		}
	}
	fmt.Printf("port %d user %s password %s\n", s.Port, s.User, s.Password)
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, os.Interrupt)
	<-stop
}
