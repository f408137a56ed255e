package calendar

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/emersion/go-ical"
)

// FeedEvent is one appointment in a clinician's calendar feed. It has no
// field for anything about the patient, so none can leak into the feed.
type FeedEvent struct {
	ID         string
	Start, End time.Time
	Place      string // the location's name, or "Telehealth"
}

// feedRefresh is how often subscribed calendar apps should fetch again.
const feedRefresh = "PT1H"

// WriteFeed writes an RFC 5545 calendar of events for subscription from a
// phone or another calendar app. Every event reads "Appointment" with its
// place; UIDs are the appointment ID at quietdesk, so a moved appointment
// moves in the subscriber's calendar. Times are UTC. Events are written in
// order of start; one without an ID or with its end not after its start
// (bad data) is left out rather than break the whole feed.
func WriteFeed(w io.Writer, calendarName string, events []FeedEvent, now time.Time) error {
	cal := ical.NewCalendar()
	cal.Props.SetText(ical.PropVersion, "2.0")
	cal.Props.SetText(ical.PropProductID, "-//Quietdesk//Calendar feed//EN")
	cal.Props.SetText(ical.PropName, calendarName)
	cal.Props.Set(extension("X-WR-CALNAME", calendarName)) // the name Apple and Google calendars show
	refresh := rawProp(ical.PropRefreshInterval, feedRefresh)
	refresh.Params.Set(ical.ParamValue, string(ical.ValueDuration)) // required by RFC 7986
	cal.Props.Set(refresh)
	cal.Props.Set(rawProp("X-PUBLISHED-TTL", feedRefresh)) // REFRESH-INTERVAL for older clients

	sorted := slices.Clone(events)
	slices.SortStableFunc(sorted, func(a, b FeedEvent) int { return cmp.Or(a.Start.Compare(b.Start), strings.Compare(a.ID, b.ID)) })
	for _, e := range sorted {
		if e.ID == "" || !e.End.After(e.Start) {
			continue
		}
		ev := ical.NewEvent()
		ev.Props.SetText(ical.PropUID, e.ID+"@quietdesk")
		ev.Props.SetDateTime(ical.PropDateTimeStamp, now.UTC())
		ev.Props.SetDateTime(ical.PropDateTimeStart, e.Start.UTC())
		ev.Props.SetDateTime(ical.PropDateTimeEnd, e.End.UTC())
		ev.Props.SetText(ical.PropSummary, "Appointment")
		ev.Props.SetText(ical.PropLocation, e.Place)
		cal.Children = append(cal.Children, ev.Component)
	}
	if len(cal.Children) == 0 {
		// RFC 5545 wants at least one component and the encoder enforces it;
		// an unused UTC time zone is the one every client silently ignores.
		cal.Children = append(cal.Children, utcTimezone())
	}
	if err := ical.NewEncoder(w).Encode(cal); err != nil {
		return fmt.Errorf("calendar feed: %w", err)
	}
	return nil
}

func utcTimezone() *ical.Component {
	std := ical.NewComponent(ical.CompTimezoneStandard)
	std.Props.Set(rawProp(ical.PropDateTimeStart, "19700101T000000"))
	std.Props.Set(rawProp(ical.PropTimezoneOffsetFrom, "+0000"))
	std.Props.Set(rawProp(ical.PropTimezoneOffsetTo, "+0000"))
	tz := ical.NewComponent(ical.CompTimezone)
	tz.Props.SetText(ical.PropTimezoneID, "UTC")
	tz.Children = append(tz.Children, std)
	return tz
}

// rawProp is a property whose value is already in its iCalendar form.
func rawProp(name, value string) *ical.Prop {
	p := ical.NewProp(name)
	p.Value = value
	return p
}

// extension is an X- text property, escaped as text but without the
// VALUE=TEXT parameter the library adds to names it does not know.
func extension(name, text string) *ical.Prop {
	p := ical.NewProp(name)
	p.SetText(text)
	p.Params.Del(ical.ParamValue)
	return p
}
