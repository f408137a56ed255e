package x12_test

import (
	"fmt"
	"strconv"
	"strings"
)

// An independent reader of 837P files, written from the 005010X222A1
// implementation guide's loop structure and not from the writer: it reads
// the separators from the ISA itself, walks the loops in the order the
// guide gives them, and checks required elements, code values, hierarchy
// numbers, segment counts, control numbers and claim totals. Everything it
// knows is in the tables and the walk below.

type segment struct {
	id  string
	el  []string // el[1] is the first element, as the guide numbers them
	pos int      // 1-based position in the file
}

func (s segment) e(i int) string {
	if i < len(s.el) {
		return s.el[i]
	}
	return ""
}

// parse837 splits a file into segments using the separators the ISA
// declares: the element separator is its 4th character, the component
// separator its 105th, the segment terminator its 106th.
func parse837(data string) (segs []segment, component string, err error) {
	data = strings.TrimLeft(data, "\r\n")
	if len(data) < 106 || !strings.HasPrefix(data, "ISA") {
		return nil, "", fmt.Errorf("the file does not start with a 106-character ISA")
	}
	elem, comp, term := data[3:4], data[104:105], data[105:106]
	for i, raw := range strings.Split(data, term) {
		raw = strings.Trim(raw, "\r\n")
		if raw == "" {
			continue
		}
		parts := strings.Split(raw, elem)
		segs = append(segs, segment{id: parts[0], el: parts, pos: i + 1})
	}
	if len(segs) > 0 && len(segs[0].el) != 17 {
		return nil, "", fmt.Errorf("ISA has %d elements, want 16", len(segs[0].el)-1)
	}
	return segs, comp, nil
}

// maxElements per segment in 837P (an extra element means a value held a
// separator).
var maxElements = map[string]int{"ISA": 16, "GS": 8, "ST": 3, "BHT": 6, "NM1": 12, "PER": 8, "HL": 4, "PRV": 3,
	"N3": 2, "N4": 4, "REF": 2, "SBR": 9, "DMG": 3, "PAT": 1, "CLM": 9, "HI": 12, "LX": 1, "SV1": 7, "DTP": 3,
	"SE": 2, "GE": 2, "IEA": 2}

var (
	filingCodes = set("11 12 13 14 15 16 17 AM BL CH CI DS FI HM LM MA MB MC OF TV VA WC ZZ")
	pat01Codes  = set("01 19 20 21 39 40 53 G8")
	posCodes    = set("02 03 10 11 12 22 49 50 53 57 71 72 99")
	genders     = set("F M U")
)

func set(s string) map[string]bool {
	m := map[string]bool{}
	for _, f := range strings.Fields(s) {
		m[f] = true
	}
	return m
}

// luhnNPI is the NPI check, written here again so the validator does not
// trust the writer's package.
func luhnNPI(s string) bool {
	if len(s) != 10 {
		return false
	}
	sum := 0
	full := "80840" + s
	for i := len(full) - 1; i >= 0; i-- {
		d := int(full[i] - '0')
		if d < 0 || d > 9 {
			return false
		}
		if (len(full)-1-i)%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

func isDate8(s string) bool {
	if len(s) != 8 {
		return false
	}
	_, err := strconv.Atoi(s)
	return err == nil && s[4:6] >= "01" && s[4:6] <= "12" && s[6:] >= "01" && s[6:] <= "31"
}

func cents(s string) (int64, error) {
	whole, frac, _ := strings.Cut(s, ".")
	if len(frac) > 2 {
		return 0, fmt.Errorf("amount %q has more than two decimals", s)
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, err
	}
	f := int64(0)
	if frac != "" {
		f, err = strconv.ParseInt((frac + "0")[:2], 10, 64)
		if err != nil {
			return 0, err
		}
	}
	return w*100 + f, nil
}

// Validated is what the validator learned from a file.
type validated struct {
	claims      int
	lines       int
	interchange string
}

// validate837 checks a whole interchange; the first problem is returned.
func validate837(data string) (validated, error) {
	var v validated
	segs, comp, err := parse837(data)
	if err != nil {
		return v, err
	}
	for _, s := range segs {
		max, ok := maxElements[s.id]
		if !ok {
			return v, fmt.Errorf("segment %d: %s is not a segment this 837P uses", s.pos, s.id)
		}
		if len(s.el)-1 > max {
			return v, fmt.Errorf("segment %d: %s has %d elements, at most %d (a value holding a separator?)", s.pos, s.id, len(s.el)-1, max)
		}
		if len(s.el) > 1 && s.el[len(s.el)-1] == "" {
			return v, fmt.Errorf("segment %d: %s ends with an empty element", s.pos, s.id)
		}
	}
	i := 0
	cur := func() segment {
		if i < len(segs) {
			return segs[i]
		}
		return segment{id: "(end)"}
	}
	expect := func(id string, el1 ...string) (segment, error) {
		s := cur()
		if s.id != id || (len(el1) > 0 && s.e(1) != el1[0]) {
			want := id
			if len(el1) > 0 {
				want += "*" + el1[0]
			}
			return s, fmt.Errorf("segment %d: %s*%s where the guide puts %s", s.pos, s.id, s.e(1), want)
		}
		i++
		return s, nil
	}
	is := func(id string, el1 ...string) bool {
		s := cur()
		return s.id == id && (len(el1) == 0 || s.e(1) == el1[0])
	}
	need := func(s segment, idx ...int) error {
		for _, k := range idx {
			if s.e(k) == "" {
				return fmt.Errorf("segment %d: %s%02d is required", s.pos, s.id, k)
			}
		}
		return nil
	}
	check := func(errs ...error) error {
		for _, e := range errs {
			if e != nil {
				return e
			}
		}
		return nil
	}

	isa, err := expect("ISA")
	if err != nil {
		return v, err
	}
	if isa.e(12) != "00501" || isa.e(11) != "^" || (isa.e(15) != "P" && isa.e(15) != "T") || len(isa.e(13)) != 9 ||
		len(isa.e(6)) != 15 || len(isa.e(8)) != 15 || isa.e(5) != "ZZ" || isa.e(7) != "ZZ" || isa.e(16) != comp {
		return v, fmt.Errorf("ISA elements wrong: %v", isa.el)
	}
	v.interchange = isa.e(13)
	gs, err := expect("GS", "HC")
	if err != nil {
		return v, err
	}
	if gs.e(8) != "005010X222A1" || gs.e(7) != "X" || gs.e(2) != strings.TrimSpace(isa.e(6)) || gs.e(3) != strings.TrimSpace(isa.e(8)) || !isDate8(gs.e(4)) {
		return v, fmt.Errorf("GS elements wrong: %v", gs.el)
	}
	stStart := i
	st, err := expect("ST", "837")
	if err != nil {
		return v, err
	}
	if st.e(3) != "005010X222A1" || len(st.e(2)) < 4 {
		return v, fmt.Errorf("ST elements wrong: %v", st.el)
	}
	bht, err := expect("BHT", "0019")
	if err != nil {
		return v, err
	}
	if bht.e(2) != "00" || bht.e(6) != "CH" || bht.e(3) == "" || !isDate8(bht.e(4)) {
		return v, fmt.Errorf("BHT elements wrong: %v", bht.el)
	}
	// 1000A
	nm1, err := expect("NM1", "41")
	if err = check(err, need(nm1, 2, 3, 8, 9)); err != nil {
		return v, err
	}
	if nm1.e(8) != "46" {
		return v, fmt.Errorf("submitter NM108 %q, want 46", nm1.e(8))
	}
	per, err := expect("PER", "IC")
	if err = check(err, need(per, 2, 3, 4)); err != nil {
		return v, err
	}
	if !set("TE EM FX")[per.e(3)] {
		return v, fmt.Errorf("PER03 %q is not a communication qualifier", per.e(3))
	}
	// 1000B
	rcv, err := expect("NM1", "40")
	if err = check(err, need(rcv, 2, 3, 8, 9)); err != nil {
		return v, err
	}
	// 2000A
	hls := map[string]string{} // HL01 → HL03
	lastHL := 0
	hlCheck := func(s segment, level, parentLevel string) error {
		n, err := strconv.Atoi(s.e(1))
		if err != nil || n != lastHL+1 {
			return fmt.Errorf("segment %d: HL01 %q, want %d", s.pos, s.e(1), lastHL+1)
		}
		lastHL = n
		if s.e(3) != level {
			return fmt.Errorf("segment %d: HL03 %q, want %s", s.pos, s.e(3), level)
		}
		if parentLevel == "" {
			if s.e(2) != "" {
				return fmt.Errorf("segment %d: the billing provider HL has a parent", s.pos)
			}
		} else if hls[s.e(2)] != parentLevel {
			return fmt.Errorf("segment %d: HL02 %q is not a level-%s HL", s.pos, s.e(2), parentLevel)
		}
		hls[s.e(1)] = level
		if s.e(4) != "0" && s.e(4) != "1" {
			return fmt.Errorf("segment %d: HL04 %q", s.pos, s.e(4))
		}
		return nil
	}
	hl, err := expect("HL")
	if err = check(err, hlCheck(hl, "20", "")); err != nil {
		return v, err
	}
	if is("PRV") {
		prv, _ := expect("PRV")
		if prv.e(1) != "BI" || prv.e(2) != "PXC" || len(prv.e(3)) != 10 {
			return v, fmt.Errorf("billing PRV wrong: %v", prv.el)
		}
	}
	bp, err := expect("NM1", "85")
	if err = check(err, need(bp, 2, 3, 8, 9)); err != nil {
		return v, err
	}
	if bp.e(8) != "XX" || !luhnNPI(bp.e(9)) {
		return v, fmt.Errorf("billing provider NPI %q*%q fails", bp.e(8), bp.e(9))
	}
	if err := addressLoop(expect, need, true); err != nil {
		return v, err
	}
	ref, err := expect("REF")
	if err != nil || (ref.e(1) != "EI" && ref.e(1) != "SY") || len(ref.e(2)) != 9 {
		return v, fmt.Errorf("billing provider tax id REF wrong: %v %v", ref.el, err)
	}
	// 2000B, each with its claims
	for is("HL") {
		sub, _ := expect("HL")
		if err := hlCheck(sub, "22", "20"); err != nil {
			return v, err
		}
		sbr, err := expect("SBR")
		if err = check(err, need(sbr, 1, 9)); err != nil {
			return v, err
		}
		if !set("P S T A B C D E F G H U")[sbr.e(1)] || !filingCodes[sbr.e(9)] || (sbr.e(2) != "" && sbr.e(2) != "18") {
			return v, fmt.Errorf("SBR wrong: %v", sbr.el)
		}
		il, err := expect("NM1", "IL")
		if err = check(err, need(il, 2, 3, 8, 9)); err != nil {
			return v, err
		}
		if il.e(8) != "MI" {
			return v, fmt.Errorf("subscriber NM108 %q, want MI", il.e(8))
		}
		if sbr.e(2) == "18" {
			if err := addressLoop(expect, need, false); err != nil {
				return v, err
			}
			if err := demographics(expect); err != nil {
				return v, err
			}
		}
		pr, err := expect("NM1", "PR")
		if err = check(err, need(pr, 2, 3, 8, 9)); err != nil {
			return v, err
		}
		if pr.e(8) != "PI" && pr.e(8) != "XV" {
			return v, fmt.Errorf("payer NM108 %q", pr.e(8))
		}
		hasPatient := is("HL")
		if (sub.e(4) == "1") != hasPatient || (sbr.e(2) == "18") == hasPatient {
			return v, fmt.Errorf("segment %d: HL04 %q, SBR02 %q and a patient loop (%v) disagree", sub.pos, sub.e(4), sbr.e(2), hasPatient)
		}
		if hasPatient {
			pat, _ := expect("HL")
			if err := hlCheck(pat, "23", "22"); err != nil {
				return v, err
			}
			if pat.e(2) != sub.e(1) {
				return v, fmt.Errorf("patient HL's parent is %s, not its subscriber %s", pat.e(2), sub.e(1))
			}
			p, err := expect("PAT")
			if err != nil || !pat01Codes[p.e(1)] {
				return v, fmt.Errorf("PAT wrong: %v %v", p.el, err)
			}
			qc, err := expect("NM1", "QC")
			if err = check(err, need(qc, 2, 3)); err != nil {
				return v, err
			}
			if err := addressLoop(expect, need, false); err != nil {
				return v, err
			}
			if err := demographics(expect); err != nil {
				return v, err
			}
		}
		// 2300
		for is("CLM") {
			clm, _ := expect("CLM")
			if err := need(clm, 1, 2, 5, 6, 7, 8, 9); err != nil {
				return v, err
			}
			c5 := strings.Split(clm.e(5), comp)
			if len(c5) != 3 || !posCodes[c5[0]] || c5[1] != "B" || !set("1 7 8")[c5[2]] {
				return v, fmt.Errorf("CLM05 %q wrong", clm.e(5))
			}
			if clm.e(6) != "Y" && clm.e(6) != "N" || !set("A B C")[clm.e(7)] || !set("Y N W")[clm.e(8)] || !set("I Y")[clm.e(9)] {
				return v, fmt.Errorf("CLM06-09 wrong: %v", clm.el)
			}
			for is("DTP") {
				expect("DTP")
			}
			refs := map[string]bool{}
			order := "4N F5 EW 9F G1 F8 X4 9A 9C LX D9 EA P4 1J"
			lastRef := -1
			for is("REF") {
				r, _ := expect("REF")
				at := strings.Index(order, r.e(1))
				if at < 0 || at < lastRef || r.e(2) == "" {
					return v, fmt.Errorf("segment %d: REF*%s out of the guide's order or empty", r.pos, r.e(1))
				}
				lastRef = at
				refs[r.e(1)] = true
			}
			if (c5[2] == "7" || c5[2] == "8") != refs["F8"] {
				return v, fmt.Errorf("claim %s: frequency %s with REF*F8 %v", clm.e(1), c5[2], refs["F8"])
			}
			hi, err := expect("HI")
			if err != nil {
				return v, err
			}
			ndx := len(hi.el) - 1
			for k := 1; k <= ndx; k++ {
				parts := strings.Split(hi.e(k), comp)
				want := "ABF"
				if k == 1 {
					want = "ABK"
				}
				if len(parts) != 2 || parts[0] != want || len(parts[1]) < 3 || len(parts[1]) > 7 || strings.Contains(parts[1], ".") ||
					parts[1][0] < 'A' || parts[1][0] > 'Z' || parts[1][1] < '0' || parts[1][1] > '9' {
					return v, fmt.Errorf("HI%02d %q wrong", k, hi.e(k))
				}
			}
			if is("NM1", "82") {
				r, _ := expect("NM1", "82")
				if r.e(2) != "1" || r.e(8) != "XX" || !luhnNPI(r.e(9)) || r.e(3) == "" {
					return v, fmt.Errorf("rendering NM1 wrong: %v", r.el)
				}
				prv, err := expect("PRV", "PE")
				if err != nil || prv.e(2) != "PXC" || len(prv.e(3)) != 10 {
					return v, fmt.Errorf("rendering PRV wrong: %v %v", prv.el, err)
				}
			}
			// 2400
			var sum int64
			n := 0
			for is("LX") {
				lx, _ := expect("LX")
				n++
				if lx.e(1) != strconv.Itoa(n) {
					return v, fmt.Errorf("LX01 %q, want %d", lx.e(1), n)
				}
				sv, err := expect("SV1")
				if err = check(err, need(sv, 1, 2, 3, 4, 7)); err != nil {
					return v, err
				}
				p := strings.Split(sv.e(1), comp)
				if p[0] != "HC" || len(p) < 2 || len(p) > 6 || len(p[1]) != 5 {
					return v, fmt.Errorf("SV101 %q wrong", sv.e(1))
				}
				for _, m := range p[2:] {
					if len(m) != 2 {
						return v, fmt.Errorf("modifier %q is not two characters", m)
					}
				}
				c, err := cents(sv.e(2))
				if err != nil || c <= 0 {
					return v, fmt.Errorf("SV102 %q: %v", sv.e(2), err)
				}
				sum += c
				if sv.e(3) != "UN" && sv.e(3) != "MJ" {
					return v, fmt.Errorf("SV103 %q", sv.e(3))
				}
				if u, err := strconv.Atoi(sv.e(4)); err != nil || u < 1 {
					return v, fmt.Errorf("SV104 %q", sv.e(4))
				}
				ptrs := strings.Split(sv.e(7), comp)
				if len(ptrs) > 4 {
					return v, fmt.Errorf("SV107 has %d pointers", len(ptrs))
				}
				for _, pp := range ptrs {
					if k, err := strconv.Atoi(pp); err != nil || k < 1 || k > ndx {
						return v, fmt.Errorf("SV107 pointer %q does not name one of %d diagnoses", pp, ndx)
					}
				}
				d, err := expect("DTP", "472")
				if err != nil || d.e(2) != "D8" || !isDate8(d.e(3)) {
					return v, fmt.Errorf("DTP*472 wrong: %v %v", d.el, err)
				}
				if is("REF") {
					r, _ := expect("REF")
					if r.e(1) != "G1" && r.e(1) != "6R" || r.e(2) == "" {
						return v, fmt.Errorf("line REF %v", r.el)
					}
				}
				v.lines++
			}
			if n == 0 {
				return v, fmt.Errorf("claim %s has no service line", clm.e(1))
			}
			if c2, err := cents(clm.e(2)); err != nil || c2 != sum {
				return v, fmt.Errorf("claim %s: CLM02 %s, lines sum to %d cents", clm.e(1), clm.e(2), sum)
			}
			v.claims++
		}
	}
	se, err := expect("SE")
	if err != nil {
		return v, err
	}
	if se.e(1) != strconv.Itoa(i-stStart) || se.e(2) != st.e(2) {
		return v, fmt.Errorf("SE*%s*%s, want %d segments and ST02 %s", se.e(1), se.e(2), i-stStart, st.e(2))
	}
	ge, err := expect("GE")
	if err != nil || ge.e(1) != "1" || ge.e(2) != gs.e(6) {
		return v, fmt.Errorf("GE %v, want 1 transaction and GS06 %s", ge.el, gs.e(6))
	}
	iea, err := expect("IEA")
	if err != nil || iea.e(1) != "1" || iea.e(2) != isa.e(13) {
		return v, fmt.Errorf("IEA %v, want 1 group and ISA13 %s", iea.el, isa.e(13))
	}
	if i != len(segs) {
		return v, fmt.Errorf("%d segments after IEA", len(segs)-i)
	}
	return v, nil
}

func addressLoop(expect func(string, ...string) (segment, error), need func(segment, ...int) error, billing bool) error {
	n3, err := expect("N3")
	if err != nil {
		return err
	}
	if err := need(n3, 1); err != nil {
		return err
	}
	n4, err := expect("N4")
	if err != nil {
		return err
	}
	if err := need(n4, 1, 2, 3); err != nil {
		return err
	}
	if len(n4.e(2)) != 2 || (len(n4.e(3)) != 5 && len(n4.e(3)) != 9) || (billing && len(n4.e(3)) != 9) {
		return fmt.Errorf("segment %d: N4 %v (a billing provider needs ZIP+4)", n4.pos, n4.el)
	}
	return nil
}

func demographics(expect func(string, ...string) (segment, error)) error {
	d, err := expect("DMG", "D8")
	if err != nil {
		return err
	}
	if !isDate8(d.e(2)) || !genders[d.e(3)] {
		return fmt.Errorf("DMG %v", d.el)
	}
	return nil
}
