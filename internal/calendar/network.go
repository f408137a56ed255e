package calendar

import (
	"time"

	"quietdesk/internal/practice"
)

// NetworkRule is the calendar's extension point for whether a clinician
// is in network with a payer on a day (credentialing registers it, so the
// calendar never imports credentialing). why says so in words either way
// ("In network with Aetna", "Ana Ruiz is not in network with Aetna until
// 1 Mar 2027; application in process."). The waitlist's offers and "match
// a new patient" consult it; without one registered, insurance is not
// matched.
type NetworkRule func(tx Store, clinicianID, payerID string, on time.Time) (in bool, why string, err error)

// NetworkAnswer is the rule's answer for one clinician.
type NetworkAnswer struct {
	In  bool
	Why string
}

// WithNetwork registers the network rule; it returns s for chaining.
func (s *Service) WithNetwork(rule NetworkRule) *Service {
	s.network = rule
	return s
}

// inNetwork filters waitlist entries whose payer the clinician is not in
// network with on the slot's day: an entry without a payer (self-pay) fits.
func (f *facts) inNetwork(entries []practice.WaitlistEntry, clinicianID string, on time.Time) ([]practice.WaitlistEntry, error) {
	if f.network == nil {
		return entries, nil
	}
	var out []practice.WaitlistEntry
	for _, e := range entries {
		if e.PayerID != "" {
			in, _, err := f.network(f.tx, clinicianID, e.PayerID, on)
			if err != nil {
				return nil, err
			}
			if !in {
				continue
			}
		}
		out = append(out, e)
	}
	return out, nil
}
