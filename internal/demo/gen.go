package demo

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"quietdesk/internal/practice"
)

// This file generates the demo's content from a random source alone; it
// knows nothing of the store, so the same seed gives the same content
// whatever IDs the store hands out.

// refDate is "today" for the demo's ages: who is a minor, who is on a
// Medicare-like plan. It is fixed so content does not depend on when the
// demo is made.
var (
	anyFirst       = append(append([]string{}, femaleFirst...), maleFirst...)
	nonBinaryFirst = append(append([]string{}, neutralFirst...), femaleFirst[:20]...)
)

var refDate = time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC)

// MakeNPI returns the 10-digit NPI whose first nine digits are first9 and
// whose last digit is the Luhn check digit computed over "80840"+first9.
func MakeNPI(first9 string) (string, error) {
	if len(first9) != 9 || strings.IndexFunc(first9, func(r rune) bool { return r < '0' || r > '9' }) >= 0 {
		return "", fmt.Errorf("demo: an NPI base is 9 digits, got %q", first9)
	}
	payload := "80840" + first9
	sum := 0
	// Double every other digit starting with the rightmost one of the
	// payload (the check digit will sit to its right).
	for i := len(payload) - 1; i >= 0; i-- {
		d := int(payload[i] - '0')
		if (len(payload)-1-i)%2 == 0 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return first9 + strconv.Itoa((10-sum%10)%10), nil
}

// gen wraps a random source with the helpers the generators share.
type gen struct{ r *rand.Rand }

func newGen(seed int64, stream uint64) gen {
	return gen{rand.New(rand.NewPCG(uint64(seed), stream))}
}

func pick[T any](g gen, list []T) T { return list[g.r.IntN(len(list))] }

// chance is true with probability p.
func (g gen) chance(p float64) bool { return g.r.Float64() < p }

func (g gen) digits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + g.r.IntN(10))
	}
	return string(b)
}

// alnum is upper-case letters and digits without the look-alikes I and O.
const alnumChars = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"

func (g gen) alnum(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alnumChars[g.r.IntN(len(alnumChars))]
	}
	return string(b)
}

func (g gen) npi(first byte) string {
	n, err := MakeNPI(string(first) + g.digits(8))
	if err != nil {
		panic(err) // digits() always gives digits
	}
	return n
}

// phone is a number in the 555-01xx range reserved for fiction.
func (g gen) phone(area string) string {
	return fmt.Sprintf("(%s) 555-01%02d", area, g.r.IntN(100))
}

// date returns a random day in [from, to] (years inclusive).
func (g gen) date(fromYear, toYear int) time.Time {
	from := time.Date(fromYear, time.January, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(toYear, time.December, 31, 0, 0, 0, 0, time.UTC)
	days := int(to.Sub(from).Hours()/24) + 1
	return from.AddDate(0, 0, g.r.IntN(days))
}

// weighted returns an index into weights, chosen in proportion to them.
func (g gen) weighted(weights []int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	n := g.r.IntN(total)
	for i, w := range weights {
		if n < w {
			return i
		}
		n -= w
	}
	return len(weights) - 1
}

func (g gen) city() city {
	w := make([]int, len(cities))
	for i, c := range cities {
		w[i] = c.Weight
	}
	return cities[g.weighted(w)]
}

func (g gen) address(c city) practice.Address {
	a := practice.Address{
		Line1: fmt.Sprintf("%d %s %s", 100+g.r.IntN(19900), pick(g, streetWords), pick(g, streetKinds)),
		City:  c.Name, State: c.State, Zip: pick(g, c.Zips),
	}
	if c.State == "OR" && c.Name == "Portland" && g.chance(0.5) {
		// Portland addresses carry a quadrant.
		a.Line1 = fmt.Sprintf("%d %s %s %s", 100+g.r.IntN(19900), pick(g, []string{"NE", "SE", "NW", "SW", "N"}), pick(g, streetWords), pick(g, streetKinds))
	}
	if g.chance(0.25) {
		a.Line2 = pick(g, []string{"Apt ", "Unit ", "#"}) + strconv.Itoa(1+g.r.IntN(40)) + pick(g, []string{"", "", "A", "B", "C"})
	}
	return a
}

// lastName is a surname, sometimes hyphenated.
func (g gen) lastName() string {
	if g.chance(0.06) {
		a, b := pick(g, lastNames), pick(g, lastNames)
		if a != b && !strings.Contains(a, " ") && !strings.Contains(b, " ") {
			return a + "-" + b
		}
	}
	return pick(g, lastNames)
}

// ascii folds a name to the lower-case ASCII letters, digits, dots and
// dashes usable in a username or e-mail local part: "Nguyễn" → "nguyen",
// "O'Brien" → "obrien", "Łukasz" → "lukasz".
func ascii(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '.':
			b.WriteRune(r)
		case unicode.Is(unicode.Mn, r), r == '\'', r == ' ', r == '’':
			// accents, apostrophes and spaces vanish
		default:
			if f, ok := fold[r]; ok {
				b.WriteString(f)
			}
		}
	}
	return strings.Trim(b.String(), ".-")
}

// fold covers letters that do not decompose into ASCII plus marks.
var fold = map[rune]string{'ø': "o", 'ł': "l", 'đ': "d", 'ß': "ss", 'æ': "ae", 'œ': "oe", 'þ': "th", 'ð': "d", 'ı': "i"}

func (g gen) email(first, last string) string {
	f, l := ascii(first), ascii(last)
	var local string
	switch g.r.IntN(5) {
	case 0:
		local = f + l
	case 1:
		local = f + "." + l + strconv.Itoa(1+g.r.IntN(99))
	case 2:
		local = f[:1] + l
	case 3:
		local = l + "." + f
	default:
		local = f + "." + l
	}
	return local + "@" + pick(g, emailDomains)
}

// --- practice structure

// locationPlan is an office and the names of its rooms.
type locationPlan struct {
	Location practice.Location
	Rooms    []string
}

// payerPlan is a payer and how its member and group numbers look.
type payerPlan struct {
	Payer  practice.Payer
	member func(g gen) string
	group  func(g gen) string
}

// staffPlan is an account to create; Clinician indexes plan.Clinicians
// (-1 for none).
type staffPlan struct {
	Account   practice.Account
	Clinician int
}

type plan struct {
	Settings   practice.Settings
	Locations  []locationPlan
	Payers     []payerPlan
	Clinicians []practice.Clinician
	Staff      []staffPlan // the owner first
}

// Payer indexes into plan.Payers, by role in the market.
const (
	payerCascadia = iota
	payerSummit
	payerPinecrest
	payerEvergreen
	payerMedicaid
	payerMedicare
	payerLighthouse
	payerBrightPath
)

func payers() []payerPlan {
	prefixed := func(prefix string, n int) func(g gen) string {
		return func(g gen) string { return prefix + g.alnum(n) }
	}
	digitsOf := func(prefix string, n int) func(g gen) string {
		return func(g gen) string { return prefix + g.digits(n) }
	}
	none := func(gen) string { return "" }
	ins, eap := practice.PayerInsurance, practice.PayerEAP
	return []payerPlan{
		{practice.Payer{Name: "Cascadia Blue Health Plan", PayerID: "CBH47", Kind: ins, Active: true}, prefixed("CBX", 9), digitsOf("", 7)},
		{practice.Payer{Name: "Summit Crest Insurance Company", PayerID: "SCI21", Kind: ins, Active: true}, digitsOf("W", 9), digitsOf("", 6)},
		{practice.Payer{Name: "Pinecrest Health Partners", PayerID: "PHP38", Kind: ins, Active: true}, prefixed("PNC", 8), prefixed("G", 6)},
		{practice.Payer{Name: "Evergreen Mutual Health", PayerID: "EVM45", Kind: ins, Active: true}, digitsOf("EM", 10), digitsOf("EG", 5)},
		{practice.Payer{Name: "Columbia Community Care (Medicaid)", PayerID: "CCMCD", Kind: ins, Active: true}, digitsOf("CC", 8), none},
		{practice.Payer{Name: "Silver Harbor Medicare Advantage", PayerID: "SHMA9", Kind: ins, Active: true}, func(g gen) string {
			return g.digits(1) + g.alnum(3) + "-" + g.alnum(3) + "-" + g.alnum(4)
		}, digitsOf("H", 4)},
		{practice.Payer{Name: "Lighthouse EAP", PayerID: "LHEAP", Kind: eap, Active: true}, prefixed("LH-", 6), prefixed("EMP", 4)},
		{practice.Payer{Name: "BrightPath Employee Assistance", PayerID: "BPEAP", Kind: eap, Active: true}, prefixed("BP", 8), prefixed("", 5)},
	}
}

// clinicianKind is a license with its NUCC taxonomy.
type clinicianKind struct {
	Credentials, Taxonomy string
	Prescriber            bool
}

var (
	kLCSW   = clinicianKind{"LCSW", "1041C0700X", false}
	kLPC    = clinicianKind{"LPC", "101YP2500X", false}
	kLMFT   = clinicianKind{"LMFT", "106H00000X", false}
	kPsyD   = clinicianKind{"PsyD", "103T00000X", false}
	kPhD    = clinicianKind{"PhD", "103T00000X", false}
	kPMHNP  = clinicianKind{"PMHNP-BC", "363LP0808X", true}
	kMD     = clinicianKind{"MD", "2084P0800X", true}
	kindMix = []clinicianKind{
		// the small practice: the first eight
		kLCSW, kLPC, kLMFT, kPsyD, kLCSW, kPhD, kPMHNP, kMD,
		// a large one adds more therapists than prescribers
		kLCSW, kLPC, kLMFT, kLCSW, kLPC, kPsyD, kLCSW, kLPC, kLMFT, kPhD,
		kLCSW, kLPC, kPMHNP, kLCSW, kLPC, kMD, kLMFT,
	}
)

// Usernames of the demo's staff accounts other than the clinicians.
const (
	OwnerUsername     = "demo.owner"
	FrontDeskUsername = "demo.frontdesk"
	BillerUsername    = "demo.biller"
)

const practiceName = "Cedar Grove Counseling (Demo)"

func makePlan(g gen, sz sizeSpec) plan {
	var p plan
	offices := []struct {
		name string
		c    city
		line string
	}{
		{"Southeast Portland", cities[0], "Larkspur Commons, Suite 210"},
		{"Beaverton", cities[1], "Canyon Meadow Professional Center"},
		{"Vancouver", cities[7], "Columbia Ridge Office Park, Bldg C"},
	}
	for i := 0; i < sz.locations; i++ {
		o := offices[i]
		addr := practice.Address{
			Line1: fmt.Sprintf("%d %s %s", 1000+g.r.IntN(8000), pick(g, streetWords), pick(g, streetKinds)),
			Line2: o.line, City: o.c.Name, State: o.c.State, Zip: o.c.Zips[0],
		}
		lp := locationPlan{Location: practice.Location{Name: o.name + " Office", Phone: g.phone(o.c.Area), Address: addr, Active: true}}
		n := 3 + g.r.IntN(2)
		names := g.r.Perm(len(roomNames))[:n]
		for _, k := range names {
			lp.Rooms = append(lp.Rooms, roomNames[k])
		}
		if n == 4 && g.chance(0.5) {
			lp.Rooms[n-1] = "Group Room"
		}
		p.Locations = append(p.Locations, lp)
	}
	main := p.Locations[0].Location
	p.Settings = practice.Settings{
		Name:        practiceName,
		TaxID:       "93-" + g.digits(7),
		NPI:         g.npi('1'),
		Phone:       main.Phone,
		Address:     main.Address,
		Timezone:    "America/Los_Angeles",
		LockMinutes: 15,
	}
	p.Payers = payers()

	used := map[string]bool{OwnerUsername: true, FrontDeskUsername: true, BillerUsername: true}
	p.Staff = append(p.Staff,
		staffPlan{practice.Account{Username: OwnerUsername, DisplayName: "Demo Owner", Role: practice.RoleOwner}, -1},
		staffPlan{practice.Account{Username: FrontDeskUsername, DisplayName: "Demo Front Desk", Role: practice.RoleFrontDesk}, -1},
		staffPlan{practice.Account{Username: BillerUsername, DisplayName: "Demo Biller", Role: practice.RoleBiller}, -1},
	)
	for i := 0; i < sz.clinicians; i++ {
		k := kindMix[i]
		var first, last, user string
		for {
			if g.chance(0.5) {
				first = pick(g, femaleFirst)
			} else if g.chance(0.9) {
				first = pick(g, maleFirst)
			} else {
				first = pick(g, neutralFirst)
			}
			last = g.lastName()
			user = ascii(first) + "." + ascii(last)
			if !used[user] && len(user) <= 40 {
				used[user] = true
				break
			}
		}
		c := practice.Clinician{
			FirstName: first, LastName: last, Credentials: k.Credentials, NPI: g.npi('1'), Taxonomy: k.Taxonomy,
			Languages: []string{"English"}, Email: user + "@cedargrove.example.com",
			Phone:      fmt.Sprintf("%s x%d", p.Settings.Phone, 201+i),
			Prescriber: k.Prescriber, AcceptingNew: g.chance(0.8), Active: true,
		}
		c.Specialties = clinicianSpecialties(g, k)
		if g.chance(0.35) {
			lang := pick(g, extraLanguages)
			c.Languages = append(c.Languages, lang)
		}
		p.Clinicians = append(p.Clinicians, c)
		p.Staff = append(p.Staff, staffPlan{practice.Account{Username: user, DisplayName: first + " " + last, Role: practice.RoleClinician}, i})
	}
	return p
}

func clinicianSpecialties(g gen, k clinicianKind) []string {
	var out []string
	add := func(s string) {
		for _, x := range out {
			if x == s {
				return
			}
		}
		out = append(out, s)
	}
	switch k {
	case kLMFT:
		add("couples")
		add("family therapy")
	case kPMHNP, kMD:
		add("medication management")
		add(pick(g, []string{"bipolar disorder", "depression", "ADHD"}))
	case kPsyD, kPhD:
		add(pick(g, []string{"OCD", "trauma/PTSD", "eating disorders"}))
	}
	for n := 2 + g.r.IntN(3); len(out) < n; {
		add(pick(g, specialties))
	}
	return out
}

// --- patients

// policyPlan is an insurance policy whose payer is an index into plan.Payers.
type policyPlan struct {
	Payer  int
	Policy practice.InsurancePolicy
}

// patientPlan is one patient with their policies, primary first.
type patientPlan struct {
	Patient  practice.Patient
	Policies []policyPlan
}

func age(dob, at time.Time) int {
	a := at.Year() - dob.Year()
	if at.YearDay() < dob.YearDay() {
		a--
	}
	return a
}

// firstFor is a first name that fits a family relationship.
func (g gen) firstFor(relationship string) string {
	switch relationship {
	case "Mother", "Grandmother", "Aunt", "Sister", "Daughter":
		return pick(g, femaleFirst)
	case "Father", "Grandfather", "Uncle", "Brother", "Son":
		return pick(g, maleFirst)
	}
	return pick(g, anyFirst)
}

func (g gen) patient(payers []payerPlan) patientPlan {
	var pt practice.Patient
	id := &pt.Identity

	// Ages: mostly working-age adults, some older adults, a sixth minors.
	var dob time.Time
	switch g.weighted([]int{6, 20, 52, 6, 16}) {
	case 0:
		dob = g.date(1940, 1959)
	case 1:
		dob = g.date(1960, 1979)
	case 2:
		dob = g.date(1980, 2005)
	case 3:
		dob = g.date(2006, 2007)
	default:
		dob = g.date(2008, 2018)
	}
	id.DOB = dob.Format(time.DateOnly)
	years := age(dob, refDate)
	minor := years < 18

	switch g.weighted([]int{52, 42, 4, 2}) {
	case 0:
		id.Sex, id.Gender, id.Pronouns = "F", "Woman", "she/her"
		id.FirstName = pick(g, femaleFirst)
	case 1:
		id.Sex, id.Gender, id.Pronouns = "M", "Man", "he/him"
		id.FirstName = pick(g, maleFirst)
	case 2:
		id.Sex = pick(g, []string{"F", "M"})
		id.Gender, id.Pronouns = "Non-binary", pick(g, []string{"they/them", "they/them", "she/they", "he/they"})
		id.FirstName = pick(g, nonBinaryFirst)
	default:
		id.Sex = "U"
		id.FirstName = pick(g, neutralFirst)
	}
	if id.Sex != "U" && years >= 16 && g.chance(0.02) {
		if id.Sex == "F" {
			id.Gender, id.Pronouns = "Transgender man", "he/him"
		} else {
			id.Gender, id.Pronouns = "Transgender woman", "she/her"
		}
		id.PreferredName = pick(g, neutralFirst)
	}
	if g.chance(0.1) { // not recorded
		id.Gender, id.Pronouns = "", ""
	}
	id.LastName = g.lastName()
	if nick, ok := nicknames[id.FirstName]; ok && g.chance(0.4) {
		id.PreferredName = pick(g, nick)
	}

	c := g.city()
	if g.chance(0.95) {
		pt.Contact.Phone = g.phone(pick(g, []string{c.Area, c.Area, "971", "503", "360"}))
	}
	if years >= 13 && g.chance(0.85) {
		pt.Contact.Email = g.email(id.FirstName, id.LastName)
	}
	if g.chance(0.97) {
		pt.Contact.Address = g.address(c)
	}

	familyLast := id.LastName
	if minor {
		gr := &pt.Guardian
		gr.Relationship = pick(g, guardianRelations)
		gf := g.firstFor(gr.Relationship)
		if gr.Relationship == "Legal guardian" || gr.Relationship == "Foster parent" {
			familyLast = g.lastName()
		}
		if strings.Contains(familyLast, "-") && g.chance(0.5) {
			familyLast = familyLast[:strings.IndexByte(familyLast, '-')]
		}
		gr.Name = gf + " " + familyLast
		gr.Phone = g.phone(c.Area)
		if g.chance(0.8) {
			gr.Email = g.email(gf, familyLast)
		}
		if g.chance(0.7) {
			e := &pt.Emergency
			e.Relationship = pick(g, []string{"Mother", "Father", "Grandmother", "Aunt", "Uncle", "Family friend"})
			e.Name = g.firstFor(e.Relationship) + " " + familyLast
			e.Phone = g.phone(c.Area)
		}
	} else if g.chance(0.8) {
		e := &pt.Emergency
		e.Relationship = pick(g, emergencyRelations)
		last := id.LastName
		if e.Relationship == "Friend" || e.Relationship == "Roommate" || e.Relationship == "Partner" || g.chance(0.2) {
			last = g.lastName()
		}
		first := g.firstFor(e.Relationship)
		e.Name = first + " " + last
		e.Phone = g.phone(pick(g, []string{c.Area, "503", "971", "360", "206", "541"}))
		if g.chance(0.4) {
			e.Email = g.email(first, last)
		}
	}
	pt.Active = !g.chance(0.05)

	out := patientPlan{Patient: pt}
	if !g.chance(0.85) {
		return out // self-pay
	}

	// Primary payer: Medicare-like for most over 65, Medicaid for some,
	// commercial plans for most, an EAP for a few working adults.
	var primary int
	switch {
	case years >= 65 && g.chance(0.8):
		primary = payerMedicare
	case !minor && years < 65 && g.chance(0.08):
		primary = pick(g, []int{payerLighthouse, payerBrightPath})
	default:
		primary = []int{payerCascadia, payerSummit, payerPinecrest, payerEvergreen, payerMedicaid}[g.weighted([]int{24, 20, 14, 12, 22})]
	}
	out.Policies = append(out.Policies, g.policy(payers, primary, practice.RankPrimary, pt, minor, dob))
	if g.chance(0.15) || (primary == payerLighthouse || primary == payerBrightPath) && g.chance(0.6) {
		second := []int{payerCascadia, payerSummit, payerPinecrest, payerEvergreen}[g.r.IntN(4)]
		if primary == payerMedicaid {
			second = payerCascadia
		}
		if second != primary {
			out.Policies = append(out.Policies, g.policy(payers, second, practice.RankSecondary, pt, minor, dob))
		}
	}
	return out
}

func (g gen) policy(payers []payerPlan, payer int, rank practice.PolicyRank, pt practice.Patient, minor bool, dob time.Time) policyPlan {
	pp := payers[payer]
	ip := practice.InsurancePolicy{Rank: rank, MemberID: pp.member(g), GroupNumber: pp.group(g)}
	switch {
	case payer == payerMedicaid || payer == payerMedicare:
		ip.Subscriber.Relationship = "self"
	case minor:
		ip.Subscriber = practice.Subscriber{
			Name:         pt.Guardian.Name,
			DOB:          dob.AddDate(-(22 + g.r.IntN(20)), -g.r.IntN(12), -g.r.IntN(28)).Format(time.DateOnly),
			Relationship: "child",
		}
		if pt.Guardian.Relationship == "Legal guardian" || pt.Guardian.Relationship == "Foster parent" {
			ip.Subscriber.Relationship = "other"
		}
	case g.chance(0.15):
		first := pick(g, anyFirst)
		ip.Subscriber = practice.Subscriber{
			Name:         first + " " + pt.Identity.LastName,
			DOB:          dob.AddDate(g.r.IntN(9)-5, g.r.IntN(12), g.r.IntN(28)).Format(time.DateOnly),
			Relationship: "spouse",
		}
	default:
		ip.Subscriber.Relationship = "self"
	}
	return policyPlan{Payer: payer, Policy: ip}
}
